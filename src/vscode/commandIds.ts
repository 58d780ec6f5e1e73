/**
 * Every command the extension contributes. Kept apart from commands.ts (which needs `vscode`) so that the
 * manifest unit test can check it against package.json `contributes.commands` in plain Node; commands.ts maps
 * each of these ids to its handler, and the compiler holds that table to exactly this list.
 */
export const COMMAND_IDS = [
  'tinygo.showOutput',
  'tinygo.analyzeActiveFile',
  'tinygo.selectTarget',
  'tinygo.restartLanguageServer',
  'tinygo.installGopls',
  'tinygo.build',
  'tinygo.buildNrf52',
  'tinygo.cancelBuild',
  'tinygo.showSizeReport',
  'tinygo.selectPort',
  'tinygo.refreshDevices',
  'tinygo.openSerialMonitor',
  'tinygo.flash',
  'tinygo.buildFlashMonitor',
  'tinygo.newProject',
  'tinygo.debug',
  'tinygo.pickTinygo',
  'tinygo.checkInstall',
  'tinygo.openWalkthrough',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

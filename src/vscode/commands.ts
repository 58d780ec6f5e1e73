/**
 * The command table: every contributed command id and the code it runs, the only place commands are registered.
 * From an id in package.json: find it here, then follow the handler (a feature's `commands` member) to its code.
 * Commands are registered at once on activation and wait until the features have started, so a command that
 * activated the extension (onCommand) is never "not found".
 */
import * as vscode from 'vscode';
import type { AnalysisController } from './analysisController';
import type { activateBuild } from './build/feature';
import { COMMAND_IDS, type CommandId } from './commandIds';
import type { activateDevices } from './devices/feature';
import type { activateFlash } from './flash/feature';
import { buildFlashMonitor, type LoopRequest } from './loop';
import type { activateMonitor } from './monitor/feature';
import type { activateOnboard } from './onboard/feature';
import type { activateSize } from './size/feature';
import type { activateToolchain } from './toolchain';

/** The features as they started (undefined: that feature failed to start, see the "TinyGo Workbench" output). */
export interface Running {
  readonly log: vscode.OutputChannel;
  analysis?: AnalysisController;
  toolchain?: ReturnType<typeof activateToolchain>;
  build?: ReturnType<typeof activateBuild>;
  size?: ReturnType<typeof activateSize>;
  devices?: ReturnType<typeof activateDevices>;
  monitor?: ReturnType<typeof activateMonitor>;
  flash?: ReturnType<typeof activateFlash>;
  onboard?: ReturnType<typeof activateOnboard>;
}

type Handler = (features: Running, arg?: unknown) => unknown;

/** The feature, or an error VS Code shows as the command's failure. */
function started<F>(feature: F | undefined, name: string): F {
  if (!feature) throw new Error(`TinyGo: the ${name} feature did not start; see the "TinyGo Workbench" output.`);
  return feature;
}

function analyzeActiveFile(analysis: AnalysisController | undefined): unknown {
  const d = vscode.window.activeTextEditor?.document;
  if (!d || d.languageId !== 'go') return vscode.window.showInformationMessage('TinyGo: open a Go file to analyse it.');
  return started(analysis, 'analysis').analyzeNow(d);
}

const COMMANDS: Record<CommandId, Handler> = {
  'tinygo.showOutput': (f) => f.log.show(true),
  'tinygo.analyzeActiveFile': (f) => analyzeActiveFile(f.analysis),
  'tinygo.selectTarget': (f, arg) => started(f.toolchain, 'toolchain').commands.selectTarget(arg),
  'tinygo.restartLanguageServer': (f) => started(f.toolchain, 'toolchain').commands.restartLanguageServer(),
  'tinygo.installGopls': (f) => started(f.toolchain, 'toolchain').commands.installGopls(),
  'tinygo.build': (f, arg) => started(f.build, 'build').commands.build(arg),
  'tinygo.buildNrf52': (f, arg) => started(f.build, 'build').commands.buildNrf52(arg),
  'tinygo.cancelBuild': (f) => started(f.build, 'build').commands.cancelBuild(),
  'tinygo.showSizeReport': (f) => started(f.size, 'size').commands.showSizeReport(),
  'tinygo.selectPort': (f, arg) => started(f.devices, 'devices').commands.selectPort(arg),
  'tinygo.refreshDevices': (f) => started(f.devices, 'devices').commands.refreshDevices(),
  'tinygo.openSerialMonitor': (f, arg) => started(f.monitor, 'monitor').commands.openSerialMonitor(arg),
  'tinygo.flash': (f, arg) => started(f.flash, 'flash').commands.flash(arg),
  'tinygo.buildFlashMonitor': (f, arg) => buildFlashMonitor({
    build: started(f.build, 'build').service, flash: started(f.flash, 'flash').service, monitor: started(f.monitor, 'monitor').service,
  }, loopRequest(arg)),
  'tinygo.newProject': (f, arg) => started(f.onboard, 'onboard').commands.newProject(arg),
  'tinygo.debug': (f, arg) => started(f.onboard, 'onboard').commands.debug(arg),
  'tinygo.pickTinygo': (f, arg) => started(f.onboard, 'onboard').commands.pickTinygo(arg),
  'tinygo.checkInstall': (f) => started(f.onboard, 'onboard').commands.checkInstall(),
  'tinygo.openWalkthrough': (f) => started(f.onboard, 'onboard').commands.openWalkthrough(),
};

/** A request object (tests, keybindings), a file or folder URI (the editor title button), or nothing (the active folder). */
function loopRequest(arg: unknown): LoopRequest {
  if (arg instanceof vscode.Uri) return { folder: arg };
  return arg && typeof arg === 'object' ? arg as LoopRequest : {};
}

/** Registers every command; each runs once `features` has resolved (activation finished). */
export function registerCommands(features: Promise<Running>): vscode.Disposable[] {
  return COMMAND_IDS.map((id) => vscode.commands.registerCommand(id, async (arg?: unknown) => COMMANDS[id](await features, arg)));
}

/**
 * Debugging the board with Cortex-Debug: launch configurations (core/debug) for a folder's target, its target
 * file's probe, TINYGOROOT's SVD and gdb on PATH, offered as Cortex-Debug's initial and dynamic configurations
 * and by "TinyGo: Debug", which also says what to install when Cortex-Debug is missing.
 *
 * The ELF is the one the pre-launch build task writes (taskExecutable), not the last "TinyGo: Build" output: that
 * one is named after the package folder and may be older than the sources, while the task rebuilds before each
 * launch, so gdb always loads what the board will run.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { CORTEX_DEBUG_EXTENSION, CORTEX_DEBUG_MISSING, launchConfigurations, taskExecutable, type LaunchPlan } from '../../core/debug';
import { BUILD_TASK_LABEL } from '../../core/project';
import type { ExecFn } from '../../core/process/exec';
import { Config } from '../config';
import { onPath } from '../flash/tools';
import { folderOr } from '../folders';
import type { ToolchainApi } from '../services';
import { boardFiles } from './boardFiles';

export const CORTEX_DEBUG_TYPE = 'cortex-debug';
export const SHOW_IN_MARKETPLACE = 'Show Cortex-Debug';

export type FolderLaunch = { plan: LaunchPlan; target: string } | { message: string };

const GDB_NAMES = ['gdb-multiarch', 'arm-none-eabi-gdb'];

export function cortexDebugInstalled(): boolean {
  return vscode.extensions.getExtension(CORTEX_DEBUG_EXTENSION) !== undefined;
}

/** The pre-launch task: the project's own build task (New Project writes it), else the one the extension provides. */
function buildTaskFor(folder: vscode.WorkspaceFolder, target: string): string {
  return Config.of(folder).tasks.labels().includes(BUILD_TASK_LABEL) ? BUILD_TASK_LABEL : `tinygo: build ${target}`;
}

export async function folderLaunch(toolchain: ToolchainApi, exec: ExecFn, folder: vscode.WorkspaceFolder | undefined): Promise<FolderLaunch> {
  const f = folderOr(folder);
  if (!f) return { message: 'Open the folder of your TinyGo program to debug it.' };
  const target = toolchain.currentTarget(f);
  if (!target) return { message: `${f.name} has no TinyGo target: choose the board with "TinyGo: Select Target" first.` };
  const boards = await boardFiles(toolchain, exec);
  if ('message' in boards) return boards;
  const spec = boards.spec(target);
  if (!spec) return { message: `TinyGo at ${boards.tinygo} has no target file for ${target}.` };
  const gdbs = new Map<string, string | undefined>();
  for (const name of [...(spec.gdb ?? []), ...GDB_NAMES]) if (!gdbs.has(name)) gdbs.set(name, await onPath(name));
  const plan = launchConfigurations({
    target, spec,
    executable: taskExecutable(target, Config.of(f).build.settings().outputDir),
    tinygoRoot: boards.root,
    buildTask: buildTaskFor(f, target),
    findProgram: (name) => gdbs.get(name),
    fileExists: (file) => fs.existsSync(file),
  });
  return { plan, target };
}

/** Says Cortex-Debug is needed, with a button to its Marketplace page. */
export async function explainMissingCortexDebug(prompt: (message: string, ...items: string[]) => Thenable<string | undefined>): Promise<void> {
  const a = await prompt(`TinyGo: ${CORTEX_DEBUG_MISSING}`, SHOW_IN_MARKETPLACE);
  if (a === SHOW_IN_MARKETPLACE) await vscode.commands.executeCommand('workbench.extensions.search', CORTEX_DEBUG_EXTENSION);
}

export class CortexDebugConfigurations implements vscode.DebugConfigurationProvider {
  constructor(private readonly toolchain: () => ToolchainApi, private readonly exec: ExecFn, private readonly log: vscode.OutputChannel) {}

  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    const r = await folderLaunch(this.toolchain(), this.exec, folder);
    if ('message' in r) {
      this.log.appendLine(`[debug] no Cortex-Debug configuration: ${r.message}`);
      return [];
    }
    for (const n of r.plan.notes) this.log.appendLine(`[debug] ${r.target}: ${n}`);
    return r.plan.configurations as unknown as vscode.DebugConfiguration[];
  }
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { outputPathFor } from '../../core/build';

export const TASK_TYPE = 'tinygo';

/** What a `"type": "tinygo"` entry in tasks.json holds (package.json `taskDefinitions`). */
export interface TinyGoTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  command: 'build' | 'flash';
  /** Default: the folder's current target. */
  target?: string;
  /** A folder relative to the workspace folder (default "."). */
  package?: string;
  /** Extra tinygo flags, one per element. */
  flags?: string[];
}

export interface TaskDeps {
  /** tinygo to run, or undefined when there is none (the task then explains). */
  tinygo(folder: vscode.WorkspaceFolder): Promise<string | undefined>;
  currentTarget(folder: vscode.WorkspaceFolder): string | undefined;
  outputDir(folder: vscode.WorkspaceFolder): string;
}

/**
 * Tasks run tinygo in the workspace folder (`folderPath`), so the relative paths it prints resolve with `$tinygo`'s
 * `["autoDetect", "${workspaceFolder}"]` (absolute GOROOT paths resolve as they are). The firmware gets the name
 * TinyGo: Build gives it (outputPathFor: the package folder's name and the target), relative to the folder.
 */
export function taskArgs(def: TinyGoTaskDefinition, target: string | undefined, outputDir: string, folderPath: string): string[] {
  const pkg = def.package?.trim() || '.';
  const pkgArg = pkg === '.' || pkg.startsWith('./') || pkg.startsWith('../') || path.isAbsolute(pkg) ? pkg : `./${pkg}`;
  const args: string[] = [def.command === 'flash' ? 'flash' : 'build'];
  if (target) args.push(`-target=${target}`);
  if (def.command !== 'flash' && !(def.flags ?? []).some((f) => /^--?o(=|$)/.test(f))) {
    const firmware = outputPathFor(folderPath, outputDir, path.resolve(folderPath, pkg), target);
    args.push('-o', path.relative(folderPath, firmware) || firmware);
  }
  args.push(...(def.flags ?? []).filter((f) => typeof f === 'string'), pkgArg);
  return args;
}

export class TinyGoTaskProvider implements vscode.TaskProvider {
  constructor(private readonly deps: TaskDeps) {}

  async provideTasks(): Promise<vscode.Task[]> {
    const tasks: vscode.Task[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const command of ['build', 'flash'] as const) {
        const t = await this.make({ type: TASK_TYPE, command }, folder);
        if (t) tasks.push(t);
      }
    }
    return tasks;
  }

  async resolveTask(task: vscode.Task): Promise<vscode.Task | undefined> {
    const def = task.definition as TinyGoTaskDefinition;
    if (def.type !== TASK_TYPE) return undefined;
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    return this.make(def, folder);
  }

  private async make(def: TinyGoTaskDefinition, folder: vscode.WorkspaceFolder): Promise<vscode.Task | undefined> {
    const target = def.target?.trim() || this.deps.currentTarget(folder);
    const tinygo = (await this.deps.tinygo(folder)) ?? 'tinygo';
    const args = taskArgs(def, target, this.deps.outputDir(folder), folder.uri.fsPath);
    const name = `${def.command}${target ? ` ${target}` : ''}${def.package && def.package !== '.' ? ` ${def.package}` : ''}`;
    const task = new vscode.Task(def, folder, name, TASK_TYPE,
      new vscode.ProcessExecution(tinygo, args, { cwd: folder.uri.fsPath }), ['$tinygo']);
    task.group = def.command === 'build' ? vscode.TaskGroup.Build : undefined;
    task.detail = `tinygo ${args.join(' ')}`;
    return task;
  }
}

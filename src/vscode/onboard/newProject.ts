/**
 * "TinyGo: New Project": a board (the toolchain's target picker), a template (unavailable ones say why), a module
 * path and a parent folder; writes the files core/project gives and opens the new folder. Every answer can come
 * in the command's argument instead (tests, other extensions): what is given is not asked.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { moduleProblem, projectFiles, softDeviceTargets, templateChoices, type TemplateId } from '../../core/project';
import type { ExecFn } from '../../core/process/exec';
import type { ToolchainApi } from '../services';
import { boardFiles } from './boardFiles';

/** How the new project is opened: a new window, a folder added to this workspace, or (tests) not at all. */
export type OpenMode = 'newWindow' | 'addToWorkspace' | 'none';

export interface NewProjectRequest {
  target?: string;
  template?: TemplateId;
  module?: string;
  /** The folder the project's folder is created in. */
  parent?: string;
  open?: OpenMode;
}

export type NewProjectResult =
  | { kind: 'created'; folder: string; target: string; template: TemplateId; files: string[]; opened: OpenMode }
  | { kind: 'refused'; message: string }
  | { kind: 'cancelled' };

const OPEN_CHOICES: Record<string, OpenMode> = { 'Open in New Window': 'newWindow', 'Add to Workspace': 'addToWorkspace' };

export function asNewProjectRequest(arg: unknown): NewProjectRequest {
  return arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg as NewProjectRequest : {};
}

export async function newProject(toolchain: ToolchainApi, exec: ExecFn, req: NewProjectRequest): Promise<NewProjectResult> {
  const refuse = (message: string): NewProjectResult => {
    void vscode.window.showErrorMessage(`TinyGo: ${message}`);
    return { kind: 'refused', message };
  };
  const boards = await boardFiles(toolchain, exec);
  if ('message' in boards) return refuse(boards.message);

  // Every step stays open when the focus moves: started from the walkthrough, its "New Project" click checks the
  // step off and the walkthrough then moves the focus to the next step, which closed the board picker.
  const target = req.target ?? await toolchain.pickTarget(undefined, { assign: false, ignoreFocusOut: true });
  if (!target) return { kind: 'cancelled' };
  const spec = boards.spec(target);
  if (!spec) return refuse(`${target} is not a target of TinyGo at ${boards.tinygo} (no resolvable ${target}.json under ${boards.root}/targets).`);
  const tags = spec.buildTags ?? [];
  const alternatives = tags.includes('nrf') && !tags.includes('softdevice')
    ? softDeviceTargets(target, boards.names(), (n) => boards.spec(n)?.inherits ?? [], (n) => boards.spec(n)?.buildTags ?? [])
    : [];
  const choices = templateChoices(target, tags, alternatives);

  let template = req.template;
  if (!template) {
    const picked = await vscode.window.showQuickPick(choices.map((c) => ({
      label: c.unavailable ? `$(circle-slash) ${c.label}` : c.label,
      description: c.unavailable ? 'not for this board' : undefined,
      detail: c.unavailable ?? c.detail,
      choice: c,
    })), { title: `New TinyGo project for ${target}`, placeHolder: 'Choose a template', matchOnDetail: true, ignoreFocusOut: true });
    if (!picked) return { kind: 'cancelled' };
    if (picked.choice.unavailable) return refuse(picked.choice.unavailable);
    template = picked.choice.id;
  }
  const chosen = choices.find((c) => c.id === template);
  if (!chosen) return refuse(`There is no template "${template}".`);
  if (chosen.unavailable) return refuse(chosen.unavailable);

  const module = req.module ?? await vscode.window.showInputBox({
    title: `New TinyGo project for ${target}: Go module path`,
    value: template,
    prompt: 'The module path for go.mod (e.g. blinky or github.com/you/blinky); its last element names the folder.',
    validateInput: (v) => moduleProblem(v.trim()),
    ignoreFocusOut: true,
  });
  if (module === undefined) return { kind: 'cancelled' };
  const mod = module.trim();

  let parent = req.parent;
  if (!parent) {
    const dirs = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Create Project Here', title: 'Folder to create the project in' });
    if (!dirs?.[0]) return { kind: 'cancelled' };
    parent = dirs[0].fsPath;
  }

  const made = projectFiles({ template, target, buildTags: tags, module: mod });
  if ('error' in made) return refuse(made.error);
  const folder = path.join(parent, mod.split('/').pop() ?? mod);
  const existing = await fsp.readdir(folder).catch(() => undefined);
  if (existing && existing.length > 0) return refuse(`${folder} already exists and is not empty: choose another module name or folder.`);
  for (const f of made.files) {
    const file = path.join(folder, ...f.path.split('/'));
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.writeFile(file, f.content, { flag: 'wx' });
  }

  let open = req.open;
  if (!open) {
    const a = await vscode.window.showInformationMessage(`TinyGo: created ${folder} (${chosen.label} for ${target}).`, ...Object.keys(OPEN_CHOICES));
    open = (a && OPEN_CHOICES[a]) || 'none';
  }
  const uri = vscode.Uri.file(folder);
  if (open === 'newWindow') {
    await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: true });
  } else if (open === 'addToWorkspace') {
    vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri });
  }
  return { kind: 'created', folder, target, template, files: made.files.map((f) => f.path), opened: open };
}

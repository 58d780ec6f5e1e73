import * as path from 'node:path';
import * as vscode from 'vscode';

/**
 * Which workspace folder a command acts on, in one place: the active editor's folder, else the first folder
 * (a single-folder workspace's only one). Folders are compared by URI, never by object identity (VS Code hands
 * out new WorkspaceFolder objects after a change of folders).
 */
export function activeFolder(): vscode.WorkspaceFolder | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return (uri && vscode.workspace.getWorkspaceFolder(uri)) || vscode.workspace.workspaceFolders?.[0];
}

/** The given folder, else the active one. */
export function folderOr(folder: vscode.WorkspaceFolder | undefined): vscode.WorkspaceFolder | undefined {
  return folder ?? activeFolder();
}

/** The key per-folder state is stored under ('' without a folder). */
export function folderKey(folder: vscode.WorkspaceFolder | undefined): string {
  return folder?.uri.toString() ?? '';
}

export function sameFolder(a: vscode.WorkspaceFolder | undefined, b: vscode.WorkspaceFolder | undefined): boolean {
  return folderKey(a) === folderKey(b);
}

/** The folder of a path or URI, or the folder itself. */
export function folderOf(f: vscode.WorkspaceFolder | vscode.Uri | string | undefined): vscode.WorkspaceFolder | undefined {
  if (f === undefined) return activeFolder();
  if (typeof f === 'string') return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(f));
  if (f instanceof vscode.Uri) return vscode.workspace.getWorkspaceFolder(f);
  return f;
}

/** The directory of the active Go file when it is on disk and in `folder` (the package a build or flash defaults to). */
export function activeGoDirIn(folder: vscode.WorkspaceFolder | undefined): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || doc.languageId !== 'go' || doc.uri.scheme !== 'file') return undefined;
  if (folder && !sameFolder(vscode.workspace.getWorkspaceFolder(doc.uri), folder)) return undefined;
  return path.dirname(doc.uri.fsPath);
}

import type * as vscode from 'vscode';
import { Config } from '../config';

/** Where releases up to 0.4 kept a folder's target: workspaceState, under this key plus the folder's URI. */
export const OLD_TARGET_KEY = 'tinygo.target:';

/**
 * Moves each folder's target from the workspace state (invisible, not shareable) into its `tinygo.target` setting,
 * once: the old key is removed afterwards, and a folder whose settings already name a target keeps its setting.
 * Returns the folders whose setting was written.
 */
export async function migrateTargetsFromState(state: vscode.Memento, folders: readonly vscode.WorkspaceFolder[]): Promise<vscode.WorkspaceFolder[]> {
  const written: vscode.WorkspaceFolder[] = [];
  for (const f of folders) {
    const key = OLD_TARGET_KEY + f.uri.toString();
    const old = state.get<string | null>(key);
    if (old === undefined) continue;
    const cfg = Config.of(f).toolchain;
    if (typeof old === 'string' && old.trim() && !cfg.folderSetsTarget()) {
      await cfg.setTarget(old.trim());
      written.push(f);
    }
    await state.update(key, undefined);
  }
  return written;
}

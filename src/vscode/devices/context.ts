/**
 * What devices, flash and monitor all need to know about a workspace folder: which tinygo, which target, and the
 * target's spec. The toolchain feature (ctx.toolchain) answers when it is active; without it the setting / PATH
 * and the committed table of TinyGo 0.33's nRF52 boards stand in, so the port view still names boards.
 */
import * as vscode from 'vscode';
import { fromParsedTargetSpec, type TargetSpecLike } from '../../core/flash/targetSpec';
import { KNOWN_BOARDS, knownBoardSpec } from '../../core/ports/knownBoards';
import type { Ctx } from '../services';

export function activeFolder(): vscode.WorkspaceFolder | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  return (doc && vscode.workspace.getWorkspaceFolder(doc.uri)) ?? vscode.workspace.workspaceFolders?.[0];
}

export function folderKey(folder: vscode.WorkspaceFolder | undefined): string {
  return folder?.uri.toString() ?? '';
}

/** The tinygo to run, or a sentence saying why there is none. */
export async function resolveTinygo(ctx: Ctx, folder: vscode.WorkspaceFolder | undefined): Promise<{ path: string } | { message: string }> {
  if (!vscode.workspace.isTrusted) return { message: 'This workspace is not trusted, so no tool is run. Trust the workspace to flash or use tinygo.' };
  if (ctx.toolchain) {
    const st = await ctx.toolchain.state();
    switch (st.kind) {
      case 'ok': return { path: st.install.path };
      case 'missing': return { message: st.message };
      case 'broken': return { message: `tinygo at ${st.path} does not work: ${st.message}` };
      case 'untrusted': return { message: 'This workspace is not trusted, so no tool is run. Trust the workspace to flash.' };
    }
  }
  const configured = vscode.workspace.getConfiguration('tinygo', folder?.uri).get<string>('path', '').trim();
  return { path: configured || 'tinygo' };
}

const FALLBACK_TARGET = 'tinygo.devices.fallbackTarget';

/** The folder's target: the toolchain's choice, else the one picked here when the toolchain feature was absent. */
export function currentTarget(ctx: Ctx, folder: vscode.WorkspaceFolder | undefined): string | undefined {
  if (ctx.toolchain) return ctx.toolchain.currentTarget(folder);
  return ctx.extension.workspaceState.get<Record<string, string>>(FALLBACK_TARGET, {})[folderKey(folder)];
}

/** Asks for a board (nRF52 only); remembered per folder. */
export async function pickTarget(ctx: Ctx, folder: vscode.WorkspaceFolder | undefined): Promise<string | undefined> {
  if (ctx.toolchain) return ctx.toolchain.pickTarget(folder, { nrf52Only: true });
  const picked = await vscode.window.showQuickPick(Object.keys(KNOWN_BOARDS), { title: 'TinyGo: pick the board to flash', placeHolder: 'nRF52 boards of TinyGo 0.33' });
  if (!picked) return undefined;
  const all = { ...ctx.extension.workspaceState.get<Record<string, string>>(FALLBACK_TARGET, {}), [folderKey(folder)]: picked };
  await ctx.extension.workspaceState.update(FALLBACK_TARGET, all);
  return picked;
}

/**
 * The target's spec: from `tinygo info -json` (through the toolchain feature) when that answers, else the
 * committed 0.33 table. `source` says which, for the output channel.
 */
export async function targetSpec(ctx: Ctx, folder: vscode.WorkspaceFolder | undefined, target: string): Promise<{ spec: TargetSpecLike | undefined; source: 'tinygo info' | 'built-in table' | 'none' }> {
  if (ctx.toolchain && ctx.toolchain.currentTarget(folder) === target) {
    try {
      const info = await ctx.toolchain.targetInfo(folder);
      if (info?.target) return { spec: fromParsedTargetSpec(info.target, info.buildTags), source: 'tinygo info' };
    } catch {
      // Fall back to the table below.
    }
  }
  const known = knownBoardSpec(target);
  return known ? { spec: known, source: 'built-in table' } : { spec: undefined, source: 'none' };
}

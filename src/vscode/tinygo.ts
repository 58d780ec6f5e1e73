/**
 * The one way every feature asks "which tinygo do I run, and what is the target's spec": through the toolchain
 * service (always activated first), with one wording for why there is none. Shared glue over the ToolchainApi
 * interface, so no feature imports the toolchain feature's files.
 */
import * as vscode from 'vscode';
import { fromParsedTargetSpec, type TargetSpecLike } from '../core/flash/targetSpec';
import { knownBoardSpec } from '../core/ports/knownBoards';
import { atLeast } from '../core/tinygo/version';
import type { ToolchainApi } from './services';

/** Oldest release whose output formats the parsers are tested on (the size table layout is stable from 0.28). */
export const MIN_TINYGO = '0.28.0';

export const UNTRUSTED_MESSAGE = 'This workspace is not trusted, so no tool is run. Trust the workspace to build, flash or use tinygo.';

/** The tinygo to run, checked; or a sentence saying why there is none. */
export async function resolveTinygo(toolchain: ToolchainApi): Promise<{ path: string } | { message: string }> {
  if (!vscode.workspace.isTrusted) return { message: UNTRUSTED_MESSAGE };
  const st = await toolchain.state();
  switch (st.kind) {
    case 'ok':
      if (!atLeast(st.install.version.version, MIN_TINYGO)) {
        return { message: `TinyGo ${st.install.version.version.raw} (${st.install.path}) is older than ${MIN_TINYGO}, the oldest release this extension reads the output of. Please update TinyGo.` };
      }
      return { path: st.install.path };
    case 'missing': return { message: st.message };
    case 'broken': return { message: `tinygo at ${st.path} does not work: ${st.message}` };
    case 'untrusted': return { message: UNTRUSTED_MESSAGE };
  }
}

/**
 * The target's spec: from `tinygo info -json` when tinygo answers for the folder's target, else the committed
 * table of TinyGo 0.33's nRF52 boards (so the port view still names boards without tinygo). `source` says which,
 * for the output channel.
 */
export async function targetSpec(toolchain: ToolchainApi, folder: vscode.WorkspaceFolder | undefined, target: string): Promise<{ spec: TargetSpecLike | undefined; source: 'tinygo info' | 'built-in table' | 'none' }> {
  if (toolchain.currentTarget(folder) === target) {
    try {
      const info = await toolchain.targetInfo(folder);
      if (info?.target) return { spec: fromParsedTargetSpec(info.target, info.buildTags), source: 'tinygo info' };
    } catch {
      // The table below answers.
    }
  }
  const known = knownBoardSpec(target);
  return known ? { spec: known, source: 'built-in table' } : { spec: undefined, source: 'none' };
}

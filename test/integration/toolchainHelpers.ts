// Shared by toolchain.test.ts, gopls.test.ts and realTinygo.test.ts: which tinygo the tests run (a real one when TGW_TINYGO works,
// otherwise the scripted stand-in), and access to the toolchain feature's objects.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ToolchainApi } from '../../src/vscode/services';
import type { TestingApi } from '../../src/vscode/testing';
import type { GoplsManager } from '../../src/vscode/toolchain/gopls';
import type { TargetStatusBar } from '../../src/vscode/toolchain/statusBar';
import { api, extension, until } from './helpers';

export interface ToolchainParts {
  toolchain: ToolchainApi;
  gopls: GoplsManager;
  /** What the target status bar item shows now. */
  status: { readonly view: TargetStatusBar['view'] };
  testing: TestingApi;
}

export async function parts(): Promise<ToolchainParts> {
  const testing = (await api()).testing;
  const toolchain = testing.toolchain();
  const gopls = testing.gopls();
  assert.ok(toolchain && gopls && testing.targetStatus(), 'the toolchain feature did not activate (see the "TinyGo Workbench" output)');
  return { toolchain, gopls, status: { get view() { return testing.targetStatus()!; } }, testing };
}

export function fakeDir(): string {
  return path.join(extension().extensionPath, 'test', 'fixtures', 'fake-tinygo');
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  const [section, ...rest] = key.split('.');
  await vscode.workspace.getConfiguration(section).update(rest.join('.'), value, vscode.ConfigurationTarget.Workspace);
}

let chosen: { path: string; standIn: boolean; note: string } | undefined;

/**
 * The real tinygo when TGW_TINYGO is set and it works with the Go on PATH; otherwise the stand-in, and the test
 * output says so.
 */
export async function useTinygo(p: ToolchainParts): Promise<{ path: string; standIn: boolean; note: string }> {
  if (chosen) {
    await setSetting('tinygo.path', chosen.path);
    await p.toolchain.state(true);
    return chosen;
  }
  const real = process.env.TGW_TINYGO;
  let note = 'TGW_TINYGO is not set';
  if (real) {
    await setSetting('tinygo.path', real);
    const st = await p.toolchain.state(true);
    if (st.kind === 'ok') {
      chosen = { path: real, standIn: false, note: `real tinygo ${st.install.version.version.raw} at ${real}` };
      console.log(`    [toolchain] using the ${chosen.note}`);
      return chosen;
    }
    note = `TGW_TINYGO=${real} does not work here: ${st.kind === 'broken' || st.kind === 'missing' ? st.message : st.kind}`;
  }
  const fake = path.join(fakeDir(), 'tinygo');
  await setSetting('tinygo.path', fake);
  const st = await p.toolchain.state(true);
  assert.equal(st.kind, 'ok', `the stand-in tinygo did not answer: ${JSON.stringify(st)}`);
  chosen = { path: fake, standIn: true, note: `SCRIPTED STAND-IN test/fixtures/fake-tinygo/tinygo (real TinyGo 0.33 output; ${note})` };
  console.log(`    [toolchain] using a ${chosen.note}`);
  return chosen;
}

/**
 * Starts our own gopls (the pinned one CI installs, TGW_GOPLS) for a suite, with "auto" deciding so, and returns once
 * the start the new path causes is over. A changed "tinygo.gopls.path" is acted on only once it stopped changing
 * (SETTLE_MS later, with a restart): a gopls that "auto" started before that (one found elsewhere) is no sign the
 * suite may begin, as that restart would come in the middle of its first test.
 */
export async function startOwnGopls(p: ToolchainParts, timeoutMs: number): Promise<void> {
  const gopls = process.env.TGW_GOPLS;
  const changes = vscode.workspace.getConfiguration('tinygo').inspect<string>('gopls.path')?.workspaceValue !== gopls;
  const before = p.gopls.lastStart;
  await setSetting('tinygo.gopls.path', gopls);
  await setSetting('tinygo.languageServer', 'auto');
  await until('our gopls to run with the path set', () => {
    const s = p.gopls.lastStart;
    return p.gopls.running && s !== undefined && s.goplsPath === gopls && (!changes || (s !== before && s.reason === 'tinygo.gopls.path changed'));
  }, timeoutMs);
}

/** Undoes a gopls suite: plain Go again, the settings it set removed, its directory in the workspace deleted. */
export async function endGoplsSuite(p: ToolchainParts, folder: vscode.WorkspaceFolder, dir: string): Promise<void> {
  await p.toolchain.setTarget(folder, undefined);
  await setSetting('tinygo.gopls.path', undefined);
  await setSetting('tinygo.languageServer', undefined);
  await setSetting('tinygo.path', undefined);
  fs.rmSync(path.join(folder.uri.fsPath, dir), { recursive: true, force: true });
}

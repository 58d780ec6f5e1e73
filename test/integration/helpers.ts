// Shared by the integration tests: reach the extension, open fixture files, and wait for events with a time-out
// (never a fixed sleep: a slow machine makes a test slower, not flaky).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { WorkbenchApi } from '../../src/vscode/testing';

export const EXTENSION_ID = 'tinygo-workbench.tinygo-workbench';
export const RULE = 'reflect-unsupported';
export const TIMEOUT_MS = 20_000;

export function extension(): vscode.Extension<WorkbenchApi> {
  const ext = vscode.extensions.getExtension<WorkbenchApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded in this extension host`);
  return ext;
}

/** Activates (if a test runs alone) and waits for the analysis engine. */
export async function api(): Promise<WorkbenchApi> {
  const ext = extension();
  const a = ext.isActive ? ext.exports : await ext.activate();
  await a.ready;
  assert.ok(a.testing.analysis(), 'the analysis engine did not load (see the "TinyGo Workbench" output)');
  return a;
}

export function workspaceUri(rel: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the fixture workspace open (test/fixtures/workspace)');
  return vscode.Uri.joinPath(folder.uri, ...rel.split('/'));
}

export async function openGo(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(rel));
  assert.equal(doc.languageId, 'go');
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Polls `probe` until it returns something other than undefined/false, or fails after `ms`. */
export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `promise`, or a rejection naming `what` after `ms`. */
export async function within<T>(what: string, promise: Promise<T>, ms = TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves with the document's diagnostics once `accept` holds, re-checking on every diagnostics change. */
export function waitForDiagnostics(uri: vscode.Uri, what: string, accept: (ds: vscode.Diagnostic[]) => boolean, ms = TIMEOUT_MS): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const ds = tinygoDiagnostics(uri);
      if (!accept(ds)) return false;
      finish();
      resolve(ds);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => { if (e.uris.some((u) => u.toString() === uri.toString())) check(); });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${ms} ms waiting for diagnostics: ${what}; have: ${describe(tinygoDiagnostics(uri))}`));
    }, ms);
    function finish(): void { sub.dispose(); clearTimeout(timer); }
    check();
  });
}

export function tinygoDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'TinyGo');
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

export function ruleDiagnostics(ds: vscode.Diagnostic[], rule = RULE): vscode.Diagnostic[] {
  return ds.filter((d) => codeOf(d) === rule);
}

export function describe(ds: vscode.Diagnostic[]): string {
  if (ds.length === 0) return '(none)';
  return ds.map((d) => `${codeOf(d)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).join(', ');
}

/** Puts a document back to its saved text, whatever the tests did to it. */
export async function revert(editor: vscode.TextEditor): Promise<void> {
  if (!editor.document.isDirty) return;
  await vscode.window.showTextDocument(editor.document, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
  await until(`${editor.document.fileName} reverted`, () => !editor.document.isDirty);
}

export async function undo(doc: vscode.TextDocument, expectedText: string): Promise<void> {
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('undo');
  await until('undo restored the text', () => doc.getText() === expectedText);
}

/**
 * Points the folder at the real tinygo (TGW_TINYGO) with gopls off (every setTarget would restart it on a loaded
 * machine, and these suites are not about gopls); the tinygo's version, or why the suite must skip.
 */
export async function useRealTinygo(a: WorkbenchApi, folder: vscode.WorkspaceFolder, label: string): Promise<string | { skip: string }> {
  const tinygo = process.env.TGW_TINYGO;
  if (!tinygo) return { skip: `    [${label}] TGW_TINYGO is not set in the extension host (run \`eval "$(bash scripts/install-tinygo.sh)"\` before the harness): skipping` };
  const cfg = vscode.workspace.getConfiguration('tinygo', folder.uri);
  await cfg.update('path', tinygo, vscode.ConfigurationTarget.Workspace);
  await cfg.update('languageServer', 'off', vscode.ConfigurationTarget.Workspace);
  const st = await a.testing.toolchain()!.state(true);
  if (st.kind !== 'ok') return { skip: `    [${label}] TGW_TINYGO=${tinygo} does not work here (${st.kind}): skipping` };
  return st.install.version.version.raw;
}

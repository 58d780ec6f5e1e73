import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, RULE, extension, openGo, ruleDiagnostics, until, waitForDiagnostics } from './helpers';

suite('activation', () => {
  test('opening a Go file activates the extension and it becomes ready', async () => {
    const ext = extension();
    const events: string[] = ext.packageJSON.activationEvents ?? [];
    // Only when the manifest activates on Go documents alone is "not active yet" a promise we can check.
    if (events.length > 0 && events.every((e) => e.startsWith('onLanguage:') || e.startsWith('onCommand:'))) {
      assert.equal(ext.isActive, false, `${EXTENSION_ID} was active before any Go file was opened`);
    }
    const t0 = performance.now();
    const editor = await openGo('diagnostics.go');
    await until('the extension to activate', () => ext.isActive);
    const api = ext.exports;
    assert.ok(api && typeof api.activationMs === 'function', 'activate() did not return the WorkbenchApi');
    await api.ready;
    const ms = api.activationMs();
    assert.equal(typeof ms, 'number', 'activationMs() is undefined after ready: the analysis engine failed to load');
    assert.ok(api.testing.analysis(), 'testing.analysis() is undefined after ready');
    await waitForDiagnostics(editor.document.uri, 'first reflect finding', (ds) => ruleDiagnostics(ds, RULE).length > 0);
    console.log(`    activation: ${ms!.toFixed(1)} ms (activate() entry to ready); ` +
      `${(performance.now() - t0).toFixed(0)} ms from opening the file to its first diagnostic`);
  });

  test('every contributed command is registered', async () => {
    const contributed: string[] = (extension().packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    assert.ok(contributed.length > 0);
    const all = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !all.has(c)), [], 'contributed but not registered');
  });
});

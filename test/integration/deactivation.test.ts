import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, extension, openGo, ruleDiagnostics, until, waitForDiagnostics } from './helpers';

// Runs last (see index.ts): it takes the extension down in this extension host.
suite('deactivation', () => {
  test('deactivate() unregisters the commands, clears the diagnostics, frees the trees, and can run twice', async () => {
    const a = await api();
    const ext = extension();
    const editor = await openGo('diagnostics.go');
    await waitForDiagnostics(editor.document.uri, 'a finding before deactivation', (ds) => ruleDiagnostics(ds).length === 1);
    const controller = a.testing.analysis()!;
    assert.ok(controller.openTrees > 0, 'no parse tree held for the open Go documents');

    const commands: string[] = ext.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    const main = path.join(ext.extensionPath, ext.packageJSON.main as string);
    // The same module instance the extension host loaded (one require cache per extension host).
    const mod = (await import(main)) as { deactivate?: () => unknown };
    assert.equal(typeof mod.deactivate, 'function', `${main} exports no deactivate()`);
    assert.doesNotThrow(() => mod.deactivate!());

    // Unregistering travels to the workbench asynchronously: poll what it reports.
    await until(`contributed commands unregistered (${commands.join(', ')})`, async () => {
      const registered = new Set(await vscode.commands.getCommands(true));
      return commands.every((c) => !registered.has(c));
    }, 5_000);
    const left = vscode.languages.getDiagnostics().filter(([, ds]) => ds.some((d) => d.source === 'TinyGo'));
    assert.deepEqual(left.map(([u]) => u.toString()), [], 'TinyGo diagnostics left after deactivate()');
    assert.equal(controller.openTrees, 0, 'parse trees (wasm memory) not freed');
    assert.doesNotThrow(() => mod.deactivate!(), 'a second deactivate() threw');
  });
});

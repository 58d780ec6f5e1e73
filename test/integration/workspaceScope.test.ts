import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, openGo, ruleDiagnostics, until, waitForDiagnostics, workspaceUri } from './helpers';

suite('analysis scope', () => {
  const cfg = () => vscode.workspace.getConfiguration('tinygo');

  teardown(async () => {
    await cfg().update('analysis.scope', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('scope "workspace" analyses files that are not open, and "openFiles" drops them again', async () => {
    const a = await api();
    const uri = workspaceUri('scanned/never_opened.go');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'the file must not be open');
    assert.equal(ruleDiagnostics(vscode.languages.getDiagnostics(uri)).length, 0, 'no finding before the scan');
    await cfg().update('analysis.scope', 'workspace', vscode.ConfigurationTarget.Workspace);
    const ds = await waitForDiagnostics(uri, 'reflect finding in a file that was never opened', (d) => ruleDiagnostics(d).length === 1);
    assert.equal(ds[0].range.start.line, 6);
    const scanner = await until('the workspace scanner', () => a.testing.analysis()?.workspaceScanner);
    assert.ok(scanner);
    await cfg().update('analysis.scope', 'openFiles', vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(uri, 'workspace findings cleared', (d) => ruleDiagnostics(d).length === 0);
  });

  test('an opened file is owned by the editor analysis, without duplicate findings', async () => {
    await api();
    await cfg().update('analysis.scope', 'workspace', vscode.ConfigurationTarget.Workspace);
    const uri = workspaceUri('scanned/never_opened.go');
    await waitForDiagnostics(uri, 'scan finding', (d) => ruleDiagnostics(d).length === 1);
    const editor = await openGo('scanned/never_opened.go');
    // Both collections would give two; the scan's entry must be dropped once the document is open.
    await waitForDiagnostics(editor.document.uri, 'exactly one finding with the file open', (d) => ruleDiagnostics(d).length === 1);
    const all = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'TinyGo');
    assert.equal(ruleDiagnostics(all).length, 1, 'duplicate findings');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RULE, api, describe, openGo, ruleDiagnostics, tinygoDiagnostics, until, waitForDiagnostics, within, workspaceUri } from './helpers';

function lineOf(doc: vscode.TextDocument, marker: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(marker)) return i;
  throw new Error(`no line with ${marker} in ${doc.fileName}`);
}

suite('robustness', () => {
  test('a Go file with a syntax error is analysed without a crash and without findings in the broken region', async () => {
    const a = await api();
    const uri = workspaceUri('syntaxerror/broken.go');
    // The controller fires onDidAnalyze only when an analysis ran to the end (a thrown error is caught and logged).
    const analysed = new Promise<number>((resolve) => {
      const sub = a.testing.analysis()!.onDidAnalyze.event((e) => {
        if (e.uri.toString() === uri.toString()) { sub.dispose(); resolve(e.findings); }
      });
    });
    const editor = await openGo('syntaxerror/broken.go');
    const findings = await within('onDidAnalyze for broken.go', analysed);
    const doc = editor.document;
    const from = lineOf(doc, 'broken-region-start');
    const to = lineOf(doc, 'broken-region-end');
    const ds = tinygoDiagnostics(doc.uri);
    assert.equal(ds.length, findings);
    const inside = ds.filter((d) => d.range.end.line >= from && d.range.start.line <= to);
    assert.deepEqual(inside.map((d) => describe([d])), [], `findings inside the broken region (lines ${from}-${to})`);
    // The function after the broken one still gets its finding: the error stays local.
    const fine = lineOf(doc, 'MethodByName("G")');
    assert.ok(ruleDiagnostics(ds, RULE).some((d) => d.range.start.line === fine), `stillFine() lost its finding; have ${describe(ds)}`);
    // And the extension still serves other documents.
    const ok = await openGo('diagnostics.go');
    assert.equal(typeof await a.testing.analysis()!.analyzeNow(ok.document), 'number');
    await waitForDiagnostics(ok.document.uri, 'diagnostics.go still analysed', (d) => ruleDiagnostics(d).length === 1);
  });

  test('closing a document clears its diagnostics', async () => {
    await api();
    // A copy of closing.go in a folder of its own, new for this run: the fixture itself belongs to the workspace's
    // root package, whose files a build opens (openTextDocument, for the editing-time hints it compares with the
    // compiler's), and such a reference keeps the document open for minutes after its editor closed (ci16: no
    // onDidCloseTextDocument within 20 s after the build tests).
    const dir = `closing-${process.pid}-${Date.now()}`;
    const uri = workspaceUri(`${dir}/closing.go`);
    fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
    fs.copyFileSync(workspaceUri('closing.go').fsPath, uri.fsPath);
    try {
      // Opened like a user opens it: a document the API opened (openTextDocument) stays referenced by the extension
      // host for minutes after its editor closes, so it would never be closed within a test.
      await vscode.commands.executeCommand('vscode.open', uri, { preview: false });
      const doc = await until('closing.go in workspace.textDocuments', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()));
      await waitForDiagnostics(uri, 'closing.go finding', (ds) => ruleDiagnostics(ds).length === 1);
      const closed = new Promise<void>((resolve) => {
        const sub = vscode.workspace.onDidCloseTextDocument((d) => { if (d.uri.toString() === uri.toString()) { sub.dispose(); resolve(); } });
      });
      await until('closing.go is the active editor', () => vscode.window.activeTextEditor?.document === doc);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await within('onDidCloseTextDocument for closing.go', closed);
      assert.ok(doc.isClosed);
      await waitForDiagnostics(uri, 'no diagnostics once closed', (ds) => ds.length === 0);
    } finally {
      fs.rmSync(path.dirname(uri.fsPath), { recursive: true, force: true });
    }
  });
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { RULE, api, openGo, revert, ruleDiagnostics, undo, waitForDiagnostics } from './helpers';

// test/fixtures/workspace/diagnostics.go, line 10 (0-based 9): `\treflect.ValueOf(x).MethodByName("F")`
const LINE = 9;
const START = 20;
const METHOD = 'MethodByName';
const MESSAGE_START = '`reflect.Value.MethodByName` is not implemented in TinyGo';
const SUPPRESS_TITLE = `Suppress ${RULE} on this line`;

function at(line: number) {
  return (ds: vscode.Diagnostic[]) => {
    const r = ruleDiagnostics(ds);
    return r.length === 1 && r[0].range.isEqual(new vscode.Range(line, START, line, START + METHOD.length));
  };
}

suite('diagnostics in the editor', () => {
  let editor: vscode.TextEditor;
  let saved: string;

  suiteSetup(async () => {
    await api();
    editor = await openGo('diagnostics.go');
    saved = editor.document.getText();
    assert.equal(editor.document.getText(new vscode.Range(LINE, START, LINE, START + METHOD.length)), METHOD,
      'the fixture changed: update LINE/START');
  });
  teardown(async () => { await revert(editor); });

  test('reflect finding on exactly the MethodByName identifier', async () => {
    const ds = await waitForDiagnostics(editor.document.uri, `one ${RULE} at ${LINE}:${START}`, at(LINE));
    const [d] = ruleDiagnostics(ds);
    assert.equal(d.source, 'TinyGo');
    assert.ok(d.message.startsWith(MESSAGE_START), `message: ${d.message}`);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    const code = d.code as { value: string; target: vscode.Uri };
    assert.equal(code.value, RULE);
    assert.ok(code.target instanceof vscode.Uri && code.target.fragment === RULE, `code target: ${String(code.target)}`);
  });

  test('an edit that fixes the call clears it; undo brings it back', async () => {
    const doc = editor.document;
    await waitForDiagnostics(doc.uri, 'finding before the edit', at(LINE));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(LINE, START, LINE, START + METHOD.length), 'FieldByName');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(doc.uri, 'no reflect finding after MethodByName -> FieldByName', (ds) => ruleDiagnostics(ds).length === 0);
    await undo(doc, saved);
    await waitForDiagnostics(doc.uri, 'finding back after undo', at(LINE));
  });

  test('lines inserted above move it; undo moves it back', async () => {
    const doc = editor.document;
    await waitForDiagnostics(doc.uri, 'finding before the edit', at(LINE));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(LINE - 1, 0), '// one\n// two\n// three\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(doc.uri, 'finding moved down by three lines', at(LINE + 3));
    await undo(doc, saved);
    await waitForDiagnostics(doc.uri, 'finding back on its line after undo', at(LINE));
  });

  test(`quick fix "${SUPPRESS_TITLE}" is offered and applying it removes the finding`, async () => {
    const doc = editor.document;
    const [d] = ruleDiagnostics(await waitForDiagnostics(doc.uri, 'finding before the fix', at(LINE)));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range);
    const titles = (actions ?? []).map((a) => a.title);
    const fix = (actions ?? []).find((a) => a.title === SUPPRESS_TITLE);
    assert.ok(fix, `code actions offered: ${JSON.stringify(titles)}`);
    assert.ok(fix.edit, 'the quick fix carries no edit');
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.lineAt(LINE).text, /\/\/ tinygo-workbench:ignore reflect-unsupported/);
    await waitForDiagnostics(doc.uri, 'no reflect finding after the suppression', (ds) => ruleDiagnostics(ds).length === 0);
    await undo(doc, saved);
    await waitForDiagnostics(doc.uri, 'finding back after undoing the suppression', at(LINE));
  });
});

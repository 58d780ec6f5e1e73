import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { RULE, api, openGo, revert, ruleDiagnostics, undo, until, waitForDiagnostics } from './helpers';

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
    // The link names the line of the rule's heading: what VS Code's editor opener reads, from the hover and Problems alike.
    assert.ok(code.target instanceof vscode.Uri && /^L\d+$/.test(code.target.fragment), `code target: ${String(code.target)}`);
    const heading = (await vscode.workspace.fs.readFile(code.target.with({ fragment: '' }))).toString().split('\n')[Number(code.target.fragment.slice(1)) - 1];
    assert.equal(heading.trim(), `## ${RULE}`);
  });

  test('the rule link opens the rule\'s section rendered (Markdown preview at #reflect-unsupported), not the source at line 1', async () => {
    const a = await api();
    const ds = await waitForDiagnostics(editor.document.uri, `one ${RULE}`, at(LINE));
    const target = (ruleDiagnostics(ds)[0].code as { target: vscode.Uri }).target;
    // What a click on the link in the hover or in Problems does: the editor opener with the link.
    await vscode.commands.executeCommand('vscode.open', target);
    const preview = await until('a Markdown preview of rules.md is the active tab', () => {
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      return tab?.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(tab.input.viewType) && tab.label.includes('rules.md') ? tab : undefined;
    });
    const shown = a.testing.ruleDocs();
    assert.equal(shown?.fragment, RULE, `the preview was asked to scroll to: ${String(shown)}`);
    assert.equal(shown?.fsPath, target.fsPath);
    await until('the Markdown source tab is gone', () => !vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.fsPath === target.fsPath)));
    await vscode.window.tabGroups.close(preview);
    // The Go editor was hidden behind the preview: the suite's later tests need a live one.
    editor = await vscode.window.showTextDocument(editor.document, { preview: false });
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

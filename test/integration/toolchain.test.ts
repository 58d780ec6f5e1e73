// The toolchain feature in a real VS Code: finding tinygo through "tinygo.path", the one actionable message for a
// TinyGo that refuses the Go on PATH, the target picker, the per-folder target, the status bar, and the analysers
// following the chosen target. tinygo is the real one when TGW_TINYGO works, else a scripted stand-in (see
// toolchainHelpers.ts; the output says which).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, openGo, revert, ruleDiagnostics, until, waitForDiagnostics } from './helpers';
import { fakeDir, parts, setSetting, useTinygo, type ToolchainParts } from './toolchainHelpers';

suite('toolchain', () => {
  let p: ToolchainParts;
  let folder: vscode.WorkspaceFolder;

  suiteSetup(async () => {
    p = await parts();
    folder = vscode.workspace.workspaceFolders![0];
    await useTinygo(p);
  });

  suiteTeardown(async () => {
    await p.toolchain.setTarget(folder, undefined);
    await setSetting('tinygo.path', undefined);
    await p.toolchain.state(true);
  });

  test('finds tinygo through "tinygo.path" and reads its version', async () => {
    const st = await p.toolchain.state();
    assert.equal(st.kind, 'ok');
    assert.ok(st.kind === 'ok');
    assert.match(st.install.version.version.raw, /^\d+\.\d+\.\d+/);
    assert.ok(path.isAbsolute(st.install.path));
  });

  test('a tinygo that refuses the Go on PATH: state "broken" with ONE actionable message, shown in the status bar', async () => {
    await setSetting('tinygo.path', path.join(fakeDir(), 'tinygo-wrong-go'));
    try {
      const st = await until('the toolchain to be re-checked', async () => {
        const s = await p.toolchain.state();
        return s.kind === 'broken' ? s : undefined;
      });
      assert.equal(st.message.split('\n').length, 1);
      assert.match(st.message, /needs Go 1\.19 through 1\.23, but the "go" on PATH is go1\.26\. Install Go 1\.23 .*"tinygo\.path"/);
      await until('the status bar to warn', () => p.status.view.text.startsWith('$(warning)'));
      assert.match(p.status.view.tooltip, /needs Go 1\.19 through 1\.23/);
      assert.equal(p.status.view.command, 'tinygo.selectTarget');
    } finally {
      await useTinygo(p);
    }
    await until('the status bar to recover', () => !p.status.view.text.startsWith('$(warning)'));
  });

  test('"tinygo.path" pointing nowhere: state "missing", saying how to install and which setting; the analysis still reports', async () => {
    await setSetting('tinygo.path', '/nonexistent/tinygo');
    try {
      const st = await p.toolchain.state(true);
      assert.equal(st.kind, 'missing');
      assert.ok(st.kind === 'missing');
      assert.match(st.message, /tinygo\.path is set to "\/nonexistent\/tinygo"/);
      assert.match(st.message, /tinygo\.org\/getting-started\/install/);
      // Without tinygo the editing-time analysis keeps working: a finding typed now is reported.
      const editor = await openGo('diagnostics.go');
      try {
        const doc = editor.document;
        const end = doc.lineAt(doc.lineCount - 1).range.end;
        await editor.edit((e) => e.insert(end, '\nfunc noTinygoHere(v reflect.Value) { v.MethodByName("X") }'));
        const line = doc.lineCount - 1;
        assert.match(doc.lineAt(line).text, /^func noTinygoHere/);
        await waitForDiagnostics(editor.document.uri, 'a reflect finding on the line typed without tinygo',
          (ds) => ruleDiagnostics(ds).some((d) => d.range.start.line === line));
      } finally {
        await revert(editor);
      }
    } finally {
      await useTinygo(p);
    }
  });

  test('"Pick an Existing Install": state() asked while the pick is written answers for the picked tinygo; the pick goes where it takes effect', async () => {
    const chosen = await useTinygo(p);
    await setSetting('tinygo.path', '/nonexistent/tinygo');
    try {
      assert.equal((await p.toolchain.state(true)).kind, 'missing');
      // The walkthrough's command writes the setting, then checks; a command run meanwhile (New Project clicked at
      // once, ci12) asks state() before the write is done: it must wait for the new check, not answer "missing".
      const picking = p.toolchain.useTinygo(chosen.path);
      const meanwhile = await p.toolchain.state();
      assert.equal(meanwhile.kind, 'ok', `state() during the pick: ${JSON.stringify(meanwhile)}`);
      assert.ok(meanwhile.kind === 'ok');
      assert.equal(meanwhile.install.path, chosen.path);
      assert.equal((await picking).kind, 'ok');
      // The workspace set tinygo.path (to nowhere): the pick replaced that value, the user's settings untouched.
      const inspect = vscode.workspace.getConfiguration('tinygo').inspect<string>('path');
      assert.equal(inspect?.workspaceValue, chosen.path);
      assert.equal(inspect?.globalValue, undefined);
      // The command itself (the walkthrough's button, with the file given) says what it found.
      await setSetting('tinygo.path', '/nonexistent/tinygo');
      const said = await vscode.commands.executeCommand<string>('tinygo.pickTinygo', chosen.path);
      assert.match(said ?? '', /^TinyGo \d+\.\d+\.\d+/);
      assert.equal((await p.toolchain.state()).kind, 'ok');
    } finally {
      await useTinygo(p);
    }
  });

  test('Select Target: a quick pick with nRF52 boards first, None (plain Go) last; accepting sets the target', async () => {
    await p.toolchain.setTarget(folder, 'feather-nrf52840');
    assert.ok(await p.toolchain.targetInfo(folder));
    p.testing.clearPickerItems();
    const picked = vscode.commands.executeCommand<string | undefined>('tinygo.selectTarget');
    await until('the picker to be filled from "tinygo targets"', () => p.testing.pickerItems().length > 0);
    const items = p.testing.pickerItems();
    assert.deepEqual(items[0], { kind: 'separator', label: 'nRF52 boards' });
    const first = items[1];
    assert.ok(first.kind === 'target' && first.name === 'feather-nrf52840' && first.current && first.recent, JSON.stringify(first));
    // Its spec is cached from "tinygo info": flash method, and the application's memory from the linker script.
    assert.equal(first.description, 'nRF52840 · UF2 drive FTHR840BOOT · 796 KB flash, 239.6 KB RAM');
    const other = items.findIndex((e) => e.kind === 'separator' && e.label === 'Other targets');
    assert.ok(items.slice(1, other).every((e) => e.kind === 'target' && e.nrf52), 'a non-nRF52 target in the nRF52 group');
    assert.ok(items.some((e) => e.kind === 'target' && e.name === 'xiao-ble'));
    assert.ok(!items.some((e) => e.kind === 'target' && e.name === 'nrf52840-s140v6-uf2'), 'a mixin is offered');
    assert.equal(items[items.length - 1].kind, 'none');
    // The current target is the active item: Enter keeps it.
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(await picked, 'feather-nrf52840');
    assert.equal(p.toolchain.currentTarget(folder), 'feather-nrf52840');
  });

  test('the target is remembered per folder, shown in the status bar, and the analysers use its facts', async () => {
    const editor = await openGo('diagnostics.go');
    const seen: string[] = [];
    const sub = p.toolchain.onDidChangeTarget((e) => seen.push(`${e.folder?.name}:${e.target}`));
    try {
      const r = await vscode.commands.executeCommand<string | undefined>('tinygo.selectTarget', 'feather-nrf52840');
      assert.equal(r, 'feather-nrf52840');
      assert.deepEqual(seen, [`${folder.name}:feather-nrf52840`]);
    } finally {
      sub.dispose();
    }
    assert.equal(p.toolchain.currentTarget(folder), 'feather-nrf52840');
    assert.equal(p.toolchain.currentTarget(), 'feather-nrf52840', 'no folder given: the first folder');
    await until('the status bar to show the target', () => p.status.view.text === '$(circuit-board) feather-nrf52840');
    const info = await p.toolchain.targetInfo(folder);
    assert.ok(info, 'tinygo info gave nothing');
    assert.ok(info.buildTags.includes('nrf52840'));
    assert.ok(fs.existsSync(info.goroot), `the GOROOT handed to gopls does not exist: ${info.goroot}`);
    const a = await api();
    const facts = await until('the analysers to get the target\'s facts', () => {
      const f = a.testing.analysis()?.factsFor(editor.document.uri);
      return f?.target === 'feather-nrf52840' ? f : undefined;
    });
    assert.equal(facts.kind, 'baremetal');
    assert.equal(facts.goarch, 'arm');
    // Plain Go again.
    await vscode.commands.executeCommand('tinygo.selectTarget', null);
    assert.equal(p.toolchain.currentTarget(folder), undefined);
    await until('the status bar to show no target', () => p.status.view.text === '$(circuit-board) No target');
  });

  test('an unknown target is reported, not handed to gopls', async () => {
    await p.toolchain.setTarget(folder, 'no-such-board');
    try {
      assert.equal(await p.toolchain.targetInfo(folder), undefined);
    } finally {
      await p.toolchain.setTarget(folder, undefined);
    }
  });
});

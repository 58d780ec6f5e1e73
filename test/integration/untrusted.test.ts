// Restricted Mode: run by `node scripts/run-vscode-tests.mjs untrusted`, which starts code-server with Workspace
// Trust on and the folder untrusted. In the trusted runs this suite skips itself.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, openGo, ruleDiagnostics, waitForDiagnostics } from './helpers';
import { parts } from './toolchainHelpers';

suite('untrusted workspace', () => {
  const marker = path.join(os.tmpdir(), `tgw-untrusted-ran-${process.pid}`);
  const fake = path.join(os.tmpdir(), `tgw-untrusted-tinygo-${process.pid}`);
  const fakeGoDir = path.join(os.tmpdir(), `tgw-untrusted-go-${process.pid}`);

  suiteSetup(function () {
    if (vscode.workspace.isTrusted) this.skip();
    // A "tinygo" that leaves a mark if anything ever runs it.
    fs.writeFileSync(fake, `#!/bin/sh\ntouch '${marker}'\necho "tinygo version 0.33.0 linux/amd64 (using go version go1.23.0 and LLVM version 18.1.2)"\n`, { mode: 0o755 });
  });

  suiteTeardown(async () => {
    if (vscode.workspace.isTrusted) return;
    await vscode.workspace.getConfiguration('tinygo').update('path', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(fake, { force: true });
    fs.rmSync(fakeGoDir, { recursive: true, force: true });
    fs.rmSync(marker, { force: true });
  });

  test('the editing-time analysis still works', async () => {
    await api();
    const editor = await openGo('diagnostics.go');
    await waitForDiagnostics(editor.document.uri, 'reflect finding in Restricted Mode', (ds) => ruleDiagnostics(ds).length > 0);
  });

  test('the toolchain reports "untrusted" and no command runs a tool', async () => {
    const a = await api();
    // A user setting is honoured in Restricted Mode (a workspace one would not be): point it at the marker tool.
    await vscode.workspace.getConfiguration('tinygo').update('path', fake, vscode.ConfigurationTarget.Global);
    const toolchain = a.testing.toolchain();
    assert.ok(toolchain, 'the toolchain feature is active');
    const st = await toolchain.state(true);
    assert.equal(st.kind, 'untrusted');
    assert.equal(await toolchain.targetInfo(), undefined);
    await vscode.commands.executeCommand('tinygo.build', { quiet: true });
    await vscode.commands.executeCommand('tinygo.buildNrf52', { quiet: true });
    await vscode.commands.executeCommand('tinygo.flash', { quiet: true });
    await vscode.commands.executeCommand('tinygo.restartLanguageServer');
    assert.equal(fs.existsSync(marker), false, 'a tool was executed in an untrusted workspace');
  });

  test('"TinyGo: Install gopls" refuses and runs no go, no install is offered, and the status bar says Restricted Mode', async () => {
    const p = await parts();
    // A "go" first on PATH (the extension host's, which the locator reads) that leaves the mark if anything runs it.
    fs.mkdirSync(fakeGoDir, { recursive: true });
    fs.writeFileSync(path.join(fakeGoDir, 'go'), `#!/bin/sh\ntouch '${marker}'\nexit 1\n`, { mode: 0o755 });
    const oldPath = process.env.PATH;
    process.env.PATH = `${fakeGoDir}${path.delimiter}${oldPath ?? ''}`;
    try {
      assert.equal(await vscode.commands.executeCommand<boolean>('tinygo.installGopls'), false);
    } finally {
      process.env.PATH = oldPath;
    }
    assert.equal(fs.existsSync(marker), false, 'go was executed in an untrusted workspace');
    assert.equal(p.testing.questions.length, 0, `asked in Restricted Mode: ${p.testing.questions.map((q) => q.message).join(' | ')}`);
    assert.equal(p.gopls.running, false);
    const view = p.status.view;
    assert.equal(view.text, '$(workspace-untrusted) TinyGo');
    assert.match(view.tooltip, /^Restricted Mode: TinyGo Workbench runs no tool \(tinygo, gopls, go\)/);
    assert.equal(view.command, 'workbench.trust.manage');
  });
});

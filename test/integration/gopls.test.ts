// gopls through OUR LanguageClient in a real VS Code (golang.go is not installed here), with the pinned gopls of
// scripts/setup-test-host.sh (TGW_GOPLS, given through "tinygo.gopls.path"). tinygo is the real one when TGW_TINYGO
// works, else the scripted stand-in, whose target info points GOROOT at the real `go env GOROOT` (the output says
// which). Measures the time from picking a target to gopls analysing with it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { until, workspaceUri } from './helpers';
import { endGoplsSuite, parts, setSetting, startOwnGopls, useTinygo, type ToolchainParts } from './toolchainHelpers';

const GOPLS_MS = 60_000;
const DIR = 'tgwgopls';

function goplsDiagnostics(uri: vscode.Uri, re: RegExp): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source !== 'TinyGo' && re.test(d.message));
}

suite('gopls', function () {
  this.timeout(GOPLS_MS * 2);
  let p: ToolchainParts;
  let folder: vscode.WorkspaceFolder;
  let tinygoNote = '';
  const typeErr = () => workspaceUri(`${DIR}/typeerr.go`);
  const board = () => workspaceUri(`${DIR}/board.go`);

  suiteSetup(async function () {
    if (!process.env.TGW_GOPLS) {
      console.log('    [gopls] TGW_GOPLS is empty (no Go to install the pinned gopls): skipping');
      this.skip();
    }
    p = await parts();
    folder = vscode.workspace.workspaceFolders![0];
    tinygoNote = (await useTinygo(p)).note;
    await p.toolchain.setTarget(folder, undefined);
    const dir = path.join(folder.uri.fsPath, DIR);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'typeerr.go'), 'package tgwgopls\n\nvar typeErr int = "not an int"\n');
    // Only in the build of an nRF52840 target: gopls checks it only when the target's tags reach it.
    fs.writeFileSync(path.join(dir, 'board.go'), '//go:build nrf52840\n\npackage tgwgopls\n\nvar boardErr int = "board only"\n');
    await startOwnGopls(p, GOPLS_MS);
  });

  suiteTeardown(async () => {
    if (!p) return;
    await endGoplsSuite(p, folder, DIR);
  });

  test('golang.go absent: our client runs gopls ("auto" decides so)', () => {
    assert.equal(vscode.extensions.getExtension('golang.go'), undefined);
    assert.ok(p.gopls.decision?.runOwn);
    assert.equal(p.gopls.decision?.configureGoExtension, false);
    assert.ok(p.gopls.running);
  });

  test('a Go type error gets gopls\' diagnostic through our client', async () => {
    const doc = await vscode.workspace.openTextDocument(typeErr());
    await vscode.window.showTextDocument(doc, { preview: false });
    const ds = await until('gopls to report the type error', () => {
      const d = goplsDiagnostics(doc.uri, /cannot use "not an int"/);
      return d.length > 0 ? d : undefined;
    }, GOPLS_MS);
    assert.equal(ds[0].source, 'compiler');
    assert.equal(ds[0].range.start.line, 2);
    // It is our client's collection that holds it, not some other language server's.
    const ours = p.gopls.languageClient?.diagnostics?.get(doc.uri) ?? [];
    assert.ok(ours.some((d) => /cannot use "not an int"/.test(d.message)), 'the diagnostic is not in TinyGo gopls\' collection');
  });

  test('picking a target restarts gopls with its environment: the //go:build nrf52840 file is analysed (bench)', async () => {
    const doc = await vscode.workspace.openTextDocument(board());
    await vscode.window.showTextDocument(doc, { preview: false });
    // Plain Go: gopls has loaded the package (typeerr.go is diagnosed) but the tagged file is not in the build.
    await until('gopls to have loaded the package', () => goplsDiagnostics(typeErr(), /cannot use "not an int"/).length > 0, GOPLS_MS);
    assert.deepEqual(goplsDiagnostics(doc.uri, /board only/), [], 'gopls analysed board.go without the nrf52840 tag');
    const startsBefore = p.gopls.lastStart;

    const t0 = performance.now();
    await vscode.commands.executeCommand('tinygo.selectTarget', 'feather-nrf52840');
    await until('gopls to report the type error in the nrf52840-only file', () => goplsDiagnostics(doc.uri, /cannot use "board only"/).length > 0, GOPLS_MS);
    const ms = performance.now() - t0;
    const start = p.gopls.lastStart;
    assert.ok(start && start !== startsBefore, 'gopls was not restarted');
    const env = start.folders[folder.uri.toString()];
    assert.equal(env?.target, 'feather-nrf52840');
    assert.equal(env?.desired?.env.GOARCH, 'arm');
    assert.ok(env?.desired?.tags.includes('nrf52840'));
    console.log(`    bench: target pick -> gopls analysing with the target: ${ms.toFixed(0)} ms ` +
      `(restart until initialize answered: ${start.ms.toFixed(0)} ms; ${os.cpus().length} cores; tinygo: ${tinygoNote})`);

    // And back: plain Go again drops the tagged file from gopls' build, again without a window reload.
    const t1 = performance.now();
    await vscode.commands.executeCommand('tinygo.selectTarget', null);
    await until('the nrf52840-only diagnostic to go away', () => goplsDiagnostics(doc.uri, /cannot use "board only"/).length === 0, GOPLS_MS);
    console.log(`    bench: target None -> gopls without the tags: ${(performance.now() - t1).toFixed(0)} ms`);
  });

  test('integrated terminals keep the user\'s environment: nothing is written to go.toolsEnvVars or terminal env', async () => {
    await vscode.commands.executeCommand('tinygo.selectTarget', 'feather-nrf52840');
    await until('gopls restarted', () => p.gopls.lastStart?.folders[folder.uri.toString()]?.target === 'feather-nrf52840', GOPLS_MS);
    const cfg = vscode.workspace.getConfiguration();
    assert.equal(cfg.inspect('go.toolsEnvVars')?.workspaceValue, undefined);
    assert.equal(cfg.inspect('terminal.integrated.env.linux')?.workspaceValue, undefined);
    // Our own client gets the target only in memory: no "gopls" settings are written either.
    assert.equal(cfg.inspect('gopls')?.workspaceValue, undefined);
    await vscode.commands.executeCommand('tinygo.selectTarget', null);
  });

  test('"TinyGo: Restart Language Server" restarts our gopls, writing to the same output and trace channels', async () => {
    // The previous test went back to plain Go, which restarts the client: wait for it to be up again.
    const channelsOf = () => { const c = p.gopls.languageClient; return c ? { output: c.outputChannel, trace: c.traceOutputChannel } : undefined; };
    const channels = await until('our gopls to run', () => (p.gopls.running ? channelsOf() : undefined), GOPLS_MS);
    const before = p.gopls.lastStart;
    await vscode.commands.executeCommand('tinygo.restartLanguageServer');
    assert.notEqual(p.gopls.lastStart, before);
    assert.ok(p.gopls.running);
    const after = channelsOf();
    assert.ok(after && after.output === channels.output && after.trace === channels.trace, 'the restarted client has new channels');
    assert.equal(channels.output.name, 'TinyGo gopls');
    assert.equal(channels.trace.name, 'TinyGo gopls (trace)');
  });

  test('a gopls that keeps crashing is given up after a few restarts, with one message', async () => {
    // A "gopls" that exits at once: every start ends in a closed connection.
    const crasher = path.join(os.tmpdir(), `tgw-crashing-gopls-${process.pid}`);
    fs.writeFileSync(crasher, '#!/bin/sh\necho "crashing on purpose" >&2\nexit 3\n', { mode: 0o755 });
    try {
      await setSetting('tinygo.gopls.path', crasher);
      await until('the crash handler to give up', () => p.gopls.gaveUpRestarting, GOPLS_MS);
      assert.ok(!p.gopls.running);
      const crashes = p.gopls.crashCount;
      assert.ok(crashes >= 5, `gave up after ${crashes} crashes`);
    } finally {
      await setSetting('tinygo.gopls.path', process.env.TGW_GOPLS);
      fs.rmSync(crasher, { force: true });
    }
    await until('our gopls to run again with the real gopls', () => p.gopls.running, GOPLS_MS);
  });
});

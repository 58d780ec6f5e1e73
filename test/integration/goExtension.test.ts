// Coexistence with the Go extension, where golang.go is played by a SCRIPTED STAND-IN: the real one cannot be
// downloaded here (no marketplace). test/fixtures/golang-go-standin takes its id (golang.go), its settings and its
// restart command `go.languageserver.restart`, records each restart with the `gopls` settings it would hand to gopls
// at that moment, and runs no gopls. Run by `node scripts/run-vscode-tests.mjs go-extension`, which packs it with vsce
// and installs it like any extension; in the other runs this suite skips itself.
// tinygo is the real one when TGW_TINYGO works, else the scripted stand-in (the output says which).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Question } from '../../src/vscode/testing';
import { api, until, workspaceUri } from './helpers';
import { parts, setSetting, useTinygo, type ToolchainParts } from './toolchainHelpers';

interface StandInApi { standIn: true; restarts: { at: number; gopls?: Record<string, unknown> }[] }

/** The user's own `gopls` settings, which must survive everything we write and remove. */
const USER_GOPLS = { 'ui.semanticTokens': true, 'build.env': { CGO_ENABLED: '0' }, 'build.buildFlags': ['-trimpath'] };
const CONFIGURE = 'Configure Its gopls';

function isGoQuestion(q: Question): boolean { return /Go extension runs gopls/.test(q.message); }

function workspaceGopls(): Record<string, unknown> | undefined {
  return vscode.workspace.getConfiguration().inspect<Record<string, unknown>>('gopls')?.workspaceValue;
}

suite('golang.go stand-in (scripted, not the real Go extension): "auto" configures its gopls instead of running ours', function () {
  this.timeout(60_000);
  let p: ToolchainParts;
  let folder: vscode.WorkspaceFolder;
  let standIn: StandInApi;
  const prompts: string[] = [];

  suiteSetup(async function () {
    if (process.env.TGW_HARNESS_MODE !== 'go-extension') this.skip();
    p = await parts();
    folder = vscode.workspace.workspaceFolders![0];
    await useTinygo(p);
    await p.toolchain.setTarget(folder, undefined);
    // Our gopls could run (so "not started" is the coexistence rule at work, not a missing gopls).
    if (process.env.TGW_GOPLS) await setSetting('tinygo.gopls.path', process.env.TGW_GOPLS);
    await setSetting('tinygo.languageServer', 'auto');
    await vscode.workspace.getConfiguration().update('gopls', USER_GOPLS, vscode.ConfigurationTarget.Workspace);
    // Opening a Go file activates the stand-in, as it would the real extension.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceUri('main.go')), { preview: false });
    const ext = vscode.extensions.getExtension<StandInApi>('golang.go');
    assert.ok(ext, 'the golang.go stand-in is not loaded (the harness loads test/fixtures/golang-go-standin)');
    await until('the golang.go stand-in to activate', () => ext.isActive);
    standIn = ext.exports;
    // The user's answer: the first button ("Configure Its gopls"), recorded.
    p.testing.answerQuestions((message, ...items) => { prompts.push(message); return Promise.resolve(items[0]); });
    await p.gopls.refresh('test: stand-in active');
  });

  suiteTeardown(async () => {
    if (!p) return;
    p.testing.answerQuestions(undefined);
    await p.toolchain.setTarget(folder, undefined);
    await vscode.workspace.getConfiguration().update('gopls', undefined, vscode.ConfigurationTarget.Workspace);
    for (const k of ['tinygo.gopls.path', 'tinygo.languageServer', 'tinygo.path']) await setSetting(k, undefined);
  });

  test('golang.go (the stand-in) is active: our own gopls client is not started, and nothing is asked without a target', () => {
    assert.equal(standIn.standIn, true, 'golang.go here must be the scripted stand-in');
    assert.equal(p.gopls.decision?.configureGoExtension, true);
    assert.equal(p.gopls.decision?.runOwn, false);
    assert.equal(p.gopls.languageClient, undefined, 'our LanguageClient exists beside the Go extension\'s gopls');
    assert.equal(p.gopls.running, false);
    assert.equal(p.testing.questions.filter(isGoQuestion).length, 0);
    assert.deepEqual(workspaceGopls(), USER_GOPLS);
  });

  test('picking a target asks once; after "Configure" the workspace\'s "gopls" settings get the target\'s build.env and -tags next to the user\'s keys, and the stand-in\'s go.languageserver.restart is called', async () => {
    const restartsBefore = standIn.restarts.length;
    await vscode.commands.executeCommand('tinygo.selectTarget', 'feather-nrf52840');
    const q = await until('the question about the Go extension', () => p.testing.questions.find(isGoQuestion));
    assert.ok(q.items.includes(CONFIGURE), `buttons: ${q.items.join(', ')}`);
    const info = await p.toolchain.targetInfo(folder);
    assert.ok(info, 'no target info for feather-nrf52840');
    await until('the target environment in the workspace\'s "gopls" settings',
      () => (workspaceGopls()?.['build.env'] as Record<string, string> | undefined)?.GOOS === info.goos);

    // What is on disk, as the Go extension (and the user) will read it.
    const file = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
    const gopls = (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>).gopls as Record<string, unknown>;
    const env = gopls['build.env'] as Record<string, string>;
    const tags = [...new Set(info.buildTags)];
    assert.equal(env.GOROOT, info.goroot);
    assert.equal(env.GOOS, info.goos);
    assert.equal(env.GOARCH, info.goarch);
    assert.equal(env.CGO_ENABLED, '0', 'the user\'s build.env key was lost');
    assert.deepEqual(gopls['build.buildFlags'], ['-trimpath', `-tags=${tags.join(',')}`]);
    assert.ok(tags.includes('nrf52840'));
    assert.equal(gopls['ui.semanticTokens'], true, 'the user\'s own gopls key was lost');

    const restart = await until('the stand-in\'s go.languageserver.restart', () => standIn.restarts.length > restartsBefore && standIn.restarts[standIn.restarts.length - 1]);
    assert.equal((restart.gopls?.['build.env'] as Record<string, string> | undefined)?.GOOS, info.goos, 'the restart came before the settings were written');
    assert.equal(p.gopls.languageClient, undefined, 'our own client was started');
    assert.equal((await api()).testing.workspaceState.get('tinygo.goExtensionConsent'), 'yes');
  });

  test('asked only once: back to plain Go removes only our values and restarts it again, and a new target is written without a question', async () => {
    let before = standIn.restarts.length;
    await vscode.commands.executeCommand('tinygo.selectTarget', null);
    await until('our values removed, the user\'s kept', () => JSON.stringify(workspaceGopls()) === JSON.stringify(USER_GOPLS) || undefined);
    assert.deepEqual(workspaceGopls(), USER_GOPLS);
    await until('the stand-in\'s restart after the removal', () => standIn.restarts.length > before);

    before = standIn.restarts.length;
    await vscode.commands.executeCommand('tinygo.selectTarget', 'feather-nrf52840');
    await until('the target written again', () => (workspaceGopls()?.['build.env'] as Record<string, string> | undefined)?.GOARCH !== undefined);
    await until('the stand-in\'s restart after the write', () => standIn.restarts.length > before);
    assert.equal(p.testing.questions.filter(isGoQuestion).length, 1, 'the question was asked again');
    assert.equal(prompts.filter((m) => /Go extension runs gopls/.test(m)).length, 1);
    assert.equal(p.gopls.languageClient, undefined, 'our own client was started');
  });
});

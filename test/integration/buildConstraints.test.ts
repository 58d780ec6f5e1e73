// Build constraints in the editor, with the REAL tinygo (TGW_TINYGO; `tinygo info -json feather-nrf52840` gives the
// build context, which needs no nRF support files): a file the target does not compile gets no TinyGo findings,
// only one hint (editor, not Problems) saying why; a file it compiles keeps its findings; the setting
// tinygo.analysis.buildTarget = "none" analyses every file again. Skipped, with the reason printed, without TGW_TINYGO.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WorkbenchApi } from '../../src/vscode/testing';
import { api, until, useRealTinygo } from './helpers';

const DIR = 'tgwconstraints';
const MS = 90_000;

const REFLECT = 'func start(x any) {\n\treflect.ValueOf(x).MethodByName("Start").Call(nil)\n}\n';
/** The issue's reproduction: each would be reported (errors among them) if build constraints were ignored. */
const EXCLUDED: Record<string, string> = {
  'host.go': `//go:build !tinygo\n\npackage tgwconstraints\n\nimport "plugin"\n\nfunc open() { _, _ = plugin.Open("x.so") }\n`,
  'none.go': `//go:build none\n\npackage tgwconstraints\n\nimport "reflect"\n\n${REFLECT}`,
  'desktop.go': `//go:build linux && !baremetal\n\npackage tgwconstraints\n\nimport "debug/buildinfo"\n\nfunc info() { _, _ = buildinfo.ReadFile("x") }\n`,
  'start_amd64.go': `package tgwconstraints\n\nimport "reflect"\n\n${REFLECT}`,
};
/** Compiled for feather-nrf52840 (GOOS=linux, GOARCH=arm): its finding must stay. */
const COMPILED = { 'start_linux.go': `package tgwconstraints\n\nimport "reflect"\n\n${REFLECT}` };

suite('build constraints: files the target does not compile get no TinyGo findings (real tinygo info)', function () {
  this.timeout(MS * 3);
  let a: WorkbenchApi;
  let folder: vscode.WorkspaceFolder;
  const cfg = () => vscode.workspace.getConfiguration('tinygo', folder.uri);
  const uri = (name: string) => vscode.Uri.joinPath(folder.uri, DIR, name);
  const tinygoDiags = (u: vscode.Uri) => vscode.languages.getDiagnostics(u).filter((d) => d.source === 'TinyGo');

  suiteSetup(async function () {
    a = await api();
    folder = vscode.workspace.workspaceFolders![0]!;
    const real = await useRealTinygo(a, folder, 'build constraints');
    if (typeof real !== 'string') {
      console.log(real.skip);
      this.skip();
    }
    await fsp.mkdir(path.join(folder.uri.fsPath, DIR), { recursive: true });
    for (const [name, text] of Object.entries({ ...EXCLUDED, ...COMPILED })) await fsp.writeFile(uri(name).fsPath, text);
    await a.testing.toolchain()!.setTarget(folder, 'feather-nrf52840');
  });

  suiteTeardown(async () => {
    if (!a) return;
    await a.testing.toolchain()!.setTarget(folder, undefined);
    for (const k of ['path', 'languageServer', 'analysis.buildTarget']) await cfg().update(k, undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fsp.rm(path.join(folder.uri.fsPath, DIR), { recursive: true, force: true });
  });

  test('feather-nrf52840: four excluded files, each one hint naming its reason; the _linux.go file keeps its findings', async () => {
    for (const name of Object.keys(COMPILED)) await vscode.workspace.openTextDocument(uri(name));
    const compiled = await until('the reflect findings of start_linux.go', () => {
      const ds = tinygoDiags(uri('start_linux.go'));
      return ds.some((d) => /MethodByName/.test(d.message)) ? ds : undefined;
    }, MS);
    assert.ok(compiled.every((d) => d.code !== 'not-compiled'));
    for (const name of Object.keys(EXCLUDED)) {
      await vscode.workspace.openTextDocument(uri(name));
      const ds = await until(`the not-compiled hint of ${name}`, () => {
        const got = tinygoDiags(uri(name));
        return got.some((d) => d.code === 'not-compiled') ? got : undefined;
      }, MS);
      console.log(`    [build constraints] ${name}: ${ds.map((d) => `L${d.range.start.line + 1} ${d.message}`).join(' | ')}`);
      assert.equal(ds.length, 1, `${name}: only the hint, no finding: ${ds.map((d) => d.message).join(' | ')}`);
      assert.equal(ds[0]!.severity, vscode.DiagnosticSeverity.Hint);
      assert.match(ds[0]!.message, /^Not compiled for feather-nrf52840 \(/);
      if (name === 'start_amd64.go') assert.match(ds[0]!.message, /amd64/);
      else assert.equal(ds[0]!.range.start.line, 0, 'the hint sits on the //go:build line');
    }
  });

  test('tinygo.analysis.buildTarget = "none": the excluded files are analysed again', async () => {
    await cfg().update('analysis.buildTarget', 'none', vscode.ConfigurationTarget.Workspace);
    const ds = await until('the reflect finding of none.go', () => {
      const got = tinygoDiags(uri('none.go'));
      return got.some((d) => /MethodByName/.test(d.message)) ? got : undefined;
    }, MS);
    assert.ok(ds.every((d) => d.code !== 'not-compiled'));
    await cfg().update('analysis.buildTarget', undefined, vscode.ConfigurationTarget.Workspace);
    await until('none.go excluded again', () => tinygoDiags(uri('none.go')).some((d) => d.code === 'not-compiled'), MS);
  });
});

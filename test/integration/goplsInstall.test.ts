// The offer to install gopls and "TinyGo: Install gopls", for real. Run by `node scripts/run-vscode-tests.mjs
// gopls-install`, which starts code-server where gopls cannot be found: no "tinygo.gopls.path", no directory on PATH
// holding a gopls, and GOBIN, GOPATH and HOME (so ~/go/bin) empty directories of the run. The extension must offer
// the install; the test then runs the command the offer's "Install gopls" button runs (a notification's button
// cannot be clicked from the extension host), which runs `go install golang.org/x/tools/gopls@latest` through the Go
// module proxy into that GOBIN, and our client must start with the new gopls and report a type error.
// Where this Go is too old for gopls@latest and may not fetch a newer toolchain (GOTOOLCHAIN=local, as on this
// project's machines: gopls v0.24.0 needs Go 1.27), the command installs the newest gopls this Go can build; the
// output says which version was installed.
// The go build cache is the machine's: the first run compiles gopls (1-2 minutes), later runs mostly link it.
// In the other runs this suite skips itself.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { until, within, workspaceUri } from './helpers';
import { parts, type ToolchainParts } from './toolchainHelpers';

const INSTALL_MS = 8 * 60_000;
const GOPLS_MS = 90_000;
const DIR = 'tgwinstall';

suite('gopls install (no gopls to be found; "TinyGo: Install gopls" runs go install)', function () {
  this.timeout(INSTALL_MS + GOPLS_MS);
  let p: ToolchainParts;
  let gobin: string;

  suiteSetup(async function () {
    if (process.env.TGW_HARNESS_MODE !== 'gopls-install') this.skip();
    p = await parts();
    gobin = process.env.GOBIN ?? '';
    const folder = vscode.workspace.workspaceFolders![0];
    const dir = path.join(folder.uri.fsPath, DIR);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'typeerr.go'), 'package tgwinstall\n\nvar typeErr int = "not an int"\n');
  });

  test('gopls is found nowhere: our client does not run and the offer to install it is made', async () => {
    assert.ok(gobin && path.isAbsolute(gobin), 'the harness sets GOBIN to a directory of the run');
    assert.equal(fs.existsSync(path.join(gobin, 'gopls')), false, 'GOBIN already holds a gopls: this run would install nothing');
    assert.equal(vscode.workspace.getConfiguration('tinygo').get('gopls.path'), '');
    assert.equal(vscode.extensions.getExtension('golang.go'), undefined);
    const offer = await until('the offer to install gopls', () => p.testing.questions.find((q) => q.items.includes('Install gopls')));
    assert.match(offer.message, /not installed/);
    assert.match(offer.message, /go install golang\.org\/x\/tools\/gopls@latest/);
    assert.deepEqual(offer.items, ['Install gopls', 'Set Path']);
    assert.ok(p.gopls.decision?.offerInstallGopls, 'the coexistence decision did not ask for the offer');
    assert.equal(p.gopls.running, false);
    assert.equal(p.gopls.languageClient, undefined);
    // Made once, not on every refresh.
    await p.gopls.refresh('test: again');
    assert.equal(p.testing.questions.filter((q) => q.items.includes('Install gopls')).length, 1);
  });

  test('"TinyGo: Install gopls" installs it into GOBIN; our client starts with it and gives gopls\' diagnostic for a type error', async () => {
    const installed = path.join(gobin, 'gopls');
    const t0 = performance.now();
    const ok = await within('go install golang.org/x/tools/gopls@latest', Promise.resolve(vscode.commands.executeCommand<boolean>('tinygo.installGopls')), INSTALL_MS);
    const installMs = performance.now() - t0;
    assert.equal(ok, true, 'tinygo.installGopls did not succeed (see the "TinyGo gopls" output)');
    assert.ok(fs.existsSync(installed), `no gopls in GOBIN (${gobin}) after the install`);
    const version = execFileSync(installed, ['version'], { encoding: 'utf8' }).split('\n')[0];
    console.log(`    [gopls install] ${version} installed in ${(installMs / 1000).toFixed(1)} s into ${gobin}`);

    // The install restarts the client: it must run the gopls just installed.
    await until('our gopls to run from GOBIN', () => p.gopls.running && p.gopls.lastStart?.goplsPath === installed, GOPLS_MS);
    const doc = await vscode.workspace.openTextDocument(workspaceUri(`${DIR}/typeerr.go`));
    await vscode.window.showTextDocument(doc, { preview: false });
    const ds = await until('gopls to report the type error through our client', () => {
      const ours = p.gopls.languageClient?.diagnostics?.get(doc.uri) ?? [];
      const d = ours.filter((x) => /cannot use "not an int"/.test(x.message));
      return d.length > 0 ? d : undefined;
    }, GOPLS_MS);
    assert.equal(ds[0].range.start.line, 2);
    assert.ok(vscode.languages.getDiagnostics(doc.uri).some((d) => /cannot use "not an int"/.test(d.message)), 'the diagnostic did not reach the editor');
  });
});

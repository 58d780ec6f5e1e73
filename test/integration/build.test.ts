// TinyGo: Build in a real VS Code, against a SCRIPTED STAND-IN for tinygo (test/fixtures/fake-tinygo-build/tinygo,
// selected through the "tinygo.path" setting): it compiles nothing, but prints the real formats of tinygo 0.33
// (captured output and the samples of tinygo-cli.md sections 1, 2, 5) for the project it is given. The projects
// are copied into the workspace under a folder whose name has spaces and odd characters.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { taskArgs } from '../../src/vscode/build/tasks';
import type { BuildEvent, BuildRefused, BuildService, ToolchainApi, ToolchainState } from '../../src/vscode/services';
import type { WorkbenchApi } from '../../src/vscode/testing';
import { api, extension, revert, until, within } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');
const FAKE = path.join(ROOT, 'test/fixtures/fake-tinygo-build');
const FAKE_TINYGO = path.join(FAKE, 'tinygo');
const ODD = `build fixtures "odd" & $(x) ü`;

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

/** The toolchain feature's contract, answering like a working tinygo 0.33 at "tinygo.path". */
function stubToolchain(state: { target?: string; picks: { nrf52Only?: boolean }[] }): ToolchainApi {
  const changed = new vscode.EventEmitter<{ folder: vscode.WorkspaceFolder | undefined; target: string | undefined }>();
  return {
    state: async () => ({
      kind: 'ok',
      install: { path: vscode.workspace.getConfiguration('tinygo').get<string>('path', ''), version: { version: { major: 0, minor: 33, patch: 0, prerelease: '', raw: '0.33.0' } } },
    }),
    currentTarget: () => state.target,
    setTarget: async (_f, t) => { state.target = t; },
    pickTarget: async (_f, options) => { state.picks.push(options ?? {}); return 'feather-nrf52840'; },
    targetInfo: async () => undefined,
    useTinygo: async () => { throw new Error('this test does not pick a tinygo'); },
    onDidChangeTarget: changed.event,
    onDidChangeState: new vscode.EventEmitter<ToolchainState>().event,
  };
}

function buildDiags(uri: vscode.Uri, source = 'TinyGo build'): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === source);
}

function isEvent(r: BuildEvent | BuildRefused | undefined): r is BuildEvent {
  return !!r && !('refused' in r);
}

suite('build', () => {
  let a: WorkbenchApi;
  let folder: vscode.WorkspaceFolder;
  const tc = { target: 'feather-nrf52840' as string | undefined, picks: [] as { nrf52Only?: boolean }[] };
  const dir = (name: string) => path.join(folder.uri.fsPath, ODD, name);
  const file = (name: string, f = 'main.go') => vscode.Uri.file(path.join(dir(name), f));
  const service = (): BuildService => { const b = a.testing.build(); assert.ok(b, 'the build feature did not start'); return b; };
  const open = async (name: string) => vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file(name)), { preview: false });
  const build = (req: Record<string, unknown> = {}, cmd = 'tinygo.build') =>
    vscode.commands.executeCommand<BuildEvent | BuildRefused | undefined>(cmd, { quiet: true, ...req });
  const cfg = () => vscode.workspace.getConfiguration('tinygo', folder.uri);

  suiteSetup(async () => {
    a = await api();
    folder = vscode.workspace.workspaceFolders![0]!;
    a.testing.useToolchain(stubToolchain(tc));
    await cfg().update('path', FAKE_TINYGO, vscode.ConfigurationTarget.Workspace);
    await fsp.rm(path.join(folder.uri.fsPath, ODD), { recursive: true, force: true });
    for (const p of ['allocs', 'errors', 'hang', 'library', 'ok']) {
      await fsp.cp(path.join(FAKE, 'projects', p), dir(p), { recursive: true });
    }
  });
  setup(() => { tc.target = 'feather-nrf52840'; tc.picks = []; });
  suiteTeardown(async () => {
    a.testing.useToolchain(undefined);
    await cfg().update('path', undefined, vscode.ConfigurationTarget.Workspace);
    await cfg().update('build.timeoutSeconds', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fsp.rm(path.join(folder.uri.fsPath, ODD), { recursive: true, force: true });
    await fsp.rm(path.join(folder.uri.fsPath, 'build'), { recursive: true, force: true });
  });

  test('compile errors land in Problems at their lines (paths relative to the build\'s folder)', async () => {
    await open('errors');
    const r = await build();
    assert.ok(isEvent(r), JSON.stringify(r));
    assert.equal(r.success, false);
    assert.equal(r.failureKind, 'diagnostics');
    assert.equal(r.cwd, dir('errors'));
    const ds = await until('build errors in Problems', () => { const d = buildDiags(file('errors')); return d.length === 2 ? d : undefined; });
    assert.deepEqual(ds.map((d) => [d.range.start.line, d.range.start.character, d.severity]), [[5, 13, vscode.DiagnosticSeverity.Error], [6, 17, vscode.DiagnosticSeverity.Error]]);
    assert.match(ds[0].message, /cannot use "hello" \(untyped string constant\) as int value/);
  });

  test('a build error goes when its line is fixed, the others when the file is saved; none drifts onto another line (issue 14.2)', async () => {
    const editor = await open('errors');
    const doc = editor.document;
    const original = doc.getText();
    const r = await build();
    assert.ok(isEvent(r) && !r.success, JSON.stringify(r));
    await until('the 2 build errors', () => buildDiags(doc.uri).length === 2);
    try {
      // A line above both: they move with their text (line 6 and 7 now), never stay on a line that holds other code.
      const above = new vscode.WorkspaceEdit();
      above.insert(doc.uri, new vscode.Position(0, 0), '// a comment\n');
      assert.ok(await vscode.workspace.applyEdit(above));
      await until('the errors to move with their lines', () => buildDiags(doc.uri).map((d) => d.range.start.line).sort().join() === '6,7');
      // Fix the line of "undefined: undefinedVar": that error goes at once.
      const fixLine = doc.lineAt(7);
      assert.match(fixLine.text, /undefinedVar/);
      const fix = new vscode.WorkspaceEdit();
      fix.replace(doc.uri, fixLine.range, '\tfmt.Println(x)');
      assert.ok(await vscode.workspace.applyEdit(fix));
      const left = await until('the fixed line\'s error to go', () => { const d = buildDiags(doc.uri); return d.length === 1 ? d : undefined; });
      assert.equal(left[0].range.start.line, 6);
      assert.match(left[0].message, /cannot use "hello"/);
      assert.ok(!buildDiags(doc.uri).some((d) => /undefinedVar/.test(d.message)));
      // Saved: the file is no longer what was compiled, so what the build said about it is stale and goes.
      assert.ok(await doc.save());
      await until('the saved file\'s build errors to go', () => buildDiags(doc.uri).length === 0);
    } finally {
      await fsp.writeFile(doc.uri.fsPath, original);
      await until('errors/main.go back to the fixture', () => doc.getText() === original && !doc.isDirty);
    }
  });

  test('a failed build with errors in Problems shows in the status bar, not a notification, until a build succeeds (issue 14.2)', async () => {
    const service = a.testing.build()!;
    await open('errors');
    const failed = await build();
    assert.ok(isEvent(failed) && !failed.success && failed.failureKind === 'diagnostics', JSON.stringify(failed));
    assert.equal(service.failureStatus(), '$(error) TinyGo build: 2 errors');
    await open('ok');
    const ok = await build();
    assert.ok(isEvent(ok) && ok.success, JSON.stringify(ok));
    assert.equal(service.failureStatus(), undefined, 'the next successful build clears the failure');
  });

  test('the tinygo task and TinyGo: Build write the same firmware file: one naming rule (issue 14.5)', async () => {
    // The provided task builds the workspace folder ("."); so does the command with package ".".
    const r = await build({ package: '.' });
    assert.ok(isEvent(r), JSON.stringify(r));
    const tasks = await vscode.tasks.fetchTasks({ type: 'tinygo' });
    const provided = tasks.find((t) => t.definition.command === 'build' && (t.scope as vscode.WorkspaceFolder | undefined)?.uri?.toString() === folder.uri.toString());
    assert.ok(provided, `tasks: ${tasks.map((t) => t.name).join(', ')}`);
    const args = (provided.execution as vscode.ProcessExecution).args;
    const o = args[args.indexOf('-o') + 1];
    assert.ok(o, args.join(' '));
    assert.equal(path.resolve(folder.uri.fsPath, o), r.outputPath);
    assert.equal(path.basename(r.outputPath), `${path.basename(folder.uri.fsPath)}-feather-nrf52840.elf`);
  });

  test('-print-allocs lines become Information diagnostics, merged with the editing-time hints; an edit clears its line', async () => {
    const editor = await open('allocs');
    const doc = editor.document;
    await until('editing-time alloc hints on allocs/main.go', () => vscode.languages.getDiagnostics(doc.uri).some((d) => d.source === 'TinyGo' && /^alloc-/.test(String((d.code as { value: string })?.value))));
    const r = await build();
    assert.ok(isEvent(r), JSON.stringify(r));
    assert.equal(r.success, true, r.failure);
    assert.equal(r.sizeTable?.total?.flash, 8108);
    assert.deepEqual(r.allocs.map((x) => [x.line, x.status]), [[18, 'confirmed'], [29, 'missed'], [30, 'missed']]);
    assert.equal(r.allocStats.recall, 1 / 3);
    assert.ok(r.allocStats.precision !== undefined && r.allocStats.precision > 0 && r.allocStats.precision < 1);
    const out = await fsp.readFile(r.outputPath, 'utf8');
    assert.ok(r.outputPath.startsWith(path.join(folder.uri.fsPath, 'build') + path.sep), r.outputPath);
    assert.ok(out.split('\n').includes('-print-allocs=^\\(?\\*?(main|example\\.com/prog(/[^.()*\\s]+)*)\\.'), out);

    const allocs = () => buildDiags(doc.uri).filter((d) => d.code === 'heap-allocation');
    const ds = await until('3 allocation diagnostics', () => (allocs().length === 3 ? allocs() : undefined));
    const at = (line0: number) => ds.find((d) => d.range.start.line === line0);
    assert.equal(at(17)?.severity, vscode.DiagnosticSeverity.Information);
    assert.match(at(17)?.message ?? '', /^heap allocation \(TinyGo compiler\): escapes at line 18 — confirms the editing-time hint alloc-escape/);
    assert.match(at(28)?.message ?? '', /^heap allocation \(TinyGo compiler\): escapes at line 29 — no editing-time hint saw this one/);
    assert.ok(at(29));

    try {
      // Edit line 29: its diagnostic goes. Insert a line above line 18: the others move down with their lines.
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(28, 1, 28, 8), 'sinkAnyX');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await until('the edited line\'s diagnostic to go', () => allocs().length === 2);
      const insert = new vscode.WorkspaceEdit();
      insert.insert(doc.uri, new vscode.Position(16, 0), '// moved\n');
      assert.ok(await vscode.workspace.applyEdit(insert));
      const after = await until('allocation diagnostics moved down', () => { const d = allocs(); return d.some((x) => x.range.start.line === 18) ? d : undefined; });
      assert.deepEqual(after.map((d) => d.range.start.line).sort((x, y) => x - y), [18, 30]);
    } finally {
      await revert(editor);
    }
  });

  test('"Build for nRF52" asks for an nRF52 board when none is chosen, then builds for it', async () => {
    await open('ok');
    tc.target = undefined;
    const r = await build({}, 'tinygo.buildNrf52');
    assert.deepEqual(tc.picks, [{ nrf52Only: true }]);
    assert.ok(isEvent(r), JSON.stringify(r));
    assert.equal(r.success, true, r.failure);
    assert.equal(r.target, 'feather-nrf52840');
    assert.deepEqual(r.args.slice(1, 3), ['build', '-target=feather-nrf52840']);
    assert.equal(path.basename(r.outputPath), 'ok-feather-nrf52840.elf');
  });

  test('a package that is not main is refused with a clear message', async () => {
    const r = await build({ package: `./${ODD}/library` });
    assert.ok(r && 'refused' in r, JSON.stringify(r));
    assert.match(r.refused, /holds package "lib" \(lib\.go\), not package "main"/);
  });

  test('cancel ends tinygo and its grandchild, and frees the folder', async () => {
    const pidsFile = path.join(dir('hang'), '.fake-pids');
    await fsp.rm(pidsFile, { force: true });
    const running = build({ package: `./${ODD}/hang` });
    const pids = await until('the stand-in to start', async () => { try { return (await fsp.readFile(pidsFile, 'utf8')).trim().split(' ').map(Number); } catch { return undefined; } });
    assert.ok(service().isBuilding(folder));
    assert.equal(a.testing.busy.current(folder), 'build');
    await vscode.commands.executeCommand('tinygo.cancelBuild');
    const r = await within('the cancelled build', Promise.resolve(running));
    assert.ok(isEvent(r) && r.failureKind === 'cancelled', JSON.stringify(r));
    await until('tinygo and its grandchild to be gone', () => pids.every((p) => !alive(p)), 15_000);
    assert.equal(a.testing.busy.current(folder), undefined);
    assert.equal(service().isBuilding(folder), false);
  });

  test('a time-out ("tinygo.build.timeoutSeconds") stops a hanging build, leaving no process', async () => {
    const pidsFile = path.join(dir('hang'), '.fake-pids');
    await fsp.rm(pidsFile, { force: true });
    await cfg().update('build.timeoutSeconds', 1, vscode.ConfigurationTarget.Workspace);
    try {
      const t0 = Date.now();
      const r = await build({ package: `./${ODD}/hang` });
      assert.ok(isEvent(r) && r.failureKind === 'timeout', JSON.stringify(r));
      assert.match(r.failure ?? '', /longer than 1 s/);
      assert.ok(Date.now() - t0 < 10_000);
      const pids = (await fsp.readFile(pidsFile, 'utf8')).trim().split(' ').map(Number);
      await until('tinygo and its grandchild to be gone', () => pids.every((p) => !alive(p)), 15_000);
    } finally {
      await cfg().update('build.timeoutSeconds', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('one build per folder: a second request cancels the running one, then runs', async () => {
    const pidsFile = path.join(dir('hang'), '.fake-pids');
    await fsp.rm(pidsFile, { force: true });
    const seen: BuildEvent[] = [];
    const sub = service().onDidBuild((e) => seen.push(e));
    try {
      const first = build({ package: `./${ODD}/hang` });
      const pids = await until('the first build to start', async () => { try { return (await fsp.readFile(pidsFile, 'utf8')).trim().split(' ').map(Number); } catch { return undefined; } });
      const second = await build({ package: `./${ODD}/ok` });
      assert.ok(isEvent(second) && second.success, JSON.stringify(second));
      const r1 = await first;
      assert.ok(isEvent(r1) && r1.failureKind === 'cancelled', JSON.stringify(r1));
      await until('the superseded build\'s processes to be gone', () => pids.every((p) => !alive(p)), 15_000);
      // The superseded build is not announced: the size panel only hears about the newest.
      assert.deepEqual(seen.map((e) => e.success), [true]);
      assert.equal(service().lastBuild(folder)?.outputPath, second.outputPath);
    } finally {
      sub.dispose();
    }
  });

  test('the tinygo the toolchain found is the one that builds; a toolchain that has none refuses with its reason', async () => {
    const r = await build({ package: `./${ODD}/ok`, target: 'pca10056' });
    assert.ok(isEvent(r) && r.success, JSON.stringify(r));
    assert.equal(r.args[0], FAKE_TINYGO);
    const missing = 'tinygo was not found (stand-in message).';
    a.testing.useToolchain({ ...stubToolchain(tc), state: async () => ({ kind: 'missing', message: missing }) });
    try {
      const refused = await build({ package: `./${ODD}/ok` });
      assert.deepEqual(refused, { refused: missing });
      a.testing.useToolchain({ ...stubToolchain(tc), state: async () => ({ kind: 'broken', path: '/opt/tinygo', message: 'requires go version 1.19 through 1.23' }) });
      const broken = await build({ package: `./${ODD}/ok` });
      assert.deepEqual(broken, { refused: 'tinygo at /opt/tinygo does not work: requires go version 1.19 through 1.23' });
      a.testing.useToolchain({ ...stubToolchain(tc), state: async () => ({ kind: 'ok', install: { path: FAKE_TINYGO, version: { version: { major: 0, minor: 27, patch: 0, prerelease: '', raw: '0.27.0' } } } }) });
      const old = await build({ package: `./${ODD}/ok` });
      assert.ok(old && 'refused' in old && /older than 0\.28\.0/.test(old.refused), JSON.stringify(old));
    } finally {
      a.testing.useToolchain(stubToolchain(tc));
    }
  });

  test('a real host build with TGW_TINYGO: the real compiler\'s allocations reach Problems on their lines', async function () {
    const real = process.env.TGW_TINYGO;
    if (!real) { this.skip(); return; }
    this.timeout(600_000);
    await cfg().update('path', real, vscode.ConfigurationTarget.Workspace);
    // The host default GC of 0.39 (boehm) needs lib/bdwgc, which the machine's TinyGo root lacks (docs/real-tinygo.md).
    await cfg().update('build.gc', 'precise', vscode.ConfigurationTarget.Workspace);
    try {
      const realDir = dir('real host');
      await fsp.mkdir(realDir, { recursive: true });
      await fsp.writeFile(path.join(realDir, 'go.mod'), 'module example.com/realhost\n\ngo 1.21\n');
      await fsp.copyFile(path.join(FAKE, 'projects', 'allocs', 'main.go'), path.join(realDir, 'main.go'));
      const r = await build({ package: `./${ODD}/real host`, target: '' });
      assert.ok(isEvent(r), JSON.stringify(r));
      assert.equal(r.success, true, r.failure);
      assert.equal(r.target, undefined);
      assert.equal(r.sizeTable?.format, 'full');
      // The real -print-allocs output of this file (captured: main.go lines 18, 29, 30) on the user's own package only.
      const lines = r.allocs.map((x) => x.line);
      assert.ok([18, 29, 30].every((l) => lines.includes(l)), `allocation lines: ${lines.join(',')}`);
      assert.ok(r.allocs.every((x) => x.file === path.join(realDir, 'main.go')), 'only the user\'s package is reported');
      const uri = vscode.Uri.file(path.join(realDir, 'main.go'));
      await until('real allocation diagnostics', () => buildDiags(uri).filter((d) => d.code === 'heap-allocation').length >= 3);
    } finally {
      await cfg().update('build.gc', undefined, vscode.ConfigurationTarget.Workspace);
      await cfg().update('path', FAKE_TINYGO, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('the tinygo task type: provided, and a task like the provider makes puts errors in Problems through $tinygo', async function () {
    // A task terminal and the workbench's matcher: on a loaded machine the two waits below can pass the suite's 60 s.
    this.timeout(300_000);
    const pj = extension().packageJSON as { contributes: { problemMatchers: { name: string; owner: string; fileLocation: string[] }[]; taskDefinitions: { type: string }[] } };
    const matcher = pj.contributes.problemMatchers.find((m) => m.name === 'tinygo');
    assert.ok(matcher);
    assert.deepEqual(matcher.fileLocation, ['autoDetect', '${workspaceFolder}']);
    assert.ok(pj.contributes.taskDefinitions.some((t) => t.type === 'tinygo'));

    const tasks = await vscode.tasks.fetchTasks({ type: 'tinygo' });
    const provided = tasks.find((t) => t.definition.command === 'build');
    assert.ok(provided, `tasks: ${tasks.map((t) => t.name).join(', ')}`);
    const exec = provided.execution as vscode.ProcessExecution;
    assert.equal(exec.process, FAKE_TINYGO);
    assert.deepEqual(exec.args.slice(0, 2), ['build', '-target=feather-nrf52840']);

    // What a tasks.json entry does: the definition alone, resolved by the provider, run as a task.
    const def = { type: 'tinygo' as const, command: 'build' as const, package: `${ODD}/errors` };
    const args = taskArgs(def, undefined, 'build', folder.uri.fsPath);
    assert.deepEqual([args[0], args.at(-1)], ['build', `./${ODD}/errors`]);
    const task = new vscode.Task(def, folder, 'errors', 'tinygo', new vscode.ProcessExecution(FAKE_TINYGO, args, { cwd: folder.uri.fsPath }), ['$tinygo']);
    const seen = () => vscode.languages.getDiagnostics(file('errors')).filter((x) => x.source === 'tinygo');
    // VS Code on Linux does not always run a task's problem matcher over the output of a process that ends at once
    // (microsoft/vscode#184523, open; it failed so here once in five clean runs, on an idle and on a loaded machine):
    // the task runs again, at most three times, and the problems must then come from the matcher all the same.
    let ds: vscode.Diagnostic[] | undefined;
    for (let attempt = 1; !ds; attempt++) {
      const ended = new Promise<void>((resolve) => { const s = vscode.tasks.onDidEndTaskProcess((e) => { if (e.execution.task.name === 'errors') { s.dispose(); resolve(); } }); });
      await vscode.tasks.executeTask(task);
      await within('the task to end', ended, 60_000);
      // The matcher runs in the workbench (the browser here) on the task terminal's output: on a loaded machine that
      // lags the task's end by seconds (it returns as soon as the problems are there).
      ds = await until('$tinygo problems on errors/main.go', () => { const d = seen(); return d.length === 2 ? d : undefined; }, 30_000)
        .catch((err: unknown) => {
          if (attempt === 3) throw new Error(`${String(err)}; problems seen: ${JSON.stringify(seen().map((d) => [d.range.start.line, d.message]))}`);
          console.log(`    the $tinygo matcher reported ${seen().length} problems after run ${attempt} (vscode#184523): running the task again`);
          return undefined;
        });
    }
    assert.deepEqual(ds.map((d) => d.range.start.line).sort(), [5, 6]);
  });
});

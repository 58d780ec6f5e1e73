import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { LiveOutput, planBuild, resolveBuildPackage, runBuild, type BuildResult, type BuildSettings } from '../../../src/core/build';
import { runProcess } from '../../../src/core/process/exec';
import { FAKE_TINYGO, ROOT, alive, oddTempDir, project, waitFor } from './helpers';

// These tests run the scripted stand-in test/fixtures/fake-tinygo-build/tinygo, not a real tinygo: it prints
// captured real output (tinygo-cli.md sections 1, 2, 5) chosen by the project it is given.

async function build(name: string, opts: { settings?: BuildSettings; timeoutSeconds?: number; signal?: AbortSignal; tinygo?: string; dir?: string } = {}): Promise<{ r: BuildResult; dir: string; out: string; live: string }> {
  const dir = opts.dir ?? project(name);
  const pkg = resolveBuildPackage({ folderRoot: path.dirname(dir), activeFileDir: dir });
  assert.ok(pkg.ok, !pkg.ok ? pkg.message : '');
  const plan = planBuild({ target: 'feather-nrf52840', baseDir: path.dirname(dir), packageDir: dir, pkgArg: '.', modulePath: pkg.pkg.module?.path, settings: opts.settings ?? {} });
  assert.ok(plan.ok);
  let live = '';
  const r = await runBuild({
    exec: runProcess, tinygo: opts.tinygo ?? FAKE_TINYGO, plan: plan.plan, cwd: pkg.pkg.cwd, timeoutSeconds: opts.timeoutSeconds ?? 60,
    signal: opts.signal, onOutput: (t) => { live += t; },
    hints: () => ({ hints: [{ file: path.join(dir, 'main.go'), line: 18, ruleId: 'alloc-escape', message: '' }, { file: path.join(dir, 'main.go'), line: 28, ruleId: 'alloc-make-nonconst', message: '' }], files: pkg.pkg.goFiles }),
  });
  return { r, dir, out: plan.plan.outputPath, live };
}

void test('allocations: success, size table, compiler lines merged with hints, exact argv in a folder with odd characters', async () => {
  const { r, dir, out, live } = await build('allocs');
  assert.equal(r.success, true, r.failure);
  assert.equal(r.sizeTable?.format, 'full');
  assert.equal(r.sizeTable?.total?.flash, 8108);
  assert.equal(r.allocs.length, 3);
  assert.deepEqual(r.merge.allocs.map((a) => [path.basename(a.file), a.line, a.status]), [['main.go', 18, 'confirmed'], ['main.go', 29, 'missed'], ['main.go', 30, 'missed']]);
  assert.deepEqual([r.merge.stats.recall, r.merge.stats.precision], [1 / 3, 1 / 2]);
  assert.ok(r.merge.allocs.every((a) => a.file === path.join(dir, 'main.go')));
  // The stand-in writes its argv into the output file: every value arrived as one argument.
  const argv = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
  assert.equal(argv[argv.indexOf('-o') + 1], out);
  assert.ok(out.includes('"odd" $(x) ü'));
  assert.ok(argv.includes('-print-allocs=^\\(?\\*?(main|example\\.com/prog(/[^.()*\\s]+)*)\\.'), argv.join(' | '));
  assert.match(live, /object allocated on the heap/);
});

void test('compile errors resolve against the build\'s cwd, at the right lines', async () => {
  const { r, dir } = await build('errors');
  assert.equal(r.success, false);
  assert.equal(r.failureKind, 'diagnostics');
  assert.deepEqual(r.diagnostics.map((d) => [d.file, d.line, d.column]), [[path.join(dir, 'main.go'), 6, 14], [path.join(dir, 'main.go'), 7, 18]]);
  assert.match(r.failure ?? '', /2 errors: main\.go:6: cannot use "hello"/);
});

void test('flash overflow names the optimization guide; -gc=none with allocations is explained', async () => {
  const o = await build('overflow');
  assert.equal(o.r.failureKind, 'flash-overflow');
  assert.match(o.r.failure ?? '', /over by 1234 bytes.*https:\/\/tinygo\.org\/docs\/guides\/optimizing-binaries\//);
  const g = await build('allocs', { settings: { gc: 'none' } });
  assert.equal(g.r.failureKind, 'gc-none-allocs');
  assert.match(g.r.failure ?? '', /garbage collector is "none".*runtime\.alloc/);
});

for (const how of ['timeout', 'cancel'] as const) {
  void test(`${how}: tinygo and its grandchild are gone, the result says so`, async () => {
    const dir = project('hang');
    const ac = new AbortController();
    const pidFile = path.join(dir, '.fake-pids');
    const p = build('hang', { dir, timeoutSeconds: how === 'timeout' ? 1 : 60, signal: ac.signal });
    assert.ok(await waitFor(() => fs.existsSync(pidFile), 10_000), 'the stand-in started');
    const pids = fs.readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
    // pid 0 would mean "this process group" to kill(0, 0): alive for ever, and the check below meaningless.
    assert.ok(pids.length === 2 && pids.every((x) => Number.isInteger(x) && x > 0), `two pids in ${pidFile}: ${pids.join(' ')}`);
    assert.ok(pids.every(alive));
    if (how === 'cancel') ac.abort();
    const { r } = await p;
    assert.equal(r.failureKind, how === 'timeout' ? 'timeout' : 'cancelled');
    assert.match(r.failure ?? '', how === 'timeout' ? /longer than 1 s.*tinygo\.build\.timeoutSeconds/ : /cancelled/);
    assert.ok(await waitFor(() => pids.every((x) => !alive(x)), 5000), `orphans: ${pids.filter(alive).join(' ')}`);
  });
}

void test('garbage and a flood of output: finishes, stays bounded, every unparsed line kept for the channel', async () => {
  let sink = '';
  const liveOut = new LiveOutput((t) => { sink += t; }, 50_000);
  const { r } = await build('garbage');
  liveOut.write(r.unparsed.join('\n'));
  liveOut.end();
  assert.equal(r.success, false);
  assert.equal(r.failureKind, 'exit');
  assert.match(r.failure ?? '', /code 2/);
  assert.ok(r.unparsed.length > 1000);
  assert.ok(sink.length < 50_200);
  assert.match(sink, /more characters of output were not shown/);
  assert.ok(!/[\u0000\u001b]/.test(sink), 'control characters are neutralised in the channel');
});

void test('tinygo missing, or a bad flag: clear messages', async () => {
  const m = await build('ok', { tinygo: path.join(os.tmpdir(), 'no such dir', 'tinygo') });
  assert.equal(m.r.failureKind, 'spawn');
  assert.match(m.r.failure ?? '', /could not be started.*tinygo\.path/);
  // planBuild refuses a bare -stack-size; pass it as an extra argument to see tinygo's own refusal handled.
  const b = await build('ok', { settings: { extraArgs: ['-stack-size=4096'] } });
  assert.equal(b.r.failureKind, 'bad-flag');
  assert.match(b.r.failure ?? '', /invalid value "4096" for flag -stack-size: Unrecognized size suffix/);
  assert.ok(!b.r.unparsed.some((l) => /baudrate/.test(l)), 'the usage text after a bad flag is not reported as output lines');
});

const realTinygo = process.env.TGW_TINYGO;
void test('a real host build with TGW_TINYGO', { skip: realTinygo ? false : 'TGW_TINYGO is not set' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw real build '));
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/realbuild\n\ngo 1.21\n');
  fs.writeFileSync(path.join(dir, 'main.go'), 'package main\n\nvar sink *[4]int\n\nfunc alloc() *[4]int {\n\treturn &[4]int{1, 2, 3, 4}\n}\n\nfunc main() {\n\tsink = alloc()\n\tprintln(len(sink))\n}\n');
  const plan = planBuild({ baseDir: dir, packageDir: dir, pkgArg: '.', modulePath: 'example.com/realbuild', settings: { gc: 'precise' } });
  assert.ok(plan.ok);
  const r = await runBuild({ exec: runProcess, tinygo: realTinygo as string, plan: plan.plan, cwd: dir, timeoutSeconds: 600 });
  assert.equal(r.success, true, `${r.failure}\n${r.unparsed.join('\n')}`);
  assert.ok(fs.existsSync(plan.plan.outputPath));
  assert.equal(r.sizeTable?.format, 'full');
  assert.ok(r.allocs.some((a) => a.file === path.join(dir, 'main.go') && a.line === 6), JSON.stringify(r.allocs));
});

// TGW_TINYGO_NRF=1: scripts/install-tinygo.sh added the nRF support files to the real tinygo's root and built firmware
// once, so this build finds TinyGo's Cortex-M4 libraries compiled. A copy of the example keeps build/ out of the repo.
const nrf = realTinygo && process.env.TGW_TINYGO_NRF === '1';
void test('a real nRF52840 firmware build of examples/feather-blinky with TGW_TINYGO (TGW_TINYGO_NRF=1)', { skip: nrf ? false : 'TGW_TINYGO and TGW_TINYGO_NRF=1 are not set' }, async () => {
  const dir = path.join(oddTempDir('tgw nrf build'), 'feather-blinky');
  fs.cpSync(path.join(ROOT, 'examples', 'feather-blinky'), dir, { recursive: true });
  const plan = planBuild({ target: 'feather-nrf52840', baseDir: dir, packageDir: dir, pkgArg: '.', modulePath: 'example.com/feather-blinky', settings: {} });
  assert.ok(plan.ok);
  const r = await runBuild({ exec: runProcess, tinygo: realTinygo as string, plan: plan.plan, cwd: dir, timeoutSeconds: 600 });
  assert.equal(r.success, true, `${r.failure}\n${r.unparsed.join('\n')}`);
  const elf = fs.readFileSync(plan.plan.outputPath);
  assert.deepEqual([...elf.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46], 'an ELF file');
  assert.equal(elf.readUInt16LE(18), 40, 'e_machine EM_ARM: firmware, not a host binary');
  const total = r.sizeTable?.total;
  assert.ok(total && total.flash > 0 && total.ram > 0, JSON.stringify(r.sizeTable));
  assert.ok(total.flash < 1024 * 1024, `flash ${total.flash} fits the nRF52840's 1 MB`);
});

void test('the live output accepts Buffers as well as strings (runners differ)', () => {
  let sink = '';
  const live = new LiveOutput((t) => { sink += t; }, 100);
  live.write(Buffer.from('ü bytes\n'));
  live.write('text\n');
  assert.equal(sink, 'ü bytes\ntext\n');
});

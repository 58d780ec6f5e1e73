import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { flashedFilePath, outputPathFor, parseStackSize, planBuild, printAllocsRegexp, shellQuote, type BuildPlanInput } from '../../../src/core/build';

const base = (o: Partial<BuildPlanInput> = {}): BuildPlanInput => ({
  target: 'feather-nrf52840', baseDir: '/w/my project', packageDir: '/w/my project/cmd/blinky "v2"', pkgArg: '.',
  modulePath: 'example.com/feather-blinky', settings: {}, platform: 'linux', ...o,
});

void test('argument array: order, one element per value, output in the build folder', () => {
  const r = planBuild(base({ settings: { opt: 's', gc: 'conservative', scheduler: 'tasks', stackSize: '8kb', tags: 'foo, bar baz', extraArgs: ['-no-debug', '-ldflags=-X main.v=a b'] } }));
  assert.ok(r.ok);
  // Characters Windows forbids in file names become `_` in the output name; the folder part stays as it is.
  const out = '/w/my project/build/blinky _v2_-feather-nrf52840.elf';
  assert.deepEqual(r.plan.args, [
    'build', '-target=feather-nrf52840', '-o', out, '-size=full', `-print-allocs=${printAllocsRegexp('example.com/feather-blinky')}`,
    '-opt=s', '-gc=conservative', '-scheduler=tasks', '-stack-size=8KB', '-tags=foo bar baz', '-no-debug', '-ldflags=-X main.v=a b', '.',
  ]);
  assert.equal(r.plan.outputPath, out);
  // What Flash passes to `tinygo flash`: the flags that change the firmware, none of the reports or the output.
  assert.deepEqual(r.plan.firmwareFlags, [
    '-target=feather-nrf52840', '-opt=s', '-gc=conservative', '-scheduler=tasks', '-stack-size=8KB', '-tags=foo bar baz', '-no-debug', '-ldflags=-X main.v=a b',
  ]);
  assert.equal(r.plan.pkgArg, '.');
  assert.equal(flashedFilePath(out, 'uf2'), '/w/my project/build/blinky _v2_-feather-nrf52840.uf2');
});

void test('defaults leave the target to decide; no target is a host build', () => {
  const r = planBuild(base({ target: undefined, settings: { opt: '', gc: '', scheduler: '' } }));
  assert.ok(r.ok);
  assert.deepEqual(r.plan.args.filter((a) => /^-(opt|gc|scheduler|stack-size|tags|target)=/.test(a)), []);
  assert.equal(path.basename(r.plan.outputPath), 'blinky _v2_');
  assert.equal(outputPathFor('/w', '', '/w/x', 'wasip1'), '/w/build/x-wasip1.wasm');
  assert.equal(outputPathFor('/w', '/abs/out dir', '/w/x', 'pca10056'), '/abs/out dir/x-pca10056.elf');
  assert.equal(outputPathFor('/w', 'out', '/w/a:b\\c', undefined, 'win32'), path.resolve('/w/out/a_b_c.exe'));
});

void test('odd characters survive as array elements and quote correctly for display', () => {
  const dir = `/tmp/it's $(rm -rf) "x" \`y\` ü`;
  const r = planBuild(base({ baseDir: dir, packageDir: dir, settings: { outputDir: 'out dir' } }));
  assert.ok(r.ok);
  assert.ok(r.plan.args.includes(`${dir}/out dir/it's $(rm -rf) _x_ \`y\` ü-feather-nrf52840.elf`), r.plan.args.join(' | '));
  assert.equal(shellQuote(['a b', "it's", 'plain-1.0']), `'a b' 'it'\\''s' plain-1.0`);
});

void test('-stack-size needs a unit, as tinygo (go-bytesize) does', () => {
  for (const [text, bytes] of [['8KB', 8192], ['8kb', 8192], ['4096B', 4096], ['1.5 KB', 1536], ['2 kilobytes', 2048], ['1MB', 1 << 20]] as const) {
    const r = parseStackSize(text);
    assert.ok(r.ok, text);
    assert.equal(r.bytes, bytes, text);
  }
  const bare = parseStackSize('4096');
  assert.ok(!bare.ok);
  assert.match(bare.error, /needs a unit.*"4096B".*"4KB"/);
  for (const bad of ['', 'KB', '8 XB', '-1KB', '0KB', '8K B', '2GB']) assert.equal(parseStackSize(bad).ok, false, bad);
  const r = planBuild(base({ settings: { stackSize: '4096' } }));
  assert.ok(!r.ok);
  assert.match(r.errors[0], /tinygo\.build\.stackSize/);
});

void test('bad enum values and an -o in extraArgs are refused before tinygo runs', () => {
  const r = planBuild(base({ settings: { opt: '3', gc: 'refcount', scheduler: 'coroutines', extraArgs: ['-o', 'x'] } }));
  assert.ok(!r.ok);
  assert.equal(r.errors.length, 4);
  assert.ok(!planBuild(base({ target: '-json' })).ok);
});

void test('-print-allocs: only the user\'s packages, skipped without optimization, off by setting', () => {
  const re = new RegExp(printAllocsRegexp('example.com/feather-blinky'));
  for (const fn of ['main.main', 'main.main$1', '(*main.T).M', '(main.T).M', 'main.blink', 'example.com/feather-blinky/drivers.Init',
    '(*example.com/feather-blinky/drivers.Dev).Read', 'main.Foo[int]']) assert.ok(re.test(fn), fn);
  for (const fn of ['runtime.alloc', 'fmt.Sprint', '(*machine.UART).Write', 'domain.main', 'github.com/x/main.F',
    'example.com/feather-blinkyextra.F', 'internal/task.start', 'example.com/feather.blinky.F']) assert.ok(!re.test(fn), fn);
  const plain = new RegExp(printAllocsRegexp(undefined));
  assert.ok(plain.test('main.main') && !plain.test('fmt.Println'));
  // Module paths with regexp metacharacters are escaped.
  const odd = new RegExp(printAllocsRegexp('example.com/a+b(c)'));
  assert.ok(odd.test('example.com/a+b(c).F') && !odd.test('example.com/aab(c).F'));

  const o0 = planBuild(base({ settings: { opt: '0' } }));
  assert.ok(o0.ok);
  assert.ok(!o0.plan.args.some((a) => a.startsWith('-print-allocs')));
  assert.match(o0.plan.notes[0], /only when optimizing/);
  const off = planBuild(base({ settings: { printAllocs: false } }));
  assert.ok(off.ok && !off.plan.args.some((a) => a.startsWith('-print-allocs')) && off.plan.printAllocs === undefined);
});

void test('-print-stacks only when asked for, and never beside a scheduler other than tasks', () => {
  const has = (o: Partial<BuildPlanInput>) => { const r = planBuild(base(o)); assert.ok(r.ok); return r.plan.args.includes('-print-stacks'); };
  assert.equal(has({}), false);
  assert.equal(has({ printStacks: true }), true);
  assert.equal(has({ printStacks: true, settings: { scheduler: 'tasks' } }), true);
  assert.equal(has({ printStacks: true, settings: { scheduler: 'none' } }), false);
});

void test('tinygo.build.formats: one more build per format with the firmware flags, into the ELF\'s name; unknown formats refused', () => {
  const r = planBuild(base({ settings: { opt: 'z', formats: ['uf2', '.HEX', 'elf', 'uf2', ''] } }));
  assert.ok(r.ok);
  const stem = '/w/my project/build/blinky _v2_-feather-nrf52840';
  assert.equal(r.plan.outputPath, `${stem}.elf`);
  // Deduplicated, the ELF itself left out (Build writes it), in the order asked.
  assert.deepEqual(r.plan.extraOutputs, [
    { format: 'uf2', path: `${stem}.uf2`, args: ['build', '-target=feather-nrf52840', '-opt=z', '-o', `${stem}.uf2`, '.'] },
    { format: 'hex', path: `${stem}.hex`, args: ['build', '-target=feather-nrf52840', '-opt=z', '-o', `${stem}.hex`, '.'] },
  ]);
  assert.deepEqual(planBuild(base()).ok && (planBuild(base()) as { plan: { extraOutputs: unknown[] } }).plan.extraOutputs, []);
  const bad = planBuild(base({ settings: { formats: ['uf2', 'zip'] } }));
  assert.ok(!bad.ok);
  assert.match(bad.errors.join(' '), /tinygo\.build\.formats: "zip" is not one of hex, uf2, bin/);
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { buildOutcome, mergeAllocs, type ProcessOutcome } from '../../../src/core/build';
import { mulberry32, mutate, randomGarbage } from '../tinygo/prng';
import { REAL, real } from './helpers';

const proc = (o: Partial<ProcessOutcome>): ProcessOutcome => ({ exitCode: 0, stdout: '', stderr: '', timedOut: false, cancelled: false, ...o });

/** Every captured real `build` run in test/fixtures/tinygo-real goes through the pipeline. */
const captured = fs.existsSync(REAL) ? fs.readdirSync(REAL).filter((v) => fs.statSync(path.join(REAL, v)).isDirectory()).flatMap((v) => fs.readdirSync(path.join(REAL, v))
  .filter((f) => /^build-.*\.cmd$/.test(f)).map((f) => [v, f.replace(/\.cmd$/, '')] as const)) : [];

void test('real captured builds: outcome matches the exit status, errors have positions, nothing thrown', () => {
  assert.ok(captured.length >= 5, `captured samples: ${captured.length}`);
  for (const [v, name] of captured) {
    const exit = Number(real(v, name, 'exit').trim() || '0');
    const o = buildOutcome(proc({ exitCode: exit, stdout: real(v, name, 'stdout'), stderr: real(v, name, 'stderr') }), { cwd: '/tmp/cap/prog' });
    const label = `${v}/${name}`;
    // `build -json` on 0.33 prints the config and builds nothing (exit 0): that is a success without a table.
    assert.equal(o.success, exit === 0, `${label}: ${o.failure}`);
    if (!o.success) assert.ok(o.failure && o.failure.length > 10, label);
    for (const d of o.diagnostics) if (d.kind === 'compile') assert.ok(d.file && d.line, `${label}: ${d.message}`);
  }
});

void test('specific real samples', () => {
  const te = buildOutcome(proc({ exitCode: 1, stderr: real('0.33.0', 'build-typeerror', 'stderr') }), { cwd: '/w/typeerr' });
  assert.deepEqual(te.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}`), ['/w/typeerr/main.go:6:14', '/w/typeerr/main.go:7:18']);
  const js = buildOutcome(proc({ exitCode: 1, stdout: real('0.39.0', 'build-typeerror-json', 'stdout') }), { cwd: '/w/typeerr' });
  // -json (0.38+) puts diagnostics on stdout: this pipeline reads stderr for them, so they stay visible as unparsed.
  assert.equal(js.success, false);
  const bare = buildOutcome(proc({ exitCode: 2, stderr: real('0.39.0', 'build-stack-size-bare', 'stderr') }), { cwd: '/w' });
  assert.equal(bare.failureKind, 'bad-flag');
  // The error line stays visible; the 80 lines of usage text after it do not count as build output.
  assert.deepEqual(bare.unparsed, ['invalid value "4096" for flag -stack-size: Unrecognized size suffix']);
  const pa = buildOutcome(proc({ stderr: real('0.39.0', 'build-host-print-allocs-main', 'stderr') }), { cwd: '/w' });
  assert.equal(pa.success, true);
  assert.equal(pa.allocs.length, 3);
  assert.equal(pa.diagnostics.length, 0);
  const size = buildOutcome(proc({ stdout: real('0.39.0', 'build-host-size-full', 'stdout') }), { cwd: '/w' });
  assert.equal(size.sizeTable?.format, 'full');
  const gover = buildOutcome(proc({ exitCode: 1, stderr: 'requires go version 1.19 through 1.23, got go1.26\n' }), { cwd: '/w' });
  assert.equal(gover.failureKind, 'go-version');
  assert.match(gover.failure ?? '', /refuses the Go installation/);
});

void test('fuzz: garbage and mutated real output through the whole pipeline never throws and loses no line', () => {
  const rand = mulberry32(20261123);
  const samples = captured.flatMap(([v, n]) => [real(v, n, 'stderr'), real(v, n, 'stdout')]).filter(Boolean);
  for (let i = 0; i < 400; i++) {
    const pick = () => (rand() < 0.4 ? randomGarbage(rand, 3000) : mutate(rand, samples[Math.floor(rand() * samples.length)]));
    const stderr = pick();
    const stdout = pick();
    const exitCode = rand() < 0.2 ? undefined : Math.floor(rand() * 3);
    const o = buildOutcome(proc({ exitCode, stdout, stderr, timedOut: rand() < 0.05, cancelled: rand() < 0.05 }), { cwd: '/w' });
    assert.equal(typeof o.success, 'boolean');
    if (!o.success) assert.ok(o.failure, `iteration ${i}: a failure without a message`);
    const m = mergeAllocs(o.allocs, [], []);
    assert.ok(m.allocs.length + m.unplaced.length <= o.allocs.length);
    // Lines: stderr lines are allocations, diagnostics (with their continuation lines), ignored lines or unparsed.
    // (`# pkg` headers are understood and carry no diagnostic.)
    const nonBlank = stderr.split('\n').filter((l) => l.trim() !== '' && !/^# \S/.test(l.replace(/\r$/, ''))).length;
    const accounted = o.allocs.length + o.diagnostics.reduce((n, d) => n + d.outputLines.length, 0) + o.unparsed.length;
    if (!/Usage of |usage: tinygo|^\{/m.test(stderr)) assert.ok(accounted >= nonBlank, `iteration ${i}: ${accounted} < ${nonBlank}`);
  }
});

void test('a -print-stacks report beside the size table: both are read, and neither is left as unparsed', () => {
  const stacks = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'tinygo', 'print-stacks-0.33.txt'), 'utf8');
  const size = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'size', 'size-full-doc.txt'), 'utf8');
  const o = buildOutcome(proc({ stdout: size + stacks }), { cwd: '/w' });
  assert.ok(o.sizeTable, 'size table parsed');
  assert.ok(o.stacks && o.stacks.length >= 4, `stack rows: ${JSON.stringify(o.stacks)}`);
  assert.deepEqual(o.stacks[0], { function: 'Reset_Handler', usage: { kind: 'bytes', bytes: 316 }, index: o.stacks[0].index });
  assert.ok(o.stacks.some((r) => r.function === 'main.readSensor' && r.usage.kind === 'recursive'));
  assert.deepEqual(o.unparsed.filter((l) => /Reset_Handler|main\.blink|stack usage/.test(l)), []);
  // Without a stack report nothing is invented.
  assert.equal(buildOutcome(proc({ stdout: size }), { cwd: '/w' }).stacks, undefined);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fullMessage, parseBuildOutput, type BuildOutputResult } from '../../../src/core/tinygo/buildOutput';
import { FIXTURES, fixture } from './fixtures';
import { mulberry32, mutate, randomGarbage } from './prng';

const CWD = '/home/u/proj';

/** Each input line must be accounted for: in a diagnostic, ignored, or unparsed. */
function assertEveryLineAccounted(input: string, r: BuildOutputResult, label: string): void {
  const lines = input.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  assert.equal(r.lineCount, lines.length, label);
  const seen = new Array<number>(lines.length).fill(0);
  const mark = (i: number): void => {
    assert.ok(Number.isInteger(i) && i >= 0 && i < lines.length, `${label}: index ${i} out of range`);
    seen[i]++;
  };
  r.unparsed.forEach((u) => mark(u.index));
  r.ignored.forEach(mark);
  r.diagnostics.forEach((d) => d.outputLines.forEach(mark));
  seen.forEach((n, i) => {
    assert.ok(n >= 1, `${label}: line ${i} ${JSON.stringify(lines[i])} was lost`);
    // A JSON event can carry several text lines that end up in different places; plain text lines cannot.
    if (!lines[i].startsWith('{')) {
      assert.equal(n, 1, `${label}: line ${i} ${JSON.stringify(lines[i])} counted ${n} times`);
    }
  });
}

void test('0.33 doc sample: positions, overflows, import cycle', () => {
  const text = fixture('build-0.33-doc-sample.txt');
  const r = parseBuildOutput(text, { cwd: CWD });
  assertEveryLineAccounted(text, r, 'doc');
  assert.deepEqual(r.unparsed, []);
  assert.deepEqual(r.packages, ['command-line-arguments']);
  assert.equal(r.failed, true);
  assert.equal(r.gcNoneWithAllocs, false);
  const d = r.diagnostics;
  assert.equal(d.length, 6);
  assert.equal(d[0].file, '/home/u/proj/types.go');
  assert.equal(d[0].rawFile, 'types.go');
  assert.equal(d[0].line, 5);
  assert.equal(d[0].column, 6);
  assert.equal(d[0].kind, 'compile');
  assert.equal(d[0].importPath, 'command-line-arguments');
  assert.equal(d[0].message, 'cannot use "foobar" (untyped string constant) as int value in assignment');
  assert.equal(d[1].message, 'error: hello');
  assert.equal(d[1].column, 5);
  assert.equal(d[2].kind, 'linker-undefined');
  assert.equal(d[2].symbol, 'main.foo');
  assert.equal(d[2].line, 6);
  assert.equal(d[2].column, undefined);
  assert.equal(d[3].kind, 'flash-overflow');
  assert.equal(d[3].severity, 'error');
  assert.equal(d[3].bytes, 1234);
  assert.deepEqual(d[3].detail, ['optimization guide: https://tinygo.org/docs/guides/optimizing-binaries/']);
  assert.deepEqual(d[3].outputLines, [4, 5]);
  assert.equal(d[4].kind, 'ram-overflow');
  assert.equal(d[4].bytes, 12);
  assert.equal(d[5].kind, 'import-cycle');
  assert.equal(d[5].file, undefined);
  assert.match(fullMessage(d[5]), /^package command-line-arguments\nimports x\nimports x: import cycle not allowed$/);
});

void test('import cycle on its own (no header)', () => {
  const r = parseBuildOutput(fixture('build-0.33-import-cycle.txt'), { cwd: CWD });
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.diagnostics[0].kind, 'import-cycle');
  assert.equal(r.diagnostics[0].detail.length, 2);
  assert.deepEqual(r.unparsed, []);
});

void test('interp error keeps instruction and traceback', () => {
  const text = fixture('build-0.33-interp.txt');
  const r = parseBuildOutput(text, { cwd: CWD });
  assertEveryLineAccounted(text, r, 'interp');
  assert.deepEqual(r.unparsed, []);
  assert.equal(r.diagnostics.length, 1);
  const d = r.diagnostics[0];
  assert.equal(d.kind, 'interp');
  assert.equal(d.importPath, 'main');
  assert.equal(d.file, '/home/u/tinygo/testdata/errors/interp.go');
  assert.equal(d.line, 10);
  assert.equal(d.column, 19);
  assert.equal(d.message, 'test error');
  assert.deepEqual(d.traceback, [
    { file: '/home/u/tinygo/testdata/errors/interp.go', line: 10, column: 19 },
    { file: '/home/u/tinygo/testdata/errors/interp.go', line: 6, column: 5 },
    { file: '/home/u/tinygo/testdata/errors' },
  ]);
  assert.match(d.detail[0], /^call void @__tinygo_interp_raise_test_error/);
});

void test('several diagnostics, relative and GOROOT paths, continuation lines', () => {
  const r = parseBuildOutput(fixture('build-0.33-goroot-and-deps.txt'), { cwd: CWD });
  assert.deepEqual(r.unparsed, []);
  const files = r.diagnostics.map((d) => d.file);
  assert.deepEqual(files, [
    '/home/u/proj/sensor/bme.go',
    '/home/u/shared/util.go',
    '/home/u/.cache/tinygo/goroot-0123abcd/src/machine/machine_nrf.go',
    '/home/u/proj/invaliddep/invaliddep.go',
  ]);
  assert.deepEqual(r.diagnostics[2].detail, ['/home/u/proj/pins.go:7:6: other declaration of Pin']);
  assert.equal(r.diagnostics[0].importPath, 'example.com/blinky/sensor');
  const opt = parseBuildOutput(fixture('build-0.33-optimizer.txt'), { cwd: CWD });
  assert.deepEqual(opt.diagnostics.map((d) => [d.line, d.column]), [[9, 15], [13, 15]]);
});

void test('Windows paths and cwd', () => {
  const r = parseBuildOutput('# command-line-arguments\r\nmain.go:3:4: undefined: x\r\nC:\\Program Files\\tinygo\\src\\machine\\board.go:1:2: boom\r\n', {
    cwd: 'C:\\Users\\me\\proj',
  });
  assert.deepEqual(r.unparsed, []);
  assert.equal(r.diagnostics[0].file, 'C:\\Users\\me\\proj\\main.go');
  assert.equal(r.diagnostics[0].message, 'undefined: x');
  assert.equal(r.diagnostics[1].file, 'C:\\Program Files\\tinygo\\src\\machine\\board.go');
  assert.equal(r.diagnostics[1].line, 1);
});

void test('gc=none with allocations raises the flag', () => {
  const r = parseBuildOutput(fixture('build-0.33-gc-none.txt'), { cwd: CWD });
  assert.equal(r.gcNoneWithAllocs, true);
  assert.equal(r.diagnostics.length, 2);
  assert.ok(r.diagnostics.every((d) => d.kind === 'linker-undefined' && d.symbol === 'runtime.alloc'));
  assert.equal(parseBuildOutput('ld.lld: error: undefined symbol: runtime.alloc\n', { cwd: CWD }).gcNoneWithAllocs, true);
  assert.equal(parseBuildOutput(fixture('build-0.33-doc-sample.txt'), { cwd: CWD }).gcNoneWithAllocs, false);
});

void test('0.32 raw linker output', () => {
  const text = fixture('build-0.32-linker.txt');
  const r = parseBuildOutput(text, { cwd: CWD });
  assertEveryLineAccounted(text, r, '0.32');
  assert.deepEqual(r.unparsed, []);
  const [undef, flash, ram, failed] = r.diagnostics;
  assert.equal(undef.kind, 'linker-undefined');
  assert.equal(undef.symbol, 'main.foo');
  assert.equal(undef.file, '/home/u/proj/linker-undefined.go');
  assert.equal(undef.line, 6);
  assert.equal(undef.detail.length, 2);
  assert.equal(flash.kind, 'flash-overflow');
  assert.equal(flash.bytes, 1234);
  assert.equal(flash.region, 'FLASH_TEXT');
  assert.equal(ram.kind, 'ram-overflow');
  assert.equal(ram.bytes, 12);
  assert.equal(failed.kind, 'link-failed');
  assert.equal(failed.message, 'failed to link /tmp/tinygo1234567/main: exit status 1');
});

void test('0.32 error: prefixed lines', () => {
  const r = parseBuildOutput(fixture('build-0.32-prefixed.txt'), { cwd: CWD });
  assert.deepEqual(r.unparsed, []);
  assert.deepEqual(r.diagnostics.map((d) => d.kind), ['flash-overflow', 'tool', 'tool']);
  assert.equal(r.diagnostics[0].bytes, 5120);
  assert.equal(r.diagnostics[0].detail.length, 1);
  assert.equal(r.diagnostics[1].message, 'attempted to start a goroutine without a scheduler');
});

void test('-json NDJSON events', () => {
  const text = fixture('build-json.ndjson');
  const r = parseBuildOutput(text, { cwd: CWD });
  assertEveryLineAccounted(text, r, 'json');
  assert.deepEqual(r.unparsed, []);
  assert.equal(r.failed, true);
  assert.deepEqual(r.packages, ['example.com/blinky']);
  assert.equal(r.diagnostics.length, 3);
  assert.equal(r.diagnostics[0].file, '/home/u/proj/main.go');
  assert.deepEqual([r.diagnostics[0].line, r.diagnostics[0].column], [3, 11]);
  assert.equal(r.diagnostics[0].importPath, 'example.com/blinky');
  assert.equal(r.diagnostics[2].kind, 'flash-overflow');
  assert.equal(r.diagnostics[2].bytes, 88);
  assert.equal(r.diagnostics[2].detail.length, 1);
  assert.deepEqual(r.diagnostics[2].outputLines, [3]);
});

void test('unknown lines are returned, and end a continuation', () => {
  const text = 'Compiling...\nmain.go:1:1: x\nsome random text\n\tindented orphan\n{"Action":"pass"}\n{not json\n';
  const r = parseBuildOutput(text, { cwd: CWD });
  assertEveryLineAccounted(text, r, 'unknown');
  assert.deepEqual(
    r.unparsed.map((u) => u.text),
    ['Compiling...', 'some random text', '\tindented orphan', '{"Action":"pass"}', '{not json'],
  );
  assert.equal(r.diagnostics.length, 1);
  assert.equal(r.failed, true);
});

void test('empty and successful output', () => {
  const r = parseBuildOutput('', { cwd: CWD });
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(r.unparsed, []);
  assert.equal(r.lineCount, 0);
  assert.equal(r.failed, false);
});

void test('10,000-line log parses in well under 100 ms', (t) => {
  const sample = fixture('build-0.33-doc-sample.txt') + fixture('build-0.33-interp.txt') + fixture('build-0.32-linker.txt');
  const perSample = sample.split('\n').length - 1;
  let big = sample.repeat(Math.ceil(10000 / perSample));
  big += 'x'.repeat(200000) + '\n' + 'a:'.repeat(50000) + '\n';
  // Warm-up runs let the JIT compile the parser; the best of several timed runs then measures the parser rather
  // than whatever else the machine is doing at that moment.
  let r = parseBuildOutput(big, { cwd: CWD });
  r = parseBuildOutput(big, { cwd: CWD });
  let ms = Infinity;
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    r = parseBuildOutput(big, { cwd: CWD });
    ms = Math.min(ms, performance.now() - t0);
  }
  t.diagnostic(`parsed ${r.lineCount} lines in ${ms.toFixed(1)} ms`);
  assert.ok(r.lineCount >= 10000);
  assertEveryLineAccounted(big, r, 'big');
  assert.ok(ms < 100, `took ${ms.toFixed(1)} ms`);
});

void test('fuzz: garbage and mutated real samples never throw and lose no line', () => {
  const samples = fs
    .readdirSync(FIXTURES)
    .filter((f) => f.startsWith('build-'))
    .map((f) => fixture(f));
  assert.ok(samples.length >= 8);
  for (const seed of [1, 2, 3, 42, 1234]) {
    const rand = mulberry32(seed);
    for (let i = 0; i < 300; i++) {
      const input =
        rand() < 0.3 ? randomGarbage(rand, 400) : mutate(rand, samples[Math.floor(rand() * samples.length)]);
      let r: BuildOutputResult | undefined;
      assert.doesNotThrow(() => {
        r = parseBuildOutput(input, { cwd: CWD });
      }, `seed ${seed} case ${i}`);
      assertEveryLineAccounted(input, r as BuildOutputResult, `seed ${seed} case ${i}`);
    }
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { classifyPackage, parseSizeTable, type SizeTable } from '../../../src/core/size/sizeTable';
import { mulberry32, mutate, randomGarbage } from '../tinygo/prng';
import { FIXTURES, fixture } from './fixtures';

function assertEveryLineAccounted(input: string, t: SizeTable, label: string): void {
  const lines = input.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  assert.equal(t.lineCount, lines.length, label);
  const seen = new Array<number>(lines.length).fill(0);
  const all = [...t.rows.map((r) => r.index), ...t.ignored, ...t.unparsed.map((u) => u.index)];
  if (t.totalIndex !== undefined) {
    all.push(t.totalIndex);
  }
  for (const i of all) {
    assert.ok(Number.isInteger(i) && i >= 0 && i < lines.length, `${label}: bad index ${i}`);
    seen[i]++;
  }
  seen.forEach((n, i) => assert.equal(n, 1, `${label}: line ${i} ${JSON.stringify(lines[i])} seen ${n} times`));
}

void test('short format (real numbers from TinyGo sizes_test, microbit examples/serial)', () => {
  const text = fixture('size-short-microbit-serial.txt');
  const t = parseSizeTable(text);
  assertEveryLineAccounted(text, t, 'short');
  assert.equal(t.format, 'short');
  assert.deepEqual(t.rows, []);
  // sizes_test expects code 2732 + rodata 388: the short format prints them summed.
  assert.deepEqual(t.total, { code: 2732 + 388, rodata: 0, data: 8, bss: 2256, flash: 3128, ram: 2264 });
  assert.deepEqual(t.warnings, []);
  assert.equal(t.incomplete, false);
});

void test('full format from the docs, with groups', () => {
  const text = fixture('size-full-doc.txt');
  const t = parseSizeTable(text, { modulePath: 'example.com/blinky' });
  assertEveryLineAccounted(text, t, 'full');
  assert.equal(t.format, 'full');
  assert.deepEqual(t.unparsed, []);
  assert.equal(t.rows.length, 10);
  assert.deepEqual(t.total, { code: 7208, rodata: 872, data: 28, bss: 2566, flash: 8108, ram: 2594 });
  assert.deepEqual(
    t.rows.map((r) => [r.package, r.group]),
    [
      ['(padding)', 'special'],
      ['(unknown)', 'special'],
      ['C compiler-rt', 'c-library'],
      ['C interrupt vector', 'special'],
      ['C nrfx', 'c-library'],
      ['C stack', 'special'],
      ['Go types', 'special'],
      ['machine', 'tinygo-runtime'],
      ['main', 'user'],
      ['runtime', 'tinygo-runtime'],
    ],
  );
  const machine = t.rows[7];
  assert.deepEqual([machine.code, machine.rodata, machine.data, machine.bss, machine.flash, machine.ram], [2864, 165, 8, 392, 3037, 400]);
  assert.deepEqual(t.warnings, []);
});

void test('wide numbers, -no-debug warning, absolute directories, every special name', () => {
  const text = fixture('size-full-wide-nodebug.txt');
  const t = parseSizeTable(text, { modulePath: 'example.com/blinky' });
  assertEveryLineAccounted(text, t, 'wide');
  assert.equal(t.incomplete, true);
  assert.deepEqual(t.unparsed, []);
  assert.deepEqual(t.warnings, []);
  const byName = new Map(t.rows.map((r) => [r.package, r]));
  assert.equal(byName.get('fmt')?.code, 12345678);
  assert.equal(byName.get('fmt')?.flash, 12369146);
  assert.equal(t.total?.flash, 12408392);
  const sum = t.rows.reduce((a, r) => a + r.flash, 0);
  assert.equal(sum, t.total?.flash, 'rows add up to the total row');
  const groups = Object.fromEntries(t.rows.map((r) => [r.package, r.group]));
  assert.deepEqual(groups, {
    '(padding)': 'special',
    '(unknown)': 'special',
    '-': 'special',
    '/home/ron/.gvm/go/src/crypto/x509': 'stdlib',
    'C interrupt vector': 'special',
    'C picolibc': 'c-library',
    'C stack': 'special',
    'Go interface assert': 'special',
    'Go interface method': 'special',
    'Go types': 'special',
    'device/arm': 'tinygo-runtime',
    'device/nrf': 'tinygo-runtime',
    'example.com/blinky/display': 'user',
    fmt: 'stdlib',
    'internal/task': 'tinygo-runtime',
    machine: 'tinygo-runtime',
    main: 'user',
    runtime: 'tinygo-runtime',
    'runtime/interrupt': 'tinygo-runtime',
    strconv: 'stdlib',
    'tinygo.org/x/drivers/ssd1306': 'dependency',
    'unicode/utf8': 'stdlib',
  });
});

void test('classifyPackage edge cases', () => {
  assert.equal(classifyPackage('command-line-arguments'), 'user');
  assert.equal(classifyPackage('example.com/blinky'), 'dependency', 'without a module path it is just a module');
  assert.equal(classifyPackage('example.com/blinky', { modulePath: 'example.com/blinky' }), 'user');
  assert.equal(classifyPackage('example.com/blinkyx', { modulePath: 'example.com/blinky' }), 'dependency');
  assert.equal(classifyPackage('internal/bytealg'), 'stdlib');
  assert.equal(classifyPackage('/home/u/proj/sub', { moduleDir: '/home/u/proj/' }), 'user');
  assert.equal(classifyPackage('/home/u/projx/sub', { moduleDir: '/home/u/proj' }), 'dependency');
  assert.equal(classifyPackage('/home/u/.cache/tinygo/goroot-abc/src/machine', { goroots: ['/home/u/.cache/tinygo/goroot-abc'] }), 'tinygo-runtime');
  assert.equal(classifyPackage('/home/u/go/pkg/mod/tinygo.org/x/drivers@v0.27.0/ws2812'), 'dependency');
  assert.equal(classifyPackage('C:\\Users\\me\\proj\\lib', { moduleDir: 'C:\\Users\\me\\proj' }), 'user');
  assert.equal(classifyPackage('C something new'), 'c-library');
});

void test('a package named total is a row unless it follows the second separator', () => {
  const text = [
    '   code  rodata    data     bss |   flash     ram | package',
    '------------------------------- | --------------- | -------',
    '      1       0       0       0 |       1       0 | total',
    '------------------------------- | --------------- | -------',
    '      1       0       0       0 |       1       0 | total',
  ].join('\n');
  const t = parseSizeTable(text);
  assert.equal(t.rows.length, 1);
  assert.equal(t.rows[0].package, 'total');
  assert.equal(t.totalIndex, 4);
});

void test('malformed input: truncated, inconsistent, empty, huge', () => {
  const truncated = fixture('size-full-doc.txt').slice(0, 400);
  const t = parseSizeTable(truncated);
  assert.equal(t.total, undefined);
  assert.ok(t.rows.length > 0);
  assert.equal(parseSizeTable('').format, undefined);
  const bad = parseSizeTable('   code    data     bss |   flash     ram\n      1       2       3 |     999       5\n');
  assert.equal(bad.warnings.length, 1);
  const noHeader = parseSizeTable('      1       0       0       0 |       1       0 | main\n');
  assert.equal(noHeader.rows.length, 0);
  assert.equal(noHeader.unparsed.length, 1);
  const overflow = parseSizeTable('   code    data     bss |   flash     ram\n 99999999999999999999 0 0 | 1 0\n');
  assert.equal(overflow.total, undefined);
  assert.equal(overflow.unparsed.length, 1);
  let huge = fixture('size-full-doc.txt').split('\n').slice(0, 2).join('\n') + '\n';
  for (let i = 0; i < 20000; i++) {
    huge += `${String(i).padStart(7)}       0       0       0 | ${String(i).padStart(7)}       0 | pkg${i}\n`;
  }
  const h = parseSizeTable(huge);
  assert.equal(h.rows.length, 20000);
  assertEveryLineAccounted(huge, h, 'huge');
});

void test('fuzz: garbage and mutated real tables never throw and lose no line', () => {
  const samples = fs
    .readdirSync(FIXTURES)
    .filter((f) => f.startsWith('size-'))
    .map((f) => fixture(f));
  assert.equal(samples.length, 4);
  for (const seed of [3, 17, 99, 2024]) {
    const rand = mulberry32(seed);
    for (let i = 0; i < 400; i++) {
      const input = rand() < 0.25 ? randomGarbage(rand, 500) : mutate(rand, samples[Math.floor(rand() * samples.length)]);
      let t: SizeTable | undefined;
      assert.doesNotThrow(() => {
        t = parseSizeTable(input, { modulePath: 'example.com/blinky' });
      }, `seed ${seed} case ${i}`);
      assertEveryLineAccounted(input, t as SizeTable, `seed ${seed} case ${i}`);
      for (const r of (t as SizeTable).rows) {
        assert.ok([r.code, r.rodata, r.data, r.bss, r.flash, r.ram].every((n) => Number.isSafeInteger(n) && n >= 0));
      }
    }
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluateExpression, flashAndRam, parseLinkerScript, type LinkerScript } from '../../../src/core/size/linkerScript';
import { FIXTURES, fixture } from './fixtures';

const DIR = path.join(FIXTURES, 'linkerscripts');

// TinyGo scripts INCLUDE "targets/arm.ld" relative to TINYGOROOT; the fixtures hold targets/ flat.
function readTarget(name: string): string | undefined {
  const m = /^targets\/(.+)$/.exec(name);
  const file = m ? path.join(DIR, m[1]) : undefined;
  return file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

function load(name: string): LinkerScript {
  return parseLinkerScript(fixture(`linkerscripts/${name}`), { readFile: readTarget }, name);
}

interface Expected {
  flashOrigin: number;
  flashLength: number;
  ramOrigin: number;
  ramLength: number;
  stack: number;
}

// Worked out by hand from each script's MEMORY block: K = 1024, M = 1024 * 1024.
const EXPECTED: Record<string, Expected> = {
  'nrf52840-s140v6-uf2.ld': { flashOrigin: 0x26000, flashLength: 815104 /* 0xED000-0x26000 */, ramOrigin: 0x20004180, ramLength: 245376 /* 0x20040000-0x20004180 */, stack: 2048 },
  'nrf52840-s140v7-uf2.ld': { flashOrigin: 0x27000, flashLength: 811008 /* 0xED000-0x27000 */, ramOrigin: 0x20006000, ramLength: 237568 /* 0x3A000 */, stack: 4096 },
  'nrf52840-s140v7.ld': { flashOrigin: 0x27000, flashLength: 888832 /* 1048576-159744 */, ramOrigin: 0x200039c0, ramLength: 247360 /* 262144-14784 */, stack: 4096 },
  'nrf52840.ld': { flashOrigin: 0, flashLength: 1048576, ramOrigin: 0x20000000, ramLength: 262144, stack: 4096 },
  'nrf52.ld': { flashOrigin: 0, flashLength: 524288, ramOrigin: 0x20000000, ramLength: 65536, stack: 2048 },
  'nrf52-s132v6.ld': { flashOrigin: 0x26000, flashLength: 368640 /* 524288-155648 */, ramOrigin: 0x200039c0, ramLength: 50752 /* 65536-14784 */, stack: 4096 },
  'nrf52833.ld': { flashOrigin: 0, flashLength: 524288, ramOrigin: 0x20000000, ramLength: 131072, stack: 4096 },
  'nrf52833-s113v7.ld': { flashOrigin: 0x1c000, flashLength: 409600 /* 524288-114688 */, ramOrigin: 0x20001e20, ramLength: 123360 /* 131072-7712 */, stack: 4096 },
  'nano-33-ble.ld': { flashOrigin: 0x10000, flashLength: 983040, ramOrigin: 0x20000000, ramLength: 262144, stack: 4096 },
  'pca10059.ld': { flashOrigin: 0x1000, flashLength: 913408, ramOrigin: 0x20000008, ramLength: 262136, stack: 2048 },
};

void test('every TinyGo 0.33 nRF52 linker script has a hand-checked expectation', () => {
  const files = fs.readdirSync(DIR).filter((f) => f !== 'arm.ld').sort();
  assert.deepEqual(files, Object.keys(EXPECTED).sort());
});

for (const [file, e] of Object.entries(EXPECTED)) {
  void test(`memory regions of ${file}`, () => {
    const s = load(file);
    assert.deepEqual(s.errors, []);
    assert.deepEqual(s.includes, ['targets/arm.ld']);
    const { flash, ram } = flashAndRam(s.regions);
    assert.ok(flash && ram);
    assert.equal(flash.name, 'FLASH_TEXT');
    assert.equal(flash.origin, e.flashOrigin);
    assert.equal(flash.length, e.flashLength);
    assert.equal(ram.origin, e.ramOrigin);
    assert.equal(ram.length, e.ramLength);
    assert.equal(s.stackSize, e.stack);
    // arm.ld's own symbols evaluate against the including script's regions.
    assert.equal(s.symbols._heap_end, e.ramOrigin + e.ramLength);
    assert.equal(s.symbols.__flash_data_end, e.flashOrigin + e.flashLength);
    // Those that need the linked program are reported, not failed.
    assert.ok(s.unresolved.includes('__flash_data_start'));
    assert.ok(s.unresolved.includes('_heap_start'));
  });
}

void test('attributes, SoftDevice symbols and the feather numbers', () => {
  const s = load('nrf52840-s140v6-uf2.ld');
  assert.deepEqual(s.regions.map((r) => [r.name, r.attrs]), [
    ['FLASH_TEXT', 'rw'],
    ['RAM', 'xrw'],
  ]);
  assert.equal(s.symbols.__app_ram_base, 0x20004180);
  const s113 = load('nrf52833-s113v7.ld');
  assert.equal(s113.symbols.__softdevice_stack, 0, 'DEFINED() is false without --defsym');
  const withDefsym = parseLinkerScript(fixture('linkerscripts/nrf52833-s113v7.ld'), { readFile: readTarget, defsym: { __softdevice_stack: 1536 } });
  assert.equal(withDefsym.stackSize, 4096 + 1536);
});

void test('arm.ld alone has no regions, and says what it could not resolve', () => {
  const s = load('arm.ld');
  assert.deepEqual(s.regions, []);
  assert.deepEqual(s.errors, []);
  assert.ok(s.unresolved.includes('_heap_end'));
  assert.equal(s.stackSize, undefined);
});

void test('a missing INCLUDE is an error, not a throw', () => {
  const s = parseLinkerScript(fixture('linkerscripts/nrf52840.ld'));
  assert.equal(s.regions.length, 2);
  assert.deepEqual(s.errors, ['linker script: cannot read included script "targets/arm.ld"']);
  const throwing = parseLinkerScript('INCLUDE x.ld', {
    readFile: () => {
      throw new Error('EACCES');
    },
  });
  assert.equal(throwing.errors.length, 1);
  const loop = parseLinkerScript('INCLUDE "a.ld"', { readFile: () => 'INCLUDE "a.ld"\n' });
  assert.ok(loop.errors.some((e) => /includes itself/.test(e)));
});

void test('expressions', () => {
  const regions = new Map([['RAM', { name: 'RAM', attrs: 'rw', origin: 0x20000000, length: 0x10000 }]]);
  const ok = (e: string, v: number): void => {
    const r = evaluateExpression(e, regions, new Map([['a', 3]]));
    assert.deepEqual(r, { ok: true, value: v }, e);
  };
  ok('0x00000000+0x26000', 0x26000);
  ok('1M - 0x00027000', 1048576 - 0x27000);
  ok('256K', 262144);
  ok('256k', 262144);
  ok('2 * (3 + 4) / 7', 2);
  ok('ORIGIN(RAM) + LENGTH(RAM)', 0x20010000);
  ok('-a + 10', 7);
  ok('a > 2 ? 100 : undefined_symbol', 100);
  ok('DEFINED(a) ? a : 0', 3);
  ok('DEFINED(b) ? b : 5', 5);
  ok('1 << 10 | 3', 1027);
  ok('MAX(4K, 0x800)', 4096);
  ok('ALIGN(13, 8)', 16);
  ok('017', 15);
  const bad = ['', '1 +', '(1', '1)', '1 / 0', '0x', '4Q', 'ORIGIN(FLASH)', 'LOADADDR(.data)', 'FOO(1)', '@', '9'.repeat(30), '1 ? 2', '09'];
  for (const e of bad) {
    const r = evaluateExpression(e, regions);
    assert.equal(r.ok, false, e);
    if (!r.ok) {
      assert.ok(r.error.length > 0);
    }
  }
  const unres = evaluateExpression('LOADADDR(.data) + 4');
  assert.equal(unres.ok ? undefined : unres.unresolved, 'LOADADDR(.data)');
});

void test('malformed scripts give errors, never a throw', () => {
  const cases = [
    'MEMORY { FLASH_TEXT (rw) : ORIGIN = 0x0 }',
    'MEMORY { FLASH_TEXT (rw) : ORIGIN = 0x0, LENGTH = 1 +  }',
    'MEMORY { RAM : ORIGIN = 0, LENGTH = 0 - 5 }',
    'MEMORY { garbage here }',
    'MEMORY { RAM : ORIGIN = 0, LENGTH = 1',
    '/* unterminated',
    '_stack_size = ;',
    'what is this;',
    'SECTIONS { .text : { *(.text) } ',
    '\u0000\u0001{}();=',
  ];
  for (const c of cases) {
    const s = parseLinkerScript(c);
    assert.ok(s.errors.length > 0, c);
  }
  const ok = parseLinkerScript(
    'MEMORY\n{\n  FLASH (rx) : org = 0x8000000, len = 64K\n  RAM (rwx) : o = 0x20000000, l = LENGTH(FLASH) / 4\n}\nREGION_ALIAS("FLASH_TEXT", FLASH);\nPROVIDE(_stack_size = 1K);\n_stack_size += 1K;\n',
  );
  assert.deepEqual(ok.errors, []);
  assert.equal(ok.regions.find((r) => r.name === 'RAM')?.length, 16384);
  assert.equal(flashAndRam(ok.regions).flash?.name, 'FLASH_TEXT');
  assert.equal(ok.stackSize, 2048);
});

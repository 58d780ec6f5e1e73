import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ElfError, LineLookup, parseElf } from '../../../src/core/elf';
import { FIXTURE_DIR } from './llvm';
import { mulberry32 } from '../tinygo/prng';

/** Everything a caller does with a file: parse, build the line lookup, look up a few addresses. */
function exercise(bytes: Uint8Array): 'parsed' | 'refused' {
  try {
    const elf = parseElf(bytes);
    const lookup = new LineLookup(elf);
    for (const s of elf.symbols.slice(0, 50)) { lookup.lookup(s.value); lookup.frames(s.value); }
    lookup.lookup(0);
    lookup.lookup(0x26000);
    // The micro:bit panic address (inside inlined map code) and the host program's main: both read DIE trees.
    lookup.frames(0xac5);
    lookup.frames(0x1139);
    return 'parsed';
  } catch (e) {
    if (e instanceof ElfError) return 'refused';
    throw new Error(`not an ElfError: ${e instanceof Error ? e.stack : String(e)}`);
  }
}

const HOST = path.join(FIXTURE_DIR, 'host-clang-dwarf2-x86_64.elf');
const ARM = path.join(FIXTURE_DIR, 'microbit-panic-tinygo0.39.elf');
const PER_CASE_MS = 2000;

void test('every truncation of a small ELF parses or throws ElfError, each within a time bound', (t) => {
  const whole = fs.readFileSync(HOST);
  assert.equal(exercise(whole), 'parsed');
  const counts = { parsed: 0, refused: 0 };
  let slowest = 0;
  for (let n = 0; n < whole.length; n++) {
    const t0 = performance.now();
    counts[exercise(whole.subarray(0, n))]++;
    slowest = Math.max(slowest, performance.now() - t0);
  }
  assert.ok(slowest < PER_CASE_MS, `slowest case took ${slowest} ms`);
  // Cutting off the section headers (at the end of the file) must be noticed.
  assert.ok(counts.refused > whole.length / 2, `${counts.refused} refusals`);
  t.diagnostic(`${whole.length} truncations: ${counts.parsed} parsed, ${counts.refused} refused, slowest ${slowest.toFixed(1)} ms`);
});

void test('every truncation of each DWARF section the lookup and the inlining chain read gives an answer or an ElfError', (t) => {
  let cases = 0, refused = 0;
  for (const file of [HOST, path.join(FIXTURE_DIR, 'host-gcc-dwarf5-x86_64.elf')]) {
    const elf = parseElf(fs.readFileSync(file));
    for (const name of ['.debug_line', '.debug_info', '.debug_abbrev', '.debug_aranges', '.debug_str', '.debug_line_str', '.debug_ranges', '.debug_rnglists']) {
      const data = elf.sectionData(name);
      if (!data) continue;
      for (let n = 0; n < data.length; n++) {
        const cut = { ...elf, sectionData: (s: string) => (s === name ? data.subarray(0, n) : elf.sectionData(s)) };
        try {
          const l = new LineLookup(cut);
          l.lookup(0x1139);
          l.frames(0x1139);
        } catch (e) {
          if (!(e instanceof ElfError)) assert.fail(`${path.basename(file)} ${name} cut at ${n}: ${(e as Error).stack}`);
          refused++;
        }
        cases++;
      }
    }
  }
  assert.ok(cases > 1000 && refused > 0, `${cases} cases, ${refused} refused`);
  t.diagnostic(`${cases} DWARF section truncations, ${refused} refused`);
});

void test('truncations of a real firmware ELF at 1,500 lengths and around every section boundary', (t) => {
  const whole = fs.readFileSync(ARM);
  const elf = parseElf(whole);
  const lengths = new Set<number>();
  for (let i = 0; i < 1500; i++) lengths.add(Math.floor((i * whole.length) / 1500));
  for (const s of elf.sections) for (const d of [-1, 0, 1]) lengths.add(Math.max(0, Math.min(whole.length - 1, s.offset + s.size + d)));
  let refused = 0;
  for (const n of lengths) if (exercise(whole.subarray(0, n)) === 'refused') refused++;
  assert.ok(refused > 0);
  t.diagnostic(`${lengths.size} truncations of ${path.basename(ARM)}, ${refused} refused`);
});

void test('seeded random corruption (byte flips, all-ones words) parses or throws ElfError within a time bound', (t) => {
  const sources = [fs.readFileSync(HOST), fs.readFileSync(ARM)];
  const next = mulberry32(0x15eed);
  const counts = { parsed: 0, refused: 0 };
  let slowest = 0;
  const CASES = 3000;
  for (let i = 0; i < CASES; i++) {
    const src = sources[i % 2]!;
    const bytes = Uint8Array.from(src);
    const edits = 1 + Math.floor(next() * 8);
    for (let e = 0; e < edits; e++) {
      // Half the edits hit the first 4 KB (headers, tables), the rest anywhere (DWARF, symbols, strings).
      const at = Math.floor(next() * (next() < 0.5 ? Math.min(4096, bytes.length) : bytes.length));
      if (next() < 0.25) bytes.fill(0xff, at, Math.min(bytes.length, at + 4));
      else bytes[at] = bytes[at]! ^ (1 << Math.floor(next() * 8));
    }
    const t0 = performance.now();
    try {
      counts[exercise(bytes)]++;
    } catch (e) {
      assert.fail(`case ${i}: ${(e as Error).message}`);
    }
    slowest = Math.max(slowest, performance.now() - t0);
  }
  assert.ok(slowest < PER_CASE_MS, `slowest case took ${slowest} ms`);
  assert.ok(counts.parsed > 0 && counts.refused > 0, JSON.stringify(counts));
  t.diagnostic(`${CASES} corrupted files: ${counts.parsed} parsed, ${counts.refused} refused, slowest ${slowest.toFixed(1)} ms`);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineLookup, parseDebugLine, parseElf, symbolAddress } from '../../../src/core/elf';
import { MISSING, fixtures, hex, llvmTool, probeAddresses, run } from './llvm';

interface LlvmAnswer { Address: string; Symbol: { FileName: string; Line: number; Column: number }[] }

void test('addr2line agrees with llvm-addr2line-19 on thousands of addresses of every fixture', (t) => {
  if (!llvmTool('addr2line')) return t.skip(MISSING('addr2line'));
  let compared = 0, known = 0;
  const mismatches: string[] = [];
  for (const file of fixtures()) {
    const lookup = new LineLookup(parseElf(fs.readFileSync(file)));
    const addresses = probeAddresses(file);
    const out = run('llvm-addr2line-19', ['--output-style=JSON', '-e', file], addresses.map(hex).join('\n') + '\n');
    const answers = out.trim().split('\n').map((l) => JSON.parse(l) as LlvmAnswer);
    assert.equal(answers.length, addresses.length, `${path.basename(file)}: one answer per address`);
    let knownHere = 0;
    answers.forEach((a, i) => {
      const address = addresses[i]!;
      assert.equal(Number(a.Address), address);
      const want = a.Symbol[0]!;
      const expected = want.FileName === '' ? undefined : { file: want.FileName, line: want.Line, column: want.Column };
      const got = lookup.lookup(address);
      if (expected) knownHere++;
      if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push(`${path.basename(file)} ${hex(address)}: llvm ${JSON.stringify(expected)}, ours ${JSON.stringify(got)}`);
      compared++;
    });
    // A fixture whose addresses all come back unknown would compare nothing useful.
    assert.ok(knownHere > addresses.length / 4, `${path.basename(file)}: only ${knownHere} of ${addresses.length} addresses resolved by llvm`);
    known += knownHere;
  }
  assert.deepEqual(mismatches.slice(0, 20), []);
  t.diagnostic(`${compared} addresses compared (${known} with a source line), ${mismatches.length} mismatches`);
});

void test('the fixtures cover .debug_line versions 2 to 5 and both ELF classes', () => {
  const versions = new Set<number>();
  const classes = new Set<number>();
  for (const file of fixtures()) {
    const elf = parseElf(fs.readFileSync(file));
    classes.add(elf.bits);
    for (const t of parseDebugLine(elf)) versions.add(t.version);
  }
  assert.deepEqual([...versions].sort(), [2, 3, 4, 5]);
  assert.deepEqual([...classes].sort(), [32, 64]);
});

// Printed by these very ELFs under qemu-system-arm -M microbit (see test/fixtures/elf/README.md).
const REAL_PANICS: [string, number][] = [
  ['microbit-panic-tinygo0.39.elf', 0x00000ac5],
  ['microbit-panic-tinygo0.33.elf', 0x00000a15],
];

for (const [name, address] of REAL_PANICS) {
  void test(`the real micro:bit panic address of ${name} resolves to what tinygo monitor would link`, () => {
    const elf = parseElf(fs.readFileSync(fixtures().find((f) => f.endsWith(name))!));
    const loc = new LineLookup(elf).lookup(address);
    assert.ok(loc, 'resolved');
    assert.match(loc.file, /\/src\/runtime\/hashmap\.go$/);
    assert.ok(loc.line > 0 && loc.column > 0);
    // The map code was inlined into the program's own function; the line table names the inlined runtime line, as
    // tinygo monitor shows it.
    const fn = elf.symbols.find((s) => s.type === 'func' && symbolAddress(elf, s) <= address && address < symbolAddress(elf, s) + s.size);
    assert.equal(fn?.name, 'main.record');
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineLookup, parseElf, type InlineFrame } from '../../../src/core/elf';
import { FIXTURE_DIR, MISSING, fixtures, hex, llvmTool, probeAddresses, run } from './llvm';

interface LlvmFrame { FileName: string; FunctionName: string; Line: number; Column: number }
interface LlvmAnswer { Address: string; Symbol: LlvmFrame[] }

/** A frame as both sides can say it; the function name only where it comes from DWARF on both sides. */
function show(f: { file?: string; line: number; column: number; function?: string }, withName: boolean): string {
  return `${f.function !== undefined && withName ? f.function : withName ? '??' : '-'} ${f.file ?? ''}:${f.line}:${f.column}`;
}

function ours(frames: readonly InlineFrame[]): string[] {
  // llvm-symbolizer always prints one frame; an address nothing covers is a blank one.
  if (frames.length === 0) return [show({ file: '', line: 0, column: 0 }, false)];
  return frames.map((f, i) => show({ ...f, file: f.file ?? '' }, i < frames.length - 1));
}

function theirs(frames: readonly LlvmFrame[]): string[] {
  // llvm-symbolizer names the outermost frame from the symbol table when it can (shouldOverrideWithSymbolTable),
  // not from DWARF: compare the names of the inlined frames only.
  return frames.map((f, i) => show({ file: f.FileName, line: f.Line, column: f.Column, function: f.FunctionName || undefined }, i < frames.length - 1));
}

void test('the inlining chain agrees with llvm-addr2line-19 -i -f on thousands of addresses of every fixture', (t) => {
  if (!llvmTool('addr2line')) return t.skip(MISSING('addr2line'));
  let compared = 0, inlined = 0, deepest = 0;
  const mismatches: string[] = [];
  for (const file of fixtures()) {
    const lookup = new LineLookup(parseElf(fs.readFileSync(file)));
    const addresses = probeAddresses(file);
    const out = run('llvm-addr2line-19', ['--output-style=JSON', '-i', '-f', '-e', file], addresses.map(hex).join('\n') + '\n');
    const answers = out.trim().split('\n').map((l) => JSON.parse(l) as LlvmAnswer);
    assert.equal(answers.length, addresses.length, `${path.basename(file)}: one answer per address`);
    let inlinedHere = 0;
    answers.forEach((a, i) => {
      const address = addresses[i]!;
      assert.equal(Number(a.Address), address);
      const frames = lookup.frames(address);
      // Where DWARF has no line for the address, llvm-symbolizer takes a file name from the symbol table's STT_FILE
      // symbols (tinygo names its object `main`): nothing DWARF says, so only check that llvm had no line either.
      const last = frames[frames.length - 1];
      const noLine = a.Symbol.length === 1 && a.Symbol[0]!.Line === 0 && (frames.length === 0 || (frames.length === 1 && last!.file === undefined && last!.line === 0));
      const want = theirs(noLine ? [{ ...a.Symbol[0]!, FileName: '' }] : a.Symbol);
      const got = ours(frames);
      if (want.length > 1) inlinedHere++;
      deepest = Math.max(deepest, want.length);
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${path.basename(file)} ${hex(address)}:\n  llvm ${want.join(' | ')}\n  ours ${got.join(' | ')}`);
      compared++;
    });
    inlined += inlinedHere;
  }
  assert.deepEqual(mismatches.slice(0, 10), [], `${mismatches.length} mismatches`);
  // Without inlined addresses this would only repeat the line-table comparison.
  assert.ok(inlined > 1000 && deepest >= 3, `${inlined} inlined addresses, deepest chain ${deepest}`);
  t.diagnostic(`${compared} addresses compared, ${inlined} inside inlined code (chains up to ${deepest} frames), ${mismatches.length} mismatches`);
});

// The address QEMU's micro:bit prints for these ELFs (test/fixtures/elf/README.md): the runtime's map code inlined
// into main.record; the call site is the program's own line.
for (const [name, address, runtimeLine] of [['microbit-panic-tinygo0.39.elf', 0xac5, 512], ['microbit-panic-tinygo0.33.elf', 0xa15, 487]] as const) {
  void test(`the real panic address of ${name} unwinds to the program's own line`, () => {
    const frames = new LineLookup(parseElf(fs.readFileSync(path.join(FIXTURE_DIR, name)))).frames(address);
    assert.equal(frames.length, 2);
    assert.match(frames[0]!.file ?? '', /\/src\/runtime\/hashmap\.go$/);
    assert.equal(frames[0]!.line, runtimeLine);
    assert.equal(frames[0]!.function, 'runtime.hashmapStringSet');
    assert.match(frames[1]!.file ?? '', /\/microbit-panic\/main\.go$/);
    // `counts[name]++` in test/fixtures/elf/src/microbit-panic/main.go.
    assert.deepEqual([frames[1]!.line, frames[1]!.column, frames[1]!.function], [14, 6, 'main.record']);
  });
}

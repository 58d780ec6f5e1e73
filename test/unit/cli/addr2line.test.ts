import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { FIXTURE_DIR, MISSING, llvmTool, run } from '../elf/llvm';

async function cli(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err };
}

const PANIC_ELF = path.join(FIXTURE_DIR, 'microbit-panic-tinygo0.39.elf');

void test('addr2line prints file:line:col per address, the same as llvm-addr2line-19', async (t) => {
  if (!llvmTool('addr2line')) return t.skip(MISSING('addr2line'));
  const addresses = ['0xac5', 'ac4', '0x0', '0x3000', '0xFFFFFF'];
  const r = await cli(['addr2line', PANIC_ELF, ...addresses]);
  assert.equal(r.code, 0);
  const llvm = run('llvm-addr2line-19', ['--output-style=JSON', '-e', PANIC_ELF, ...addresses.map((a) => (a.startsWith('0x') ? a : '0x' + a))])
  // Addresses on the command line: one JSON array for all of them.
  const answers = (JSON.parse(llvm) as { Symbol: { FileName: string; Line: number; Column: number }[] }[]).map((a) => a.Symbol[0]!);
  assert.deepEqual(r.out, answers.map((s) => (s.FileName ? `${s.FileName}:${s.Line}:${s.Column}` : '??:0:0')));
  assert.ok(r.out.filter((l) => l !== '??:0:0').length >= 2, 'some addresses resolve');
  assert.ok(r.out.includes('??:0:0'), 'some do not');
});

void test('addr2line: the real panic address names a runtime source line; unknown addresses print ??:0:0', async () => {
  const r = await cli(['addr2line', PANIC_ELF, '0x00000ac5', '0xfffff0']);
  assert.equal(r.code, 0);
  assert.match(r.out[0]!, /\/src\/runtime\/hashmap\.go:\d+:\d+$/);
  assert.equal(r.out[1], '??:0:0');
});

void test('addr2line: usage errors and unreadable files exit 2 with a message, never a stack trace', async () => {
  const noArgs = await cli(['addr2line']);
  assert.equal(noArgs.code, 2);
  assert.match(noArgs.err.join('\n'), /usage: tinygo-workbench addr2line FIRMWARE\.elf ADDRESS/);
  const badAddress = await cli(['addr2line', PANIC_ELF, 'main.go:12']);
  assert.equal(badAddress.code, 2);
  assert.match(badAddress.err.join('\n'), /main\.go:12 is not a hexadecimal address/);
  const notElf = await cli(['addr2line', path.join(FIXTURE_DIR, 'README.md'), '0x10']);
  assert.equal(notElf.code, 2);
  assert.match(notElf.err.join('\n'), /README\.md: not an ELF file/);
  const missing = await cli(['addr2line', path.join(FIXTURE_DIR, 'nope.elf'), '0x10']);
  assert.equal(missing.code, 2);
  assert.match(missing.err.join('\n'), /nope\.elf: no such file/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ElfError, parseElf, sectionLoadAddress, symbolAddress, type ElfFile } from '../../../src/core/elf';
import { MISSING, fixtures, llvmTool, run } from './llvm';

const num = (s: string) => Number.parseInt(s, 16);

interface ReadelfSection { index: number; name: string; type: string; address: number; offset: number; size: number }

// `llvm-readelf -S -W`: "  [Nr] Name Type Address Off Size ES Flg Lk Inf Al"; the name column may be empty.
function readelfSections(file: string): ReadelfSection[] {
  const out: ReadelfSection[] = [];
  for (const line of run('llvm-readelf-19', ['-S', '-W', file]).split('\n')) {
    const m = /^\s*\[\s*(\d+)\]\s(.*?)\s+([A-Z_0-9]+|LOOS\+0x[0-9a-f]+|0x[0-9a-f]+)\s+([0-9a-f]{8,16})\s([0-9a-f]{6,})\s([0-9a-f]{6,})\s/.exec(line);
    if (m) out.push({ index: Number(m[1]), name: m[2]!.trim(), type: m[3]!, address: num(m[4]!), offset: num(m[5]!), size: num(m[6]!) });
  }
  return out;
}

interface ReadelfSymbol { num: number; value: number; size: number; type: string; bind: string; ndx: string; name: string }

// `llvm-readelf -s -W`, only the '.symtab' block: "Num: Value Size Type Bind Vis Ndx Name".
function readelfSymbols(file: string): ReadelfSymbol[] {
  const out: ReadelfSymbol[] = [];
  let inSymtab = false;
  for (const line of run('llvm-readelf-19', ['-s', '-W', file]).split('\n')) {
    if (line.startsWith('Symbol table ')) { inSymtab = line.includes("'.symtab'"); continue; }
    if (!inSymtab) continue;
    const m = /^\s*(\d+):\s([0-9a-f]+)\s+(\d+|0x[0-9a-f]+)\s(\S+)\s+(\S+)\s+\S+\s+(\S+)\s?(.*)$/.exec(line);
    if (m) out.push({ num: Number(m[1]), value: num(m[2]!), size: Number(m[3]), type: m[4]!, bind: m[5]!, ndx: m[6]!, name: m[7]! });
  }
  return out;
}

// `llvm-nm -S`: "ADDRESS SIZE T name" for defined symbols, "U name" for undefined ones.
function nmSymbols(file: string): { address: number; size: number; kind: string; name: string }[] {
  const out: { address: number; size: number; kind: string; name: string }[] = [];
  for (const line of run('llvm-nm-19', ['-S', file]).split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (\S) (.*)$/.exec(line);
    if (m) out.push({ address: num(m[1]!), size: num(m[2]!), kind: m[3]!, name: m[4]! });
  }
  return out;
}

const read = (file: string): ElfFile => parseElf(fs.readFileSync(file));

void test('every section of every fixture matches llvm-readelf -S (name, type, address, offset, size)', (t) => {
  if (!llvmTool('readelf')) return t.skip(MISSING('readelf'));
  let compared = 0;
  for (const file of fixtures()) {
    const elf = read(file);
    const expected = readelfSections(file);
    assert.ok(expected.length > 5, `${file}: llvm-readelf printed sections`);
    assert.equal(elf.sections.length, expected.length, path.basename(file));
    for (const e of expected) {
      const s = elf.sections[e.index]!;
      assert.deepEqual([s.name, s.address, s.offset, s.size], [e.name, e.address, e.offset, e.size], `${path.basename(file)} section ${e.index}`);
      if (e.type === 'NOBITS') assert.equal(s.type, 8);
      if (e.type === 'PROGBITS') assert.equal(s.type, 1);
      compared++;
    }
  }
  t.diagnostic(`${compared} sections compared`);
});

const TYPES: Record<string, string> = { NOTYPE: 'notype', OBJECT: 'object', FUNC: 'func', SECTION: 'section', FILE: 'file', TLS: 'tls', COMMON: 'common' };
const NDX: Record<string, number> = { UND: 0, ABS: 0xfff1, COM: 0xfff2 };

void test('every .symtab entry matches llvm-readelf -s (value, size, type, bind, section, name)', (t) => {
  if (!llvmTool('readelf')) return t.skip(MISSING('readelf'));
  let compared = 0;
  for (const file of fixtures()) {
    const elf = read(file);
    const expected = readelfSymbols(file).filter((s) => s.num > 0);
    assert.ok(expected.length > 20, `${file}: llvm-readelf printed symbols`);
    assert.equal(elf.symbols.length, expected.length, path.basename(file));
    for (const e of expected) {
      const s = elf.symbols[e.num - 1]!;
      // readelf shows a section symbol by its section's name.
      const name = s.type === 'section' && s.name === '' ? elf.sections[s.shndx]?.name : s.name;
      const where = `${path.basename(file)} symbol ${e.num} ${e.name}`;
      assert.deepEqual([name, s.value, s.size, s.type, s.bind.toUpperCase(), s.shndx], [e.name, e.value, e.size, TYPES[e.type], e.bind, NDX[e.ndx] ?? Number(e.ndx)], where);
      compared++;
    }
  }
  t.diagnostic(`${compared} symbols compared with llvm-readelf`);
});

void test('every symbol llvm-nm -S lists has the same name, address and size here', (t) => {
  if (!llvmTool('nm')) return t.skip(MISSING('nm'));
  let compared = 0;
  for (const file of fixtures()) {
    const elf = read(file);
    const ours = new Map<string, number>();
    for (const s of elf.symbols) {
      const key = `${s.name}|${symbolAddress(elf, s)}|${s.size}`;
      ours.set(key, (ours.get(key) ?? 0) + 1);
    }
    const expected = nmSymbols(file);
    assert.ok(expected.length > 20, `${file}: llvm-nm printed symbols`);
    for (const e of expected) {
      const key = `${e.name}|${e.address}|${e.size}`;
      const left = ours.get(key) ?? 0;
      assert.ok(left > 0, `${path.basename(file)}: llvm-nm's ${e.name} at 0x${e.address.toString(16)} size ${e.size} not found`);
      ours.set(key, left - 1);
      compared++;
    }
  }
  t.diagnostic(`${compared} symbols compared with llvm-nm`);
});

interface ReadelfSegment { type: string; offset: number; vaddr: number; paddr: number; filesz: number; memsz: number }

void test('segments match llvm-readelf -l, and .data is loaded in flash but runs in RAM', (t) => {
  if (!llvmTool('readelf')) return t.skip(MISSING('readelf'));
  let compared = 0;
  for (const file of fixtures()) {
    const elf = read(file);
    const expected: ReadelfSegment[] = [];
    for (const line of run('llvm-readelf-19', ['-l', '-W', file]).split('\n')) {
      const m = /^\s+([A-Z_]+|LOOS\+0x[0-9a-f]+|0x[0-9a-f]+)\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) /.exec(line);
      if (m) expected.push({ type: m[1]!, offset: num(m[2]!), vaddr: num(m[3]!), paddr: num(m[4]!), filesz: num(m[5]!), memsz: num(m[6]!) });
    }
    assert.equal(elf.segments.length, expected.length, path.basename(file));
    expected.forEach((e, i) => {
      const s = elf.segments[i]!;
      assert.deepEqual([s.offset, s.vaddr, s.paddr, s.filesz, s.memsz], [e.offset, e.vaddr, e.paddr, e.filesz, e.memsz], `${path.basename(file)} segment ${i}`);
      if (e.type === 'LOAD') assert.equal(s.type, 1);
      compared++;
    });
    if (elf.machine === 40) {
      const data = elf.section('.data');
      assert.ok(data && data.size > 0, `${path.basename(file)} has .data`);
      const seg = elf.segments.find((s) => s.type === 1 && s.vaddr === data.address);
      assert.ok(seg, 'a LOAD segment runs .data');
      assert.ok(seg.paddr < 0x20000000 && seg.vaddr >= 0x20000000, `${path.basename(file)}: .data stored in flash, run in RAM`);
    }
  }
  t.diagnostic(`${compared} segments compared`);
});

void test('every section run and load address (VMA, LMA) matches llvm-objdump -h', (t) => {
  if (!llvmTool('objdump')) return t.skip(MISSING('objdump'));
  let compared = 0, differing = 0;
  for (const file of fixtures()) {
    const elf = read(file);
    for (const line of run('llvm-objdump-19', ['-h', file]).split('\n')) {
      // "Idx Name Size VMA [LMA] Type": objdump leaves the LMA column out when no section has one of its own.
      const m = /^\s*(\d+) (.*?)\s+([0-9a-f]{8}) ([0-9a-f]{8,16})(?: ([0-9a-f]{8,16}))?(?: |$)/.exec(line);
      if (!m) continue;
      const s = elf.sections[Number(m[1])]!;
      const lma = num(m[5] ?? m[4]!);
      assert.deepEqual([s.name, s.address, sectionLoadAddress(elf, s)], [m[2]!.trim(), num(m[4]!), lma], `${path.basename(file)} ${line}`);
      if (num(m[4]!) !== lma) differing++;
      compared++;
    }
  }
  assert.equal(compared, fixtures().reduce((n, f) => n + read(f).sections.length, 0), 'every section compared');
  // .data in each firmware (and what shares its address) runs somewhere else than it is stored.
  assert.ok(differing >= 4, `${differing} sections with LMA != VMA`);
  t.diagnostic(`${compared} sections' VMA/LMA compared, ${differing} with a different load address`);
});

void test('non-ELF, big-endian and other-class input is refused with a readable ElfError', () => {
  const cases: [Uint8Array, RegExp][] = [
    [new Uint8Array(0), /not an ELF file/],
    [Buffer.from('#!/bin/sh\necho hi\n'), /not an ELF file/],
    [Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0]), /big-endian/],
    [Buffer.from([0x7f, 0x45, 0x4c, 0x46, 3, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0]), /class 3/],
    [Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0]), /ELF header is truncated/],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(() => parseElf(bytes), (e: unknown) => e instanceof ElfError && message.test(e.message), String(message));
  }
  assert.throws(() => parseElf('x' as unknown as Uint8Array), ElfError);
});

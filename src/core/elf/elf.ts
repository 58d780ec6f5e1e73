import { ByteCursor, stringAt } from './bytes';
import { ElfError } from './error';

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  /** SHT_*: 1 PROGBITS, 2 SYMTAB, 3 STRTAB, 8 NOBITS, ... */
  readonly type: number;
  readonly flags: number;
  readonly address: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly addralign: number;
  readonly entsize: number;
}

export interface ElfSegment {
  /** PT_*: 1 LOAD, 2 DYNAMIC, 4 NOTE, 6 PHDR, 0x6474e551 GNU_STACK, ... */
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  /** Run address (where the CPU sees it). */
  readonly vaddr: number;
  /** Load address (where it is stored: flash for `.data`'s initial values). */
  readonly paddr: number;
  readonly filesz: number;
  readonly memsz: number;
  readonly align: number;
}

export type SymbolType = 'notype' | 'object' | 'func' | 'section' | 'file' | 'common' | 'tls' | 'other';
export type SymbolBind = 'local' | 'global' | 'weak' | 'other';

export interface ElfSymbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  readonly type: SymbolType;
  readonly bind: SymbolBind;
  /** Section header index; 0 undefined, 0xfff1 absolute, 0xfff2 common. */
  readonly shndx: number;
}

export interface ElfFile {
  readonly bits: 32 | 64;
  /** e_type: 1 REL, 2 EXEC, 3 DYN. */
  readonly type: number;
  /** e_machine: 40 ARM, 62 x86-64, 183 AArch64, 243 RISC-V, ... */
  readonly machine: number;
  readonly entry: number;
  readonly flags: number;
  readonly sections: readonly ElfSection[];
  readonly segments: readonly ElfSegment[];
  /** `.symtab` in file order without the null entry at index 0; empty when the file has none (stripped). */
  readonly symbols: readonly ElfSymbol[];
  /** The bytes of a section with file contents, or undefined (missing, NOBITS). */
  sectionData(name: string): Uint8Array | undefined;
  section(name: string): ElfSection | undefined;
}

export const EM_ARM = 40;

/**
 * Where a symbol starts in memory. On ARM a function symbol's value carries the Thumb bit (bit 0), which is not part
 * of the address (llvm-nm prints it cleared); everything else is the value itself.
 */
export function symbolAddress(elf: Pick<ElfFile, 'machine'>, sym: ElfSymbol): number {
  return elf.machine === EM_ARM && sym.type === 'func' ? sym.value - (sym.value % 2) : sym.value;
}

/**
 * Where a section is stored (its load address, LMA), as opposed to where it runs (`address`): `.data` runs in RAM
 * but its initial values are stored in flash. Found like llvm-objdump: the first PT_LOAD segment whose run range
 * holds the section's address maps it by that segment's paddr; outside any, the two are the same.
 */
export function sectionLoadAddress(elf: Pick<ElfFile, 'segments'>, section: ElfSection): number {
  for (const p of elf.segments) {
    if (p.type === PT_LOAD && p.vaddr <= section.address && p.vaddr + p.memsz > section.address) return section.address - p.vaddr + p.paddr;
  }
  return section.address;
}

export const SHT_SYMTAB = 2;
export const SHT_NOBITS = 8;
export const PT_LOAD = 1;

const SYMBOL_TYPES: readonly SymbolType[] = ['notype', 'object', 'func', 'section', 'file', 'common', 'tls'];
const SYMBOL_BINDS: readonly SymbolBind[] = ['local', 'global', 'weak'];

/**
 * Reads an ELF32 or ELF64 little-endian file: header, sections (with names), segments and the symbol table.
 * Throws ElfError for anything else or anything inconsistent. Table counts are bounded by the file size (every
 * entry must lie inside the file), so work is linear in the input.
 */
export function parseElf(input: Uint8Array): ElfFile {
  if (!(input instanceof Uint8Array)) throw new ElfError('not an ELF file: no bytes');
  const bytes = input;
  if (bytes.length < 16 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ElfError('not an ELF file (no \\x7fELF signature)');
  }
  const klass = bytes[4];
  if (klass !== 1 && klass !== 2) throw new ElfError(`unsupported ELF class ${klass} (expected 32 or 64-bit)`);
  if (bytes[5] !== 1) throw new ElfError(bytes[5] === 2 ? 'big-endian ELF files are not supported' : `invalid ELF data encoding ${bytes[5]}`);
  const bits = klass === 1 ? 32 : 64;
  const w = bits / 8;
  const ehsize = bits === 32 ? 52 : 64;
  const h = new ByteCursor(bytes, 0, Math.min(bytes.length, ehsize), 'ELF header');
  h.seek(16);
  const type = h.u16();
  const machine = h.u16();
  h.u32(); // e_version
  const entry = h.uN(w);
  const phoff = h.uN(w);
  const shoff = h.uN(w);
  const flags = h.u32();
  h.u16(); // e_ehsize
  const phentsize = h.u16();
  let phnum = h.u16();
  const shentsize = h.u16();
  let shnum = h.u16();
  let shstrndx = h.u16();

  const shdrSize = bits === 32 ? 40 : 64;
  const phdrSize = bits === 32 ? 32 : 56;
  if (shoff !== 0 && shentsize < shdrSize) throw new ElfError(`section header size ${shentsize} is too small`);
  if (phoff !== 0 && phnum !== 0 && phentsize < phdrSize) throw new ElfError(`program header size ${phentsize} is too small`);

  // Extended numbering: counts that do not fit 16 bits live in section header 0.
  if (shoff !== 0 && (shnum === 0 || shstrndx === 0xffff)) {
    const s0 = readSectionHeader(bytes, shoff, bits, 0);
    if (shnum === 0) shnum = s0.size;
    if (shstrndx === 0xffff) shstrndx = s0.link;
  }
  if (phnum === 0xffff && shoff !== 0) phnum = readSectionHeader(bytes, shoff, bits, 0).info;
  if (shoff === 0) shnum = 0;
  if (phoff === 0) phnum = 0;
  checkTable(bytes, shoff, shnum, shentsize, 'section header table');
  checkTable(bytes, phoff, phnum, phentsize, 'program header table');

  const raw: Omit<ElfSection, 'name'>[] = [];
  const nameOffsets: number[] = [];
  for (let i = 0; i < shnum; i++) {
    const s = readSectionHeader(bytes, shoff + i * shentsize, bits, i);
    nameOffsets.push(s.nameOffset);
    raw.push(s);
  }
  let names: string[] = raw.map(() => '');
  if (shnum > 0 && shstrndx !== 0) {
    const strtab = raw[shstrndx];
    if (!strtab) throw new ElfError(`section name table index ${shstrndx} is out of range (${shnum} sections)`);
    const [start, end] = contents(bytes, strtab, 'section name table');
    names = nameOffsets.map((off, i) => stringAt(bytes, start, end, off, `name of section ${i}`));
  }
  const sections: ElfSection[] = raw.map((s, i) => ({ ...s, name: names[i]! }));
  for (const s of sections) if (s.type !== SHT_NOBITS && s.type !== 0) contents(bytes, s, `section ${s.name || s.index}`);

  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const c = new ByteCursor(bytes, phoff + i * phentsize, phoff + i * phentsize + phdrSize, `program header ${i}`);
    const ptype = c.u32();
    let pflags = bits === 64 ? c.u32() : 0;
    const offset = c.uN(w);
    const vaddr = c.uN(w);
    const paddr = c.uN(w);
    const filesz = c.uN(w);
    const memsz = c.uN(w);
    if (bits === 32) pflags = c.u32();
    const align = c.uN(w);
    if (filesz > 0 && offset + filesz > bytes.length) throw new ElfError(`segment ${i} lies outside the file`);
    segments.push({ type: ptype, flags: pflags, offset, vaddr, paddr, filesz, memsz, align });
  }

  const symbols = readSymbols(bytes, sections, bits);
  const byName = new Map<string, ElfSection>();
  for (const s of sections) if (s.name && !byName.has(s.name)) byName.set(s.name, s);
  return {
    bits, type, machine, entry, flags, sections, segments, symbols,
    section: (name) => byName.get(name),
    sectionData: (name) => {
      const s = byName.get(name);
      if (!s || s.type === SHT_NOBITS || s.type === 0) return undefined;
      const [start, end] = contents(bytes, s, `section ${name}`);
      return bytes.subarray(start, end);
    },
  };
}

function checkTable(bytes: Uint8Array, offset: number, count: number, entsize: number, what: string): void {
  if (count === 0) return;
  if (offset + count * entsize > bytes.length) {
    throw new ElfError(`${what} (${count} entries at offset ${offset}) lies outside the file (${bytes.length} bytes)`);
  }
}

function contents(bytes: Uint8Array, s: Omit<ElfSection, 'name'>, what: string): [number, number] {
  if (s.type === SHT_NOBITS) return [0, 0];
  if (s.offset + s.size > bytes.length) throw new ElfError(`${what} (${s.size} bytes at offset ${s.offset}) lies outside the file`);
  return [s.offset, s.offset + s.size];
}

function readSectionHeader(bytes: Uint8Array, at: number, bits: 32 | 64, index: number): Omit<ElfSection, 'name'> & { nameOffset: number } {
  const w = bits / 8;
  const c = new ByteCursor(bytes, at, at + (bits === 32 ? 40 : 64), `section header ${index}`);
  const nameOffset = c.u32();
  const type = c.u32();
  const flags = c.uN(w);
  const address = c.uN(w);
  const offset = c.uN(w);
  const size = c.uN(w);
  const link = c.u32();
  const info = c.u32();
  const addralign = c.uN(w);
  const entsize = c.uN(w);
  return { index, nameOffset, type, flags, address, offset, size, link, info, addralign, entsize };
}

function readSymbols(bytes: Uint8Array, sections: readonly ElfSection[], bits: 32 | 64): ElfSymbol[] {
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  if (!symtab) return [];
  const strtab = sections[symtab.link];
  if (!strtab) throw new ElfError(`.symtab names string table ${symtab.link}, which does not exist`);
  const [strStart, strEnd] = contents(bytes, strtab, 'symbol string table');
  const entsize = bits === 32 ? 16 : 24;
  if (symtab.entsize !== 0 && symtab.entsize < entsize) throw new ElfError(`.symtab entry size ${symtab.entsize} is too small`);
  const step = symtab.entsize || entsize;
  const count = Math.floor(symtab.size / step);
  const out: ElfSymbol[] = [];
  for (let i = 1; i < count; i++) {
    const at = symtab.offset + i * step;
    const c = new ByteCursor(bytes, at, at + entsize, `symbol ${i}`);
    let value: number, size: number, info: number, shndx: number;
    const nameOffset = c.u32();
    if (bits === 32) {
      value = c.u32();
      size = c.u32();
      info = c.u8();
      c.u8();
      shndx = c.u16();
    } else {
      info = c.u8();
      c.u8();
      shndx = c.u16();
      value = c.u64();
      size = c.u64();
    }
    const name = nameOffset === 0 ? '' : stringAt(bytes, strStart, strEnd, nameOffset, `name of symbol ${i}`);
    out.push({ name, value, size, type: SYMBOL_TYPES[info & 0xf] ?? 'other', bind: SYMBOL_BINDS[info >> 4] ?? 'other', shndx });
  }
  return out;
}

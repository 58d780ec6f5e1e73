import { ByteCursor, stringAt } from './bytes';
import { ElfError } from './error';
import type { ElfFile } from './elf';

/**
 * What a compile unit's top DIE says about its code: which addresses it covers, where its line table is and the
 * directory its relative paths start from.
 */
export interface UnitLineInfo {
  /** Offset of the unit in `.debug_info` (what `.debug_aranges` names). */
  readonly offset: number;
  readonly name?: string;
  readonly compDir?: string;
  /** Offset of the unit's line program in `.debug_line`. */
  readonly stmtList?: number;
  /** [low, high) address ranges from DW_AT_low_pc/high_pc or DW_AT_ranges, tombstones left out. */
  readonly ranges: readonly (readonly [number, number])[];
}

const DW_AT_name = 0x03;
const DW_AT_stmt_list = 0x10;
const DW_AT_low_pc = 0x11;
const DW_AT_high_pc = 0x12;
const DW_AT_comp_dir = 0x1b;
const DW_AT_ranges = 0x55;
const DW_AT_addr_base = 0x73;
const DW_AT_rnglists_base = 0x74;
const DW_AT_GNU_addr_base = 0x2133;
const ADDRESS_FORMS = new Set([0x01]);
const ADDRX_FORMS = new Set([0x1b, 0x29, 0x2a, 0x2b, 0x2c, 0x1f01]);

interface AttrSpec { readonly attr: number; readonly form: number; readonly implicit?: number }

/** A `.debug_info` unit's header; `body` (after the header) is undefined for a version this reader does not know. */
export interface UnitHeader {
  readonly offset: number;
  readonly end: number;
  readonly version: number;
  /** DWARF 5's unit type (1 compile, 2 type, ...); 1 before version 5. */
  readonly unitType: number;
  readonly offsetSize: 4 | 8;
  readonly addressSize: number;
  readonly abbrevOffset: number;
  readonly body: ByteCursor | undefined;
}

/** Reads the unit header at `offset` of `.debug_info` (versions 2-5); throws ElfError when it runs past the section. */
export function readUnitHeader(info: Uint8Array, offset: number): UnitHeader {
  const c = new ByteCursor(info, 0, info.length, '.debug_info');
  c.seek(offset);
  let length = c.u32();
  let offsetSize: 4 | 8 = 4;
  if (length === 0xffffffff) {
    length = c.u64();
    offsetSize = 8;
  } else if (length >= 0xfffffff0) throw new ElfError(`.debug_info: reserved unit length 0x${length.toString(16)}`);
  const end = c.offset + length;
  if (length < 2 || end > info.length) throw new ElfError(`.debug_info: unit at offset ${offset} runs past the section`);
  const u = new ByteCursor(info, c.offset, end, `.debug_info unit at offset ${offset}`);
  const version = u.u16();
  if (version < 2 || version > 5) return { offset, end, version, unitType: 0, offsetSize, addressSize: 0, abbrevOffset: 0, body: undefined };
  let unitType = 1;
  let addressSize: number;
  let abbrevOffset: number;
  if (version >= 5) {
    unitType = u.u8();
    addressSize = u.u8();
    abbrevOffset = u.uN(offsetSize);
    if (unitType === 2 || unitType === 6) u.skip(8 + offsetSize); // type signature and type offset
    else if (unitType === 4 || unitType === 5) u.skip(8); // dwo_id
  } else {
    abbrevOffset = u.uN(offsetSize);
    addressSize = u.u8();
  }
  return { offset, end, version, unitType, offsetSize, addressSize, abbrevOffset, body: u };
}

/**
 * Reads the first DIE (DW_TAG_compile_unit) of every unit in `.debug_info`: only its name, comp_dir and stmt_list,
 * which is what joining a line table's relative file names needs (DWARF 2-4 leave directory 0 implicit).
 */
export function readUnitLineInfo(elf: ElfFile): UnitLineInfo[] {
  const info = elf.sectionData('.debug_info');
  const abbrev = elf.sectionData('.debug_abbrev');
  if (!info || !abbrev) return [];
  const str = elf.sectionData('.debug_str');
  const lineStr = elf.sectionData('.debug_line_str');
  const units: UnitLineInfo[] = [];
  const c = new ByteCursor(info, 0, info.length, '.debug_info');
  while (c.remaining > 0) {
    const h = readUnitHeader(info, c.offset);
    c.seek(h.end);
    if (!h.body || h.unitType === 2 || h.unitType === 6) continue; // unknown version; type units carry no line info
    const { body: u, offsetSize, addressSize, abbrevOffset, version } = h;
    const code = u.uleb();
    if (code === 0) continue;
    const spec = findAbbrev(abbrev, abbrevOffset, code);
    const unitOffset = h.offset;
    const unit: { -readonly [K in keyof UnitLineInfo]: UnitLineInfo[K] } = { offset: unitOffset, ranges: [] };
    const ctx: FormContext = { offsetSize, addressSize, version, str, lineStr };
    const raw = new Map<number, { form: number; value: string | number | undefined }>();
    for (const a of spec) {
      const v = a.form === 0x21 ? a.implicit : readForm(u, a.form, ctx, 0);
      raw.set(a.attr, { form: a.form, value: v });
      if (a.attr === DW_AT_name && typeof v === 'string') unit.name = v;
      else if (a.attr === DW_AT_comp_dir && typeof v === 'string') unit.compDir = v;
      else if (a.attr === DW_AT_stmt_list && typeof v === 'number') unit.stmtList = v;
    }
    unit.ranges = unitRanges(elf, raw, { version, addressSize, offsetSize });
    units.push(unit);
  }
  return units;
}

export type RawAttrs = Map<number, { form: number; value: string | number | undefined }>;
export interface UnitShape { version: number; addressSize: number; offsetSize: number }

/** What a DIE inside a unit borrows from its unit's top DIE to read its own address ranges. */
export interface UnitBases {
  readonly addrBase?: number;
  readonly rnglistsBase?: number;
  /** The unit's DW_AT_low_pc: the base of DW_AT_ranges lists. */
  readonly baseAddress?: number;
}

/** The bases a unit's top DIE gives the DIEs below it. */
export function unitBases(raw: RawAttrs, shape: UnitShape, elf: ElfFile): UnitBases {
  const addrBase = num(raw.get(DW_AT_addr_base)?.value ?? raw.get(DW_AT_GNU_addr_base)?.value);
  const lowAttr = raw.get(DW_AT_low_pc);
  const baseAddress = lowAttr && typeof lowAttr.value === 'number'
    ? (ADDRX_FORMS.has(lowAttr.form) ? indexedAddress(elf, addrBase, lowAttr.value, shape.addressSize) : lowAttr.value)
    : undefined;
  return { addrBase, rnglistsBase: num(raw.get(DW_AT_rnglists_base)?.value), baseAddress };
}

/**
 * The address ranges of a DIE the way LLVM's DWARFDie::getAddressRanges reads them: low/high PC, else DW_AT_ranges.
 * Without `unit` the DIE is a unit's top DIE and carries its own bases.
 */
export function dieRanges(elf: ElfFile, raw: RawAttrs, shape: UnitShape, unit?: UnitBases): [number, number][] {
  return unitRanges(elf, raw, shape, unit);
}

/** The unit's address ranges the way LLVM's DWARFDie::getAddressRanges reads them. */
function unitRanges(elf: ElfFile, raw: RawAttrs, shape: UnitShape, unit?: UnitBases): [number, number][] {
  const addrBase = unit ? unit.addrBase : num(raw.get(DW_AT_addr_base)?.value ?? raw.get(DW_AT_GNU_addr_base)?.value);
  const address = (a: { form: number; value: string | number | undefined } | undefined): number | undefined => {
    if (!a || typeof a.value !== 'number') return undefined;
    if (ADDRX_FORMS.has(a.form)) return indexedAddress(elf, addrBase, a.value, shape.addressSize);
    return a.value;
  };
  const low = address(raw.get(DW_AT_low_pc));
  const highAttr = raw.get(DW_AT_high_pc);
  if (low !== undefined && highAttr && typeof highAttr.value === 'number') {
    const high = ADDRESS_FORMS.has(highAttr.form) || ADDRX_FORMS.has(highAttr.form) ? address(highAttr) : low + highAttr.value;
    return high !== undefined ? [[low, high]] : [];
  }
  const rangesBase = unit ? unit.baseAddress : low;
  const ranges = raw.get(DW_AT_ranges);
  if (!ranges || typeof ranges.value !== 'number') return [];
  if (shape.version >= 5) {
    let offset = ranges.value;
    if (ranges.form === 0x23) { // rnglistx: an index into the offsets table at rnglists_base
      const base = unit ? unit.rnglistsBase : num(raw.get(DW_AT_rnglists_base)?.value);
      const lists = elf.sectionData('.debug_rnglists');
      if (base === undefined || !lists) return [];
      const c = new ByteCursor(lists, 0, lists.length, '.debug_rnglists offsets');
      c.seek(Math.min(base + ranges.value * shape.offsetSize, lists.length));
      offset = base + c.uN(shape.offsetSize);
    }
    return readRnglist(elf, offset, rangesBase, addrBase, shape.addressSize);
  }
  return readRangeList(elf, ranges.value, rangesBase, shape.addressSize);
}

function num(v: string | number | undefined): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

function tombstone(addressSize: number): number {
  return addressSize === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (addressSize * 8) - 1;
}

function indexedAddress(elf: ElfFile, base: number | undefined, index: number, addressSize: number): number | undefined {
  const addr = elf.sectionData('.debug_addr');
  if (!addr) return undefined;
  const at = (base ?? 8) + index * addressSize;
  const c = new ByteCursor(addr, 0, addr.length, '.debug_addr');
  c.seek(Math.min(at, addr.length));
  return c.address(addressSize);
}

/** DWARF 2-4 `.debug_ranges`: (start, end) pairs, a base-address entry when start is all ones, (0, 0) ends. */
function readRangeList(elf: ElfFile, offset: number, base: number | undefined, addressSize: number): [number, number][] {
  const data = elf.sectionData('.debug_ranges');
  if (!data) return [];
  const c = new ByteCursor(data, 0, data.length, '.debug_ranges');
  c.seek(Math.min(offset, data.length));
  const max = tombstone(addressSize);
  const out: [number, number][] = [];
  while (c.remaining > 0) {
    const start = c.address(addressSize);
    const end = c.address(addressSize);
    if (start === 0 && end === 0) break;
    if (start === max) { base = end; continue; }
    if (start === max - 1) continue; // LLD's tombstone for a discarded function
    if (base === max - 1) continue;
    out.push(base !== undefined ? [start + base, end + base] : [start, end]);
  }
  return out;
}

/** DWARF 5 `.debug_rnglists` entries (DW_RLE_*). */
function readRnglist(elf: ElfFile, offset: number, base: number | undefined, addrBase: number | undefined, addressSize: number): [number, number][] {
  const data = elf.sectionData('.debug_rnglists');
  if (!data) return [];
  const c = new ByteCursor(data, 0, data.length, '.debug_rnglists');
  c.seek(Math.min(offset, data.length));
  const max = tombstone(addressSize);
  const x = (i: number) => indexedAddress(elf, addrBase, i, addressSize);
  const out: [number, number][] = [];
  const push = (lo: number | undefined, hi: number | undefined) => {
    if (lo !== undefined && hi !== undefined && lo !== max) out.push([lo, hi]);
  };
  while (c.remaining > 0) {
    const kind = c.u8();
    if (kind === 0) break;
    switch (kind) {
      case 1: base = x(c.uleb()); break; // base_addressx
      case 2: push(x(c.uleb()), x(c.uleb())); break; // startx_endx
      case 3: { const lo = x(c.uleb()); const len = c.uleb(); push(lo, lo === undefined ? undefined : lo + len); break; } // startx_length
      case 4: { const a = c.uleb(); const b = c.uleb(); if (base !== max) push((base ?? 0) + a, (base ?? 0) + b); break; } // offset_pair
      case 5: base = c.address(addressSize); break; // base_address
      case 6: push(c.address(addressSize), c.address(addressSize)); break; // start_end
      case 7: { const lo = c.address(addressSize); push(lo, lo + c.uleb()); break; } // start_length
      default: throw new ElfError(`.debug_rnglists: unknown entry kind ${kind}`);
    }
  }
  return out;
}

/** `.debug_aranges`: address ranges each naming the unit (by `.debug_info` offset) that covers them. */
export function readAranges(elf: ElfFile): { unit: number; low: number; high: number }[] {
  const data = elf.sectionData('.debug_aranges');
  if (!data) return [];
  const out: { unit: number; low: number; high: number }[] = [];
  const c = new ByteCursor(data, 0, data.length, '.debug_aranges');
  while (c.remaining > 0) {
    const setStart = c.offset;
    let length = c.u32();
    let offsetSize = 4;
    if (length === 0xffffffff) { length = c.u64(); offsetSize = 8; }
    const end = c.offset + length;
    if (end > data.length) throw new ElfError(`.debug_aranges: set at offset ${setStart} runs past the section`);
    const s = new ByteCursor(data, c.offset, end, `.debug_aranges set at offset ${setStart}`);
    c.seek(end);
    s.u16(); // version
    const unit = s.uN(offsetSize);
    const addressSize = s.u8();
    s.u8(); // segment selector size
    if (addressSize !== 4 && addressSize !== 8 && addressSize !== 2) throw new ElfError(`.debug_aranges: address size ${addressSize}`);
    // Tuples start at a multiple of twice the address size from the set's start.
    const pad = (2 * addressSize - ((s.offset - setStart) % (2 * addressSize))) % (2 * addressSize);
    s.skip(Math.min(pad, s.remaining));
    while (s.remaining >= 2 * addressSize) {
      const low = s.address(addressSize);
      const len = s.address(addressSize);
      if (low === 0 && len === 0) continue;
      out.push({ unit, low, high: low + len });
    }
  }
  return out;
}

function findAbbrev(abbrev: Uint8Array, offset: number, code: number): AttrSpec[] {
  if (!(offset >= 0 && offset < abbrev.length)) throw new ElfError(`.debug_abbrev offset ${offset} is outside the section`);
  const c = new ByteCursor(abbrev, offset, abbrev.length, '.debug_abbrev');
  for (;;) {
    const entry = c.uleb();
    if (entry === 0) throw new ElfError(`.debug_abbrev: abbreviation ${code} not found`);
    c.uleb(); // tag
    c.u8(); // has children
    const attrs: AttrSpec[] = [];
    for (;;) {
      const attr = c.uleb();
      const form = c.uleb();
      if (attr === 0 && form === 0) break;
      attrs.push(form === 0x21 ? { attr, form, implicit: c.sleb() } : { attr, form });
    }
    if (entry === code) return attrs;
  }
}

export interface FormContext {
  readonly offsetSize: number;
  readonly addressSize: number;
  readonly version: number;
  readonly str?: Uint8Array;
  readonly lineStr?: Uint8Array;
}

/**
 * Reads one attribute value of the given form: strings resolved when they are inline or in .debug_str /
 * .debug_line_str, numbers for constants and offsets, undefined for what is only skipped (blocks, indexed strings).
 */
export function readForm(c: ByteCursor, form: number, ctx: FormContext, depth: number): string | number | undefined {
  switch (form) {
    case 0x01: return c.address(ctx.addressSize); // addr
    case 0x03: c.skip(c.u16()); return undefined; // block2
    case 0x04: c.skip(c.u32()); return undefined; // block4
    case 0x05: return c.u16(); // data2
    case 0x06: return c.u32(); // data4
    case 0x07: return c.u64(); // data8
    case 0x08: return c.cstring(); // string
    case 0x09: case 0x18: c.skip(c.uleb()); return undefined; // block, exprloc
    case 0x0a: c.skip(c.u8()); return undefined; // block1
    case 0x0b: case 0x11: case 0x0c: case 0x25: case 0x29: return c.u8(); // data1, ref1, flag, strx1, addrx1
    case 0x0d: return c.sleb(); // sdata
    case 0x0e: return strAt(ctx.str, c.uN(ctx.offsetSize), '.debug_str'); // strp
    case 0x1f: return strAt(ctx.lineStr, c.uN(ctx.offsetSize), '.debug_line_str'); // line_strp
    case 0x0f: case 0x15: case 0x1a: case 0x1b: case 0x22: case 0x23: return c.uleb(); // udata, ref_udata, strx, addrx, loclistx, rnglistx
    case 0x10: return c.uN(ctx.version <= 2 ? ctx.addressSize : ctx.offsetSize); // ref_addr
    case 0x12: case 0x26: case 0x2a: return c.u16(); // ref2, strx2, addrx2
    case 0x27: case 0x2b: { const lo = c.u16(); return lo + c.u8() * 0x10000; } // strx3, addrx3
    case 0x13: case 0x1c: case 0x28: case 0x2c: return c.u32(); // ref4, ref_sup4, strx4, addrx4
    case 0x14: case 0x20: case 0x24: c.skip(8); return undefined; // ref8, ref_sig8, ref_sup8
    case 0x17: case 0x1d: case 0x1f20: case 0x1f21: return c.uN(ctx.offsetSize); // sec_offset, strp_sup, GNU alt refs
    case 0x19: case 0x21: return undefined; // flag_present, implicit_const (value lives in the abbreviation)
    case 0x1e: c.skip(16); return undefined; // data16
    case 0x1f01: case 0x1f02: return c.uleb(); // GNU_addr_index, GNU_str_index
    case 0x16: // indirect: the form is in the data; bounded so a chain of indirections cannot recurse forever
      if (depth > 4) throw new ElfError('DWARF: too many nested DW_FORM_indirect');
      return readForm(c, c.uleb(), ctx, depth + 1);
    default:
      throw new ElfError(`DWARF: unknown attribute form 0x${form.toString(16)}`);
  }
}

function strAt(section: Uint8Array | undefined, offset: number, what: string): string {
  if (!section) throw new ElfError(`DWARF refers to ${what}, which is missing`);
  return stringAt(section, 0, section.length, offset, what);
}

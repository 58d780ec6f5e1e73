import { ByteCursor } from './bytes';
import { ElfError } from './error';
import type { ElfFile } from './elf';
import { dieRanges, readForm, readUnitHeader, unitBases, type FormContext, type RawAttrs, type UnitShape } from './dwarfUnits';

/**
 * A DW_TAG_subprogram or DW_TAG_inlined_subroutine of `.debug_info`: what llvm-addr2line `-i` reads to say which
 * inlined calls an address sits in (the runtime's map code inlined into main.record, itself inlined into main.main).
 */
export interface Subroutine {
  /** Offset of the DIE in `.debug_info`. */
  readonly offset: number;
  readonly inlined: boolean;
  /** The nearest enclosing subprogram or inlined subroutine (lexical blocks skipped). */
  readonly parent?: Subroutine;
  /** For an inlined subroutine: where it was called from (a file index of the unit's line table, line, column). */
  readonly callFile: number;
  readonly callLine: number;
  readonly callColumn: number;
  /** DW_AT_name, DW_AT_linkage_name (or DW_AT_MIPS_linkage_name) of this DIE itself. */
  readonly name?: string;
  readonly linkageName?: string;
  /** `.debug_info` offsets of the DIEs named by DW_AT_abstract_origin and DW_AT_specification. */
  readonly origins: readonly number[];
}

const TAG_SUBPROGRAM = 0x2e;
const TAG_INLINED_SUBROUTINE = 0x1d;
const AT_NAME = 0x03;
const AT_LINKAGE_NAME = 0x6e;
const AT_MIPS_LINKAGE_NAME = 0x2007;
const AT_ABSTRACT_ORIGIN = 0x31;
const AT_SPECIFICATION = 0x47;
const AT_CALL_COLUMN = 0x57;
const AT_CALL_FILE = 0x58;
const AT_CALL_LINE = 0x59;
// ref1, ref2, ref4, ref_udata: offsets from the unit's start; ref_addr: from the section's start.
const UNIT_REF_FORMS = new Set([0x11, 0x12, 0x13, 0x15]);
const FORM_REF_ADDR = 0x10;
// Deeper nesting than this is not a compiler's output; it bounds the work a hostile file can ask for.
const MAX_DEPTH = 4096;

interface Abbrev { readonly tag: number; readonly children: boolean; readonly attrs: readonly { attr: number; form: number; implicit?: number }[] }

function abbrevTable(abbrev: Uint8Array, offset: number): Map<number, Abbrev> {
  if (!(offset >= 0 && offset < abbrev.length)) throw new ElfError(`.debug_abbrev offset ${offset} is outside the section`);
  const c = new ByteCursor(abbrev, offset, abbrev.length, '.debug_abbrev');
  const table = new Map<number, Abbrev>();
  for (;;) {
    const code = c.uleb();
    if (code === 0) return table;
    const tag = c.uleb();
    const children = c.u8() !== 0;
    const attrs: { attr: number; form: number; implicit?: number }[] = [];
    for (;;) {
      const attr = c.uleb();
      const form = c.uleb();
      if (attr === 0 && form === 0) break;
      attrs.push(form === 0x21 ? { attr, form, implicit: c.sleb() } : { attr, form });
    }
    if (!table.has(code)) table.set(code, { tag, children, attrs });
  }
}

/** One compile unit's subroutines and LLVM's address → innermost subroutine map over them. */
export class UnitSubroutines {
  /** Every subprogram and inlined subroutine, by `.debug_info` offset. */
  readonly byOffset = new Map<number, Subroutine>();
  /** Disjoint [start, end) → subroutine, sorted by start: DWARFUnit::AddrDieMap. */
  private readonly starts: number[] = [];
  private readonly entries = new Map<number, { end: number; die: Subroutine }>();

  constructor(readonly unitOffset: number, readonly unitEnd: number) {}

  /**
   * LLVM's DWARFUnit::updateAddressDieMap: parents are added before their children, so a child's range lies inside
   * an existing range and splits it in at most three.
   */
  add(low: number, high: number, die: Subroutine): void {
    if (low === high) return;
    const i = upperBound(this.starts, low);
    if (i > 0) {
      const bStart = this.starts[i - 1]!;
      const b = this.entries.get(bStart)!;
      if (low < b.end) {
        if (high < b.end) this.set(high, { ...b });
        if (low > bStart) b.end = low;
      }
    }
    this.set(low, { end: high, die });
  }

  private set(start: number, value: { end: number; die: Subroutine }): void {
    if (!this.entries.has(start)) this.starts.splice(upperBound(this.starts, start), 0, start);
    this.entries.set(start, value);
  }

  /** DWARFUnit::getSubroutineForAddress: the innermost subroutine whose range holds the address. */
  subroutineAt(address: number): Subroutine | undefined {
    const i = upperBound(this.starts, address);
    if (i === 0) return undefined;
    const e = this.entries.get(this.starts[i - 1]!)!;
    return address < e.end ? e.die : undefined;
  }
}

/** The first index whose value is greater than `x` (std::upper_bound). */
function upperBound(sorted: readonly number[], x: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Reads the whole DIE tree of the unit at `unitOffset` of `.debug_info`, keeping its subroutines. Throws ElfError on
 * a malformed unit.
 */
export function readUnitSubroutines(elf: ElfFile, unitOffset: number): UnitSubroutines {
  const info = elf.sectionData('.debug_info');
  const abbrev = elf.sectionData('.debug_abbrev');
  if (!info || !abbrev) throw new ElfError('no .debug_info or .debug_abbrev');
  const h = readUnitHeader(info, unitOffset);
  if (!h.body) throw new ElfError(`.debug_info: unit version ${h.version}`);
  const { body: u, version, addressSize, offsetSize, abbrevOffset, end: unitEnd } = h;
  const table = abbrevTable(abbrev, abbrevOffset);
  const shape: UnitShape = { version, addressSize, offsetSize };
  const ctx: FormContext = { offsetSize, addressSize, version, str: elf.sectionData('.debug_str'), lineStr: elf.sectionData('.debug_line_str') };
  const out = new UnitSubroutines(unitOffset, unitEnd);
  // The enclosing subroutine of each open level of the tree (undefined at levels outside any subroutine).
  const stack: (Subroutine | undefined)[] = [];
  let bases: ReturnType<typeof unitBases> | undefined;
  while (u.remaining > 0) {
    const offset = u.offset;
    const code = u.uleb();
    if (code === 0) {
      stack.pop();
      if (stack.length === 0) break;
      continue;
    }
    const a = table.get(code);
    if (!a) throw new ElfError(`.debug_info: DIE at offset ${offset} uses abbreviation ${code}, which is not defined`);
    const raw: RawAttrs = new Map();
    for (const s of a.attrs) {
      if (!WANTED.has(s.attr)) { skipForm(u, s.form, ctx); continue; }
      const value = s.form === 0x21 ? s.implicit : readForm(u, s.form, ctx, 0);
      raw.set(s.attr, { form: s.form, value });
    }
    const enclosing = stack.length ? stack[stack.length - 1] : undefined;
    let current = enclosing;
    if (bases === undefined) bases = unitBases(raw, shape, elf); // the first DIE is the unit's own
    else if (a.tag === TAG_SUBPROGRAM || a.tag === TAG_INLINED_SUBROUTINE) {
      const die: Subroutine = {
        offset, inlined: a.tag === TAG_INLINED_SUBROUTINE, parent: enclosing,
        callFile: uint(raw, AT_CALL_FILE), callLine: uint(raw, AT_CALL_LINE), callColumn: uint(raw, AT_CALL_COLUMN),
        name: str(raw, AT_NAME), linkageName: str(raw, AT_MIPS_LINKAGE_NAME) ?? str(raw, AT_LINKAGE_NAME),
        origins: [AT_SPECIFICATION, AT_ABSTRACT_ORIGIN].map((at) => ref(raw, at, unitOffset)).filter((r): r is number => r !== undefined),
      };
      out.byOffset.set(offset, die);
      for (const [low, high] of dieRanges(elf, raw, shape, bases)) out.add(low, high, die);
      current = die;
    }
    if (a.children) {
      if (stack.length >= MAX_DEPTH) throw new ElfError(`.debug_info: DIEs nested deeper than ${MAX_DEPTH} at offset ${offset}`);
      stack.push(current);
    } else if (stack.length === 0) break; // a unit DIE without children
  }
  return out;
}

// What the chain and its names need (the unit DIE's bases and ranges included); every other value is only skipped,
// so 64-bit constants (DW_AT_const_value of an MMIO address) cost nothing and cannot fail.
const WANTED = new Set([AT_NAME, AT_LINKAGE_NAME, AT_MIPS_LINKAGE_NAME, AT_ABSTRACT_ORIGIN, AT_SPECIFICATION, AT_CALL_COLUMN, AT_CALL_FILE,
  AT_CALL_LINE, 0x11, 0x12, 0x55, 0x73, 0x74, 0x2133]);

function skipForm(c: ByteCursor, form: number, ctx: FormContext): void {
  switch (form) {
    case 0x07: c.skip(8); return; // data8
    case 0x0d: case 0x0f: while (c.u8() & 0x80); return; // sdata, udata: any length
    case 0x0e: case 0x1f: c.skip(ctx.offsetSize); return; // strp, line_strp: no need to decode
    case 0x08: while (c.u8() !== 0); return; // string
    case 0x21: return;
    default: readForm(c, form, ctx, 0);
  }
}

function uint(raw: RawAttrs, attr: number): number {
  const v = raw.get(attr)?.value;
  return typeof v === 'number' && v >= 0 ? v : 0;
}

function str(raw: RawAttrs, attr: number): string | undefined {
  const v = raw.get(attr)?.value;
  return typeof v === 'string' ? v : undefined;
}

function ref(raw: RawAttrs, attr: number, unitOffset: number): number | undefined {
  const r = raw.get(attr);
  if (!r || typeof r.value !== 'number') return undefined;
  if (UNIT_REF_FORMS.has(r.form)) return unitOffset + r.value;
  if (r.form === FORM_REF_ADDR) return r.value;
  return undefined;
}

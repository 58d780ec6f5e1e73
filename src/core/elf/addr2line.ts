import type { ElfFile } from './elf';
import { parseDebugLine, type LineRow, type LineTable } from './dwarfLine';
import { readAranges, readUnitLineInfo, type UnitLineInfo } from './dwarfUnits';
import { readUnitSubroutines, type Subroutine, type UnitSubroutines } from './dwarfInline';
import { ElfError } from './error';

export interface SourceLocation {
  /** The path as the DWARF gives it: compilation directory, include directory and file name joined. */
  readonly file: string;
  readonly line: number;
  /** 0 when the producer recorded no column. */
  readonly column: number;
}

interface Sequence {
  readonly lowPc: number;
  readonly highPc: number;
  /** Rows of the sequence, the end_sequence row last. */
  readonly rows: readonly LineRow[];
}

interface UnitLines {
  readonly table: LineTable;
  readonly compDir: string;
  /** Valid sequences ordered by end address, for LLVM's upper_bound search. */
  readonly sequences: readonly Sequence[];
  /** Each file index's path once joined: a firmware's report asks about thousands of addresses in a few files. */
  readonly files: Map<number, string | undefined>;
}

interface UnitRange { low: number; high: number; unit: number }

/** One frame of `llvm-addr2line -i -f`: the innermost (the line table's row) first, the real function last. */
export interface InlineFrame {
  /** The subroutine's name (linkage name first, as llvm-addr2line prints by default); undefined when DWARF has none. */
  readonly function?: string;
  /** Undefined when the line table has no row (frame 0) or no such file (a call site's file index). */
  readonly file?: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Address → source line from the ELF's DWARF, with llvm-addr2line's rules, so both give the same answer:
 * the compile unit covering the address (from `.debug_aranges` and each unit's own ranges, overlaps going to the
 * unit found first, as LLVM's DWARFDebugAranges decides), then in that unit's line table the sequence whose
 * [low, high) contains the address, then the last row at or below it. Built once per ELF; a lookup is two binary
 * searches.
 */
export class LineLookup {
  private readonly ranges: readonly UnitRange[];
  /** The compile units' names, directories and ranges, read once for whoever else needs them (attribution). */
  readonly unitInfos: readonly UnitLineInfo[];
  private readonly units = new Map<number, UnitLines>();
  private readonly unitOffsets: number[];
  /** Each unit's DIE tree is read on the first frames() question about it (or the error it gave). */
  private readonly subroutines = new Map<number, UnitSubroutines | ElfError>();

  constructor(private readonly elf: ElfFile) {
    const tables = new Map<number, LineTable>();
    for (const t of parseDebugLine(elf)) tables.set(t.offset, t);
    const infos = readUnitLineInfo(elf);
    this.unitInfos = infos;
    const sequencesOf = new Map<LineTable, Sequence[]>();
    for (const u of infos) {
      const table = u.stmtList === undefined ? undefined : tables.get(u.stmtList);
      if (!table) continue;
      let sequences = sequencesOf.get(table);
      if (!sequences) sequencesOf.set(table, (sequences = sequencesIn(table)));
      this.units.set(u.offset, { table, compDir: u.compDir ?? '', sequences, files: new Map() });
    }
    this.ranges = unitRanges(readAranges(elf), infos);
    this.unitOffsets = infos.map((u) => u.offset).sort((a, b) => a - b);
  }

  /** Number of address ranges (sequences) known over all units. */
  get sequenceCount(): number {
    let n = 0;
    for (const u of new Set([...this.units.values()].map((x) => x.sequences))) n += u.length;
    return n;
  }

  /** The `.debug_info` offset of the compile unit whose code holds `address`. */
  private unitAt(address: number): number | undefined {
    if (!Number.isFinite(address)) return undefined;
    const r = this.ranges[firstIndex(this.ranges.length, (i) => this.ranges[i]!.high > address)];
    return !r || r.low > address ? undefined : r.unit;
  }

  /** The source location of the instruction at `address`, or undefined when no line table covers it. */
  lookup(address: number): SourceLocation | undefined {
    const at = this.unitAt(address);
    const unit = at === undefined ? undefined : this.units.get(at);
    if (!unit) return undefined;
    const seqs = unit.sequences;
    const seq = seqs[firstIndex(seqs.length, (i) => seqs[i]!.highPc > address)];
    if (!seq || address < seq.lowPc || address >= seq.highPc) return undefined;
    // Last row (never the end row) whose address is <= the address.
    const rows = seq.rows;
    const after = 1 + firstIndex(rows.length - 2, (i) => rows[i + 1]!.address > address);
    const row = rows[after - 1]!;
    let file = unit.files.get(row.file);
    if (file === undefined && !unit.files.has(row.file)) unit.files.set(row.file, (file = fileName(unit.table, row.file, unit.compDir)));
    if (file === undefined) return undefined;
    return { file, line: row.line, column: row.column };
  }

  /**
   * The inlining chain at `address`, as `llvm-addr2line -i -f` prints it (DWARFContext::getInliningInfoForAddress):
   * frame 0 is the line table's row named after the innermost inlined subroutine; each next frame is the call site
   * (DW_AT_call_file/line/column) of the frame before, named after the subroutine it lies in; the last frame is the
   * real function (DW_TAG_subprogram). Without subroutine records, the line table's row alone; [] when nothing
   * covers the address. Throws ElfError when the unit's `.debug_info` is malformed.
   */
  frames(address: number): InlineFrame[] {
    const at = this.unitAt(address);
    if (at === undefined) return [];
    const unit = this.units.get(at);
    const chain: Subroutine[] = [];
    for (let s = this.subroutinesOf(at).subroutineAt(address); s; s = s.parent) {
      chain.push(s);
      if (!s.inlined) break;
    }
    const row = this.lookup(address);
    if (chain.length === 0) return row ? [{ ...row }] : [];
    const frames: InlineFrame[] = [];
    chain.forEach((die, i) => {
      const name = this.nameOf(die);
      let where: { file?: string; line: number; column: number };
      if (i === 0) where = row ?? { line: 0, column: 0 };
      else {
        const call = chain[i - 1]!;
        const file = unit ? fileName(unit.table, call.callFile, unit.compDir) : undefined;
        where = { file, line: call.callLine, column: call.callColumn };
      }
      const frame: { -readonly [K in keyof InlineFrame]: InlineFrame[K] } = { line: where.line, column: where.column };
      if (where.file !== undefined) frame.file = where.file;
      if (name !== undefined) frame.function = name;
      frames.push(frame);
    });
    return frames;
  }

  private subroutinesOf(unit: number): UnitSubroutines {
    let s = this.subroutines.get(unit);
    if (s === undefined) {
      try {
        s = readUnitSubroutines(this.elf, unit);
      } catch (e) {
        if (!(e instanceof ElfError)) throw e;
        s = e;
      }
      this.subroutines.set(unit, s);
    }
    if (s instanceof ElfError) throw s;
    return s;
  }

  /** The DIE at a `.debug_info` offset, reading the unit that holds it; undefined when it is no subroutine. */
  private dieAt(offset: number): Subroutine | undefined {
    const i = firstIndex(this.unitOffsets.length, (k) => this.unitOffsets[k]! > offset) - 1;
    if (i < 0) return undefined;
    try {
      return this.subroutinesOf(this.unitOffsets[i]!).byOffset.get(offset);
    } catch {
      return undefined;
    }
  }

  /**
   * DWARFDie::getSubroutineName(LinkageName): the linkage name, else the name, each searched through
   * DW_AT_specification and DW_AT_abstract_origin (findRecursively), each DIE visited once.
   */
  private nameOf(die: Subroutine): string | undefined {
    const visit = (pick: (d: Subroutine) => string | undefined): string | undefined => {
      const seen = new Set<number>();
      const work: Subroutine[] = [die];
      while (work.length) {
        const d = work.shift()!;
        if (seen.has(d.offset)) continue;
        seen.add(d.offset);
        const v = pick(d);
        if (v !== undefined) return v;
        for (const o of d.origins) {
          const next = this.dieAt(o);
          if (next) work.push(next);
        }
      }
      return undefined;
    };
    return visit((d) => d.linkageName) ?? visit((d) => d.name);
  }
}

/** The first index in [0, n) for which `pred` holds, given it is false then true; n when it never holds. */
function firstIndex(n: number, pred: (i: number) => boolean): number {
  let lo = 0, hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function sequencesIn(table: LineTable): Sequence[] {
  const seqs: Sequence[] = [];
  let first = 0;
  for (let i = 0; i < table.rows.length; i++) {
    if (!table.rows[i]!.endSequence) continue;
    const lowPc = table.rows[first]!.address;
    const highPc = table.rows[i]!.address;
    // Like LLVM, empty or backwards sequences (what a linker leaves of discarded functions) are not sequences.
    if (lowPc < highPc && i > first) seqs.push({ lowPc, highPc, rows: table.rows.slice(first, i + 1) });
    first = i + 1;
  }
  // Array.prototype.sort is stable: sequences ending at the same address stay in table order.
  return seqs.sort((a, b) => a.highPc - b.highPc);
}

/**
 * Merges every unit's ranges into disjoint [low, high) → unit ranges by a sweep over their end points, the way
 * LLVM's DWARFDebugAranges::construct does: `.debug_aranges` for the units it lists, the unit DIE's own ranges for
 * the others; where ranges overlap, the unit with the lowest offset wins unless the previous range can be extended.
 */
function unitRanges(aranges: readonly { unit: number; low: number; high: number }[], units: readonly UnitLineInfo[]): UnitRange[] {
  const points: { address: number; unit: number; start: boolean }[] = [];
  const add = (unit: number, low: number, high: number) => {
    if (low < high) points.push({ address: low, unit, start: true }, { address: high, unit, start: false });
  };
  const listed = new Set<number>();
  for (const a of aranges) { add(a.unit, a.low, a.high); listed.add(a.unit); }
  for (const u of units) if (!listed.has(u.offset)) for (const [low, high] of u.ranges) add(u.offset, low, high);
  points.sort((a, b) => a.address - b.address);
  const valid = new Map<number, number>();
  const out: UnitRange[] = [];
  let prev = -1;
  for (const p of points) {
    if (prev >= 0 && prev < p.address && valid.size > 0) {
      const last = out[out.length - 1];
      if (last && last.high === prev && valid.has(last.unit)) last.high = p.address;
      else out.push({ low: prev, high: p.address, unit: Math.min(...valid.keys()) });
    }
    if (p.start) valid.set(p.unit, (valid.get(p.unit) ?? 0) + 1);
    else {
      const n = valid.get(p.unit) ?? 0;
      if (n <= 1) valid.delete(p.unit);
      else valid.set(p.unit, n - 1);
    }
    prev = p.address;
  }
  return out;
}

/** Looks up one address; for many, build a LineLookup once. */
export function addr2line(elf: ElfFile, address: number): SourceLocation | undefined {
  return new LineLookup(elf).lookup(address);
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(p);
}

/** Joins like LLVM's sys::path::append (POSIX style), so paths compare equal to llvm-addr2line's. */
function join(parts: readonly string[]): string {
  let out = '';
  for (const p of parts) {
    if (out.endsWith('/')) {
      out += p.replace(/^\/+/, '');
      continue;
    }
    if (!p.startsWith('/') && out !== '') out += '/';
    out += p;
  }
  return out;
}

/** The file path of a row, as llvm-addr2line prints it (its "absolute file path" kind). */
export function fileName(table: LineTable, index: number, compDir: string): string | undefined {
  const entry = table.version >= 5 ? table.files[index] : table.files[index - 1];
  if (!entry) return undefined;
  if (isAbsolute(entry.name)) return entry.name;
  let includeDir = '';
  if (table.version >= 5) {
    includeDir = table.directories[entry.dir] ?? '';
  } else if (entry.dir > 0) {
    includeDir = table.directories[entry.dir - 1] ?? '';
  }
  const parts: string[] = [];
  if ((table.version < 5 || entry.dir !== 0) && compDir !== '' && !isAbsolute(includeDir)) parts.push(compDir);
  parts.push(includeDir, entry.name);
  return join(parts);
}

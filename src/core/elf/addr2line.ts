import type { ElfFile } from './elf';
import { parseDebugLine, type LineRow, type LineTable } from './dwarfLine';
import { readAranges, readUnitLineInfo, type UnitLineInfo } from './dwarfUnits';

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
}

interface UnitRange { low: number; high: number; unit: number }

/**
 * Address → source line from the ELF's DWARF, with llvm-addr2line's rules, so both give the same answer:
 * the compile unit covering the address (from `.debug_aranges` and each unit's own ranges, overlaps going to the
 * unit found first, as LLVM's DWARFDebugAranges decides), then in that unit's line table the sequence whose
 * [low, high) contains the address, then the last row at or below it. Built once per ELF; a lookup is two binary
 * searches.
 */
export class LineLookup {
  private readonly ranges: readonly UnitRange[];
  private readonly units = new Map<number, UnitLines>();

  constructor(elf: ElfFile) {
    const tables = new Map<number, LineTable>();
    for (const t of parseDebugLine(elf)) tables.set(t.offset, t);
    const infos = readUnitLineInfo(elf);
    const sequencesOf = new Map<LineTable, Sequence[]>();
    for (const u of infos) {
      const table = u.stmtList === undefined ? undefined : tables.get(u.stmtList);
      if (!table) continue;
      let sequences = sequencesOf.get(table);
      if (!sequences) sequencesOf.set(table, (sequences = sequencesIn(table)));
      this.units.set(u.offset, { table, compDir: u.compDir ?? '', sequences });
    }
    this.ranges = unitRanges(readAranges(elf), infos);
  }

  /** Number of address ranges (sequences) known over all units. */
  get sequenceCount(): number {
    let n = 0;
    for (const u of new Set([...this.units.values()].map((x) => x.sequences))) n += u.length;
    return n;
  }

  /** The source location of the instruction at `address`, or undefined when no line table covers it. */
  lookup(address: number): SourceLocation | undefined {
    if (!Number.isFinite(address)) return undefined;
    const r = this.ranges[firstIndex(this.ranges.length, (i) => this.ranges[i]!.high > address)];
    if (!r || r.low > address) return undefined;
    const unit = this.units.get(r.unit);
    if (!unit) return undefined;
    const seqs = unit.sequences;
    const seq = seqs[firstIndex(seqs.length, (i) => seqs[i]!.highPc > address)];
    if (!seq || address < seq.lowPc || address >= seq.highPc) return undefined;
    // Last row (never the end row) whose address is <= the address.
    const rows = seq.rows;
    const after = 1 + firstIndex(rows.length - 2, (i) => rows[i + 1]!.address > address);
    const row = rows[after - 1]!;
    const file = fileName(unit.table, row.file, unit.compDir);
    if (file === undefined) return undefined;
    return { file, line: row.line, column: row.column };
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

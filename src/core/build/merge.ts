/**
 * The compiler's `-print-allocs` report set against the editing-time heap-allocation hints (rule family `alloc`).
 * Both are compared by line: a hint on a line where the compiler reports an allocation is *confirmed*; a compiler
 * allocation with no hint on its line is *missed* (shown anyway); a hint with no allocation on its line is
 * *unconfirmed*. Per build:
 *   recall    = lines with both / lines with a compiler allocation
 *   precision = lines with both / lines with a hint
 * counted over the files the hints were computed for (the built package), so allocations the regexp let through
 * from elsewhere do not skew the figures.
 */
import * as path from 'node:path';
import type { HeapAlloc } from '../tinygo/allocs';

export interface AllocHint {
  /** Absolute path. */
  file: string;
  /** 1-based, like the compiler's. */
  line: number;
  ruleId: string;
  message: string;
}

export interface MergedAlloc {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, when the compiler printed one. */
  column?: number;
  /** The compiler's reason texts on this line (several allocations can share a line). */
  reasons: string[];
  /** Hints on the same line; non-empty means confirmed. */
  hints: AllocHint[];
  status: 'confirmed' | 'missed';
}

export interface AllocStats {
  /** Distinct lines with a compiler allocation, in the hinted files. */
  compilerLines: number;
  /** Distinct lines with a hint. */
  hintLines: number;
  confirmedLines: number;
  /** undefined when there is nothing to divide by. */
  recall?: number;
  precision?: number;
}

export interface MergeResult {
  /** Every compiler allocation with a position, one entry per line, in file/line order. */
  allocs: MergedAlloc[];
  /** Hints the compiler did not confirm. */
  unconfirmed: AllocHint[];
  /** Compiler allocations without a position (`-`): counted nowhere, listed in the output channel. */
  unplaced: HeapAlloc[];
  stats: AllocStats;
}

/** Paths compare case-insensitively on Windows and macOS-style volumes would need more; normalising separators and `..` is what matters here. */
export function normalizePath(p: string): string {
  return path.normalize(p).replace(/\\/g, '/');
}

const key = (file: string, line: number) => `${normalizePath(file)}\u0000${line}`;

/**
 * @param hintedFiles the files the hints were computed for (absolute). Statistics count only these; when omitted,
 *   the files the hints name.
 */
export function mergeAllocs(compiler: readonly HeapAlloc[], hints: readonly AllocHint[], hintedFiles?: readonly string[]): MergeResult {
  const byLine = new Map<string, MergedAlloc>();
  const unplaced: HeapAlloc[] = [];
  for (const a of compiler) {
    if (a.file === undefined || a.line === undefined) { unplaced.push(a); continue; }
    const k = key(a.file, a.line);
    let m = byLine.get(k);
    if (!m) {
      m = { file: a.file, line: a.line, column: a.column, reasons: [], hints: [], status: 'missed' };
      byLine.set(k, m);
    } else if (a.column !== undefined && (m.column === undefined || a.column < m.column)) {
      m.column = a.column;
    }
    if (!m.reasons.includes(a.reasonText)) m.reasons.push(a.reasonText);
  }
  const unconfirmed: AllocHint[] = [];
  const hintLineKeys = new Set<string>();
  for (const h of hints) {
    const k = key(h.file, h.line);
    hintLineKeys.add(k);
    const m = byLine.get(k);
    if (m) { m.hints.push(h); m.status = 'confirmed'; } else unconfirmed.push(h);
  }
  const scope = new Set((hintedFiles ?? hints.map((h) => h.file)).map(normalizePath));
  let compilerLines = 0;
  let confirmedLines = 0;
  for (const m of byLine.values()) {
    if (!scope.has(normalizePath(m.file))) continue;
    compilerLines++;
    if (m.status === 'confirmed') confirmedLines++;
  }
  const hintLines = hintLineKeys.size;
  const allocs = [...byLine.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return {
    allocs, unconfirmed, unplaced,
    stats: {
      compilerLines, hintLines, confirmedLines,
      recall: compilerLines ? confirmedLines / compilerLines : undefined,
      precision: hintLines ? confirmedLines / hintLines : undefined,
    },
  };
}

/**
 * One line for the output channel, in words: how many lines each source marks and how many both do. The hints
 * the compiler does not confirm are mostly code that is not in the firmware (the compiler only reports what it
 * keeps), so no "precision" figure, which reads as the hints being wrong.
 */
export function formatAllocStats(s: AllocStats): string {
  const parts = [`heap allocations: the compiler reported ${s.compilerLines} line(s) in the files the editor checked, the editor marks ${s.hintLines} line(s), ${s.confirmedLines} on both`];
  const hintOnly = s.hintLines - s.confirmedLines;
  const compilerOnly = s.compilerLines - s.confirmedLines;
  if (hintOnly > 0) parts.push(`${hintOnly} editor hint(s) with no allocation in this build (code that is not in the firmware, or an allocation the compiler avoided)`);
  if (compilerOnly > 0) parts.push(`${compilerOnly} compiler allocation(s) the editor does not mark (shown as build problems)`);
  return parts.join('; ');
}

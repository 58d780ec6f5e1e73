/**
 * `-print-allocs=REGEXP` lines (stderr): where TinyGo left an object on the heap, and why. The position comes from
 * go/token.Position.String(): the column is left out when 0, and the whole position is `-` when unknown.
 */

import { outputLines, withoutCR } from './lines';

export type AllocReason =
  | { kind: 'escapes'; line: number }
  | { kind: 'escapes-unknown-line' }
  | { kind: 'too-large'; size: number; maxStackAlloc: number }
  | { kind: 'size-not-constant' };

export interface HeapAlloc {
  /** Absolute path as printed (TinyGo does not shorten these); undefined when the position is `-`. */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based; undefined when TinyGo printed no column. */
  column?: number;
  reason: AllocReason;
  /** The reason text as printed. */
  reasonText: string;
  /** 0-based input line. */
  index: number;
}

export interface AllocsParseResult {
  allocs: HeapAlloc[];
  unparsed: { index: number; text: string }[];
}

const MARKER = ': object allocated on the heap: ';
const POS_RE = /^(.+?):(\d+)(?::(\d+))?$/;

export function parseAllocReason(text: string): AllocReason | undefined {
  let m = /^escapes at line (\d+)$/.exec(text);
  if (m) {
    return { kind: 'escapes', line: Number(m[1]) };
  }
  if (text === 'escapes at unknown line') {
    return { kind: 'escapes-unknown-line' };
  }
  m = /^object size (\d+) exceeds maximum stack allocation size (\d+)$/.exec(text);
  if (m) {
    return { kind: 'too-large', size: Number(m[1]), maxStackAlloc: Number(m[2]) };
  }
  if (text === 'size is not constant') {
    return { kind: 'size-not-constant' };
  }
  return undefined;
}

/** Other stderr lines (build errors, warnings) end up in `unparsed`; they are not allocation reports. */
export function parseAllocs(text: string): AllocsParseResult {
  const allocs: HeapAlloc[] = [];
  const unparsed: AllocsParseResult['unparsed'] = [];
  const lines = outputLines(text);
  lines.forEach((raw, index) => {
    const line = withoutCR(raw);
    if (line.trim() === '') {
      return;
    }
    // The marker is searched from the right because a file path may itself contain ": ".
    const at = line.lastIndexOf(MARKER);
    const reasonText = at >= 0 ? line.slice(at + MARKER.length) : '';
    const reason = at > 0 ? parseAllocReason(reasonText) : undefined;
    if (!reason) {
      unparsed.push({ index, text: raw });
      return;
    }
    const pos = line.slice(0, at);
    const alloc: HeapAlloc = { reason, reasonText, index };
    if (pos !== '-') {
      const m = POS_RE.exec(pos);
      if (!m) {
        unparsed.push({ index, text: raw });
        return;
      }
      alloc.file = m[1];
      alloc.line = Number(m[2]);
      if (m[3] !== undefined) {
        alloc.column = Number(m[3]);
      }
    }
    allocs.push(alloc);
  });
  return { allocs, unparsed };
}

/** A sentence for a hover or problem message. */
export function describeAllocReason(r: AllocReason): string {
  switch (r.kind) {
    case 'escapes':
      return `heap allocation: the object escapes at line ${r.line}`;
    case 'escapes-unknown-line':
      return 'heap allocation: the object escapes (TinyGo could not tell where)';
    case 'too-large':
      return `heap allocation: ${r.size} bytes is more than the ${r.maxStackAlloc}-byte stack allocation limit`;
    case 'size-not-constant':
      return 'heap allocation: the size is not known at compile time';
  }
}

/**
 * `-print-stacks` (stdout): the stack each goroutine entry point needs, as computed at link time (ARM, tasks
 * scheduler). Rows are `%-32s` names followed by a byte count or a reason the size is unknown.
 */

import { outputLines, withoutCR } from './lines';

export type StackUsage =
  | { kind: 'bytes'; bytes: number }
  | { kind: 'unknown'; reason: string; missingFrameInfo?: string; callsFunctionPointer?: string }
  | { kind: 'recursive'; reason: string; recursiveFunction: string };

export interface StackRow {
  function: string;
  usage: StackUsage;
  index: number;
}

export interface StacksParseResult {
  rows: StackRow[];
  /** The header line was seen (`function  stack usage (in bytes)`). */
  header: boolean;
  unparsed: { index: number; text: string }[];
}

const HEADER_RE = /^function\s+stack usage \(in bytes\)\s*$/;
// The name is matched lazily up to a known usage form, because instantiated generic names can contain spaces
// (`main.f[struct{a int}]`) and long names push the usage column right.
const ROW_RE = /^(\S.*?)\s+(\d+|(?:unknown|recursive), .+?)\s*$/;

function parseUsage(rest: string): StackUsage | undefined {
  if (/^\d+$/.test(rest)) {
    const bytes = Number(rest);
    return Number.isSafeInteger(bytes) ? { kind: 'bytes', bytes } : undefined;
  }
  let m = /^unknown, (.+) does not have stack frame information$/.exec(rest);
  if (m) {
    return { kind: 'unknown', reason: rest, missingFrameInfo: m[1] };
  }
  m = /^unknown, (.+) calls a function pointer$/.exec(rest);
  if (m) {
    return { kind: 'unknown', reason: rest, callsFunctionPointer: m[1] };
  }
  m = /^recursive, (.+) may call itself$/.exec(rest);
  if (m) {
    return { kind: 'recursive', reason: rest, recursiveFunction: m[1] };
  }
  if (rest.startsWith('unknown')) {
    return { kind: 'unknown', reason: rest };
  }
  return undefined;
}

export function parseStacks(text: string): StacksParseResult {
  const result: StacksParseResult = { rows: [], header: false, unparsed: [] };
  const lines = outputLines(text);
  lines.forEach((raw, index) => {
    const line = withoutCR(raw);
    if (line.trim() === '') {
      return;
    }
    if (HEADER_RE.test(line)) {
      result.header = true;
      return;
    }
    const m = ROW_RE.exec(line);
    const usage = m ? parseUsage(m[2]) : undefined;
    if (!m || !usage) {
      result.unparsed.push({ index, text: raw });
      return;
    }
    result.rows.push({ function: m[1], usage, index });
  });
  return result;
}

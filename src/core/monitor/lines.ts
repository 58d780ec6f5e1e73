import { StringDecoder } from 'node:string_decoder';
import * as path from 'node:path';
import { panicAddress, type PanicAddress } from './panicAddress';

/** A source location inside a line of monitor output; `start`/`end` are UTF-16 offsets, end exclusive. */
export interface LineLink {
  readonly start: number;
  readonly end: number;
  readonly file: string;
  readonly line: number;
  readonly col?: number;
}

export interface AnalyzedLine {
  /** A Go panic: `panic: ...` as printed by the TinyGo runtime, or tinygo monitor's `[tinygo: panic at ...]`. */
  readonly panic: boolean;
  readonly links: readonly LineLink[];
  /** The code address of a `panic: runtime error at 0x…` (or hard-fault) line, whether or not it was resolved. */
  readonly address?: PanicAddress;
}

/** A source position for a code address, e.g. the last built ELF's DWARF line table (core/elf LineLookup). */
export type AddressResolver = (address: number) => { readonly file: string; readonly line: number; readonly column: number } | undefined;

// tinygo monitor prints token.Position.String(): `file:line:col`, `file:line` when the column is unknown.
const TINYGO_PANIC_AT = /\[tinygo: panic at ((?:[A-Za-z]:)?[^\]\n]*?):(\d+)(?::(\d+))?\]/g;
// Any other `something.go:12[:3]` reference (a println of a position, a host-side trace).
const GO_POSITION = /((?:[A-Za-z]:)?[^\s:[\]()"']+\.go):(\d+)(?::(\d+))?/g;

/**
 * Finds panics and clickable Go source positions in one line of output. With `resolveAddress`, the address of a
 * `panic: runtime error at 0x…` line becomes a link to the source line it resolves to, as tinygo monitor's
 * `[tinygo: panic at FILE:LINE:COL]` is. Never throws (a throwing resolver counts as "unknown").
 */
export function analyzeLine(text: string, resolveAddress?: AddressResolver): AnalyzedLine {
  const s = typeof text === 'string' ? text : '';
  const links: LineLink[] = [];
  const address = panicAddress(s);
  if (address && resolveAddress) {
    let loc: ReturnType<AddressResolver>;
    try {
      loc = resolveAddress(address.address);
    } catch {
      loc = undefined;
    }
    // Column 0 means "no column" in DWARF; tinygo monitor then prints FILE:LINE.
    if (loc && loc.file && loc.line > 0) links.push(link(address.start, address.end, loc.file, String(loc.line), loc.column > 0 ? String(loc.column) : undefined));
  }
  for (const m of s.matchAll(TINYGO_PANIC_AT)) {
    const start = m.index! + '[tinygo: panic at '.length;
    links.push(link(start, start + m[0].length - '[tinygo: panic at '.length - 1, m[1]!, m[2]!, m[3]));
  }
  for (const m of s.matchAll(GO_POSITION)) {
    const start = m.index!;
    if (links.some((l) => start < l.end && start + m[0].length > l.start)) continue;
    links.push(link(start, start + m[0].length, m[1]!, m[2]!, m[3]));
  }
  links.sort((a, b) => a.start - b.start);
  const panic = /^\s*panic: /.test(s) || /\[tinygo: panic at /.test(s) || address?.kind === 'hard-fault';
  return address ? { panic, links, address } : { panic, links };
}

function link(start: number, end: number, file: string, line: string, col: string | undefined): LineLink {
  const l: { -readonly [K in keyof LineLink]: LineLink[K] } = { start, end, file, line: Number(line) };
  if (col !== undefined) l.col = Number(col);
  return l;
}

/**
 * Cuts a byte stream into text lines. UTF-8 sequences split across reads are kept whole; `\r\n` and `\n` both
 * end a line (TinyGo's println writes `\r\n` on most boards).
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  /** Returns the lines completed by this chunk, without their line ends. */
  push(chunk: Buffer | string): string[] {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const parts = this.pending.split('\n');
    this.pending = parts.pop()!;
    return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  /** The unfinished last line, if any; clears it. */
  flush(): string | undefined {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    return rest === '' ? undefined : rest.replace(/\r$/, '');
  }
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** `14:03:07.042`, local time: what a user compares with the clock on the wall. */
export function formatTimestamp(d: Date): string {
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The line written into the monitor and its log when a new program was flashed. */
export function flashMarker(firmware: string, at: Date): string {
  const name = firmware ? path.basename(firmware) : 'firmware';
  return `── flashed ${name} at ${formatTimestamp(at).slice(0, 8)} ──`;
}

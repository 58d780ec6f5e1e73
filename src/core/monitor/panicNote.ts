import * as path from 'node:path';
import type { LineLink } from './lines';

/** One frame of the inlining chain at a panic address, innermost first (core/elf LineLookup.frames). */
export interface PanicFrame {
  readonly file?: string;
  readonly line: number;
  readonly column: number;
  readonly function?: string;
}

/** What the monitor adds to a `panic: runtime error at 0x…` line once the address is looked up. */
export interface ResolvedPanic {
  /** The address's own source line (the innermost frame, what `tinygo monitor` links). */
  readonly at?: { readonly file: string; readonly line: number; readonly column: number };
  /** Text appended to the line, e.g. `[panic at main.go:25:8 (in runtime/hashmap.go:512:14)]`, links relative to it. */
  readonly note?: { readonly text: string; readonly links: readonly LineLink[] };
}

export type PanicResolver = (address: number) => ResolvedPanic | undefined;

function inside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * A short name for a source file: relative to the user's module when it is inside it, from the package path on for
 * the Go and TinyGo trees (`…/src/runtime/hashmap.go` → `runtime/hashmap.go`), else the base name.
 */
export function displayPath(file: string, moduleDir: string | undefined): string {
  if (moduleDir && inside(file, moduleDir)) return path.relative(moduleDir, file).split(path.sep).join('/');
  const i = file.lastIndexOf('/src/');
  return i >= 0 ? file.slice(i + '/src/'.length) : path.basename(file);
}

/**
 * Turns the inlining chain at a panic address into what the monitor shows: the address links to its own line, and
 * when that line is the runtime's (map code inlined into the program's function), the note names the program's own
 * line too — the innermost frame inside `moduleDir`, i.e. the user's statement that called into the runtime.
 */
export function resolvePanicFrames(frames: readonly PanicFrame[], moduleDir: string | undefined): ResolvedPanic | undefined {
  const known = frames.filter((f): f is PanicFrame & { file: string } => !!f.file && f.line > 0);
  const first = frames[0];
  if (!first?.file || first.line <= 0) return undefined;
  const at = { file: first.file, line: first.line, column: first.column };
  const user = moduleDir ? known.find((f) => inside(f.file, moduleDir)) : undefined;
  const pos = (f: { file: string; line: number; column: number }) => `${displayPath(f.file, moduleDir)}:${f.line}${f.column > 0 ? `:${f.column}` : ''}`;
  const links: LineLink[] = [];
  let text = '[panic at ';
  const add = (f: { file: string; line: number; column: number }) => {
    const s = pos(f);
    const l: { -readonly [K in keyof LineLink]: LineLink[K] } = { start: text.length, end: text.length + s.length, file: f.file, line: f.line };
    if (f.column > 0) l.col = f.column;
    links.push(l);
    text += s;
  };
  if (user && user !== first) {
    add(user);
    text += ' (in ';
    add(at);
    text += ')]';
  } else {
    add(at);
    text += ']';
  }
  return { at, note: { text, links } };
}

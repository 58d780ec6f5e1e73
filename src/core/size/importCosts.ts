/**
 * What the code in a Go file costs in the last build: each imported package's flash and RAM, and each function's
 * code size, from the built ELF's symbols (src/core/elf). Pure: the CodeLens provider in src/vscode/size gives it
 * the file's text and the last build's symbols.
 */

import { formatBytes } from './model';

export interface GoImport {
  path: string;
  /** 0-based line of the import spec. */
  line: number;
}

export interface GoFunc {
  /** `Name`, or `(*T).Name` / `(T).Name` for a method (type parameters dropped). */
  name: string;
  /** 0-based line of `func`. */
  line: number;
}

/** Blanks out comments and the contents of string literals, keeping every line and column (quotes stay). */
function blank(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const d = src[i + 1];
    if (c === '/' && d === '/') {
      while (i < src.length && src[i] !== '\n') { out += ' '; i++; }
    } else if (c === '/' && d === '*') {
      out += '  ';
      i += 2;
      while (i < src.length && !(src[i] === '*' && src[i + 1] === '/')) { out += src[i] === '\n' ? '\n' : ' '; i++; }
      if (i < src.length) { out += '  '; i += 2; }
    } else if (c === '"' || c === '`' || c === "'") {
      out += c;
      i++;
      while (i < src.length && src[i] !== c && !(c !== '`' && src[i] === '\n')) {
        if (c !== '`' && src[i] === '\\' && i + 1 < src.length) { out += ' '; i++; }
        out += src[i] === '\n' ? '\n' : ' ';
        i++;
      }
      if (i < src.length && src[i] === c) { out += c; i++; }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The import specs of a Go file (single and grouped, with or without a name), in order. */
export function goImports(src: string): GoImport[] {
  const masked = blank(src).split('\n');
  const raw = src.split('\n');
  const out: GoImport[] = [];
  const spec = (line: number, from: number) => {
    // The path is the first string literal after `from` on the line (a name or `.`/`_` may come before it).
    const m = /^\s*(?:[\p{L}_][\p{L}\p{N}_]*\s+|[._]\s+)?(["`])/u.exec(masked[line]!.slice(from));
    if (!m) return;
    const start = from + m[0].length;
    const end = masked[line]!.indexOf(m[1]!, start);
    if (end < 0) return;
    const p = raw[line]!.slice(start, end);
    if (p && !/[\\\s]/.test(p)) out.push({ path: p, line });
  };
  let inGroup = false;
  for (let i = 0; i < masked.length; i++) {
    const l = masked[i]!;
    if (inGroup) {
      const close = l.indexOf(')');
      spec(i, 0);
      if (close >= 0) inGroup = false;
      continue;
    }
    if (/^\s*(func|type|var|const)\b/.test(l)) break; // imports come before any declaration
    const m = /^\s*import\s*(\()?/.exec(l);
    if (!m) continue;
    if (m[1]) {
      inGroup = !l.slice(m[0].length).includes(')');
      spec(i, m[0].length);
    } else {
      spec(i, m[0].length);
    }
  }
  return out;
}

/** The top-level functions and methods of a Go file. */
export function goFuncs(src: string): GoFunc[] {
  const out: GoFunc[] = [];
  const lines = blank(src).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^func\s*(?:\(\s*(?:[\p{L}_][\p{L}\p{N}_]*\s+)?(\*?)\s*([\p{L}_][\p{L}\p{N}_]*)\s*(?:\[[^\]]*\])?\s*\)\s*)?([\p{L}_][\p{L}\p{N}_]*)/u.exec(lines[i]!);
    if (!m) continue;
    out.push({ name: m[2] ? `(${m[1]}${m[2]}).${m[3]}` : m[3]!, line: i });
  }
  return out;
}

/**
 * TinyGo's symbol names of a function of package `pkg`: `pkg.F`, methods `(*pkg.T).M` / `(pkg.T).M`, with closures
 * `pkg.F$1`, generic instances `pkg.F[int]` and other `$` suffixes (`$gowrapper`, `$invoke`).
 */
export function symbolMatcher(pkg: string, fn: string): (symbol: string) => boolean {
  const method = /^\((\*?)(.+)\)\.(.+)$/.exec(fn);
  const base = method ? `(${method[1]}${pkg}.${method[2]}).${method[3]}` : `${pkg}.${fn}`;
  return (s) => s === base || (s.startsWith(base) && (s[base.length] === '$' || s[base.length] === '['));
}

export interface PackageCost { flash: number; ram: number }

export function importLensText(path: string, cost: PackageCost | undefined): string {
  if (!cost) return `${path} — not in the firmware`;
  return `${path} — ${formatBytes(cost.flash)} flash, ${formatBytes(cost.ram)} RAM`;
}

export function funcLensText(bytes: number): string {
  return `${formatBytes(bytes)} code`;
}

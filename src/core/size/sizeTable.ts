import { outputLines, withoutCR } from '../tinygo/lines';

/**
 * The `-size=short` and `-size=full` tables TinyGo prints on stdout after linking, and which part of the program
 * each package row belongs to (the user's code, the standard library, TinyGo's runtime, C libraries, or TinyGo's
 * own bookkeeping rows).
 */

export type PackageGroup = 'user' | 'dependency' | 'stdlib' | 'tinygo-runtime' | 'c-library' | 'special';

export interface SizeNumbers {
  /** In the short format this is code+rodata, as TinyGo prints it, and `rodata` is 0. */
  code: number;
  rodata: number;
  data: number;
  bss: number;
  /** As printed: code + rodata + data. */
  flash: number;
  /** As printed: data + bss. */
  ram: number;
}

export interface SizeRow extends SizeNumbers {
  package: string;
  group: PackageGroup;
  /** 0-based input line. */
  index: number;
}

export interface SizeTable {
  /** undefined when no table was found at all. */
  format?: 'short' | 'full';
  /** Package rows of the full format, in TinyGo's (byte) order. Empty for the short format. */
  rows: SizeRow[];
  /** The short format's single row, or the full format's `total` row. */
  total?: SizeNumbers;
  /** `-no-debug` was used: TinyGo warns the per-package split is incomplete. */
  incomplete: boolean;
  /** 0-based input line of `total`. */
  totalIndex?: number;
  /** Lines understood but holding no row: blanks, headers, separators, the -no-debug warning, a replaced total. */
  ignored: number[];
  /** Lines that are neither table nor known warning (other stdout, e.g. a program's own output). */
  unparsed: { index: number; text: string }[];
  /** Rows whose flash/ram columns disagree with their other columns (should not happen; a sign of misparsing). */
  warnings: string[];
  lineCount: number;
}

export interface ClassifyOptions {
  /** The main module's path from go.mod; its packages are the user's. */
  modulePath?: string;
  /** Absolute directory of the main module, for rows TinyGo names by directory. */
  moduleDir?: string;
  /** GOROOT / TINYGOROOT (the cached GOROOT merges both); directories under them are the standard library. */
  goroots?: string[];
}

const SPECIAL = new Set(['(padding)', '(unknown)', 'Go types', 'Go interface assert', 'Go interface method', 'C stack', 'C interrupt vector', '-']);

// TinyGo-only packages under internal/; the other internal/* packages are the Go standard library's.
const TINYGO_INTERNAL = new Set(['internal/task', 'internal/gclayout', 'internal/binary', 'internal/futex', 'internal/cm']);

function isRuntimeImport(p: string): boolean {
  return (
    p === 'runtime' ||
    p.startsWith('runtime/') ||
    p === 'machine' ||
    p.startsWith('machine/') ||
    p === 'device' ||
    p.startsWith('device/') ||
    TINYGO_INTERNAL.has(p) ||
    [...TINYGO_INTERNAL].some((t) => p.startsWith(t + '/'))
  );
}

function normDir(p: string): string {
  return p.replace(/\\/g, '/').replace(/\/+$/, '');
}

function under(p: string, dir: string): string | undefined {
  const d = normDir(dir);
  if (d === '') {
    return undefined;
  }
  if (p === d) {
    return '';
  }
  return p.startsWith(d + '/') ? p.slice(d.length + 1) : undefined;
}

function classifyImportPath(p: string, modulePath: string | undefined): PackageGroup {
  if (p === 'main' || p === 'command-line-arguments') {
    return 'user';
  }
  if (modulePath && (p === modulePath || p.startsWith(modulePath + '/'))) {
    return 'user';
  }
  if (isRuntimeImport(p)) {
    return 'tinygo-runtime';
  }
  const first = p.split('/')[0];
  return first.includes('.') ? 'dependency' : 'stdlib';
}

/** Which part of the program a size-table package name belongs to. */
export function classifyPackage(name: string, options: ClassifyOptions = {}): PackageGroup {
  if (SPECIAL.has(name)) {
    return 'special';
  }
  if (name.startsWith('C ')) {
    return 'c-library';
  }
  const isAbs = name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name);
  if (!isAbs) {
    return classifyImportPath(name, options.modulePath);
  }
  // TinyGo names a row by directory when it cannot find the package (issue #5304).
  const p = normDir(name);
  if (options.moduleDir !== undefined && under(p, options.moduleDir) !== undefined) {
    return 'user';
  }
  for (const root of options.goroots ?? []) {
    const rest = under(p, normDir(root) + '/src');
    if (rest !== undefined) {
      return isRuntimeImport(rest) ? 'tinygo-runtime' : 'stdlib';
    }
  }
  const mod = /\/pkg\/mod\/(.+)$/.exec(p);
  if (mod) {
    return 'dependency';
  }
  const src = /\/src\/(.+)$/.exec(p);
  if (src) {
    return classifyImportPath(src[1], options.modulePath);
  }
  return 'dependency';
}

const FULL_ROW_RE = /^\s*(\d+) +(\d+) +(\d+) +(\d+) +\| +(\d+) +(\d+) +\| (.+)$/;
const SHORT_ROW_RE = /^\s*(\d+) +(\d+) +(\d+) +\| +(\d+) +(\d+)\s*$/;
const FULL_HEADER_RE = /^\s*code +rodata +data +bss +\| +flash +ram +\| +package\s*$/;
const SHORT_HEADER_RE = /^\s*code +data +bss +\| +flash +ram\s*$/;
const SEPARATOR_RE = /^-+ \| -+ \| -+\s*$/;
const INCOMPLETE_RE = /^warning: data incomplete, remove the -no-debug flag for more detail\s*$/;

function num(s: string): number | undefined {
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Never throws. Other lines of the same stdout are kept in `unparsed`. */
export function parseSizeTable(text: string, options: ClassifyOptions = {}): SizeTable {
  const table: SizeTable = { rows: [], incomplete: false, ignored: [], unparsed: [], warnings: [], lineCount: 0 };
  const lines = outputLines(text);
  table.lineCount = lines.length;
  // The `total` row is the one after the second separator; a real package could be named "total".
  let separators = 0;
  // Output of several builds in one text: the last table wins.
  const setTotal = (numbers: SizeNumbers, index: number): void => {
    if (table.totalIndex !== undefined) {
      table.ignored.push(table.totalIndex);
    }
    table.total = numbers;
    table.totalIndex = index;
  };
  lines.forEach((raw, index) => {
    const line = withoutCR(raw);
    if (line.trim() === '') {
      table.ignored.push(index);
      return;
    }
    if (INCOMPLETE_RE.test(line)) {
      table.incomplete = true;
      table.ignored.push(index);
      return;
    }
    if (FULL_HEADER_RE.test(line)) {
      table.format = 'full';
      separators = 0;
      table.ignored.push(index);
      return;
    }
    if (SHORT_HEADER_RE.test(line)) {
      table.format = 'short';
      table.ignored.push(index);
      return;
    }
    if (SEPARATOR_RE.test(line) && table.format === 'full') {
      separators++;
      table.ignored.push(index);
      return;
    }
    let m = table.format === 'full' ? FULL_ROW_RE.exec(line) : null;
    if (m) {
      const v = m.slice(1, 7).map(num);
      if (v.every((x) => x !== undefined)) {
        const [code, rodata, data, bss, flash, ram] = v as number[];
        const name = m[7];
        const numbers: SizeNumbers = { code, rodata, data, bss, flash, ram };
        if (flash !== code + rodata + data || ram !== data + bss) {
          table.warnings.push(`line ${index + 1}: flash/ram columns do not add up for ${name}`);
        }
        if (name === 'total' && separators >= 2) {
          setTotal(numbers, index);
        } else {
          table.rows.push({ package: name, group: classifyPackage(name, options), ...numbers, index });
        }
        return;
      }
    }
    m = table.format === 'short' ? SHORT_ROW_RE.exec(line) : null;
    if (m) {
      const v = m.slice(1, 6).map(num);
      if (v.every((x) => x !== undefined)) {
        const [code, data, bss, flash, ram] = v as number[];
        if (flash !== code + data || ram !== data + bss) {
          table.warnings.push(`line ${index + 1}: flash/ram columns do not add up`);
        }
        setTotal({ code, rodata: 0, data, bss, flash, ram }, index);
        return;
      }
    }
    table.unparsed.push({ index, text: raw });
  });
  return table;
}

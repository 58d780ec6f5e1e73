/**
 * Diagnostics from `tinygo build/flash/run` output, in every format TinyGo has printed: the 0.33+ `# pkg` +
 * `file:line:col: msg` form, the ≤0.32 `error: ` prefixed form with raw ld.lld lines, memory-overflow summaries,
 * import cycles, interp tracebacks, and the newer `-json` NDJSON events. Nothing is dropped: a line that is not
 * understood is returned in `unparsed`, so the caller can still show it.
 */

import * as path from 'node:path';
import { outputLines, withoutCR } from './lines';

export type BuildDiagnosticKind =
  | 'compile'
  | 'linker-undefined'
  | 'linker'
  | 'link-failed'
  | 'flash-overflow'
  | 'ram-overflow'
  | 'import-cycle'
  | 'package'
  | 'interp'
  | 'tool'
  | 'generic';

export interface TracebackFrame {
  file: string;
  line?: number;
  column?: number;
}

export interface BuildDiagnostic {
  severity: 'error' | 'warning';
  kind: BuildDiagnosticKind;
  /** The first line's message, without position and without a ≤0.32 `error: ` prefix. */
  message: string;
  /** Continuation lines (tab-indented, `>>> `, interp instructions), trimmed, in order. */
  detail: string[];
  /** Absolute path: relative paths are resolved against the build's cwd; GOROOT paths are already absolute. */
  file?: string;
  /** The path exactly as printed. */
  rawFile?: string;
  /** 1-based. */
  line?: number;
  /** 1-based, in bytes as Go counts them; absent when TinyGo printed none. */
  column?: number;
  /** From the preceding `# importpath` header or the JSON event. */
  importPath?: string;
  /** How many bytes a memory region overflowed by. */
  bytes?: number;
  /** Memory region named by a raw ld.lld overflow (`FLASH_TEXT`, `RAM`). */
  region?: string;
  /** Undefined symbol for linker-undefined diagnostics. */
  symbol?: string;
  traceback?: TracebackFrame[];
  /** 0-based indices of the input lines this diagnostic was read from. */
  outputLines: number[];
}

export interface UnparsedLine {
  /** 0-based line index in the input. */
  index: number;
  text: string;
}

export interface BuildOutputResult {
  diagnostics: BuildDiagnostic[];
  unparsed: UnparsedLine[];
  /** Lines understood but carrying no diagnostic: blank lines, `# pkg` headers, `build-fail` events. */
  ignored: number[];
  /** Import paths named by headers or JSON events, in first-seen order. */
  packages: string[];
  /** `-json` reported `build-fail`, or an error diagnostic was found. */
  failed: boolean;
  /** `runtime.alloc` was missing at link time: the program allocates but the GC is `none`. */
  gcNoneWithAllocs: boolean;
  /** Number of input lines (a trailing newline does not start another line). */
  lineCount: number;
}

export interface BuildOutputOptions {
  /** Directory TinyGo ran in; relative paths in diagnostics are relative to it. */
  cwd: string;
}

const POSITION_RE = /^((?:[A-Za-z]:[\\/])?[^:]*?[^:\s]):(\d+)(?::(\d+))?: (.*)$/;
const TRACE_POS_RE = /^((?:[A-Za-z]:[\\/])?[^:]*?[^:\s])(?::(\d+)(?::(\d+))?)?:$/;
const FLASH_OVERFLOW_RE = /^program too large for this chip \(flash overflowed by (\d+) bytes\)/;
const RAM_OVERFLOW_RE = /^program uses too much static RAM on this chip \(RAM overflowed by (\d+) bytes\)/;
const LLD_UNDEFINED_RE = /^ld\.lld(?:-\d+)?: error: undefined symbol: (.*)$/;
const LLD_REGION_RE = /^ld\.lld(?:-\d+)?: error: section '(.*?)' will not fit in region '(.*?)': overflowed by (\d+) bytes$/;
const LLD_OTHER_RE = /^ld\.lld(?:-\d+)?: (error|warning): (.*)$/;
const LLD_REFERENCED_RE = /referenced by .* \((.*):(\d+)\)\s*$/;
const LLD_REFERENCED_SHORT_RE = /referenced by (\S+?):(\d+)\s*$/;
const LINKER_MISSING_RE = /^linker could not find symbol (\S+)/;
const LINK_FAILED_RE = /^failed to link /;
const PACKAGE_RE = /^package \S+$/;
const HEADER_RE = /^# (\S.*)$/;
const TOOL_ERROR_RE =
  /^(?:failed to flash |unable to locate any volume|multiple serial ports available|unable to search for a default USB device|invalid size option |requires go version |could not find |cannot find |attempted to start a goroutine without a scheduler|not implemented: )/;

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

function resolveFile(raw: string, cwd: string): string {
  if (isAbsolutePath(raw)) {
    return raw;
  }
  const win = /^[A-Za-z]:[\\/]/.test(cwd) || cwd.startsWith('\\\\');
  return win ? path.win32.resolve(cwd, raw) : path.posix.resolve(cwd, raw);
}

function toInt(s: string | undefined): number | undefined {
  if (s === undefined) {
    return undefined;
  }
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Line-at-a-time state machine; JSON events feed their decoded Output through the same path. */
class Parser {
  readonly result: BuildOutputResult = {
    diagnostics: [],
    unparsed: [],
    ignored: [],
    packages: [],
    failed: false,
    gcNoneWithAllocs: false,
    lineCount: 0,
  };
  private pkg: string | undefined;
  private last: BuildDiagnostic | undefined;
  private inTraceback = false;
  // Logs repeat the same few files thousands of times; resolving each once keeps large logs fast.
  private readonly resolved = new Map<string, string>();

  constructor(private readonly cwd: string) {}

  private resolve(raw: string): string {
    let r = this.resolved.get(raw);
    if (r === undefined) {
      r = resolveFile(raw, this.cwd);
      this.resolved.set(raw, r);
    }
    return r;
  }

  private setPackage(p: string): void {
    this.pkg = p;
    if (!this.result.packages.includes(p)) {
      this.result.packages.push(p);
    }
  }

  private add(d: Omit<BuildDiagnostic, 'detail' | 'outputLines' | 'importPath'>, index: number): BuildDiagnostic {
    // One object shape for every diagnostic (absent fields are undefined): spreading varied shapes was the
    // parser's hot spot on 10,000-line logs.
    const diag: BuildDiagnostic = {
      severity: d.severity,
      kind: d.kind,
      message: d.message,
      detail: [],
      file: d.file,
      rawFile: d.rawFile,
      line: d.line,
      column: d.column,
      importPath: this.pkg,
      bytes: d.bytes,
      region: d.region,
      symbol: d.symbol,
      traceback: undefined,
      outputLines: [index],
    };
    if (diag.kind === 'linker-undefined' && diag.symbol === 'runtime.alloc') {
      this.result.gcNoneWithAllocs = true;
    }
    this.result.diagnostics.push(diag);
    this.last = diag;
    this.inTraceback = false;
    return diag;
  }

  private attach(text: string, index: number): void {
    const d = this.last as BuildDiagnostic;
    const trimmed = text.trim();
    d.detail.push(trimmed);
    if (d.outputLines[d.outputLines.length - 1] !== index) {
      d.outputLines.push(index);
    }
    if (d.kind === 'package' && trimmed.endsWith('import cycle not allowed')) {
      d.kind = 'import-cycle';
    }
    if (d.kind === 'linker-undefined' && d.file === undefined) {
      const m = LLD_REFERENCED_RE.exec(trimmed) ?? LLD_REFERENCED_SHORT_RE.exec(trimmed);
      if (m) {
        d.rawFile = m[1];
        d.file = this.resolve(m[1]);
        d.line = toInt(m[2]);
      }
    }
  }

  private unparsed(text: string, index: number): void {
    this.result.unparsed.push({ index, text });
    this.last = undefined;
    this.inTraceback = false;
  }

  private ignore(index: number): void {
    const ig = this.result.ignored;
    if (ig[ig.length - 1] !== index) {
      ig.push(index);
    }
  }

  line(rawText: string, index: number): void {
    const text = withoutCR(rawText);
    if (text.trim() === '') {
      // Interp errors put a blank line before `traceback:`; keep the diagnostic open across it.
      this.ignore(index);
      return;
    }
    if (this.last && (text.startsWith('\t') || text.startsWith(' ') || text.startsWith('>>> '))) {
      this.attach(text, index);
      return;
    }
    if (this.last && text === 'traceback:') {
      this.last.kind = 'interp';
      this.last.traceback = [];
      this.inTraceback = true;
      this.attach(text, index);
      return;
    }
    if (this.inTraceback && this.last) {
      const m = TRACE_POS_RE.exec(text);
      if (m) {
        const frame: TracebackFrame = { file: this.resolve(m[1]) };
        const l = toInt(m[2]);
        const c = toInt(m[3]);
        if (l !== undefined) {
          frame.line = l;
        }
        if (c !== undefined) {
          frame.column = c;
        }
        this.last.traceback?.push(frame);
        this.attach(text, index);
        return;
      }
    }
    const header = HEADER_RE.exec(text);
    if (header) {
      this.setPackage(header[1].trim());
      this.last = undefined;
      this.inTraceback = false;
      this.ignore(index);
      return;
    }
    if (text.startsWith('{') && this.json(text, index)) {
      return;
    }
    let body = text;
    let prefixed = false;
    if (body.startsWith('error: ')) {
      body = body.slice('error: '.length);
      prefixed = true;
    }
    if (this.message(body, index, prefixed)) {
      return;
    }
    this.unparsed(text, index);
  }

  /** Returns false when the text is not a diagnostic this parser knows. */
  private message(body: string, index: number, prefixed: boolean): boolean {
    const pos = POSITION_RE.exec(body);
    if (pos) {
      const message = pos[4];
      const missing = LINKER_MISSING_RE.exec(message);
      const d = this.add(
        {
          severity: /^warning: /.test(message) ? 'warning' : 'error',
          kind: missing ? 'linker-undefined' : 'compile',
          message,
          rawFile: pos[1],
          file: this.resolve(pos[1]),
        },
        index,
      );
      d.line = toInt(pos[2]);
      const col = toInt(pos[3]);
      if (col !== undefined) {
        d.column = col;
      }
      if (missing) {
        d.symbol = missing[1];
        if (d.symbol === 'runtime.alloc') {
          this.result.gcNoneWithAllocs = true;
        }
      }
      return true;
    }
    let m = FLASH_OVERFLOW_RE.exec(body);
    if (m) {
      this.add({ severity: 'error', kind: 'flash-overflow', message: body, bytes: toInt(m[1]), region: 'FLASH_TEXT' }, index);
      return true;
    }
    m = RAM_OVERFLOW_RE.exec(body);
    if (m) {
      this.add({ severity: 'error', kind: 'ram-overflow', message: body, bytes: toInt(m[1]), region: 'RAM' }, index);
      return true;
    }
    m = LINKER_MISSING_RE.exec(body);
    if (m) {
      this.add({ severity: 'error', kind: 'linker-undefined', message: body, symbol: m[1] }, index);
      return true;
    }
    m = LLD_UNDEFINED_RE.exec(body);
    if (m) {
      this.add({ severity: 'error', kind: 'linker-undefined', message: `linker could not find symbol ${m[1]}`, symbol: m[1] }, index);
      return true;
    }
    m = LLD_REGION_RE.exec(body);
    if (m) {
      const region = m[2];
      const kind: BuildDiagnosticKind = region === 'RAM' ? 'ram-overflow' : /^FLASH/.test(region) ? 'flash-overflow' : 'linker';
      this.add({ severity: 'error', kind, message: body, region, bytes: toInt(m[3]) }, index);
      return true;
    }
    m = LLD_OTHER_RE.exec(body);
    if (m) {
      this.add({ severity: m[1] === 'warning' ? 'warning' : 'error', kind: 'linker', message: body }, index);
      return true;
    }
    if (LINK_FAILED_RE.test(body)) {
      this.add({ severity: 'error', kind: 'link-failed', message: body }, index);
      return true;
    }
    if (PACKAGE_RE.test(body)) {
      this.add({ severity: 'error', kind: 'package', message: body }, index);
      return true;
    }
    if (TOOL_ERROR_RE.test(body)) {
      this.add({ severity: 'error', kind: 'tool', message: body }, index);
      return true;
    }
    if (body.startsWith('warning: ')) {
      this.add({ severity: 'warning', kind: 'generic', message: body.slice('warning: '.length) }, index);
      return true;
    }
    // After a `# pkg` header TinyGo prints position-less diagnostics bare; ≤0.32 marked them with `error: `.
    if (prefixed || this.pkg !== undefined) {
      this.add({ severity: 'error', kind: 'generic', message: body }, index);
      return true;
    }
    return false;
  }

  private json(text: string, index: number): boolean {
    let ev: unknown;
    try {
      ev = JSON.parse(text);
    } catch {
      return false;
    }
    if (ev === null || typeof ev !== 'object' || Array.isArray(ev)) {
      return false;
    }
    const e = ev as Record<string, unknown>;
    if (e.Action !== 'build-output' && e.Action !== 'build-fail') {
      return false;
    }
    if (typeof e.ImportPath === 'string' && e.ImportPath !== '') {
      this.setPackage(e.ImportPath);
    }
    if (e.Action === 'build-fail') {
      this.result.failed = true;
      this.last = undefined;
      this.ignore(index);
      return true;
    }
    if (typeof e.Output !== 'string') {
      return false;
    }
    const parts = e.Output.split('\n');
    if (parts.length > 1 && parts[parts.length - 1] === '') {
      parts.pop();
    }
    for (const part of parts) {
      this.line(part, index);
    }
    const d = this.last;
    if (d && d.line === undefined && typeof e.StartPos === 'string') {
      this.applyPos(d, e.StartPos);
    }
    return true;
  }

  private applyPos(d: BuildDiagnostic, pos: string): void {
    const m = /^(.*?):(\d+)(?::(\d+))?$/.exec(pos);
    if (!m || m[1] === '') {
      return;
    }
    d.rawFile = m[1];
    d.file = this.resolve(m[1]);
    d.line = toInt(m[2]);
    const col = toInt(m[3]);
    if (col !== undefined) {
      d.column = col;
    }
  }
}

/** Never throws; see BuildOutputResult for how every input line is accounted for. */
export function parseBuildOutput(text: string, options: BuildOutputOptions): BuildOutputResult {
  const p = new Parser(options.cwd);
  const lines = outputLines(text);
  for (let i = 0; i < lines.length; i++) {
    p.line(lines[i], i);
  }
  const r = p.result;
  r.lineCount = lines.length;
  if (r.diagnostics.some((d) => d.severity === 'error')) {
    r.failed = true;
  }
  return r;
}

/** Message plus continuation lines, as one text for a problem's hover. */
export function fullMessage(d: BuildDiagnostic): string {
  return d.detail.length === 0 ? d.message : `${d.message}\n${d.detail.join('\n')}`;
}

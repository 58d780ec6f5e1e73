/**
 * Whether the go command (and so TinyGo, which loads packages with `go list`) compiles a file for a target: its
 * `//go:build` line (or legacy `// +build` lines), its GOOS/GOARCH file-name suffix, and the `_test.go` rule, as
 * go/build's Context.MatchFile decides them. A file that is not compiled for the target gets no TinyGo findings.
 */

/** What decides which files a build compiles: TinyGo's `tinygo info` for the target, plus the Go release tags. */
export interface BuildContext {
  /** Target name for messages, e.g. "feather-nrf52840". */
  target: string;
  /** TinyGo's GOOS/GOARCH: baremetal targets say linux/arm (with the `baremetal` tag), so `_linux.go` files ARE compiled. */
  goos: string;
  goarch: string;
  /**
   * Tags true for the build besides GOOS/GOARCH: TinyGo's build_tags (the target's, then tinygo, purego, osusergo,
   * math_big_pure_go, gc.X, scheduler.X, serial.X, tinygo.unicore), go1.1…go1.N of the Go release, and user tags.
   */
  tags: readonly string[];
  /** TinyGo runs `go list` with CGO_ENABLED=1 (loader/list.go), so the `cgo` tag holds; default true. */
  cgo?: boolean;
  /**
   * `_test.go` files: `go test` compiles them as test files of the package, `tinygo build`/`flash` never put them
   * into firmware. 'exclude' (default): no TinyGo findings in them; 'include': analysed like the other files.
   */
  testFiles?: 'exclude' | 'include';
}

/** Why a file is not compiled for the target; `message` is what to show (once, quietly). */
export interface Exclusion { target: string; reason: string; message: string }

// go/build's syslist.go (Go 1.25).
export const KNOWN_OS: ReadonlySet<string> = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux',
  'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos']);
export const UNIX_OS: ReadonlySet<string> = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'linux', 'netbsd',
  'openbsd', 'solaris']);
export const KNOWN_ARCH: ReadonlySet<string> = new Set(['386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle',
  'mips64', 'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm']);

/**
 * A build context from what `tinygo info -json` printed for a target. `goVersion` is the Go release TinyGo runs
 * with (`1.25.5`, from `tinygo version`): `go list` adds go1.1…go1.N for it, and `tinygo info` does not list them.
 */
export function buildContextFromInfo(target: string, info: { goos: string; goarch: string; buildTags: readonly string[] }, goVersion?: string,
  extraTags: readonly string[] = []): BuildContext {
  const minor = /^(?:go)?1\.(\d+)/.exec(goVersion ?? '')?.[1];
  const release = minor ? Array.from({ length: Number(minor) }, (_, i) => `go1.${i + 1}`) : [];
  return { target, goos: info.goos, goarch: info.goarch, tags: [...new Set([...info.buildTags, ...release, ...extraTags])] };
}

// ---------------------------------------------------------------------------------------------------------------
// Expressions: go/build/constraint.

export type Expr = { op: 'tag'; tag: string } | { op: 'not'; x: Expr } | { op: 'and' | 'or'; x: Expr; y: Expr };

/** A tag as go/build/constraint accepts it: letters, digits, `_` and `.`. */
function isValidTag(s: string): boolean {
  return s.length > 0 && /^[\p{L}\p{N}_.]+$/u.test(s);
}

/** The expression of a `//go:build` line, or undefined when the line is not one (`//go:buildx`). Throws on bad syntax. */
export function parseGoBuild(line: string): Expr | undefined {
  const m = /^\/\/go:build(?:[ \t](.*))?$/.exec(line.trim());
  if (!m) return undefined;
  const text = m[1] ?? '';
  let pos = 0;
  const tokens: string[] = [];
  while (pos < text.length) {
    const c = text[pos];
    if (c === ' ' || c === '\t') { pos++; continue; }
    if (c === '(' || c === ')' || c === '!') { tokens.push(c); pos++; continue; }
    if (text.startsWith('&&', pos) || text.startsWith('||', pos)) { tokens.push(text.slice(pos, pos + 2)); pos += 2; continue; }
    const id = /^[\p{L}\p{N}_.]+/u.exec(text.slice(pos));
    if (!id) throw new Error(`invalid syntax at ${c}`);
    tokens.push(id[0]);
    pos += id[0].length;
  }
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const or = (): Expr => {
    let x = and();
    while (peek() === '||') { i++; x = { op: 'or', x, y: and() }; }
    return x;
  };
  const and = (): Expr => {
    let x = not();
    while (peek() === '&&') { i++; x = { op: 'and', x, y: not() }; }
    return x;
  };
  const not = (): Expr => {
    const t = peek();
    if (t === '!') { i++; return { op: 'not', x: not() }; }
    if (t === '(') {
      i++;
      const x = or();
      if (peek() !== ')') throw new Error('missing )');
      i++;
      return x;
    }
    if (t === undefined) throw new Error('unexpected end of expression');
    if (!isValidTag(t)) throw new Error(`unexpected token ${t}`);
    i++;
    return { op: 'tag', tag: t };
  };
  const x = or();
  if (i < tokens.length) throw new Error(`unexpected token ${tokens[i]}`);
  return x;
}

/** Whether `line` is a `// +build` line (go/build/constraint.IsPlusBuild). */
export function isPlusBuild(line: string): boolean {
  const t = line.trim();
  if (!t.startsWith('//')) return false;
  const rest = t.slice(2).trim();
  return rest === '+build' || /^\+build[ \t]/.test(rest);
}

/**
 * A `// +build` line: space-separated options OR'ed, comma-separated terms AND'ed, `!` negates. As Go does, a
 * malformed term (`!!x`, `a/b`) becomes the never-true tag `ignore` instead of an error.
 */
export function parsePlusBuild(line: string): Expr | undefined {
  if (!isPlusBuild(line)) return undefined;
  const text = line.trim().slice(2).trim().slice('+build'.length);
  let x: Expr | undefined;
  for (const clause of text.split(/[ \t]+/).filter((c) => c !== '')) {
    let y: Expr | undefined;
    for (let lit of clause.split(',')) {
      let z: Expr;
      if (lit.startsWith('!!') || lit === '!') z = { op: 'tag', tag: 'ignore' };
      else {
        const neg = lit.startsWith('!');
        if (neg) lit = lit.slice(1);
        z = { op: 'tag', tag: isValidTag(lit) ? lit : 'ignore' };
        if (neg) z = { op: 'not', x: z };
      }
      y = y ? { op: 'and', x: y, y: z } : z;
    }
    if (y) x = x ? { op: 'or', x, y } : y;
  }
  return x ?? { op: 'tag', tag: 'ignore' };
}

/** go/build's Context.matchTag: GOOS, GOARCH, the `gc` compiler tag (go list's), `cgo`, `unix`, and the tag list. */
export function matchTag(ctx: BuildContext, tag: string): boolean {
  if (tag === 'cgo' && ctx.cgo !== false) return true;
  if (tag === ctx.goos || tag === ctx.goarch || tag === 'gc') return true;
  if (ctx.goos === 'android' && tag === 'linux') return true;
  if (ctx.goos === 'illumos' && tag === 'solaris') return true;
  if (ctx.goos === 'ios' && tag === 'darwin') return true;
  if (tag === 'unix' && UNIX_OS.has(ctx.goos)) return true;
  return ctx.tags.includes(tag);
}

export function evalExpr(x: Expr, ctx: BuildContext): boolean {
  switch (x.op) {
    case 'tag': return matchTag(ctx, x.tag);
    case 'not': return !evalExpr(x.x, ctx);
    case 'and': return evalExpr(x.x, ctx) && evalExpr(x.y, ctx);
    case 'or': return evalExpr(x.x, ctx) || evalExpr(x.y, ctx);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The file header and the file name.

export interface FileHeader {
  /** The `//go:build` lines before the package clause (Go accepts exactly one; two make the package unbuildable). */
  goBuild: string[];
  /** The `// +build` lines of the header proper: the comment block ended by the last blank line before `package`. */
  plusBuild: string[];
}

/** go/build's parseFileHeader: the leading line comments, block comments and blank lines, up to the first code. */
export function readHeader(text: string): FileHeader {
  const goBuild: string[] = [];
  const candidates: { line: string; offset: number }[] = [];
  let end = 0;
  let ended = false;
  let inSlashStar = false;
  let offset = 0;
  lines: while (offset < text.length) {
    const nl = text.indexOf('\n', offset);
    const next = nl < 0 ? text.length : nl + 1;
    let line = text.slice(offset, nl < 0 ? text.length : nl).trim();
    const lineOffset = offset;
    offset = next;
    if (line === '' && !ended) { end = next; continue; }
    if (!line.startsWith('//')) ended = true;
    if (!inSlashStar && /^\/\/go:build(?:[ \t]|$)/.test(line)) goBuild.push(line);
    if (!inSlashStar && line.startsWith('//') && line.includes('+build')) candidates.push({ line, offset: lineOffset });
    while (line.length > 0) {
      if (inSlashStar) {
        const i = line.indexOf('*/');
        if (i < 0) continue lines;
        inSlashStar = false;
        line = line.slice(i + 2).trim();
        continue;
      }
      if (line.startsWith('//')) continue lines;
      if (line.startsWith('/*')) { inSlashStar = true; line = line.slice(2).trim(); continue; }
      break lines;
    }
  }
  return { goBuild, plusBuild: candidates.filter((c) => c.offset < end && isPlusBuild(c.line)).map((c) => c.line) };
}

function baseName(fileName: string): string {
  return fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
}

/** go/build's goodOSArchFile: `name_GOOS`, `name_GOARCH`, `name_GOOS_GOARCH` (before `_test`), known values only. */
export function fileNameExclusion(fileName: string, ctx: BuildContext): string | undefined {
  const name = baseName(fileName).split('.')[0];
  const u = name.indexOf('_');
  if (u < 0) return undefined;
  const parts = name.slice(u).split('_');
  if (parts[parts.length - 1] === 'test') parts.pop();
  const n = parts.length;
  const why = (suffix: string) => `file name suffix _${suffix} (GOOS=${ctx.goos}, GOARCH=${ctx.goarch})`;
  if (n >= 2 && KNOWN_OS.has(parts[n - 2]) && KNOWN_ARCH.has(parts[n - 1])) {
    return matchTag(ctx, parts[n - 1]) && matchTag(ctx, parts[n - 2]) ? undefined : why(`${parts[n - 2]}_${parts[n - 1]}`);
  }
  if (n >= 1 && (KNOWN_OS.has(parts[n - 1]) || KNOWN_ARCH.has(parts[n - 1]))) {
    return matchTag(ctx, parts[n - 1]) ? undefined : why(parts[n - 1]);
  }
  return undefined;
}

/**
 * Why `fileName` (path or base name) with `text` is not compiled for the target, or undefined when it is. A
 * malformed or repeated `//go:build` line does not exclude the file: Go refuses to build such a package, and the
 * file is analysed as the user will see it in the compiler's error. Malformed `// +build` terms are false, as in Go.
 */
export function fileExclusion(fileName: string, text: string, ctx: BuildContext): Exclusion | undefined {
  const reason = exclusionReason(fileName, text, ctx);
  return reason === undefined ? undefined
    : { target: ctx.target, reason, message: `excluded: not compiled for ${ctx.target || `${ctx.goos}/${ctx.goarch}`} (reason: ${reason})` };
}

function exclusionReason(fileName: string, text: string, ctx: BuildContext): string | undefined {
  const base = baseName(fileName);
  if (base.startsWith('_') || base.startsWith('.')) return 'the go command ignores file names starting with _ or .';
  if (base.endsWith('_test.go') && ctx.testFiles !== 'include') return '_test.go files are compiled only by go test, never into firmware';
  const byName = fileNameExclusion(base, ctx);
  if (byName) return byName;
  const header = readHeader(text);
  if (header.goBuild.length > 0) {
    if (header.goBuild.length > 1) return undefined;
    let x: Expr | undefined;
    try { x = parseGoBuild(header.goBuild[0]); } catch { return undefined; }
    return x && !evalExpr(x, ctx) ? header.goBuild[0] : undefined;
  }
  for (const line of header.plusBuild) {
    const x = parsePlusBuild(line);
    if (x && !evalExpr(x, ctx)) return line;
  }
  return undefined;
}

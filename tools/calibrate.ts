/**
 * Calibration of the heap-allocation hints against the real compilers on this machine: the `alloc` family, plus
 * `pool-put-not-pointer` (an allocation claim too: Put boxes a non-pointer value).
 *
 *   npm run calibrate -- [--tinygo=0.39.0,0.33.0|env|none] [--dirs=alloc,pool,...]
 *                        [--no-example] [--go=go] [--json=test-output/calibration.json]
 *   npm run calibrate -- --corpus=real|drivers|all   (real code, nRF52 firmware: see calibrateReal.ts)
 *
 * --tinygo: versions are installed/located with scripts/install-tinygo.sh (cached: under a second each); `env` uses
 * the environment as it is (after `eval "$(bash scripts/install-tinygo.sh)"`); default: `env` when TGW_TINYGO is
 * set, else 0.39.0. gc always uses `--go` (default: the `go` on PATH, Go 1.26.8 here), never tinygo's toolchain.
 *
 * For every fixture directory under test/fixtures/analysis (and examples/feather-blinky/diagnostics.go) with such
 * findings, the .go files are copied into a temporary module (`module calib`, `go 1.22`) and turned into a program:
 * `package main` plus a generated zz_calib_main.go that keeps every top-level function and method value alive in a
 * slice indexed at run time, so nothing is inlined into main or dropped as dead. Files under `//go:build ignore` are
 * skipped with a note, and so is a directory a compiler cannot build.
 *
 * gc: `go build -gcflags=-m`, hints computed with the default nRF52 facts. A hint is CONFIRMED when gc says an
 * allocation of the kind its rule is about goes to the heap: `moved to heap: x` at the declaration of a variable the
 * hint names (`&x`, a captured variable, a large local; matched by name and exact line:column), or
 * `<expr> escapes to heap` on the hint's line with an expression of the rule's kind (GC_KINDS_FOR_RULE; for boxing,
 * the boxed operand itself when gc names it). `<expr> does not escape` is the evidence against, never confirmation.
 * Not allocations: constants and zero-valued literals reported as escaping (`42 escapes to heap`: static data),
 * func literals that capture nothing (static function values), `leaking param`. `... argument escapes` is one (the
 * variadic slice). Messages whose expression the source does not show at that position come from an inlined
 * callee (`&errors.errorString{...}` at a fmt.Errorf call) and are attributed to no rule. NOT OBSERVABLE: goroutine
 * starts (gc -m never reports goroutine stacks), and append / concatenation in a loop when gc printed nothing of
 * that kind on the line (Go <= 1.25 never does; 1.26 reports `append escapes to heap`).
 *
 * tinygo (when TGW_TINYGO_HOST_BUILDS=1): `tinygo build -o calib.ll -gc=precise -opt=z -print-allocs=. .` for
 * linux/amd64 (no nRF52 build is possible on this machine), hints computed again with the host's facts from
 * `tinygo info -json` (8-byte pointers, MaxStackAlloc 1024). A hint is CONFIRMED by a -print-allocs allocation in
 * the same file on the hint's line, or whose `escapes at line N` is the hint's line, or at exactly the declaration
 * (line:column) of a variable the hint names. Maps, string conversions, concatenation, append growth and goroutine
 * starts allocate inside runtime functions, which -print-allocs reports at the runtime's own lines: for those the
 * evidence is a call to the allocating runtime function (TINYGO_RUNTIME_CALLS) left at the hint's line in the
 * optimized IR, found through the calls' debug locations (following inlinedAt into the fixture file). -print-allocs
 * runs before LLVM's default pipeline, so an allocation it lists can be gone from the final code: each one is
 * checked against the runtime.alloc calls left in the IR ("gone" in the report).
 *
 * The reverse ("missed"): compiler allocations in the fixture files that no hint matched, attributed to the rule
 * expected to catch them (a heuristic from the source at that position) with a reason category; allocations on a
 * line silenced by a `tinygo-workbench:ignore` comment are listed apart and not counted.
 *
 * Precision = confirmed / (confirmed + not confirmed); recall = compiler allocations matched by a hint / compiler
 * allocations. Prints markdown tables and writes everything as JSON.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Node, Tree } from 'web-tree-sitter';
import {
  ALL_RULES, analyzeText, assetsFromSource, createEngine, suppressionsIn, targetFactsFor, type AnalysisEngine, type Suppressible, type TargetFacts,
} from '../src/core/analysis';
import { parseAllocs, type HeapAlloc } from '../src/core/tinygo/allocs';
import { parseInfo } from '../src/core/tinygo/info';
import { parseVersionOutput } from '../src/core/tinygo/version';

// --- model ------------------------------------------------------------------------------------------------

export type HintStatus = 'confirmed' | 'not-confirmed' | 'not-observable' | 'not-compiled';

export interface DeclPos { name: string; line: number; col: number }

export interface Hint {
  /** Fixture directory relative to the repository (posix separators). */
  dir: string;
  file: string;
  /** 1-based; col counts UTF-8 bytes like the compilers. */
  line: number;
  col: number;
  ruleId: string;
  message: string;
  /** The first `quoted` text of the message (`&x`, `make([]byte, n)`, `name`). */
  operand?: string;
  /** Local variables the allocation is of: `&x` -> x, a closure's captures, a boxed identifier, `var buf [N]T`. */
  names: string[];
  /** Where those variables are declared in the enclosing function. */
  decls: DeclPos[];
  /** Set when the allocated value is plainly dead (discarded, or only given to len/cap): the optimizer drops it. */
  dead?: string;
}

export interface Judged extends Hint {
  status: HintStatus;
  /** The compiler messages that decided it (confirming or contradicting). */
  evidence: string[];
  reason?: string;
}

export interface Missed {
  dir: string; file: string; line: number; col: number;
  message: string;
  /** The rule expected to catch it (heuristic), or '(none)'. */
  rule: string;
  reason: string;
  /** tinygo: -print-allocs listed it, but no runtime.alloc is left there in the final code. */
  goneFromFinalCode?: boolean;
}

export interface RuleRow {
  rule: string; hints: number; confirmed: number; notConfirmed: number; notObservable: number; notCompiled: number; missed: number;
  /** tinygo: runtime allocation calls (IR) on lines without a hint, attributed to this rule. */
  unhintedCalls?: number;
  /** tinygo: missed allocations -print-allocs listed that are gone from the final code (not in `missed`). */
  missedGone?: number;
}

export interface CompilerResult {
  compiler: string;
  version: string;
  facts?: TargetFacts;
  hints: Judged[];
  missed: Missed[];
  /** Allocations on lines where a suppression comment silences the hints: neither predicted nor missed. */
  suppressed: Missed[];
  /** tinygo: calls to allocating runtime functions at fixture lines no hint is on (not in the recall figure). */
  unhintedRuntimeCalls?: (IrCall & { dir: string })[];
  /** tinygo with IR: the same recall over the allocations still in the final code. */
  allocationsFinal?: number;
  allocationsPredictedFinal?: number;
  recallFinal?: number | null;
  allocations: number;
  allocationsPredicted: number;
  perRule: RuleRow[];
  precision: number | null;
  recall: number | null;
  notes: string[];
}

export interface PreparedDir {
  dir: string;
  /** Temporary package directory (package main + zz_calib_main.go). */
  work: string;
  files: { name: string; text: string }[];
  /** Files the go command compiles (build constraints applied). */
  compiled: Set<string>;
  note?: string;
}

export const ALLOC_RULES = [
  'alloc-escape', 'alloc-goroutine', 'alloc-closure', 'alloc-interface-box', 'alloc-make-nonconst',
  'alloc-large-object', 'alloc-append-loop', 'alloc-concat-loop', 'alloc-string-conversion', 'alloc-map',
  // Not of the alloc family, but an allocation claim all the same (SA6002: Put boxes a non-pointer value).
  'pool-put-not-pointer',
] as const;

/** The findings calibrated here: the alloc family and the one pool rule that claims an allocation. */
export function isAllocationHint(f: { family: string; ruleId: string }): boolean {
  return f.family === 'alloc' || f.ruleId === 'pool-put-not-pointer';
}

const GENERATED = 'zz_calib_main.go';

// --- small helpers ------------------------------------------------------------------------------------------

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', timeout: opts.timeoutMs ?? 600_000, maxBuffer: 256 << 20 });
}

function byteCol(lineText: string, utf16Col: number): number {
  return Buffer.byteLength(lineText.slice(0, utf16Col), 'utf8') + 1;
}

function pct(n: number, d: number): string {
  return d === 0 ? '–' : `${((100 * n) / d).toFixed(1)}%`;
}

function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

export function findRepoRoot(start: string): string {
  for (let d = path.resolve(start); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'package.json')) && fs.existsSync(path.join(d, 'test', 'fixtures', 'analysis'))) return d;
    if (path.dirname(d) === d) throw new Error(`no repository root above ${start}`);
  }
}

// --- fixture files (tree-sitter) ----------------------------------------------------------------------------

interface TopFunc { name: string; recv?: string; generic: boolean; startLine: number; endLine: number; node: Node }

function topFuncs(tree: Tree): TopFunc[] {
  const out: TopFunc[] = [];
  for (const n of tree.rootNode.namedChildren) {
    if (!n) continue;
    if (n.type !== 'function_declaration' && n.type !== 'method_declaration') continue;
    const name = n.childForFieldName('name')?.text ?? '';
    let recv: string | undefined;
    let generic = !!n.childForFieldName('type_parameters');
    if (n.type === 'method_declaration') {
      const r = n.childForFieldName('receiver');
      const t = r?.namedChildren.find((c) => c?.type === 'parameter_declaration')?.childForFieldName('type');
      recv = t?.text.replace(/\s+/g, '');
      if (!recv || /\[/.test(recv)) generic = true;
    }
    out.push({ name, recv, generic, startLine: n.startPosition.row + 1, endLine: n.endPosition.row + 1, node: n });
  }
  return out;
}

function enclosing(funcs: TopFunc[], line: number): TopFunc | undefined {
  return funcs.find((f) => f.startLine <= line && line <= f.endLine);
}

const DECL_PARENTS = new Set(['parameter_declaration', 'variadic_parameter_declaration', 'var_spec', 'const_spec']);

/** Identifier nodes declaring `name` inside `fn` (parameters, :=, var, range, receive), in source order. */
function declsOf(fn: Node, name: string): Node[] {
  const out: Node[] = [];
  const visit = (n: Node) => {
    if (n.type === 'identifier' && n.text === name) {
      const p = n.parent;
      const gp = p?.parent;
      if (p && DECL_PARENTS.has(p.type)) out.push(n);
      else if (p?.type === 'expression_list' && gp && ['short_var_declaration', 'range_clause', 'receive_statement'].includes(gp.type) &&
        gp.childForFieldName('left')?.id === p.id) out.push(n);
      else if (p && ['range_clause', 'receive_statement'].includes(p.type) && p.childForFieldName('left')?.id === n.id) out.push(n);
    }
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(fn);
  return out;
}

/** Uses (not declarations) of `name` in `fn` after `after` (0-based row). */
function usesOf(fn: Node, name: string, decl: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node) => {
    if (n.type === 'identifier' && n.text === name && n.id !== decl.id && n.startIndex > decl.endIndex) out.push(n);
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(fn);
  return out;
}

/** 1-based line and UTF-8 byte column to tree-sitter's (row, UTF-16 column). */
function tsPoint(pf: ParsedFile, line: number, col: number): { row: number; column: number } {
  const text = pf.lines[line - 1] ?? '';
  return { row: line - 1, column: Buffer.from(text, 'utf8').subarray(0, Math.max(0, col - 1)).toString('utf8').length };
}

/**
 * The variables of the enclosing function a func literal starting at (line, col) uses: identifiers inside it
 * declared in the enclosing top-level function outside the literal. undefined when no literal starts there.
 */
export function capturesAt(pf: ParsedFile, line: number, col: number): string[] | undefined {
  let lit: Node | null = pf.tree.rootNode.descendantForPosition(tsPoint(pf, line, col));
  while (lit && lit.type !== 'func_literal') lit = lit.parent;
  const fn = enclosing(pf.funcs, line);
  if (!lit || !fn) return undefined;
  const names = new Set<string>();
  const visit = (n: Node) => {
    if (n.type === 'identifier') names.add(n.text);
    for (const c of n.namedChildren) if (c) visit(c);
  };
  visit(lit);
  const inside = (n: Node) => n.startIndex >= lit.startIndex && n.endIndex <= lit.endIndex;
  return [...names].filter((name) => {
    const ds = declsOf(fn.node, name);
    return !ds.some(inside) && ds.some((d) => d.startIndex < lit.startIndex);
  });
}

function isLenCapArg(n: Node): boolean {
  const args = n.parent;
  const call = args?.parent;
  return args?.type === 'argument_list' && call?.type === 'call_expression' && ['len', 'cap'].includes(call.childForFieldName('function')?.text ?? '');
}

/** A fixture file as the calibration reads it: its tree, its lines, its top-level functions. */
export interface ParsedFile {
  tree: Tree;
  lines: string[];
  funcs: TopFunc[];
  /** 1-based lines where a suppression comment silences an allocation hint (as the extension reads the comment). */
  suppressed: Set<number>;
}

/** The findings whose silencing makes a line's allocations "suppressed": every allocation claim calibrated here. */
const ALLOCATION_CLAIMS: readonly Suppressible[] = ALLOC_RULES.map((id) => {
  const rule = ALL_RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`ALLOC_RULES names ${id}, which is not a rule`);
  return { ruleId: id, family: rule.family };
});

export function parseFile(engine: AnalysisEngine, text: string): ParsedFile {
  const tree = engine.parser.parse(text, null, 5000);
  const lines = text.split('\n');
  const silenced = suppressionsIn(text);
  const suppressed = new Set<number>();
  lines.forEach((_, i) => {
    if (ALLOCATION_CLAIMS.some((f) => silenced(i, f))) suppressed.add(i + 1);
  });
  return { tree, lines, funcs: topFuncs(tree), suppressed };
}

/** Names the message speaks of: `&x` -> x; closures: the captured variables; boxing: the identifier; `var buf`. */
function hintNames(ruleId: string, message: string, lineText: string): { operand?: string; names: string[] } {
  const quoted = [...message.matchAll(/`([^`]*)`/g)].map((m) => m[1]);
  let operand = ruleId === 'alloc-closure' ? undefined : quoted[0];
  if (ruleId === 'pool-put-not-pointer' && operand) operand = /\.Put\((.*)\)$/.exec(operand)?.[1] ?? operand;
  const names: string[] = [];
  if (ruleId === 'alloc-closure') {
    const caps = /captures ((?:`[^`]+`(?:, )?)+)/.exec(message);
    if (caps) for (const m of caps[1].matchAll(/`([^`]+)`/g)) names.push(m[1]);
  } else if (operand && /^&[A-Za-z_]\w*$/.test(operand)) names.push(operand.slice(1));
  else if (operand && (ruleId === 'alloc-interface-box' || ruleId === 'pool-put-not-pointer') && /^[A-Za-z_]\w*$/.test(operand)) names.push(operand);
  else if (operand && ruleId === 'alloc-large-object') {
    const v = /^([A-Za-z_]\w*) \[/.exec(operand) ?? /^\s*([A-Za-z_]\w*)\s*:?=/.exec(lineText);
    if (v) names.push(v[1]);
  }
  return { operand, names };
}

export function makeHint(dir: string, file: string, pf: ParsedFile, f: { ruleId: string; message: string; range: { start: { line: number; character: number } } }): Hint {
  const row = f.range.start.line;
  const lineText = pf.lines[row] ?? '';
  const line = row + 1;
  const { operand, names } = hintNames(f.ruleId, f.message, lineText);
  const fn = enclosing(pf.funcs, line);
  const decls: DeclPos[] = [];
  let dead: string | undefined;
  if (fn) {
    for (const name of names) {
      const ds = declsOf(fn.node, name).filter((d) => d.startPosition.row < row || (d.startPosition.row === row && d.startPosition.column <= f.range.start.character));
      const d = ds[ds.length - 1];
      if (d) decls.push({ name, line: d.startPosition.row + 1, col: byteCol(pf.lines[d.startPosition.row] ?? '', d.startPosition.column) });
    }
    if (/^\s*_\s*=/.test(lineText)) dead = 'discarded with `_ =`';
    const assigned = /^\s*(?:var\s+)?([A-Za-z_]\w*)\b(?:\s*:=|\s+\[|\s*=)/.exec(lineText);
    if (!dead && assigned && assigned[1] !== '_' && !['alloc-escape', 'alloc-closure', 'alloc-goroutine'].includes(f.ruleId)) {
      const d = declsOf(fn.node, assigned[1]).find((n) => n.startPosition.row === row);
      if (d) {
        const uses = usesOf(fn.node, assigned[1], d);
        if (uses.length > 0 && uses.every(isLenCapArg)) dead = `\`${assigned[1]}\` is only given to len/cap`;
      }
    }
  }
  return { dir, file, line, col: byteCol(lineText, f.range.start.character), ruleId: f.ruleId, message: f.message, operand, names, decls, dead };
}

// --- preparing the fixture packages ---------------------------------------------------------------------------

/** Every directory (recursively) holding .go files, relative to `root`. */
export function goDirs(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    const entries = fs.readdirSync(d, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name.endsWith('.go'))) out.push(d);
    for (const e of entries) if (e.isDirectory()) walk(path.join(d, e.name));
  };
  walk(root);
  return out.sort();
}

/** The keep-alive file: every top-level function and method value in a slice read at run time. */
export function keepAliveMain(funcs: TopFunc[], hasMain: boolean): string {
  const refs: string[] = [];
  for (const f of funcs) {
    if (f.generic || f.name === '_' || f.name === 'init' || (!f.recv && f.name === 'main')) continue;
    if (!f.recv) refs.push(f.name);
    else refs.push(f.recv.startsWith('*') ? `(${f.recv}).${f.name}` : `${f.recv}.${f.name}`);
  }
  return [
    '// Code generated by tools/calibrate.ts. Keeps every function of the package alive without calling it.',
    'package main',
    '',
    'import calibos "os"',
    '',
    `var calibKeep = []any{${refs.join(', ')}}`,
    '',
    'func init() {',
    '\tfor i := len(calibos.Args); i < len(calibKeep); i += 1 << 20 {',
    '\t\tprintln(calibKeep[i])',
    '\t}',
    '}',
    ...(hasMain ? [] : ['', 'func main() {}']),
    '',
  ].join('\n');
}

export function prepareDir(engine: AnalysisEngine, repoRoot: string, srcDir: string, files: string[], tmpRoot: string, goCmd: string): PreparedDir {
  const dir = path.relative(repoRoot, srcDir).split(path.sep).join('/');
  const work = path.join(tmpRoot, dir.replace(/[/\\]/g, '__'));
  fs.mkdirSync(work, { recursive: true });
  fs.writeFileSync(path.join(work, 'go.mod'), 'module calib\n\ngo 1.22\n');
  const out: PreparedDir = { dir, work, files: [], compiled: new Set() };
  for (const name of files) {
    const text = fs.readFileSync(path.join(srcDir, name), 'utf8');
    out.files.push({ name, text });
    fs.writeFileSync(path.join(work, name), text.replace(/^package\s+\w+/m, 'package main'));
  }
  // The files the go command compiles here (build constraints applied), asked before the generated file exists.
  const list = run(goCmd, ['list', '-f', '{{join .GoFiles "\\n"}}', '.'], { cwd: work, env: goEnv() });
  if (list.status === 0) {
    for (const f of list.stdout.split('\n')) if (f) out.compiled.add(f);
  } else {
    out.note = `go list failed: ${firstLines(list.stderr)}`;
    for (const f of files) out.compiled.add(f);
  }
  const funcs: TopFunc[] = [];
  let hasMain = false;
  for (const f of out.files) {
    if (!out.compiled.has(f.name)) continue;
    const pf = parseFile(engine, f.text);
    for (const fn of pf.funcs) {
      funcs.push(fn);
      if (!fn.recv && fn.name === 'main') hasMain = true;
    }
    pf.tree.delete();
  }
  fs.writeFileSync(path.join(work, GENERATED), keepAliveMain(funcs, hasMain));
  return out;
}

function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOTOOLCHAIN: 'local', GOWORK: 'off', GOFLAGS: '-mod=mod', GO111MODULE: 'on' };
}

function firstLines(s: string, n = 3): string {
  return s.split('\n').filter((l) => l.trim() && !l.startsWith('#')).slice(0, n).join(' | ');
}

// --- gc ----------------------------------------------------------------------------------------------------

/**
 * What an `-m` message is about. `const` (a constant converted to an interface: static data) and `static` (a func
 * literal that captures nothing: a static function value) are reported as escaping but allocate nothing.
 * `inlined` is `&pkg.T{...}` of another package's type: an allocation of an inlined callee.
 */
export type GcKind = 'var' | 'closure' | 'addr' | 'new' | 'make' | 'map' | 'conversion' | 'append' | 'concat' | 'varargs' | 'box' | 'inlined' | 'const' | 'static';

const NOT_ALLOCATION: ReadonlySet<GcKind> = new Set(['const', 'static']);

export interface GcMsg { file: string; line: number; col: number; text: string; kind: GcKind; heap: boolean; name?: string; expr?: string }

const CONST_RE = /^(?:-?[0-9][0-9a-fA-FxXoObB_.eEpP+-]*i?|"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*'|true|false|nil)$/;

export function gcKind(expr: string): GcKind {
  if (CONST_RE.test(expr) || /^[\w.]+\((?:-?[0-9][\w.]*|"(?:[^"\\]|\\.)*")\)$/.test(expr)) return 'const';
  // A zero-valued composite literal: gc points the interface at runtime.zeroVal.
  if (/^[\w.]*(?:\[\d*\][\w.]+)?\{\}$/.test(expr)) return 'const';
  if (expr === 'func literal') return 'closure';
  if (expr === '... argument') return 'varargs';
  if (expr === 'append') return 'append';
  if (/^&[A-Za-z_]\w*\.[A-Za-z_]\w*\{/.test(expr)) return 'inlined';
  if (expr.startsWith('&')) return 'addr';
  if (expr.startsWith('new(')) return 'new';
  if (expr.startsWith('make(map[') || /^map\[/.test(expr)) return 'map';
  if (expr.startsWith('make(') || /^\[\][^{]*\{/.test(expr)) return 'make';
  if (/^\(\[\](?:byte|rune|uint8|int32)\)\(/.test(expr) || /^string\(/.test(expr)) return 'conversion';
  if (/ \+ /.test(expr)) return 'concat';
  return 'box';
}

/**
 * Whether the source around (line, byte col) shows the expression a compiler message names: its first identifier
 * from 40 bytes before (gc and TinyGo put make/new at their '(' and composite literals at their '{') to 60 after.
 * When it does not, the message comes from a callee inlined there (`&errors.errorString{...}` at a fmt.Errorf call,
 * `append` at strings.Builder.WriteString).
 */
export function sourceShows(pf: ParsedFile, line: number, col: number, expr: string): boolean {
  const token = /[A-Za-z_]\w*/.exec(expr.replace(/^\(?\[\]/, ''))?.[0];
  if (!token) return true;
  const bytes = Buffer.from(pf.lines[line - 1] ?? '', 'utf8');
  const window = bytes.subarray(Math.max(0, col - 1 - 40), col - 1 + 60).toString('utf8');
  return new RegExp(`\\b${token}\\b`).test(window);
}

/** `-m` lines of the fixture files (paths resolved against the package directory; other files dropped). */
export function parseGcM(stderr: string, work: string, files: Set<string>, parsedFiles?: Map<string, ParsedFile>): GcMsg[] {
  const out: GcMsg[] = [];
  const seen = new Set<string>();
  for (const raw of stderr.split('\n')) {
    if (seen.has(raw.trim())) continue; // package initializers are reported twice
    seen.add(raw.trim());
    const m = /^(.+?\.go):(\d+):(\d+): (.*)$/.exec(raw.trim());
    if (!m) continue;
    const abs = path.resolve(work, m[1]);
    if (path.dirname(abs) !== path.resolve(work) || !files.has(path.basename(abs))) continue;
    const base = { file: path.basename(abs), line: Number(m[2]), col: Number(m[3]), text: m[4] };
    let mm: RegExpExecArray | null;
    if ((mm = /^moved to heap: (\S+)$/.exec(m[4]))) out.push({ ...base, kind: 'var', heap: true, name: mm[1] });
    else if ((mm = /^(.*) escapes to heap$/.exec(m[4]))) out.push({ ...base, kind: gcKind(mm[1]), heap: true, expr: mm[1] });
    else if ((mm = /^(.*) does not escape$/.exec(m[4]))) out.push({ ...base, kind: gcKind(mm[1]), heap: false, expr: mm[1] });
  }
  for (const m of out) {
    const pf = parsedFiles?.get(m.file);
    if (!pf) continue;
    if (m.kind === 'closure' && capturesAt(pf, m.line, m.col)?.length === 0) m.kind = 'static';
    else if (!['varargs', 'const', 'static'].includes(m.kind) && !sourceShows(pf, m.line, m.col, m.name ?? m.expr ?? '')) m.kind = 'inlined';
  }
  return out;
}

/** Which gc allocation kinds on the hint's line confirm a rule's hint ('var' also via the named variables). */
export const GC_KINDS_FOR_RULE: Record<string, GcKind[]> = {
  'alloc-escape': ['addr', 'new', 'var', 'make'],
  'alloc-closure': ['closure', 'var'],
  'alloc-goroutine': [],
  'alloc-interface-box': ['box', 'varargs'],
  'alloc-make-nonconst': ['make'],
  'alloc-large-object': ['make', 'new', 'var', 'addr'],
  'alloc-append-loop': ['append'],
  'alloc-concat-loop': ['concat'],
  'alloc-string-conversion': ['conversion'],
  'alloc-map': ['map'],
  'pool-put-not-pointer': ['box'],
};

const GC_RULE_FOR_KIND: Record<GcKind, string> = {
  var: 'alloc-escape', addr: 'alloc-escape', new: 'alloc-escape', closure: 'alloc-closure', make: 'alloc-make-nonconst',
  map: 'alloc-map', conversion: 'alloc-string-conversion', append: 'alloc-append-loop', concat: 'alloc-concat-loop',
  varargs: 'alloc-interface-box', box: 'alloc-interface-box', inlined: '(none)', const: '(none)', static: '(none)',
};

const GC_NOT_CONFIRMED_REASON: Record<string, string> = {
  'alloc-make-nonconst': 'TinyGo-only: non-constant size (gc >= 1.25 gives a non-escaping make a 32-byte stack buffer; TinyGo always heap-allocates it)',
  'alloc-large-object': "TinyGo-only: larger than TinyGo's MaxStackAlloc (gc keeps locals up to 10 MiB and implicit allocations up to 64 KiB on the stack)",
  'alloc-map': 'TinyGo-only: every TinyGo map is a heap object (gc keeps a non-escaping map on the stack)',
  'alloc-string-conversion': 'TinyGo-only: TinyGo copies into a heap object (gc uses a 32-byte stack buffer when the result does not escape)',
  'alloc-interface-box': 'gc: the interface value does not escape, so it stays on the stack',
  'alloc-escape': 'gc proved it does not escape',
  'pool-put-not-pointer': 'gc: the value put in the pool does not escape',
  'alloc-closure': 'gc: the closure does not escape',
  'alloc-append-loop': 'gc: the appended backing array does not escape',
  'alloc-concat-loop': 'gc: the concatenation result does not escape (32-byte stack buffer)',
};

function sameDecl(m: { line: number; col: number }, d: DeclPos): boolean {
  return m.line === d.line && m.col === d.col;
}

export function judgeGc(hints: Hint[], msgs: GcMsg[], parsedOf: (file: string) => ParsedFile | undefined): { judged: Judged[]; missed: Missed[]; suppressed: Missed[]; allocations: number; predicted: number } {
  const funcsOf = (file: string) => parsedOf(file)?.funcs ?? [];
  const used = new Set<GcMsg>();
  const judged: Judged[] = hints.map((h) => {
    const kinds = GC_KINDS_FOR_RULE[h.ruleId] ?? [];
    const onLine = msgs.filter((m) => m.file === h.file && m.line === h.line && !NOT_ALLOCATION.has(m.kind));
    const fn = enclosing(funcsOf(h.file), h.line);
    const byName = msgs.filter((m) => m.file === h.file && m.kind === 'var' && h.names.includes(m.name ?? '') &&
      (h.decls.some((d) => d.name === m.name && sameDecl(m, d)) || (!h.decls.some((d) => d.name === m.name) && fn && fn.startLine <= m.line && m.line <= fn.endLine)));
    let matching = onLine.filter((m) => kinds.includes(m.kind));
    if ((h.ruleId === 'alloc-interface-box' || h.ruleId === 'pool-put-not-pointer') && h.operand && matching.some((m) => m.expr === h.operand)) matching = matching.filter((m) => m.expr === h.operand || m.kind === 'varargs');
    if (h.ruleId === 'alloc-interface-box') matching = matching.filter((m) => m.kind !== 'varargs' || !m.heap || matching.every((x) => x.kind === 'varargs'));
    const heap = [...matching.filter((m) => m.heap), ...(kinds.includes('var') ? byName : [])];
    const base = { ...h, evidence: [] as string[] };
    if (heap.length > 0) {
      heap.forEach((m) => used.add(m));
      return { ...base, status: 'confirmed', evidence: heap.map((m) => `${m.line}:${m.col}: ${m.text}`) } as Judged;
    }
    if (h.ruleId === 'alloc-goroutine') {
      return { ...base, status: 'not-observable', reason: "gc's -m never reports goroutine stacks (the runtime allocates them)" } as Judged;
    }
    if ((h.ruleId === 'alloc-append-loop' || h.ruleId === 'alloc-concat-loop') && matching.length === 0) {
      return { ...base, status: 'not-observable', reason: `gc -m prints nothing for ${h.ruleId === 'alloc-append-loop' ? 'this append' : 'this concatenation'} (growth happens in the runtime)`, evidence: onLine.map((m) => `${m.line}:${m.col}: ${m.text}`) } as Judged;
    }
    const against = matching.filter((m) => !m.heap);
    const other = onLine.filter((m) => m.heap && !matching.includes(m));
    let reason = GC_NOT_CONFIRMED_REASON[h.ruleId] ?? 'gc keeps it on the stack';
    const constant = msgs.find((m) => m.file === h.file && m.line === h.line && m.kind === 'const' && m.expr === h.operand);
    if (constant) return { ...base, status: 'not-confirmed', reason: 'constant or zero value: gc points the interface at static data, no allocation', evidence: [`${constant.line}:${constant.col}: ${constant.text}`] } as Judged;
    if (against.length === 0 && other.length > 0) reason = `gc reports a different allocation on this line; ${reason}`;
    else if (against.length === 0 && h.ruleId !== 'alloc-large-object') reason = `gc reports nothing here; ${reason}`;
    if (h.dead) reason += ` (and the value is dead: ${h.dead})`;
    return { ...base, status: 'not-confirmed', reason, evidence: [...against, ...other].map((m) => `${m.line}:${m.col}: ${m.text}`) } as Judged;
  });
  const allocs = msgs.filter((m) => m.heap && !NOT_ALLOCATION.has(m.kind));
  const isSuppressed = (m: GcMsg) => !used.has(m) && !!parsedOf(m.file)?.suppressed.has(m.line);
  const suppressed = allocs.filter(isSuppressed).map((m): Missed => ({ dir: '', file: m.file, line: m.line, col: m.col, message: m.text, rule: GC_RULE_FOR_KIND[m.kind], reason: 'the hints are silenced here by a tinygo-workbench:ignore comment' }));
  const counted = allocs.filter((m) => !isSuppressed(m));
  const missed: Missed[] = counted.filter((m) => !used.has(m)).map((m) => {
    const fn = enclosing(funcsOf(m.file), m.line);
    let reason: string;
    if (!fn) reason = "package-level initializer: runs once (TinyGo's interp builds it at compile time); the hints skip it on purpose";
    else if (m.kind === 'box' || m.kind === 'varargs') reason = m.kind === 'varargs'
      ? 'the variadic ...any slice: gc heap-allocates it when its contents escape; TinyGo keeps it on the stack unless the callee keeps it'
      : 'gc reports every escaping interface conversion; the hints flag only values larger than a pointer on the target (TinyGo stores smaller ones in the interface word)';
    else if (m.kind === 'append') reason = 'append outside a loop or into preallocated capacity: gc >= 1.26 reports every escaping append; the hint covers appends in loops without preallocation';
    else if (m.kind === 'concat') reason = 'string concatenation outside a loop: the hint covers loops only';
    else if (m.kind === 'make') reason = 'constant-size make or slice literal whose backing array escapes (returned, captured, stored, put in a pool): no rule covers it';
    else if (m.kind === 'var') {
      const pf = parsedOf(m.file);
      const body = pf && fn ? pf.lines.slice(fn.startLine - 1, fn.endLine).join('\n') : '';
      const name = m.name ?? '';
      if (new RegExp(`&${name}\\b`).test(body)) reason = `its address (&${name}) goes to a callee that keeps it: interprocedural, the hints cannot see it`;
      else if (new RegExp(`\\b${name}\\.[\\w.]*\\w\\(`).test(body)) reason = `a pointer-receiver method call on \`${name}\` keeps its address (implicit &${name}; e.g. sync.Pool.Get): interprocedural`;
      else reason = 'variable moved to heap that no hint names';
    }
    else if (m.kind === 'closure') reason = 'escaping closure the closure rule does not flag';
    else if (m.kind === 'inlined') reason = 'allocation inside an inlined callee of another package: not visible in the caller\'s syntax';
    else reason = 'not predicted';
    return { dir: '', file: m.file, line: m.line, col: m.col, message: m.text, rule: GC_RULE_FOR_KIND[m.kind], reason };
  });
  return { judged, missed, suppressed, allocations: counted.length, predicted: counted.length - missed.length };
}

// --- tinygo ------------------------------------------------------------------------------------------------

/**
 * Rules whose allocation happens inside a runtime function: -print-allocs reports it at the runtime's own lines,
 * so the evidence is the call left in the optimized LLVM IR (the build writes `-o calib.ll`), at the hint's line.
 */
export const TINYGO_RUNTIME_CALLS: Record<string, string[]> = {
  'alloc-goroutine': ['internal/task.start'],
  'alloc-map': ['runtime.hashmapMake'],
  'alloc-string-conversion': ['runtime.stringToBytes', 'runtime.stringFromBytes', 'runtime.stringFromUnicode', 'runtime.stringFromRunes', 'runtime.stringToRunes'],
  'alloc-concat-loop': ['runtime.stringConcat'],
  'alloc-append-loop': ['runtime.sliceAppend', 'runtime.sliceGrow'],
};

export interface TgAlloc {
  file: string; line: number; col: number; escapesAt?: number; text: string;
  /** Whether a runtime.alloc call is still at this position in the optimized IR (undefined without IR). */
  inFinalCode?: boolean;
}

/** A call to an allocating runtime function in the optimized IR, located (through inlinedAt) in a fixture file. */
export interface IrCall { fn: string; file: string; line: number; col: number; rule?: string; reason?: string }

/** What the source shows where the runtime call is, per function: otherwise an inlined callee made the call. */
const RUNTIME_CALL_SOURCE: [RegExp, string, RegExp][] = [
  [/^runtime\.string(?:To|From)(?:Bytes|Runes)$|^runtime\.stringFromUnicode$/, 'alloc-string-conversion', /\bstring\(|\[\](?:byte|rune)\(/],
  [/^runtime\.stringConcat$/, 'alloc-concat-loop', /\+/],
  [/^runtime\.slice(?:Append|Grow)$/, 'alloc-append-loop', /\bappend\(/],
  [/^runtime\.hashmapMake$/, 'alloc-map', /\bmap\[|\bmake\(map/],
  [/^internal\/task\.start$/, 'alloc-goroutine', /\bgo\b/],
];

function attributeCall(c: IrCall, pf: ParsedFile | undefined): IrCall {
  const row = RUNTIME_CALL_SOURCE.find(([re]) => re.test(c.fn));
  const text = pf?.lines[c.line - 1] ?? '';
  const window = Buffer.from(text, 'utf8').subarray(Math.max(0, c.col - 1 - 12), c.col - 1 + 60).toString('utf8');
  if (!row || !row[2].test(window)) return { ...c, rule: '(none)', reason: 'made by an inlined callee (fmt.Sprint*, fmt.Errorf, strings.Builder): not visible in the caller\'s syntax' };
  const inLoop = !!pf && (() => {
    let n: Node | null = pf.tree.rootNode.descendantForPosition(tsPoint(pf, c.line, c.col));
    for (; n; n = n.parent) if (n.type === 'for_statement') return true;
    return false;
  })();
  let reason: string;
  if (row[1] === 'alloc-string-conversion') reason = /^\s*(?:if|switch)\b|==|!=|\[string\(/.test(text) ? 'a comparison, switch or map lookup on string(b): TinyGo still calls stringFromBytes, which copies to the heap (gc does not); the rule exempts it' : 'conversion the rule treats as read-only';
  else if (row[1] === 'alloc-append-loop') reason = inLoop ? 'append in a loop the rule does not flag (preallocated or bounded)' : 'append outside a loop: grows (allocates) only when the capacity is exceeded; the rule covers loops only';
  else if (row[1] === 'alloc-concat-loop') reason = inLoop ? 'concatenation in a loop the rule does not flag' : 'concatenation outside a loop: allocates once; the rule covers loops only';
  else reason = 'not flagged';
  return { ...c, rule: row[1], reason };
}

function rootsOf(work: string): Set<string> {
  const roots = new Set([path.resolve(work)]);
  try { roots.add(fs.realpathSync(work)); } catch { /* keep the plain path */ }
  return roots;
}

export function tinygoAllocsIn(stderr: string, work: string, files: Set<string>): TgAlloc[] {
  const roots = rootsOf(work);
  const out: TgAlloc[] = [];
  const seen = new Set<string>();
  for (const a of parseAllocs(stderr).allocs) {
    if (!a.file || a.line === undefined) continue;
    if (!roots.has(path.dirname(path.resolve(work, a.file))) || !files.has(path.basename(a.file))) continue;
    const key = `${a.file}:${a.line}:${a.column}:${a.reasonText}`;
    if (seen.has(key)) continue; // package initializers go through the optimizer twice
    seen.add(key);
    out.push({ file: path.basename(a.file), line: a.line, col: a.column ?? 0, escapesAt: a.reason.kind === 'escapes' ? a.reason.line : undefined, text: describe(a) });
  }
  return out;
}

/**
 * Calls to the functions of TINYGO_RUNTIME_CALLS, and to runtime.alloc (the heap allocations left in the final
 * code), in a `.ll` file, each at its innermost location in a fixture file.
 */
export function irRuntimeCalls(ll: string, work: string, files: Set<string>): IrCall[] {
  const wanted = new Set([...Object.values(TINYGO_RUNTIME_CALLS).flat(), 'runtime.alloc']);
  const meta = new Map<number, string>();
  const calls: { fn: string; dbg: number }[] = [];
  for (const line of ll.split('\n')) {
    if (line.startsWith('!')) {
      const m = /^!(\d+) = (.*)$/.exec(line);
      if (m) meta.set(Number(m[1]), m[2]);
      continue;
    }
    const c = /\bcall\b.*?@(?:"([^"]+)"|([\w.$]+))\(.*!dbg !(\d+)\s*$/.exec(line);
    if (c && wanted.has(c[1] ?? c[2])) calls.push({ fn: c[1] ?? c[2], dbg: Number(c[3]) });
  }
  const roots = rootsOf(work);
  const fileOf = (scope: number): string | undefined => {
    const s = meta.get(scope);
    const f = s && /\bfile: !(\d+)/.exec(s);
    const d = f ? meta.get(Number(f[1])) : undefined;
    const m = d && /!DIFile\(filename: "([^"]*)", directory: "([^"]*)"/.exec(d);
    return m ? path.resolve(m[2], m[1]) : undefined;
  };
  const out: IrCall[] = [];
  for (const c of calls) {
    for (let loc: number | undefined = c.dbg, hops = 0; loc !== undefined && hops < 50; hops++) {
      const m = /!DILocation\(line: (\d+), column: (\d+), scope: !(\d+)(?:, inlinedAt: !(\d+))?/.exec(meta.get(loc) ?? '');
      if (!m) break;
      const file = fileOf(Number(m[3]));
      if (file && roots.has(path.dirname(file)) && files.has(path.basename(file))) {
        out.push({ fn: c.fn, file: path.basename(file), line: Number(m[1]), col: Number(m[2]) });
        break;
      }
      loc = m[4] ? Number(m[4]) : undefined;
    }
  }
  return out;
}

function describe(a: HeapAlloc): string {
  return `${a.line}${a.column ? `:${a.column}` : ''}: object allocated on the heap: ${a.reasonText}`;
}

function tgMatches(h: Hint, a: TgAlloc): boolean {
  return a.file === h.file && (a.line === h.line || a.escapesAt === h.line || h.decls.some((d) => sameDecl(a, d)));
}

function lineAt(files: Map<string, string[]>, file: string, line: number): string {
  return files.get(file)?.[line - 1] ?? '';
}

/** Func literals of `fn` that capture `name`, with how each is used (deferred, started by go, other). */
function closuresCapturing(pf: ParsedFile, fn: TopFunc, name: string): { line: number; how: 'defer' | 'go' | 'other' }[] {
  const out: { line: number; how: 'defer' | 'go' | 'other' }[] = [];
  for (const lit of fn.node.descendantsOfType('func_literal')) {
    if (!lit) continue;
    const caps = capturesAt(pf, lit.startPosition.row + 1, byteCol(pf.lines[lit.startPosition.row] ?? '', lit.startPosition.column));
    if (!caps?.includes(name)) continue;
    const call = lit.parent?.type === 'call_expression' ? lit.parent : null;
    const how = call?.parent?.type === 'defer_statement' ? 'defer' : call?.parent?.type === 'go_statement' ? 'go' : 'other';
    out.push({ line: lit.startPosition.row + 1, how });
  }
  return out;
}

/** The rule expected to catch a TinyGo allocation no hint matched, from the source at its position (heuristic). */
function attributeTg(a: TgAlloc, files: Map<string, string[]>, pf: ParsedFile | undefined): { rule: string; reason: string } {
  if (/exceeds maximum stack allocation size/.test(a.text)) return { rule: 'alloc-large-object', reason: 'larger than MaxStackAlloc, not recognised by the hint' };
  if (/size is not constant/.test(a.text)) return { rule: 'alloc-make-nonconst', reason: 'non-constant size not recognised by the hint' };
  const text = lineAt(files, a.file, a.line);
  const bytes = Buffer.from(text, 'utf8');
  const at = bytes.subarray(Math.max(0, a.col - 1)).toString('utf8');
  const before = bytes.subarray(0, Math.max(0, a.col - 1)).toString('utf8');
  const fn = pf ? enclosing(pf.funcs, a.line) : undefined;
  const where = fn ? '' : ' (in a package-level initializer)';
  const ident = /^([A-Za-z_]\w*)/.exec(at)?.[1];
  if (/^func\b/.test(at)) {
    if (/^\s*defer\s*$/.test(before)) return { rule: 'alloc-closure', reason: 'the context of a deferred closure capturing more than a pointer: TinyGo heap-allocates it (the rule treats defer closures as not outliving the call)' };
    return { rule: 'alloc-closure', reason: `closure context not predicted${where}` };
  }
  // TinyGo puts make/new at their '(' and composite literals at their '{'.
  if (/\bmake\s*$/.test(before)) return { rule: 'alloc-escape', reason: `constant-size make whose backing array escapes (returned as any, captured, stored or put in a pool)${where}: no rule covers escaping constant-size makes` };
  if (/\bnew\s*$/.test(before) || (/^\{/.test(at) && /&\s*[\w.]+\s*$/.test(before))) return { rule: 'alloc-escape', reason: `&T{} / new(T) passed to a callee that keeps it${where}: interprocedural, the hints cannot see it` };
  if (/^\{/.test(at)) return { rule: 'alloc-interface-box', reason: `composite literal that escapes (boxed or stored)${where}` };
  if (/^\)/.test(at)) return { rule: '(none)', reason: 'allocation inside an inlined callee (e.g. the closure log.Printf builds): not visible in the caller\'s syntax' };
  if (ident && fn && pf) {
    const caps = closuresCapturing(pf, fn, ident);
    const d = caps.find((c) => c.how === 'defer');
    if (d) return { rule: 'alloc-closure', reason: `\`${ident}\` is captured by the deferred closure at line ${d.line}: TinyGo heap-allocates variables captured by defer closures (the rule treats defer closures as not outliving the call)` };
    const g = caps.find((c) => c.how === 'go');
    if (g) return { rule: 'alloc-closure', reason: `\`${ident}\` is captured by the closure started by go at line ${g.line}` };
    const o = caps[0];
    if (o) return { rule: 'alloc-closure', reason: `\`${ident}\` is captured by the closure at line ${o.line}, which is passed to a function: inlining-dependent, TinyGo keeps it on the stack only when the callee is inlined or provably does not keep the closure` };
    const esc = a.escapesAt !== undefined ? lineAt(files, a.file, a.escapesAt) : '';
    if (new RegExp(`\\w\\s*\\([^)]*&${ident}\\b`).test(esc)) return { rule: 'alloc-escape', reason: `\`&${ident}\` is passed at line ${a.escapesAt} to a callee that keeps it: interprocedural, the hints cannot see it` };
    if (new RegExp(`&${ident}\\b`).test(esc)) return { rule: 'alloc-escape', reason: `the address of \`${ident}\` is stored at line ${a.escapesAt} into a local struct: TinyGo's allocator does not follow stores into other stack objects` };
    if (new RegExp(`\\b${ident}\\.\\w+\\(`).test(esc)) return { rule: 'alloc-escape', reason: `a pointer-receiver method call takes \`${ident}\`'s address implicitly at line ${a.escapesAt} and keeps it (strings.Builder's copy check stores it)` };
    return { rule: 'alloc-interface-box', reason: `\`${ident}\` escapes at line ${a.escapesAt ?? '?'}: boxed into an interface or passed on` };
  }
  return { rule: '(none)', reason: `not attributed${where}` };
}

export interface TinygoJudgement { judged: Judged[]; missed: Missed[]; suppressed: Missed[]; unhintedCalls: IrCall[] }

export function judgeTinygo(hints: Hint[], allocs: TgAlloc[], calls: IrCall[] | undefined, files: Map<string, string[]>, parsedFiles: Map<string, ParsedFile>): TinygoJudgement {
  // -print-allocs reports before LLVM's inliner runs: an allocation it lists may be gone from the final code.
  const allocCalls = calls?.filter((c) => c.fn === 'runtime.alloc');
  const rtCalls = calls?.filter((c) => c.fn !== 'runtime.alloc');
  for (const a of allocs) if (allocCalls) a.inFinalCode = allocCalls.some((c) => c.file === a.file && c.line === a.line && c.col === a.col);
  const used = new Set<TgAlloc>();
  const usedCalls = new Set<IrCall>();
  const judged = hints.map((h): Judged => {
    const hits = allocs.filter((a) => tgMatches(h, a));
    hits.forEach((a) => used.add(a));
    const fns = TINYGO_RUNTIME_CALLS[h.ruleId];
    let irHits = fns && rtCalls ? rtCalls.filter((c) => c.file === h.file && c.line === h.line && fns.includes(c.fn)) : [];
    // The helper inlined at the line (LLVM inlines small ones such as stringFromBytes): its runtime.alloc call is left
    // there, at a position where -print-allocs (which runs before inlining) listed nothing.
    if (fns && irHits.length === 0 && allocCalls) {
      irHits = allocCalls.filter((c) => c.file === h.file && c.line === h.line && !allocs.some((a) => a.file === c.file && a.line === c.line && a.col === c.col))
        .map((c) => ({ ...c, fn: `runtime.alloc (of an inlined ${fns.join(' / ')})` }));
    }
    irHits.forEach((c) => usedCalls.add(c));
    const evidence = [...hits.map((a) => a.text + (a.inFinalCode === false ? ' (gone from the final code)' : '')), ...irHits.map((c) => `${c.line}:${c.col}: IR calls ${c.fn}`)];
    if (hits.length + irHits.length > 0) {
      const gone = irHits.length === 0 && hits.every((a) => a.inFinalCode === false);
      return { ...h, status: 'confirmed', evidence, ...(gone ? { reason: 'reported by -print-allocs, but gone from the final code (LLVM\'s later passes, inlining included, removed it)' } : {}) };
    }
    if (fns && !rtCalls) return { ...h, status: 'not-observable', evidence, reason: `${fns.join(' / ')} allocates inside the runtime, which -print-allocs reports at the runtime's own line (no IR was written)` };
    let reason: string;
    if (h.dead) reason = `dead value (${h.dead}): LLVM removed the allocation (fixture artefact)`;
    else if (fns) reason = `no call to ${fns.join(' / ')} is left at this line in the optimized IR`;
    else if (/unless it fits in a pointer/.test(h.message)) reason = 'target-dependent size: the value fits in this target\'s pointer, so TinyGo stores it in the interface (the rule does not size struct types)';
    else if (/\{\}$/.test(h.operand ?? '')) reason = 'zero value: TinyGo boxes it without allocating';
    else reason = 'TinyGo kept it on the stack (no allocation reported on the line, its escape line or the variable\'s declaration)';
    return { ...h, status: 'not-confirmed', evidence, reason };
  });
  const unmatched = allocs.filter((a) => !used.has(a)).map((a): Missed & { suppressed: boolean } => {
    const { rule, reason } = attributeTg(a, files, parsedFiles.get(a.file));
    const pf = parsedFiles.get(a.file);
    const suppressed = !!pf && (pf.suppressed.has(a.line) || (a.escapesAt !== undefined && pf.suppressed.has(a.escapesAt)));
    const gone = a.inFinalCode === false;
    return { dir: '', file: a.file, line: a.line, col: a.col, message: a.text, rule, reason: gone ? `${reason}; gone from the final code (LLVM's later passes, inlining included, removed it)` : reason, suppressed, ...(gone ? { goneFromFinalCode: true } : {}) };
  });
  const strip = ({ suppressed: _s, ...m }: Missed & { suppressed: boolean }): Missed => m;
  const hinted = (file: string, line: number) => hints.some((h) => h.file === file && h.line === line);
  const unhintedCalls = [
    ...(rtCalls ?? []).filter((c) => !usedCalls.has(c)).map((c) => attributeCall(c, parsedFiles.get(c.file))),
    // Heap allocations in the final code that -print-allocs did not list: made by callees inlined at that line.
    ...(allocCalls ?? []).filter((c) => !allocs.some((a) => a.file === c.file && a.line === c.line && a.col === c.col) && !hinted(c.file, c.line))
      .map((c): IrCall => ({ ...c, rule: '(none)', reason: 'a heap allocation of a callee inlined here (not in -print-allocs, which reports before LLVM inlines)' })),
  ].filter((c) => !parsedFiles.get(c.file)?.suppressed.has(c.line));
  return { judged, missed: unmatched.filter((m) => !m.suppressed).map(strip), suppressed: unmatched.filter((m) => m.suppressed).map(strip), unhintedCalls };
}

/** A tinygo to calibrate against and the environment that runs it (not the extension's view of an install). */
interface CalibrationTinygo { version: string; env: NodeJS.ProcessEnv; tinygo: string; hostBuilds: boolean; note?: string }

/** `env`: the current environment (after `eval "$(bash scripts/install-tinygo.sh ...)"`); a version: the script's. */
export function findCalibrationTinygo(repoRoot: string, spec: string): CalibrationTinygo | { note: string } {
  let env: NodeJS.ProcessEnv;
  if (spec === 'env') {
    env = process.env;
  } else {
    const script = path.join(repoRoot, 'scripts', 'install-tinygo.sh');
    const r = run('bash', ['-c', 'eval "$(bash "$0" "$1")" && env -0', script, spec], { timeoutMs: 1_800_000 });
    if (r.status !== 0) return { note: `install-tinygo.sh ${spec} failed: ${firstLines(r.stderr)}` };
    env = {};
    for (const kv of r.stdout.split('\0')) {
      const i = kv.indexOf('=');
      if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
    }
    if (!env.TGW_TINYGO) return { note: `tinygo ${spec} not available: ${firstLines(r.stderr)}` };
  }
  const tinygo = env.TGW_TINYGO;
  if (!tinygo) return { note: 'TGW_TINYGO is not set (run eval "$(bash scripts/install-tinygo.sh)" or pass --tinygo=0.39.0)' };
  const v = run(tinygo, ['version'], { env });
  const parsed = parseVersionOutput(v.stdout);
  const version = parsed.ok ? parsed.info.version.raw : spec;
  return { version, env, tinygo, hostBuilds: env.TGW_TINYGO_HOST_BUILDS === '1', note: `${v.stdout.trim()}` };
}

function hostFacts(inst: CalibrationTinygo): TargetFacts {
  const r = run(inst.tinygo, ['info', '-json'], { env: inst.env, timeoutMs: 120_000 });
  const info = r.status === 0 ? parseInfo(r.stdout).info : undefined;
  return targetFactsFor(info?.goos ?? 'linux', {
    tinygoVersion: inst.version, goos: info?.goos ?? 'linux', goarch: info?.goarch ?? 'amd64', gc: 'precise',
    scheduler: info?.scheduler, buildTags: info?.buildTags, defaultStackSize: info?.target?.defaultStackSize,
  });
}

// --- driving it ----------------------------------------------------------------------------------------------

export interface CalibrationOptions {
  repoRoot: string;
  /** Fixture directories relative to test/fixtures/analysis ('' = its root); default: all. */
  dirs?: string[];
  example?: boolean;
  goCmd?: string;
  /** Versions for scripts/install-tinygo.sh, or 'env'; empty: no tinygo. */
  tinygo?: string[];
  log?: (s: string) => void;
}

export interface CalibrationResult {
  generatedAt: string;
  go: string;
  nrf52Facts: TargetFacts;
  dirs: { dir: string; files: string[]; hints: number; note?: string }[];
  gc: CompilerResult;
  tinygo: CompilerResult[];
  notes: string[];
}

export function perRule(judged: Judged[], missed: Missed[]): RuleRow[] {
  const rules = [...ALLOC_RULES, ...new Set([...judged.map((h) => h.ruleId), ...missed.map((m) => m.rule)].filter((r) => !(ALLOC_RULES as readonly string[]).includes(r)))];
  return rules.map((rule) => {
    const hs = judged.filter((h) => h.ruleId === rule);
    return {
      rule, hints: hs.length,
      confirmed: hs.filter((h) => h.status === 'confirmed').length,
      notConfirmed: hs.filter((h) => h.status === 'not-confirmed').length,
      notObservable: hs.filter((h) => h.status === 'not-observable').length,
      notCompiled: hs.filter((h) => h.status === 'not-compiled').length,
      missed: missed.filter((m) => m.rule === rule && !m.goneFromFinalCode).length,
      missedGone: missed.filter((m) => m.rule === rule && m.goneFromFinalCode).length,
    };
  });
}

function finish(compiler: string, version: string, judged: Judged[], missed: Missed[], suppressed: Missed[], allocations: number, predicted: number, notes: string[], facts?: TargetFacts): CompilerResult {
  const c = judged.filter((h) => h.status === 'confirmed').length;
  const n = judged.filter((h) => h.status === 'not-confirmed').length;
  return { compiler, version, facts, hints: judged, missed, suppressed, allocations, allocationsPredicted: predicted, perRule: perRule(judged, missed), precision: ratio(c, c + n), recall: ratio(predicted, allocations), notes };
}

function notCompiled(h: Hint, why: string): Judged {
  return { ...h, status: 'not-compiled', evidence: [], reason: why };
}

export async function calibrate(opts: CalibrationOptions): Promise<CalibrationResult> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-calib-'));
  try {
    return await calibrateIn(opts, tmp);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function calibrateIn(opts: CalibrationOptions, tmp: string): Promise<CalibrationResult> {
  const log = opts.log ?? (() => {});
  const repoRoot = opts.repoRoot;
  const goCmd = opts.goCmd ?? 'go';
  const engine = await createEngine(assetsFromSource(repoRoot));
  const nrf52 = targetFactsFor(undefined);
  const notes: string[] = [];
  const goVersion = run(goCmd, ['version'], { env: goEnv() }).stdout.trim();

  // Which directories, which files.
  const fixtures = path.join(repoRoot, 'test', 'fixtures', 'analysis');
  const sources: { src: string; files: string[] }[] = [];
  for (const d of goDirs(fixtures)) {
    const rel = path.relative(fixtures, d).split(path.sep).join('/');
    if (opts.dirs && !opts.dirs.includes(rel)) continue;
    sources.push({ src: d, files: fs.readdirSync(d).filter((f) => f.endsWith('.go')).sort() });
  }
  const example = path.join(repoRoot, 'examples', 'feather-blinky', 'diagnostics.go');
  if (opts.example !== false && fs.existsSync(example)) sources.push({ src: path.dirname(example), files: ['diagnostics.go'] });

  const dirs: CalibrationResult['dirs'] = [];
  const prepared: { p: PreparedDir; parsedFiles: Map<string, ParsedFile>; nrfHints: Hint[] }[] = [];
  for (const s of sources) {
    const dirRel = path.relative(repoRoot, s.src).split(path.sep).join('/');
    const ignored = s.files.filter((f) => /^\/\/go:build ignore\s*$/m.test(fs.readFileSync(path.join(s.src, f), 'utf8').split(/^package /m)[0]));
    const files = s.files.filter((f) => !ignored.includes(f));
    if (ignored.length) notes.push(`${dirRel}: skipped ${ignored.join(', ')} (//go:build ignore: deliberately broken, not compilable)`);
    const parsedFiles = new Map<string, ParsedFile>();
    const nrfHints: Hint[] = [];
    for (const f of files) {
      const text = fs.readFileSync(path.join(s.src, f), 'utf8');
      const pf = parseFile(engine, text);
      parsedFiles.set(f, pf);
      for (const x of analyzeText(engine, text, { target: nrf52 })) if (isAllocationHint(x)) nrfHints.push(makeHint(dirRel, f, pf, x));
    }
    if (nrfHints.length === 0) { for (const pf of parsedFiles.values()) pf.tree.delete(); continue; }
    const p = prepareDir(engine, repoRoot, s.src, files, tmp, goCmd);
    dirs.push({ dir: dirRel, files, hints: nrfHints.length, note: p.note });
    prepared.push({ p, parsedFiles, nrfHints });
    log(`${dirRel}: ${files.length} files, ${nrfHints.length} alloc hints (nRF52 facts)`);
  }

  // gc.
  const gcJudged: Judged[] = [];
  const gcMissed: Missed[] = [];
  const gcSuppressed: Missed[] = [];
  let gcAllocs = 0; let gcPredicted = 0;
  const gcNotes: string[] = [];
  for (const { p, parsedFiles, nrfHints } of prepared) {
    const r = run(goCmd, ['build', '-gcflags=-m', '-o', os.devNull, '.'], { cwd: p.work, env: goEnv() });
    if (r.status !== 0) {
      gcNotes.push(`${p.dir}: skipped, gc cannot compile it: ${firstLines(r.stderr)}`);
      gcJudged.push(...nrfHints.map((h) => notCompiled(h, 'directory does not compile with gc')));
      continue;
    }
    const msgs = parseGcM(r.stderr, p.work, p.compiled, parsedFiles);
    const inPkg = nrfHints.filter((h) => p.compiled.has(h.file));
    gcJudged.push(...nrfHints.filter((h) => !p.compiled.has(h.file)).map((h) => notCompiled(h, 'file excluded by build constraints')));
    const g = judgeGc(inPkg, msgs, (f) => parsedFiles.get(f));
    gcJudged.push(...g.judged);
    gcMissed.push(...g.missed.map((m) => ({ ...m, dir: p.dir })));
    gcSuppressed.push(...g.suppressed.map((m) => ({ ...m, dir: p.dir })));
    gcAllocs += g.allocations; gcPredicted += g.predicted;
  }
  const gc = finish('gc', goVersion, gcJudged, gcMissed, gcSuppressed, gcAllocs, gcPredicted, gcNotes, nrf52);

  // tinygo.
  const tinygo: CompilerResult[] = [];
  for (const spec of opts.tinygo ?? []) {
    const inst = findCalibrationTinygo(repoRoot, spec);
    if (!('tinygo' in inst)) { notes.push(inst.note); continue; }
    if (!inst.hostBuilds) { notes.push(`tinygo ${inst.version}: TGW_TINYGO_HOST_BUILDS is not 1 (no linux/amd64 host builds here), skipped`); continue; }
    log(`tinygo ${inst.version}: ${inst.note}`);
    const facts = hostFacts(inst);
    const judged: Judged[] = [];
    const missed: Missed[] = [];
    const suppressed: Missed[] = [];
    const unhinted: (IrCall & { dir: string })[] = [];
    let allocs = 0; let predicted = 0; let allocsFinal = 0; let predictedFinal = 0;
    const tgNotes: string[] = [];
    for (const { p, parsedFiles } of prepared) {
      const hints: Hint[] = [];
      for (const f of p.files) {
        const pf = parsedFiles.get(f.name);
        if (!pf) continue;
        for (const x of analyzeText(engine, f.text, { target: facts })) if (isAllocationHint(x)) hints.push(makeHint(p.dir, f.name, pf, x));
      }
      if (gc.notes.some((n) => n.startsWith(`${p.dir}:`))) {
        judged.push(...hints.map((h) => notCompiled(h, 'directory does not compile with gc (not tried with tinygo)')));
        continue;
      }
      const t0 = Date.now();
      // One build gives both: the allocation report on stderr, and the optimized IR (after OptimizeAllocs).
      const llPath = path.join(p.work, 'calib.ll');
      fs.rmSync(llPath, { force: true });
      const r = run(inst.tinygo, ['build', '-o', llPath, '-gc=precise', '-opt=z', '-print-allocs=.', '.'], { cwd: p.work, env: { ...inst.env, GOWORK: 'off', GOFLAGS: '-mod=mod' }, timeoutMs: 900_000 });
      log(`tinygo ${inst.version} ${p.dir}: exit ${r.status} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      if (r.status !== 0) {
        tgNotes.push(`${p.dir}: skipped, tinygo ${inst.version} cannot build it: ${firstLines(r.stderr.split('\n').filter((l) => !l.includes('object allocated on the heap')).join('\n'))}`);
        judged.push(...hints.map((h) => notCompiled(h, `tinygo ${inst.version} cannot build the directory`)));
        continue;
      }
      judged.push(...hints.filter((h) => !p.compiled.has(h.file)).map((h) => notCompiled(h, 'file excluded by build constraints')));
      const tgAllocs = tinygoAllocsIn(r.stderr, p.work, p.compiled);
      const lines = new Map(p.files.map((f) => [f.name, f.text.split('\n')]));
      const calls = fs.existsSync(llPath) ? irRuntimeCalls(fs.readFileSync(llPath, 'utf8'), p.work, p.compiled) : undefined;
      if (!calls) tgNotes.push(`${p.dir}: no LLVM IR written, runtime-call evidence unavailable`);
      const t = judgeTinygo(hints.filter((h) => p.compiled.has(h.file)), tgAllocs, calls, lines, parsedFiles);
      judged.push(...t.judged);
      unhinted.push(...t.unhintedCalls.map((c) => ({ ...c, dir: p.dir })));
      missed.push(...t.missed.map((m) => ({ ...m, dir: p.dir })));
      suppressed.push(...t.suppressed.map((m) => ({ ...m, dir: p.dir })));
      const counted = tgAllocs.length - t.suppressed.length;
      allocs += counted; predicted += counted - t.missed.length;
      const supp = new Set(t.suppressed.map((m) => `${m.file}:${m.line}:${m.col}`));
      const final = tgAllocs.filter((a) => a.inFinalCode !== false && !supp.has(`${a.file}:${a.line}:${a.col}`)).length;
      allocsFinal += final; predictedFinal += final - t.missed.filter((m) => !m.goneFromFinalCode).length;
    }
    const res = finish('tinygo', inst.version, judged, missed, suppressed, allocs, predicted, tgNotes, facts);
    for (const row of res.perRule) row.unhintedCalls = unhinted.filter((u) => u.rule === row.rule).length;
    if (unhinted.some((u) => u.rule === '(none)') && !res.perRule.some((r) => r.rule === '(none)')) {
      res.perRule.push({ rule: '(none)', hints: 0, confirmed: 0, notConfirmed: 0, notObservable: 0, notCompiled: 0, missed: 0, unhintedCalls: unhinted.filter((u) => u.rule === '(none)').length });
    }
    tinygo.push({ ...res, unhintedRuntimeCalls: unhinted, allocationsFinal: allocsFinal, allocationsPredictedFinal: predictedFinal, recallFinal: ratio(predictedFinal, allocsFinal) });
  }
  for (const { parsedFiles } of prepared) for (const pf of parsedFiles.values()) pf.tree.delete();
  return { generatedAt: new Date().toISOString(), go: goVersion, nrf52Facts: nrf52, dirs, gc, tinygo, notes };
}

// --- report -----------------------------------------------------------------------------------------------------

function mdTable(head: string[], rows: (string | number)[][]): string {
  const all = [head, ...rows.map((r) => r.map(String))];
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const fmt = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  return [fmt(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...all.slice(1).map(fmt)].join('\n');
}

function shortHint(h: Hint): string {
  return h.operand ? `\`${h.operand}\`` : h.message.slice(0, 60);
}

export function formatReport(r: CalibrationResult): string {
  const out: string[] = [];
  out.push(`# Alloc-hint calibration (${r.generatedAt})`, '');
  out.push(`gc: ${r.go}; hints for gc with the nRF52 facts (${r.nrf52Facts.target}, pointer ${r.nrf52Facts.pointerSize} B, MaxStackAlloc ${r.nrf52Facts.maxStackAlloc} B).`);
  for (const t of r.tinygo) out.push(`tinygo ${t.version}: linux/amd64 host build, -gc=precise -opt=z; hints with the host facts (pointer ${t.facts?.pointerSize} B, MaxStackAlloc ${t.facts?.maxStackAlloc} B, scheduler ${t.facts?.scheduler}).`);
  out.push('', 'Directories: ' + r.dirs.map((d) => `${d.dir} (${d.files.length} files, ${d.hints} hints)`).join('; '));
  for (const n of [...r.notes, ...r.gc.notes, ...r.tinygo.flatMap((t) => t.notes.map((n) => `tinygo ${t.version}: ${n}`))]) out.push(`- note: ${n}`);
  out.push('');

  const head = ['rule', 'hints (nRF52)', 'gc ✓', 'gc ✗', 'gc n/o', 'gc missed'];
  for (const t of r.tinygo) head.push(`hints (host ${t.version})`, `tg ${t.version} ✓`, `tg ✗`, `tg n/o`, `tg missed`, `tg rt calls w/o hint`);
  const rules = [...new Set([...r.gc.perRule.map((x) => x.rule), ...r.tinygo.flatMap((t) => t.perRule.map((x) => x.rule))])];
  const rows = rules.map((rule) => {
    const g = r.gc.perRule.find((x) => x.rule === rule);
    const row: (string | number)[] = [rule, g?.hints ?? 0, g?.confirmed ?? 0, g?.notConfirmed ?? 0, g?.notObservable ?? 0, g?.missed ?? 0];
    for (const t of r.tinygo) {
      const x = t.perRule.find((y) => y.rule === rule);
      const ir = t.hints.filter((h) => h.ruleId === rule && h.status === 'confirmed' && h.evidence.every((e) => e.includes(': IR calls '))).length;
      const missed = x?.missedGone ? `${x?.missed ?? 0} (+${x.missedGone} gone)` : x?.missed ?? 0;
      row.push(x?.hints ?? 0, ir ? `${x?.confirmed ?? 0} (${ir} IR)` : x?.confirmed ?? 0, x?.notConfirmed ?? 0, x?.notObservable ?? 0, missed, x?.unhintedCalls ?? 0);
    }
    return row;
  });
  const total = (c: CompilerResult, k: keyof RuleRow) => c.perRule.reduce((s, x) => s + ((x[k] as number | undefined) ?? 0), 0);
  const totalRow: (string | number)[] = ['**total**', total(r.gc, 'hints'), total(r.gc, 'confirmed'), total(r.gc, 'notConfirmed'), total(r.gc, 'notObservable'), total(r.gc, 'missed')];
  for (const t of r.tinygo) {
    const gone = total(t, 'missedGone');
    totalRow.push(total(t, 'hints'), total(t, 'confirmed'), total(t, 'notConfirmed'), total(t, 'notObservable'), gone ? `${total(t, 'missed')} (+${gone} gone)` : total(t, 'missed'), total(t, 'unhintedCalls'));
  }
  out.push('## Per rule', '', '✓ confirmed (tinygo "(n IR)": n of them only by a call to an allocating runtime function left at the line in the optimized IR), ✗ not confirmed, n/o not observable in that compiler\'s report, missed = compiler allocations no hint matched (attributed to the rule expected to catch them, heuristically; tinygo "(+m gone)": m more that -print-allocs listed but that are gone from the final code, removed by LLVM\'s later passes), tg rt calls w/o hint = calls to allocating runtime functions (stringFromBytes, stringConcat, sliceAppend, hashmapMake, task.start) left in the optimized IR on lines without a hint (not in the recall figure).', '');
  out.push(mdTable(head, [...rows, totalRow]), '');
  const nc = [r.gc, ...r.tinygo].flatMap((c) => c.hints.filter((h) => h.status === 'not-compiled').map((h) => `${c.compiler} ${c.version}: ${h.dir}/${h.file}:${h.line} ${h.ruleId} (${h.reason})`));
  if (nc.length) out.push('Not compiled (excluded from the counts above):', ...nc.map((s) => `- ${s}`), '');

  out.push('## Precision and recall', '');
  out.push(mdTable(['compiler', 'precision (confirmed / (confirmed + not confirmed))', 'recall (allocations predicted / allocations)', 'recall over allocations left in the final code'], [r.gc, ...r.tinygo].map((c) => {
    const cf = c.hints.filter((h) => h.status === 'confirmed').length;
    const n = c.hints.filter((h) => h.status === 'not-confirmed').length;
    const fin = c.allocationsFinal !== undefined ? `${pct(c.allocationsPredictedFinal ?? 0, c.allocationsFinal)} (${c.allocationsPredictedFinal}/${c.allocationsFinal})` : '–';
    return [`${c.compiler} ${c.version}`, `${pct(cf, cf + n)} (${cf}/${cf + n})`, `${pct(c.allocationsPredicted, c.allocations)} (${c.allocationsPredicted}/${c.allocations})`, fin];
  })), '');

  for (const c of [r.gc, ...r.tinygo]) {
    const name = `${c.compiler} ${c.version}`;
    const none = (xs: unknown[]) => (xs.length === 0 ? ['(none)'] : []);
    out.push(`## ${name}: hints not confirmed`, '', ...none(c.hints.filter((x) => x.status === 'not-confirmed')));
    for (const h of c.hints.filter((x) => x.status === 'not-confirmed')) out.push(`- ${h.dir}/${h.file}:${h.line}:${h.col} ${h.ruleId} ${shortHint(h)} — ${h.reason}${h.evidence.length ? ` [${h.evidence.join('; ')}]` : ''}`);
    out.push('', `## ${name}: hints not observable`, '', ...none(c.hints.filter((x) => x.status === 'not-observable')));
    for (const h of c.hints.filter((x) => x.status === 'not-observable')) out.push(`- ${h.dir}/${h.file}:${h.line}:${h.col} ${h.ruleId} ${shortHint(h)} — ${h.reason}`);
    const gone = c.hints.filter((x) => x.status === 'confirmed' && x.reason);
    if (gone.length) {
      out.push('', `## ${name}: confirmed, with a note`, '');
      for (const h of gone) out.push(`- ${h.dir}/${h.file}:${h.line}:${h.col} ${h.ruleId} ${shortHint(h)} — ${h.reason}`);
    }
    out.push('', `## ${name}: allocations the hints missed`, '', ...none(c.missed));
    for (const m of c.missed) out.push(`- ${m.dir}/${m.file}:${m.line}:${m.col} "${m.message}" → ${m.rule}: ${m.reason}`);
    if (c.unhintedRuntimeCalls?.length) {
      out.push('', 'Calls to allocating runtime functions on lines without a hint (not counted in recall):');
      for (const u of c.unhintedRuntimeCalls) out.push(`- ${u.dir}/${u.file}:${u.line}:${u.col} ${u.fn} → ${u.rule}: ${u.reason}`);
    }
    if (c.suppressed.length) {
      out.push('', `Not counted (hints silenced by a comment there):`);
      for (const m of c.suppressed) out.push(`- ${m.dir}/${m.file}:${m.line}:${m.col} "${m.message}"`);
    }
    out.push('');
  }

  // Target-dependent: nRF52 hints that the host facts do not produce, and what tinygo (host) did there.
  for (const t of r.tinygo) {
    const key = (h: Hint) => `${h.dir}/${h.file}:${h.line}:${h.col}:${h.ruleId}`;
    const host = new Set(t.hints.map(key));
    const only = r.gc.hints.filter((h) => !host.has(key(h)));
    if (only.length === 0) continue;
    out.push(`## Target-dependent: hints with the nRF52 facts but not with the host facts (tinygo ${t.version})`, '');
    for (const h of only) out.push(`- ${h.dir}/${h.file}:${h.line}:${h.col} ${h.ruleId} ${shortHint(h)} — target-dependent size (pointer ${r.nrf52Facts.pointerSize} vs ${t.facts?.pointerSize} B, MaxStackAlloc ${r.nrf52Facts.maxStackAlloc} vs ${t.facts?.maxStackAlloc} B)`);
    out.push('');
  }
  return out.join('\n');
}

function parseArgs(argv: string[]): Map<string, string> {
  return new Map(argv.map((a) => { const [k, ...v] = a.replace(/^--/, '').split('='); return [k, v.length ? v.join('=') : 'true'] as const; }));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const repoRoot = args.get('root') ?? findRepoRoot(__dirname);
  if (args.has('corpus')) {
    // Real code, real nRF52 firmware (tools/calibrateReal.ts); loaded only then.
    const { mainReal } = await import('./calibrateReal');
    await mainReal(args, repoRoot);
    return;
  }
  const tg = args.get('tinygo') ?? (process.env.TGW_TINYGO ? 'env' : '0.39.0');
  const result = await calibrate({
    repoRoot,
    dirs: args.get('dirs')?.split(',').map((d) => (d === '.' ? '' : d)),
    example: !args.has('no-example'),
    goCmd: args.get('go') ?? 'go',
    tinygo: tg === 'none' ? [] : tg.split(',').filter(Boolean),
    log: (s) => process.stderr.write(`calibrate: ${s}\n`),
  });
  console.log(formatReport(result));
  const jsonPath = path.resolve(repoRoot, args.get('json') ?? 'test-output/calibration.json');
  fs.mkdirSync(path.dirname(jsonPath), { recursive: true });
  fs.writeFileSync(jsonPath, JSON.stringify(result, null, 2) + '\n');
  process.stderr.write(`calibrate: wrote ${path.relative(process.cwd(), jsonPath) || jsonPath}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => { console.error(e instanceof Error ? e.stack : e); process.exit(1); });
}

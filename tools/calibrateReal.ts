/**
 * Calibration of the heap-allocation hints against the real tinygo on REAL code written by others, for an nRF52
 * target (the successor of the fixture calibration in calibrate.ts for issue 16).
 *
 *   npm run calibrate -- --corpus=real|drivers|all [--only=<corpus name substring>] [--sample=N (every N-th program)]
 *                        [--json=test-output/calibration-<corpus>.json]
 *
 * Corpora (module@version, fetched through the Go module proxy with `go mod download`, cached with the builds under
 * ~/.cache/tinygo-workbench/calib-real, TGW_CACHE overrides the root):
 * - real (the tuning corpus): TinyGo's own src/examples (from the TINYGOROOT of scripts/install-tinygo.sh),
 *   tinygo.org/x/tinyfont, tinyterm, tinydraw, tinygo.org/x/bluetooth.
 * - drivers: tinygo.org/x/drivers, the independent check: never tune the rules on it.
 *
 * Every `package main` directory of a corpus (cmd/ and tools/ are host programs: skipped) is built with
 * `tinygo build -target=T -print-allocs=. -o x.elf` (allocations picked by file) for feather-nrf52840, and for pca10040
 * when that fails; a program that builds for neither is skipped with the compiler's first line. A build is cached
 * (its stderr, exit status and ELF), so reruns only re-run the analysis.
 *
 * What is judged: the corpus's source lines that the ELF's DWARF line tables name (lines compiled into the
 * firmware, inlined code included). Hints are computed for the files of the corpus packages the firmware contains,
 * with the target's facts (`tinygo info -json -target=T`) and its build context (only files compiled for the
 * target; a file another build tag excludes gets no hints), and kept only on compiled lines. Allocations:
 * `-print-allocs` lines in corpus files. A hint is confirmed as in calibrate.ts (judgeTinygo: an allocation on its
 * line, escaping at its line, or at the declaration of the variable it names). Runtime-helper allocations
 * (string conversions, append growth, concatenation, maps, goroutine stacks) are reported by -print-allocs at the
 * runtime's own line: for those the evidence is a call (ARM `bl`/`b.w`, from llvm-objdump) to the runtime function
 * in the firmware whose DWARF inlining chain reaches the hint's line; calls to runtime.alloc tell which
 * -print-allocs allocations are still in the final code ("gone" otherwise). Library code is compiled into many
 * programs: hints, allocations and calls are merged per corpus (same file, line, column counted once).
 *
 * Precision = confirmed / (confirmed + not confirmed); recall = allocations (in corpus files, in the final code)
 * matched by a hint / those allocations; "recall, -print-allocs" counts the gone ones too.
 *
 * TinyGo-support findings (tools/calibrateSupport.ts): for each program that built, `tinygo list -deps -json
 * -target=T` (cached beside the build) names the files it compiles; every user file among them (the corpus's
 * packages and dependency modules, not GOROOT/TINYGOROOT) is analysed with the target's build context and its
 * unsupported-family findings counted. On code that builds, a finding that says the build fails is wrong by
 * definition; a warning must name a run-time failure the build does not see.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Node } from 'web-tree-sitter';
import {
  analyzeText, analyzeTextFile, assetsFromSource, buildContextFromInfo, createEngine, targetFactsFor, type AnalysisEngine, type BuildContext, type TargetFacts,
} from '../src/core/analysis';
import { LineLookup, parseDebugLine, parseElf } from '../src/core/elf';
import { fileName as lineFileName } from '../src/core/elf/addr2line';
import { readUnitLineInfo } from '../src/core/elf/dwarfUnits';
import { parseAllocs } from '../src/core/tinygo/allocs';
import { parseInfo } from '../src/core/tinygo/info';
import {
  ALLOC_RULES, TINYGO_RUNTIME_CALLS, findCalibrationTinygo, isAllocationHint, judgeTinygo, makeHint, parseFile, perRule,
  type Hint, type IrCall, type Judged, type Missed, type ParsedFile, type RuleRow, type TgAlloc,
} from './calibrate';
import {
  formatSupport, formatSupportSummary, isSupportFinding, mergeSupport, parseListFiles, supportFinding, userFiles, type ContextDisagreement, type ListedFiles, type SupportFinding, type SupportResult,
} from './calibrateSupport';

export const TARGETS = ['feather-nrf52840', 'pca10040'] as const;

export interface CorpusSpec {
  /** `module@version`, or `tinygo-examples@<tinygo version>`. */
  name: string;
  set: 'real' | 'drivers';
  /** Go module path; undefined for TinyGo's own examples. */
  module?: string;
  version?: string;
}

export const CORPORA: CorpusSpec[] = [
  { name: 'tinygo-examples', set: 'real' },
  { name: 'tinygo.org/x/tinyfont@v0.6.0', set: 'real', module: 'tinygo.org/x/tinyfont', version: 'v0.6.0' },
  { name: 'tinygo.org/x/tinyterm@v0.5.0', set: 'real', module: 'tinygo.org/x/tinyterm', version: 'v0.5.0' },
  { name: 'tinygo.org/x/tinydraw@v0.4.0', set: 'real', module: 'tinygo.org/x/tinydraw', version: 'v0.4.0' },
  { name: 'tinygo.org/x/bluetooth@v0.16.0', set: 'real', module: 'tinygo.org/x/bluetooth', version: 'v0.16.0' },
  { name: 'tinygo.org/x/drivers@v0.37.0', set: 'drivers', module: 'tinygo.org/x/drivers', version: 'v0.37.0' },
];

/** A corpus ready to build: where its sources are and how to name its files. */
interface Corpus {
  spec: CorpusSpec;
  name: string;
  /** Absolute directory holding the sources (a writable copy of the module, or TINYGOROOT/src/examples). */
  root: string;
  buildCwd: string;
  /** Program directories relative to root. */
  programs: string[];
  skipped: string[];
  pkgArg(rel: string): string;
  printAllocs: string;
  /** Corpus-relative path of a compiler or DWARF path, or undefined when it is not a corpus file. */
  rel(abs: string): string | undefined;
  /** Whether a package of `tinygo list` output is the corpus's own (not a dependency). */
  own(p: ListedFiles): boolean;
}

export interface ProgramResult { corpus: string; program: string; target?: string; status: 'built' | 'skipped'; note?: string; seconds?: number }

export interface CorpusResult {
  corpus: string;
  set: 'real' | 'drivers';
  programs: ProgramResult[];
  hints: Judged[];
  missed: Missed[];
  /** Hints on lines of compiled files that no firmware contains (dead code for these programs): not judged. */
  notInFirmware: number;
  allocations: number;
  allocationsPredicted: number;
  allocationsFinal: number;
  allocationsPredictedFinal: number;
  perRule: RuleRow[];
  precision: number | null;
  recall: number | null;
  recallPrintAllocs: number | null;
  notes: string[];
  /** TinyGo-support findings on the user files the built programs compile. */
  support: SupportResult;
}

export interface RealCalibrationResult {
  generatedAt: string;
  tinygo: string;
  facts: Record<string, TargetFacts>;
  corpora: CorpusResult[];
  totals: Record<'real' | 'drivers', { support: SupportResult; perRule: RuleRow[]; precision: number | null; recall: number | null; recallPrintAllocs: number | null; confirmed: number; notConfirmed: number; allocationsFinal: number; predictedFinal: number }>;
  notes: string[];
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, encoding: 'utf8', timeout: opts.timeoutMs ?? 900_000, maxBuffer: 512 << 20 });
}

function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

function firstLine(s: string): string {
  return s.split('\n').filter((l) => l.trim() && !/object allocated on the heap/.test(l)).slice(0, 2).join(' | ').slice(0, 300);
}

export function cacheRoot(): string {
  return path.join(process.env.TGW_CACHE ?? path.join(os.homedir(), '.cache', 'tinygo-workbench'), 'calib-real');
}

function goEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...base, GOMODCACHE: path.join(cacheRoot(), 'gomod'), GOFLAGS: '-mod=mod', GOWORK: 'off', GO111MODULE: 'on' };
}

function walkGoDirs(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    const entries = fs.readdirSync(d, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name.endsWith('.go'))) out.push(d);
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'testdata' && e.name !== 'vendor') walk(path.join(d, e.name));
  };
  walk(root);
  return out.sort();
}

function isMainDir(dir: string): boolean {
  return fs.readdirSync(dir).some((f) => f.endsWith('.go') && !f.endsWith('_test.go') && /^package\s+main\b/m.test(fs.readFileSync(path.join(dir, f), 'utf8')));
}

function makeWritable(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    fs.chmodSync(p, e.isDirectory() ? 0o755 : 0o644);
    if (e.isDirectory()) makeWritable(p);
  }
  fs.chmodSync(dir, 0o755);
}

function prepareCorpus(spec: CorpusSpec, env: NodeJS.ProcessEnv, tinygoVersion: string): Corpus | { note: string } {
  const programsOf = (root: string) => {
    const programs: string[] = [];
    const skipped: string[] = [];
    for (const d of walkGoDirs(root)) {
      if (!isMainDir(d)) continue;
      const rel = path.relative(root, d).split(path.sep).join('/');
      if (/^(cmd|tools)(\/|$)/.test(rel)) skipped.push(`${rel}: a host program (cmd/, tools/), not firmware`);
      else programs.push(rel);
    }
    return { programs, skipped };
  };
  if (!spec.module) {
    const troot = env.TINYGOROOT;
    if (!troot) return { note: 'TINYGOROOT is not set' };
    const root = path.join(troot, 'src', 'examples');
    const { programs, skipped } = programsOf(root);
    return {
      spec, name: `tinygo-examples@${tinygoVersion}`, root, buildCwd: path.join(troot, 'src'), programs, skipped,
      pkgArg: (rel) => `examples/${rel}`,
      printAllocs: '.',
      // TinyGo compiles its GOROOT from a merged copy (~/.cache/tinygo/goroot-<hash>): any .../src/examples/ path.
      rel: (abs) => /\/src\/examples\/(.+\.go)$/.exec(abs)?.[1],
      own: (p) => p.importPath.startsWith('examples/'),
    };
  }
  const dl = run('go', ['mod', 'download', '-json', `${spec.module}@${spec.version}`], { env: { ...goEnv(env), GOFLAGS: '' }, timeoutMs: 600_000 });
  let dir: string | undefined;
  try { dir = (JSON.parse(dl.stdout) as { Dir?: string }).Dir; } catch { dir = undefined; }
  if (dl.status !== 0 || !dir) return { note: `go mod download ${spec.name} failed: ${firstLine(dl.stderr + dl.stdout)}` };
  const root = path.join(cacheRoot(), 'work', spec.name.replace(/\//g, '_'));
  if (!fs.existsSync(path.join(root, 'go.mod'))) {
    fs.rmSync(root, { recursive: true, force: true });
    fs.cpSync(dir, root, { recursive: true });
    makeWritable(root); // the module cache is read-only; go.sum must be writable for -mod=mod
  }
  const { programs, skipped } = programsOf(root);
  const roots = new Set([root, fs.realpathSync(root)]);
  return {
    spec, name: spec.name, root, buildCwd: root, programs, skipped,
    pkgArg: (rel) => `./${rel}`,
    // -print-allocs matches LLVM function names, and TinyGo names the functions of a main package `main.f`, not after
    // its import path: every allocation is asked for, and the corpus's are picked by file (rel).
    printAllocs: '.',
    rel: (abs) => {
      for (const r of roots) if (abs.startsWith(r + '/')) return abs.slice(r.length + 1);
      return undefined;
    },
    own: (p) => p.module?.path === spec.module,
  };
}

// --- builds (cached) -----------------------------------------------------------------------------------------

interface BuildOutcome { status: number | null; stderr: string; elf?: string; seconds: number }

function buildDir(c: Corpus, rel: string, target: string, tinygoVersion: string): string {
  const key = crypto.createHash('sha256').update([tinygoVersion, c.name, rel, target, c.printAllocs].join('\0')).digest('hex').slice(0, 16);
  return path.join(cacheRoot(), 'builds', key);
}

function buildProgram(c: Corpus, rel: string, target: string, tinygo: string, env: NodeJS.ProcessEnv, tinygoVersion: string, log: (s: string) => void): BuildOutcome {
  const dir = buildDir(c, rel, target, tinygoVersion);
  const meta = path.join(dir, 'result.json');
  if (fs.existsSync(meta)) return JSON.parse(fs.readFileSync(meta, 'utf8')) as BuildOutcome;
  fs.mkdirSync(dir, { recursive: true });
  const elf = path.join(dir, 'x.elf');
  const t0 = Date.now();
  const r = run(tinygo, ['build', `-target=${target}`, `-print-allocs=${c.printAllocs}`, '-o', elf, c.pkgArg(rel)], { cwd: c.buildCwd, env: goEnv(env) });
  const out: BuildOutcome = { status: r.status, stderr: r.stderr ?? '', elf: r.status === 0 ? elf : undefined, seconds: (Date.now() - t0) / 1000 };
  log(`${c.name} ${rel} (${target}): exit ${r.status} in ${out.seconds.toFixed(1)} s`);
  if (r.status !== null) fs.writeFileSync(meta, JSON.stringify(out));
  return out;
}

/** `tinygo list -deps -json -target=T` of a program (the packages and files it compiles), cached beside its build. */
function listProgram(c: Corpus, rel: string, target: string, tinygo: string, env: NodeJS.ProcessEnv, tinygoVersion: string): ListedFiles[] | string {
  const file = path.join(buildDir(c, rel, target, tinygoVersion), 'list.json');
  let text: string;
  if (fs.existsSync(file)) text = fs.readFileSync(file, 'utf8');
  else {
    const r = run(tinygo, ['list', '-deps', '-json', `-target=${target}`, c.pkgArg(rel)], { cwd: c.buildCwd, env: goEnv(env), timeoutMs: 300_000 });
    if (r.status !== 0) return `tinygo list failed: ${firstLine(r.stderr)}`;
    text = r.stdout;
    fs.writeFileSync(file, text);
  }
  const parsed = parseListFiles(text);
  return parsed.ok ? parsed.packages : `tinygo list output: ${parsed.error}`;
}

// --- the firmware: compiled lines and runtime calls ------------------------------------------------------

export interface FirmwareFacts {
  /** `rel:line` of every corpus line in the DWARF line tables. */
  lines: Set<string>;
  calls: IrCall[];
}

/** `rel:line` keys of the corpus lines the ELF's line tables name. */
export function compiledLines(elfBytes: Buffer, rel: (abs: string) => string | undefined): Set<string> {
  const elf = parseElf(elfBytes);
  const tables = parseDebugLine(elf);
  const byOffset = new Map(tables.map((t) => [t.offset, t]));
  const out = new Set<string>();
  for (const u of readUnitLineInfo(elf)) {
    const t = u.stmtList === undefined ? undefined : byOffset.get(u.stmtList);
    if (!t) continue;
    const names = new Map<number, string | undefined>();
    for (const row of t.rows) {
      if (row.endSequence || row.line === 0) continue;
      if (!names.has(row.file)) {
        const f = lineFileName(t, row.file, u.compDir ?? '');
        names.set(row.file, f === undefined ? undefined : rel(path.normalize(f)));
      }
      const r = names.get(row.file);
      if (r) out.add(`${r}:${row.line}`);
    }
  }
  return out;
}

/**
 * Direct calls (`bl`, `b.w`/`b` tail calls) to the allocating runtime functions in a Thumb ELF, from llvm-objdump,
 * each placed at the first frame of its DWARF inlining chain that lies in a corpus file.
 */
export function runtimeCallsIn(elfPath: string, elfBytes: Buffer, rel: (abs: string) => string | undefined, objdump = 'llvm-objdump-19'): IrCall[] {
  const wanted = new Set([...Object.values(TINYGO_RUNTIME_CALLS).flat(), 'runtime.alloc']);
  const r = run(objdump, ['-d', '--no-show-raw-insn', elfPath], { timeoutMs: 300_000 });
  if (r.status !== 0) throw new Error(`${objdump} failed: ${firstLine(r.stderr)}`);
  const lookup = new LineLookup(parseElf(elfBytes));
  const out: IrCall[] = [];
  for (const c of parseObjdumpCalls(r.stdout, wanted)) {
    for (const fr of lookup.frames(c.address)) {
      const file = fr.file === undefined ? undefined : rel(path.normalize(fr.file));
      if (file && fr.line > 0) { out.push({ fn: c.fn, file, line: fr.line, col: fr.column }); break; }
    }
  }
  return out;
}

/**
 * Direct calls and tail calls to the functions in `wanted` in `llvm-objdump -d --no-show-raw-insn` output of a
 * Thumb ELF (`   2a4c:      bl      0x2b10 <runtime.alloc> @ imm = #0xc0`, `b.w 0x... <f>`); a branch into a function's body
 * (`<f+0x12>`) is no call to it. Lines of any other shape are ignored.
 */
export function parseObjdumpCalls(text: string, wanted: ReadonlySet<string>): { address: number; fn: string }[] {
  const out: { address: number; fn: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*([0-9a-f]+):\s+(?:bl|b\.w|b)\s+(?:0x)?[0-9a-f]+\s+<([^>+]+)>(?:\s+@.*)?\s*$/.exec(line);
    if (m && wanted.has(m[2])) out.push({ address: parseInt(m[1], 16), fn: m[2] });
  }
  return out;
}

function firmwareFacts(c: Corpus, b: BuildOutcome): FirmwareFacts {
  const elfPath = b.elf ?? '';
  const cache = `${elfPath}.facts-v2.json`;
  if (fs.existsSync(cache)) {
    const j = JSON.parse(fs.readFileSync(cache, 'utf8')) as { lines: string[]; calls: IrCall[] };
    return { lines: new Set(j.lines), calls: j.calls };
  }
  const bytes = fs.readFileSync(elfPath);
  const facts = { lines: compiledLines(bytes, c.rel), calls: runtimeCallsIn(elfPath, bytes, c.rel) };
  fs.writeFileSync(cache, JSON.stringify({ lines: [...facts.lines], calls: facts.calls }));
  return facts;
}

function allocsOf(c: Corpus, stderr: string): TgAlloc[] {
  const out: TgAlloc[] = [];
  for (const a of parseAllocs(stderr).allocs) {
    if (!a.file || a.line === undefined) continue;
    const rel = c.rel(path.normalize(path.resolve(c.buildCwd, a.file)));
    if (!rel) continue;
    out.push({ file: rel, line: a.line, col: a.column ?? 0, escapesAt: a.reason.kind === 'escapes' ? a.reason.line : undefined, text: `${a.line}${a.column ? `:${a.column}` : ''}: object allocated on the heap: ${a.reasonText}` });
  }
  return out;
}

// --- target facts -------------------------------------------------------------------------------------------

interface TargetSetup { facts: TargetFacts; ctx: BuildContext }

function targetSetup(tinygo: string, env: NodeJS.ProcessEnv, target: string, version: string, goVersion: string): TargetSetup {
  const r = run(tinygo, ['info', '-json', `-target=${target}`], { env: goEnv(env), timeoutMs: 120_000 });
  const info = r.status === 0 ? parseInfo(r.stdout).info : undefined;
  if (!info) throw new Error(`tinygo info -target=${target} failed: ${firstLine(r.stderr)}`);
  const facts = targetFactsFor(target, {
    tinygoVersion: version, goos: info.goos, goarch: info.goarch, gc: info.gc, scheduler: info.scheduler,
    buildTags: info.buildTags, defaultStackSize: info.target?.defaultStackSize,
  });
  return { facts, ctx: buildContextFromInfo(target, info, goVersion) };
}

// --- judging a corpus -------------------------------------------------------------------------------------------

const HINT_KEY = (h: Hint) => `${h.file}:${h.line}:${h.col}:${h.ruleId}`;

/**
 * Whether the statement holding the hint's line is in the firmware: the line tables name only the lines that got
 * instructions, and a line inside a multi-line statement may get none (`p_value: &value[0],` in a composite literal
 * argument: its store is placed at the call's line). Only the statement's own lines count, not the blocks it holds.
 */
export function statementCompiled(h: Pick<Hint, 'file' | 'line'>, pf: ParsedFile | undefined, lines: ReadonlySet<string>): boolean {
  const row = h.line - 1;
  const text = pf?.lines[row];
  if (!pf || text === undefined) return false;
  let n: Node | null = pf.tree.rootNode.descendantForPosition({ row, column: /^\s*/.exec(text)?.[0].length ?? 0 });
  while (n && !/(_statement|_declaration)$/.test(n.type)) n = n.parent;
  if (!n || n.type === 'function_declaration' || n.type === 'method_declaration') return false;
  const block = n.namedChildren.find((c) => c?.type === 'block');
  const last = block ? block.startPosition.row : n.endPosition.row;
  for (let r = n.startPosition.row; r <= last; r++) if (lines.has(`${h.file}:${r + 1}`)) return true;
  return false;
}

export function judgeCorpus(c: Corpus, engine: AnalysisEngine, tinygo: string, env: NodeJS.ProcessEnv, version: string, setups: Map<string, TargetSetup>, toolRoots: string[], log: (s: string) => void): CorpusResult {
  const programs: ProgramResult[] = c.skipped.map((s) => ({ corpus: c.name, program: s.split(':')[0], status: 'skipped', note: s.slice(s.indexOf(':') + 2) }));
  const notes: string[] = [];
  const hints = new Map<string, Hint>();
  const allocs = new Map<string, TgAlloc>();
  const calls = new Map<string, IrCall>();
  const lines = new Set<string>();
  const texts = new Map<string, string[]>();
  const parsed = new Map<string, ParsedFile>();
  const uncompiledHints = new Set<string>();
  const analysedFor = new Set<string>();
  const support = { compiled: new Set<string>(), analysed: new Set<string>(), deps: new Set<string>(), ignored: new Set<string>(), seen: new Set<string>(), findings: [] as SupportFinding[], disagreements: new Map<string, ContextDisagreement>(), notes: [] as string[] };
  for (const prog of c.programs) {
    let built: { target: string; b: BuildOutcome } | undefined;
    const fails: string[] = [];
    for (const target of TARGETS) {
      const b = buildProgram(c, prog, target, tinygo, env, version, log);
      if (b.status === 0 && b.elf && fs.existsSync(b.elf)) { built = { target, b }; break; }
      fails.push(`${target}: ${firstLine(b.stderr) || `exit ${b.status}`}`);
    }
    if (!built) { programs.push({ corpus: c.name, program: prog, status: 'skipped', note: `does not build for an nRF52 target (${fails.join('; ')})` }); continue; }
    programs.push({ corpus: c.name, program: prog, target: built.target, status: 'built', seconds: built.b.seconds });
    const fw = firmwareFacts(c, built.b);
    for (const l of fw.lines) lines.add(l);
    for (const x of fw.calls) calls.set(`${x.fn}:${x.file}:${x.line}:${x.col}`, x);
    for (const a of allocsOf(c, built.b.stderr)) allocs.set(`${a.file}:${a.line}:${a.col}:${a.text}`, a);
    // The corpus packages in this firmware: the directories of the compiled files; their files compiled for the target.
    const setup = setups.get(built.target);
    if (!setup) throw new Error(`no facts for ${built.target}`);
    supportOf(c, prog, built.target, setup, engine, listProgram(c, prog, built.target, tinygo, env, version), toolRoots, support);
    const dirs = new Set([...fw.lines].map((k) => path.posix.dirname(k.slice(0, k.lastIndexOf(':')))));
    for (const d of dirs) {
      const abs = path.join(c.root, d);
      if (!fs.existsSync(abs)) continue;
      for (const f of fs.readdirSync(abs).filter((n) => n.endsWith('.go')).sort()) {
        const rel = d === '.' ? f : `${d}/${f}`;
        if (analysedFor.has(`${rel}\0${built.target}`)) continue;
        analysedFor.add(`${rel}\0${built.target}`);
        const text = fs.readFileSync(path.join(abs, f), 'utf8');
        const findings = analyzeText(engine, text, { target: setup.facts, build: { context: setup.ctx, fileName: rel } }).filter(isAllocationHint);
        if (findings.length === 0) continue;
        if (!texts.has(rel)) { texts.set(rel, text.split('\n')); parsed.set(rel, parseFile(engine, text)); }
        const pf = parsed.get(rel);
        if (!pf) continue;
        for (const x of findings) {
          const h = makeHint(c.name, rel, pf, x);
          hints.set(HINT_KEY(h), h);
        }
      }
    }
  }
  // Allocations' files need their text too (attribution of the misses).
  for (const a of allocs.values()) {
    if (texts.has(a.file)) continue;
    const p = path.join(c.root, a.file);
    if (!fs.existsSync(p)) continue;
    const text = fs.readFileSync(p, 'utf8');
    texts.set(a.file, text.split('\n'));
    parsed.set(a.file, parseFile(engine, text));
  }
  const compiledHints = [...hints.values()].filter((h) => {
    const ok = lines.has(`${h.file}:${h.line}`) || statementCompiled(h, parsed.get(h.file), lines);
    if (!ok) uncompiledHints.add(HINT_KEY(h));
    return ok;
  });
  const t = judgeTinygo(compiledHints, [...allocs.values()], [...calls.values()], texts, parsed);
  for (const pf of parsed.values()) pf.tree.delete();
  const allocations = allocs.size;
  const predicted = allocations - t.missed.length - t.suppressed.length;
  const final = [...allocs.values()].filter((a) => a.inFinalCode !== false).length;
  const suppressedFinal = t.suppressed.filter((m) => !m.goneFromFinalCode).length;
  const missedFinal = t.missed.filter((m) => !m.goneFromFinalCode).length;
  const cf = t.judged.filter((h) => h.status === 'confirmed').length;
  const nc = t.judged.filter((h) => h.status === 'not-confirmed').length;
  const skipped = programs.filter((p) => p.status === 'skipped').length;
  notes.push(`${programs.length - skipped} programs built, ${skipped} skipped`);
  return {
    corpus: c.name, set: c.spec.set, programs, hints: t.judged, missed: t.missed.map((m) => ({ ...m, dir: c.name })), notInFirmware: uncompiledHints.size,
    allocations: allocations - t.suppressed.length, allocationsPredicted: predicted,
    allocationsFinal: final - suppressedFinal, allocationsPredictedFinal: final - suppressedFinal - missedFinal,
    perRule: perRule(t.judged, t.missed), precision: ratio(cf, cf + nc), recall: ratio(final - suppressedFinal - missedFinal, final - suppressedFinal),
    recallPrintAllocs: ratio(predicted, allocations - t.suppressed.length), notes,
    support: {
      filesCompiled: [...support.compiled].sort(), filesAnalysed: [...support.analysed].sort(), dependencyFiles: [...support.deps].sort(), filesIgnored: [...support.ignored].sort(),
      findings: support.findings, disagreements: [...support.disagreements.values()], notes: support.notes,
    },
  };
}

/**
 * The TinyGo-support findings of one built program: every user file it compiles, analysed (once per target) with
 * the target's build context; the files the compiler ignores are checked against the context too.
 */
function supportOf(
  c: Corpus, prog: string, target: string, setup: TargetSetup, engine: AnalysisEngine, listed: ListedFiles[] | string, toolRoots: string[],
  acc: { compiled: Set<string>; analysed: Set<string>; deps: Set<string>; ignored: Set<string>; seen: Set<string>; findings: SupportFinding[]; disagreements: Map<string, ContextDisagreement>; notes: string[] },
): void {
  if (typeof listed === 'string') { acc.notes.push(`${prog} (${target}): ${listed}`); return; }
  for (const f of userFiles(listed, c.rel, c.own, toolRoots)) {
    if (acc.seen.has(`${f.abs}\0${target}`)) continue;
    acc.seen.add(`${f.abs}\0${target}`);
    if (!fs.existsSync(f.abs)) { acc.notes.push(`${f.name}: listed by tinygo, not on disk`); continue; }
    const text = fs.readFileSync(f.abs, 'utf8');
    const r = analyzeTextFile(engine, text, { target: setup.facts, build: { context: setup.ctx, fileName: path.basename(f.abs) } });
    if (f.compiled && r.excluded) acc.disagreements.set(f.name, { file: f.name, compiler: 'compiled', context: `excluded (${r.excluded.reason})` });
    if (!f.compiled && !r.excluded) acc.disagreements.set(f.name, { file: f.name, compiler: 'ignored', context: 'analysed' });
    if (!f.compiled) { acc.ignored.add(f.name); continue; }
    acc.compiled.add(f.name);
    if (f.dependency) acc.deps.add(f.name);
    if (r.excluded) continue;
    acc.analysed.add(f.name);
    for (const x of r.findings) if (isSupportFinding(x)) acc.findings.push(supportFinding(f, x, `${prog} (${target})`));
  }
}

function sumRows(rows: RuleRow[][]): RuleRow[] {
  const out = new Map<string, RuleRow>();
  for (const rs of rows) for (const r of rs) {
    const o = out.get(r.rule) ?? { rule: r.rule, hints: 0, confirmed: 0, notConfirmed: 0, notObservable: 0, notCompiled: 0, missed: 0, missedGone: 0 };
    o.hints += r.hints; o.confirmed += r.confirmed; o.notConfirmed += r.notConfirmed; o.notObservable += r.notObservable;
    o.notCompiled += r.notCompiled; o.missed += r.missed; o.missedGone = (o.missedGone ?? 0) + (r.missedGone ?? 0);
    out.set(r.rule, o);
  }
  return [...out.values()];
}

export async function calibrateReal(opts: { repoRoot: string; sets: ('real' | 'drivers')[]; only?: string; sample?: number; log: (s: string) => void }): Promise<RealCalibrationResult> {
  const inst = findCalibrationTinygo(opts.repoRoot, process.env.TGW_TINYGO ? 'env' : '0.39.0');
  if (!('tinygo' in inst)) throw new Error(inst.note);
  if (inst.env.TGW_TINYGO_NRF !== '1') throw new Error('TGW_TINYGO_NRF is not 1: this tinygo cannot build nRF52 firmware here');
  const goVersion = /go version go(1\.\d+(?:\.\d+)?)/.exec(run(inst.tinygo, ['version'], { env: inst.env }).stdout)?.[1] ?? '';
  const setups = new Map<string, TargetSetup>(TARGETS.map((t) => [t, targetSetup(inst.tinygo, inst.env, t, inst.version, goVersion)]));
  const engine = await createEngine(assetsFromSource(opts.repoRoot));
  // Packages here are the toolchain's, never user code (TinyGo also compiles a merged GOROOT copy under its cache).
  const toolRoots = [inst.env.TINYGOROOT, run('go', ['env', 'GOROOT'], { env: inst.env }).stdout.trim()].filter((x): x is string => !!x);
  const notes: string[] = [];
  const corpora: CorpusResult[] = [];
  for (const spec of CORPORA) {
    if (!opts.sets.includes(spec.set) || (opts.only && !spec.name.includes(opts.only))) continue;
    const c = prepareCorpus(spec, inst.env, inst.version);
    if (!('root' in c)) { notes.push(`${spec.name}: ${c.note}`); continue; }
    if (opts.sample && opts.sample > 1) {
      // Every n-th program (in path order): a deterministic subset when a full run takes too long.
      const all = c.programs.length;
      c.programs = c.programs.filter((_, i) => i % (opts.sample ?? 1) === 0);
      notes.push(`${c.name}: every ${opts.sample}th program of ${all} (--sample=${opts.sample}): ${c.programs.length}`);
    }
    opts.log(`${c.name}: ${c.programs.length} programs`);
    corpora.push(judgeCorpus(c, engine, inst.tinygo, inst.env, inst.version, setups, toolRoots, opts.log));
  }
  const totals = {} as RealCalibrationResult['totals'];
  for (const set of ['real', 'drivers'] as const) {
    const cs = corpora.filter((c) => c.set === set);
    const cf = cs.reduce((s, c) => s + c.hints.filter((h) => h.status === 'confirmed').length, 0);
    const nc = cs.reduce((s, c) => s + c.hints.filter((h) => h.status === 'not-confirmed').length, 0);
    const af = cs.reduce((s, c) => s + c.allocationsFinal, 0);
    const pf = cs.reduce((s, c) => s + c.allocationsPredictedFinal, 0);
    const a = cs.reduce((s, c) => s + c.allocations, 0);
    const p = cs.reduce((s, c) => s + c.allocationsPredicted, 0);
    totals[set] = { support: mergeSupport(cs.map((c) => c.support)), perRule: sumRows(cs.map((c) => c.perRule)), precision: ratio(cf, cf + nc), recall: ratio(pf, af), recallPrintAllocs: ratio(p, a), confirmed: cf, notConfirmed: nc, allocationsFinal: af, predictedFinal: pf };
  }
  return { generatedAt: new Date().toISOString(), tinygo: inst.version, facts: Object.fromEntries([...setups].map(([k, v]) => [k, v.facts])), corpora, totals, notes };
}

// --- report -----------------------------------------------------------------------------------------------------

function mdTable(head: string[], rows: (string | number)[][]): string {
  const all = [head, ...rows.map((r) => r.map(String))];
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const fmt = (r: string[]) => `| ${r.map((x, i) => x.padEnd(w[i])).join(' | ')} |`;
  return [fmt(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...all.slice(1).map(fmt)].join('\n');
}

function pct(x: number | null): string {
  return x === null ? '–' : x.toFixed(3);
}

function ruleTable(rows: RuleRow[]): string {
  const used = rows.filter((r) => r.hints + r.missed + (r.missedGone ?? 0) > 0 || (ALLOC_RULES as readonly string[]).includes(r.rule));
  const t = (k: keyof RuleRow) => used.reduce((s, r) => s + ((r[k] as number | undefined) ?? 0), 0);
  return mdTable(['rule', 'hints', 'confirmed', 'unconfirmed', 'not observable', 'missed (final code)', 'missed, gone from final code'],
    [...used.map((r) => [r.rule, r.hints, r.confirmed, r.notConfirmed, r.notObservable, r.missed, r.missedGone ?? 0]),
      ['**total**', t('hints'), t('confirmed'), t('notConfirmed'), t('notObservable'), t('missed'), t('missedGone')]]);
}

export function formatRealReport(r: RealCalibrationResult): string {
  const out: string[] = [`# Alloc hints against real tinygo ${r.tinygo} on real code, nRF52 (${r.generatedAt})`, ''];
  out.push(`Targets: ${Object.values(r.facts).map((f) => `${f.target} (pointer ${f.pointerSize} B, MaxStackAlloc ${f.maxStackAlloc} B, gc ${f.gc}, scheduler ${f.scheduler})`).join('; ')}.`, '');
  for (const n of r.notes) out.push(`- note: ${n}`);
  for (const set of ['real', 'drivers'] as const) {
    const cs = r.corpora.filter((c) => c.set === set);
    if (cs.length === 0) continue;
    const tot = r.totals[set];
    out.push('', `## ${set === 'real' ? 'Tuning corpus (real)' : 'Independent check (drivers, not tuned on)'}`, '');
    out.push(mdTable(['corpus', 'programs built/skipped', 'hints judged', 'precision', 'recall (final code)', 'recall (-print-allocs)', 'hints on lines not in any firmware'],
      [...cs.map((c) => {
        const built = c.programs.filter((p) => p.status === 'built').length;
        const cf = c.hints.filter((h) => h.status === 'confirmed').length;
        const nc = c.hints.filter((h) => h.status === 'not-confirmed').length;
        return [c.corpus, `${built}/${c.programs.length - built}`, c.hints.length, `${pct(c.precision)} (${cf}/${cf + nc})`, `${pct(c.recall)} (${c.allocationsPredictedFinal}/${c.allocationsFinal})`, `${pct(c.recallPrintAllocs)} (${c.allocationsPredicted}/${c.allocations})`, c.notInFirmware];
      }), ['**all**', '', '', `${pct(tot.precision)} (${tot.confirmed}/${tot.confirmed + tot.notConfirmed})`, `${pct(tot.recall)} (${tot.predictedFinal}/${tot.allocationsFinal})`, pct(tot.recallPrintAllocs), '']]), '');
    out.push(`### Per rule, ${set} (all corpora)`, '', ruleTable(tot.perRule), '');
    out.push(formatSupportSummary(set, cs, tot.support, mdTable));
    for (const c of cs) {
      out.push(`### Per rule, ${c.corpus}`, '', ruleTable(c.perRule), '');
      out.push(formatSupport(c.corpus, c.support, mdTable), '');
      const nc = c.hints.filter((h) => h.status === 'not-confirmed');
      if (nc.length) {
        out.push('Not confirmed:');
        for (const h of nc) out.push(`- ${h.file}:${h.line}:${h.col} ${h.ruleId} \`${h.operand ?? ''}\` — ${h.reason ?? ''}`);
        out.push('');
      }
      const ms = c.missed.filter((m) => !m.goneFromFinalCode);
      if (ms.length) {
        out.push('Missed (in the final code):');
        for (const m of ms) out.push(`- ${m.file}:${m.line}:${m.col} ${m.message.replace(/^\d+(:\d+)?: /, '')} → ${m.rule}: ${m.reason}`);
        out.push('');
      }
      const sk = c.programs.filter((p) => p.status === 'skipped');
      if (sk.length) out.push(`Skipped programs: ${sk.map((p) => `${p.program} (${p.note})`).join('; ')}`, '');
    }
  }
  return out.join('\n');
}

export async function mainReal(args: Map<string, string>, repoRoot: string): Promise<void> {
  const corpus = args.get('corpus') ?? 'real';
  const sets: ('real' | 'drivers')[] = corpus === 'all' ? ['real', 'drivers'] : corpus === 'drivers' ? ['drivers'] : ['real'];
  const result = await calibrateReal({ repoRoot, sets, only: args.get('only'), sample: args.has('sample') ? Number(args.get('sample')) : undefined, log: (s) => process.stderr.write(`calibrate: ${s}\n`) });
  console.log(formatRealReport(result));
  const jsonPath = path.resolve(repoRoot, args.get('json') ?? `test-output/calibration-${corpus}.json`);
  fs.mkdirSync(path.dirname(jsonPath), { recursive: true });
  fs.writeFileSync(jsonPath, JSON.stringify({ ...result, corpora: result.corpora }, null, 2) + '\n');
  process.stderr.write(`calibrate: wrote ${jsonPath}\n`);
}

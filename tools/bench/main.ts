/**
 * npm run bench: figures for the performance targets, each beside the alternative a user has, in the same run.
 * Prints a table per section and, at the end, one JSON document (also written to test-output/bench.json).
 * `npm run bench` builds the extension and this tool (scripts/build.mjs --tools) and runs dist-tools/bench.js, which
 * measures the analysis with the grammar and queries the extension ships (dist/).
 *   --only=keystroke,workspace,alternatives   run some sections (elf: the firmware ELF reader and the symbol view)
 *   --files=N                                 cap the workspace scan (default: all of GOROOT/src)
 *   --runs=N                                  workspace scans of GOROOT/src (default 3; the target is judged on the median)
 *   --soak-edits=N                            edits of the worker soak (--only=soak; default 100000)
 *   --pool-sets=goroot,std,scaling,compare    the pool scans of the workspace section (default all four; a cold GOROOT
 *                                             scan takes minutes on a loaded 2-core machine; scaling: std cold with one
 *                                             worker and with the machine's, alternating)
 *   --compare=net/http/...                    packages (go list patterns) on which our warm scan is compared with go vet
 *                                             and staticcheck warm (default net/http/...)
 * Sections: size, keystroke (in-thread engine and through the worker), coldstart, workspace (one core, then the pool
 * with the cache, cold and warm, and our warm scan beside go vet and staticcheck warm on --compare), soak, alternatives, monitor, build.
 * The workspace scans run in a fresh child process (--workspace-child), so their peak RSS is the scanner's own and not
 * what the keystroke section (a large tree, 20 full re-analyses) left in this process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeText, assetsIn, createEngine, DocumentTrees, targetFactsFor, type AnalysisEngine, type ContentChange } from '../../src/core/analysis';
import { benchBuildFigures } from './build';
import { execFile, spawn } from 'node:child_process';
import { runSerialBench } from './monitor';
import { nativeTreeSitterCeiling } from './native';
import { benchElf } from './elf';
import { coldStartChild, goFiles, goListFiles, machineCores, poolColdScan, poolScans, soakChild, toolWarm, workerKeystrokes } from './worker';

type Json = Record<string, unknown>;
const results: Json = { machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version } };
const args = new Map(process.argv.slice(2).map((a) => { const [k, v] = a.replace(/^--/, '').split('='); return [k, v ?? 'true'] as const; }));
const only = args.get('only')?.split(',');
const want = (s: string) => !only || only.includes(s);
/** Workspace scans and their file cap, read once: the parent hands them to the scanning child as they are. */
const scanRuns = Math.max(1, Number(args.get('runs') ?? 3));
const scanCap = Number(args.get('files') ?? 0);

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
/** Deterministic, so two runs edit the same places. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}
function table(title: string, rows: (string | number)[][]): void {
  console.log(`\n## ${title}`);
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const r of rows) console.log(r.map((c, i) => String(c).padEnd(widths[i])).join('  '));
}
const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
/** The bundle runs from dist-tools/ (scripts/build.mjs --tools), one level below the repository. */
const repoRoot = path.resolve(__dirname, '..');
const facts = targetFactsFor('feather-nrf52840');

function posOf(text: string, offset: number): { line: number; character: number } {
  let line = 0; let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) { line++; last = i; }
  return { line, character: offset - last - 1 };
}

interface KeystrokeFigures { p50: number; p95: number; max: number; parseP95: number; rulesP95: number }

/**
 * 500 single-character edits at random positions: 250 keystrokes, each followed by its deletion (what Backspace
 * does), so the file never drifts far from valid Go. Each edit is timed from the change event to the list of
 * diagnostics: incremental parse + every rule + one plain object per finding.
 */
function keystrokeRun(engine: AnalysisEngine, original: string, chars: string, seed: number): { figures: KeystrokeFigures; times: number[] } {
  let text = original;
  const trees = new DocumentTrees(engine.parser);
  let st = trees.open('bench', 1, text);
  engine.analyzer.analyze(st.tree, st.text, { target: facts }, st.memo);
  const r = rng(seed);
  const times: number[] = []; const parseTimes: number[] = []; const ruleTimes: number[] = [];
  let version = 1;
  const edit = (at: number, removed: number, insert: string) => {
    const change: ContentChange = { range: { start: posOf(text, at), end: posOf(text, at + removed) }, rangeOffset: at, rangeLength: removed, text: insert };
    const next = text.slice(0, at) + insert + text.slice(at + removed);
    const t0 = performance.now();
    st = trees.update('bench', ++version, [change], next);
    const t1 = performance.now();
    const findings = engine.analyzer.analyze(st.tree, st.text, { target: facts }, st.memo);
    const diags = findings.map((f) => ({ range: f.range, message: f.message, severity: f.severity, code: f.ruleId }));
    const t2 = performance.now();
    times.push(t2 - t0); parseTimes.push(t1 - t0); ruleTimes.push(t2 - t1);
    text = next;
    return diags.length;
  };
  for (let i = 0; i < 250; i++) {
    const at = Math.floor(r() * text.length);
    edit(at, 0, chars[Math.floor(r() * chars.length)]);
    edit(at, 1, '');
  }
  trees.dispose();
  if (text !== original) throw new Error('bench edits did not restore the file');
  return { figures: { p50: +percentile(times, 50).toFixed(3), p95: +percentile(times, 95).toFixed(3), max: +Math.max(...times).toFixed(3),
    parseP95: +percentile(parseTimes, 95).toFixed(3), rulesP95: +percentile(ruleTimes, 95).toFixed(3) }, times };
}

function keystrokes(engine: AnalysisEngine): void {
  const file = path.join(goroot, 'src/net/http/server.go');
  const text = fs.readFileSync(file, 'utf8');
  keystrokeRun(engine, text, 'abc', 1); // warm the JIT and the wasm heap, as an editor session would be
  const typing = keystrokeRun(engine, text, 'abcdefghijklmnopqrstuvwxyz0123456789_ .', 42).figures;
  const structural = keystrokeRun(engine, text, '{}()[]"`\n', 43).figures;
  // The alternative without incremental parsing and memoisation: parse and analyse the whole file per edit.
  const full: number[] = [];
  for (let i = 0; i < 20; i++) { const t = performance.now(); analyzeText(engine, text, { target: facts }); full.push(performance.now() - t); }
  const fullP50 = +percentile(full, 50).toFixed(3);
  const k = { file: path.relative(goroot, file), lines: text.split('\n').length, edits: 500, typing, structural,
    fullReanalysisP50: fullP50, ratioFullVsIncrementalP50: +(fullP50 / typing.p50).toFixed(1), targetP95: 5 };
  results.keystroke = k;
  table('Keystroke latency: change event -> incremental parse + all rules + diagnostics list (500 edits each)', [
    ['characters typed', 'p50 ms', 'p95 ms', 'max ms', 'target p95 <= 5 ms', 'p95 of the parse alone', 'p95 of the rules + list alone'],
    ['letters, digits, space, _ .', typing.p50, typing.p95, typing.max, typing.p95 <= 5 ? 'met' : 'MISSED', typing.parseP95, typing.rulesP95],
    ['brackets, quotes, newline', structural.p50, structural.p95, structural.max, structural.p95 <= 5 ? 'met' : 'MISSED', structural.parseP95, structural.rulesP95],
    ['(full parse + analysis per edit)', fullP50, '', '', `${k.ratioFullVsIncrementalP50}x the incremental p50`, '', ''],
  ]);
}

/** The same edits through the analysis worker, as the extension runs them: the host thread's share, and change -> diagnostics. */
async function workerKeystrokeSection(): Promise<void> {
  const dist = path.join(repoRoot, 'dist');
  const file = path.join(goroot, 'src/net/http/server.go');
  await workerKeystrokes(dist, file, 'abc', 1); // warm the JIT, as an editor session would be
  const typing = await workerKeystrokes(dist, file, 'abcdefghijklmnopqrstuvwxyz0123456789_ .', 42);
  const structural = await workerKeystrokes(dist, file, '{}()[]"`\n', 43);
  const backquote = await workerKeystrokes(dist, file, '`', 44);
  results.workerKeystroke = { file: path.relative(goroot, file), typing, structural, backquote, goals: { hostMaxMs: 2, e2eP95Ms: 25, e2eMaxMs: 150 } };
  const ok = (v: number, goal: number) => `${v} ${v <= goal ? 'met' : 'MISSED'}`;
  // A lone backquote is the worst case by construction (it opens a raw string up to the next one, and tree-sitter
  // re-parses what lies between): that row is judged on the max; its p95 is printed, not judged.
  const rowsOf = [['letters, digits, space, _ .', typing, true], ['brackets, quotes, newline', structural, true],
    ['a lone backquote every time (the worst case)', backquote, false]] as const;
  table(`Through the worker, ${path.relative(goroot, file)}: host thread per keystroke (forward + publish) and change -> diagnostics (debounce excluded), 500 edits each`, [
    ['characters typed', 'host CPU max ms (goal <= 2)', 'host CPU p95', 'host wall max ms', 'host wall p95', 'host event-loop active max ms', 'p50 ms', 'p95 ms (goal <= 25)', 'max ms (goal <= 150)', 'stale dropped'],
    ...rowsOf.map(([label, f, p95Judged]) =>
      [label, f.hostCpuMaxMs === null ? 'n/a' : ok(f.hostCpuMaxMs, 2), String(f.hostCpuP95Ms ?? 'n/a'), f.hostMaxMs, f.hostP95Ms, f.hostLoopMaxMs, f.e2eP50,
        p95Judged ? ok(f.e2eP95, 25) : `${f.e2eP95} (not judged)`, ok(f.e2eMax, 150), f.dropped]),
  ]);
  table('Where the slowest change -> diagnostics went: the worker thread on a CPU, and runnable but waiting for one (schedstat)', [
    ['characters typed', 'slowest ms', 'that edit', 'worker CPU ms', 'worker waiting for a CPU ms', 'largest worker CPU ms of any edit'],
    ...rowsOf.map(([label, f]) =>
      [label, f.e2eMax, f.slowest ? `#${f.slowest.edit} of ${f.edits}: ${f.slowest.text}` : 'n/a', f.slowest?.workerCpuMs ?? 'n/a', f.slowest?.workerWaitMs ?? 'n/a', f.workerCpuMaxMs ?? 'n/a']),
  ]);
}

/** Cold start in fresh processes: worker start, wasm compile, parse, rules, diagnostics. */
function coldStartSection(): void {
  const small = path.join(repoRoot, 'examples/feather-blinky/main.go');
  const large = path.join(goroot, 'src/net/http/server.go');
  const rows: Json[] = [];
  for (const f of [small, large]) for (let i = 0; i < 3; i++) rows.push(child([`--coldstart-child=${f}`]));
  results.coldStart = { runs: rows, goalMs: 300 };
  table('Cold start in a fresh process: from starting the worker and opening the file to its diagnostics (3 runs each)', [
    ['file', 'bytes', 'first diagnostics ms', 'goal <= 300 ms', 'host thread held ms (no wait for the wasm compile)', 'findings'],
    ...rows.map((r) => [r.file as string, r.bytes as number, r.firstDiagnosticsMs as number, (r.firstDiagnosticsMs as number) <= 300 ? 'met' : 'MISSED', r.hostSyncMs as number, r.findings as number]),
  ]);
}

/** Which scans the pool child runs (--pool-sets): all of GOROOT/src (the 2 s warm goal), std, and the packages compared with the Go tools. */
const poolSets = (args.get('pool-sets') ?? 'goroot,std,scaling,compare').split(',');
/** The packages our warm scan is compared on with go vet and staticcheck (--compare, comma-separated patterns): a set both finish in minutes here. */
const comparePatterns = (args.get('compare') ?? 'net/http/...').split(',');

/**
 * The pool with the cache, cold and warm, on GOROOT/src and on std (GOROOT/src without cmd/); then our warm scan
 * beside go vet and staticcheck warm on the same packages (`comparePatterns`: `go vet std` did not finish in 25
 * minutes on this machine, so the comparison runs on a set both tools finish in a few minutes).
 */
function poolSection(singleCoreMbPerSec: number | undefined): void {
  const cwd = path.join(goroot, 'src');
  const cmp = poolSets.includes('compare') ? goListFiles(comparePatterns, cwd) : undefined;
  const r = child(['--pool-child', `--pool-sets=${poolSets.filter((x) => x !== 'scaling').join(',')}`, `--compare=${comparePatterns.join(',')}`]);
  if (poolSets.includes('scaling')) r.scaling = poolScaling();
  const all = r.all as Json | undefined; const std = r.std as Json | undefined; const ours = r.compare as Json | undefined;
  const cold = (x: Json) => x.cold as Json; const warm = (x: Json) => x.warm as Json;
  results.pool = { ...r };
  const rows: (string | number)[][] = [['files', 'count', 'MB', 'cold s', 'cold MB/s', 'warm s', 'warm from cache', 'failed (cold / warm)', 'host event-loop busy (cold / warm)', 'goal']];
  const row = (label: string, x: Json, goal: string) => rows.push([label, x.files as number, x.mb as number, cold(x).seconds as number, cold(x).mbPerSec as number,
    warm(x).seconds as number, warm(x).cached as number, `${cold(x).failed as number} / ${warm(x).failed as number}`,
    `${cold(x).hostLoopUtilization as number} / ${warm(x).hostLoopUtilization as number}`, goal]);
  if (all) row('GOROOT/src', all, `warm <= 2 s: ${(warm(all).seconds as number) <= 2 ? 'met' : 'MISSED'}`);
  if (std) row('std (GOROOT/src without cmd/)', std, '');
  if (ours) row(`go list ${comparePatterns.join(' ')} (with tests)`, ours, 'below');
  const workers = (all ?? std ?? ours)?.workers as number | undefined;
  table(`Workspace scan with the pool (${workers} workers = os.availableParallelism()) and the cache: cold (empty cache), then warm (a new pool, as a new window)`, rows);
  const scaling = singleCoreMbPerSec && all && workers ? +((cold(all).mbPerSec as number) / (workers * singleCoreMbPerSec)).toFixed(2) : null;
  results.pool = { ...(results.pool as Json), scalingVsSingleCore: scaling };
  if (scaling !== null) console.log(`cold pool rate / (workers x one-core rate ${singleCoreMbPerSec} MB/s of the in-process scan above) = ${scaling}`);
  const scl = r.scaling as Json | undefined;
  if (scl) {
    const runs = scl.runs as Json[];
    table(`The pool's scaling, in one run: std (${scl.files as number} files, ${scl.mb as number} MB) cold, each run a fresh process; one worker ` +
      `${scl.pinnedToOneCore ? 'pinned to one core (taskset -c 0)' : 'NOT pinned (no taskset here)'} and the pool of ${scl.workers as number}, alternating, then one worker free to use every core`, [
      ['run', 'workers', 'cores it may use', 's', 'MB/s', 'worker CPU s', 'waited for a CPU s', 'failed'],
      ...runs.map((x, i) => [i + 1, x.workers as number, x.pinned ? 1 : machineCores(), x.seconds as number, x.mbPerSec as number,
        (x.workerCpuS as number | null) ?? 'n/a', (x.workerWaitS as number | null) ?? 'n/a', x.failed as number]),
    ]);
    console.log(`cold pool rate ${scl.poolMbPerSec as number} MB/s / (${scl.workers as number} x single-core rate ${scl.singleCoreMbPerSec as number} MB/s) = ${scl.ratio as number} ` +
      `(goal >= 0.8): ${(scl.ratio as number) >= 0.8 ? 'met' : 'MISSED'}; against one worker free to use every core (${scl.oneWorkerAllCoresMbPerSec as number} MB/s, ` +
      `its V8 compiler and GC threads on the other cores): ${scl.ratioVsOneWorkerAllCores as number}`);
  }
  if (all && cold(all).workerCpuS !== null) {
    // Where the cold scan's wall time went: the workers' CPU time (its MB per CPU second is comparable with the one-core
    // scan's "MB per CPU s") and their time runnable without a CPU (the machine's other load).
    const c = cold(all);
    console.log(`cold pool, GOROOT/src: the ${workers} workers ran ${c.workerCpuS as number} CPU s (${c.mbPerWorkerCpuS as number} MB per CPU s) and waited ` +
      `${c.workerWaitS as number} s for a CPU, in ${c.seconds as number} s`);
  }
  if (!ours || !cmp) return;

  // Each tool twice on the same packages: the first run fills its cache (go vet: GOCACHE; staticcheck: its own
  // cache under the user cache directory), the second is the warm one the goal compares with.
  const oursWarm = warm(ours).seconds as number;
  const vet = toolWarm('go', ['vet', '-copylocks', ...comparePatterns], cwd);
  const sc = staticcheckPath();
  const scr = sc ? toolWarm(sc, ['-checks', 'SA6002', ...comparePatterns], cwd) : undefined;
  const ratio = (theirs: number) => +(oursWarm / theirs).toFixed(3);
  const verdict = (x: { warm: number; error?: string }) => (x.error ? `not compared: ${x.error}` : ratio(x.warm) < 1 ? 'met (ours faster)' : 'MISSED');
  results.pool = { ...(results.pool as Json), compare: { patterns: comparePatterns, packages: cmp.packages, files: cmp.files.length, oursWarm, oursCold: cold(ours).seconds,
    goVet: vet, staticcheck: scr ?? 'not installed', ratios: { oursWarmOverVetWarm: vet.error ? null : ratio(vet.warm), oursWarmOverStaticcheckWarm: scr && !scr.error ? ratio(scr.warm) : null } } };
  table(`Our warm scan beside go vet and staticcheck warm, in this run, on the same files (go list ${comparePatterns.join(' ')}: ${cmp.packages} packages, ${cmp.files.length} files with tests); each tool run twice, the second warm`, [
    ['tool', 'first s', 'warm s', 'our warm s', 'our warm / its warm', 'goal: ours faster'],
    ['tinygo-workbench scan (pool + cache, all rules)', cold(ours).seconds as number, oursWarm, oursWarm, 1, ''],
    [`go vet -copylocks ${comparePatterns.join(' ')}`, vet.first, vet.warm, oursWarm, vet.error ? 'n/a' : ratio(vet.warm), verdict(vet)],
    scr ? [`staticcheck -checks SA6002 ${comparePatterns.join(' ')}`, scr.first, scr.warm, oursWarm, scr.error ? 'n/a' : ratio(scr.warm), verdict(scr)]
      : ['staticcheck', 'not installed', '', oursWarm, 'n/a', 'skipped: staticcheck is not installed and could not be installed (see above)'],
  ]);
}

function soakSection(): void {
  const edits = Number(args.get('soak-edits') ?? 100_000);
  // --expose-gc: the worker collects its garbage before each settled reading (the extension host never has it).
  const r = child(['--soak-child', `--soak-edits=${edits}`], ['--expose-gc']);
  results.soak = r;
  table(`Soak: the worker's memory over ${edits} random edits across ${r.files as number} open files (findings asked for every ${r.analyseEvery as number} edits)`, [
    ['edits', 'settled RSS MB (after a full GC)', 'settled worker JS heap MB', 'RSS MB as found (with garbage)', 'worker JS heap MB as found', 's'],
    ...(r.curve as Json[]).map((p) => [p.edits as number, p.settledRssMb as number, p.settledHeapMb as number, p.rssMb as number, p.workerHeapMb as number, p.seconds as number]),
  ]);
  console.log(`settled RSS after ${edits} edits: ${r.settledAtEndMb as number} MB, ${r.endAbovePct as number}% against ${r.settledAt10kMb as number} MB after 10,000 ` +
    `(goal within 10%): ${r.endWithinTenPercentOf10k ? 'met' : 'MISSED'}; every point within 10%: ${r.everyPointWithinTenPercent ? 'yes' : 'NO'} ` +
    `(max ${r.settledMaxMb as number} MB, ${r.settledMaxAbovePct as number}%; min ${r.settledMinMb as number} MB); ` +
    `as found, with garbage: ${r.rawMinMb as number}-${r.rawMaxMb as number} MB; worker restarts: ${r.restarts as number}`);
}

/**
 * CPU seconds of this process's main thread (Linux: /proc/self/task/<pid>/stat, utime + stime), or undefined. Unlike
 * the wall clock it leaves out time the machine gave to others, and unlike process.cpuUsage() it leaves out V8's
 * compiler and GC threads: what "one core" spends.
 */
function mainThreadCpuSeconds(): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the name: state is field 3, utime field 14 and stime field 15 (1-based over the whole line).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

function listGoFiles(dir: string, acc: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) listGoFiles(p, acc); else if (e.name.endsWith('.go')) acc.push(p);
  }
  return acc;
}

function workspace(engine: AnalysisEngine, files: string[], label: string): Json {
  let bytes = 0; let findings = 0; let slowest = { file: '', ms: 0 }; let failures = 0;
  let parseMs = 0; let analyseMs = 0; let freeMs = 0;
  const cpu0 = mainThreadCpuSeconds();
  const t0 = performance.now();
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    bytes += Buffer.byteLength(text);
    const t1 = performance.now();
    // What analyzeText does, timed in three parts: the parse, the rules (facts, every rule, suppressions), and
    // tree-sitter freeing the tree.
    try {
      const tree = engine.parser.parse(text, null, 5000);
      const t2 = performance.now();
      parseMs += t2 - t1;
      let t3 = t2;
      try { findings += engine.analyzer.analyze(tree, text, { target: facts }).length; } finally { t3 = performance.now(); tree.delete(); }
      analyseMs += t3 - t2;
      freeMs += performance.now() - t3;
    } catch { failures++; }
    const ms = performance.now() - t1;
    if (ms > slowest.ms) slowest = { file: path.relative(goroot, f), ms: +ms.toFixed(1) };
  }
  const s = (performance.now() - t0) / 1000;
  const cpu1 = mainThreadCpuSeconds();
  const cpu = cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined;
  return { label, files: files.length, mb: +(bytes / 1e6).toFixed(2), seconds: +s.toFixed(2), filesPerSec: Math.round(files.length / s),
    cpuSeconds: cpu === undefined ? null : +cpu.toFixed(2), mbPerCpuSecond: cpu ? +(bytes / 1e6 / cpu).toFixed(2) : null,
    mbPerSec: +(bytes / 1e6 / s).toFixed(2), parseSeconds: +(parseMs / 1000).toFixed(2), freeSeconds: +(freeMs / 1000).toFixed(2),
    analysisSeconds: +(analyseMs / 1000).toFixed(2), parseOnlyMbPerSec: +(bytes / 1e6 / (parseMs / 1000)).toFixed(2),
    treeSitterMbPerSec: +(bytes / 1e6 / ((parseMs + freeMs) / 1000)).toFixed(2), findings, failures, slowest, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), ...memoryNow() };
}

/** What the resident memory is made of after a scan: the JS heap V8 reserved and used, and memory outside it
 * (mostly tree-sitter's wasm linear memory, which grows to fit the largest tree and never shrinks). */
function memoryNow(): Json {
  const m = process.memoryUsage();
  const mb = (n: number) => Math.round(n / (1 << 20));
  return { rssNowMb: mb(m.rss), heapReservedMb: mb(m.heapTotal), heapUsedMb: mb(m.heapUsed), externalMb: mb(m.external) };
}

/** The workspace scans, in a fresh process: returns the runs it printed as its last stdout line. */
function workspaceScansInChild(nRuns: number, cap: number): Json[] {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--workspace-child', `--runs=${nRuns}`, `--files=${cap}`],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20 });
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    const runs = (JSON.parse(last) as { workspaceRuns?: Json[] }).workspaceRuns;
    if (Array.isArray(runs) && runs.length > 0) return runs;
  } catch { /* reported below */ }
  throw new Error(`the workspace scan process ended with status ${r.status ?? r.signal} and no result: ${last.slice(0, 200)}`);
}

/**
 * The pool's scaling over the machine's cores, in one run: cold scans of std (an empty cache each time), each in a
 * fresh process. The single-core rate is one worker in a process pinned to one core (taskset), so V8's compiler and
 * GC threads share that core as they share the cores in the pool; one worker left free to use every core is printed
 * beside it. Pinned one-worker and whole-pool runs alternate (1, N, 1, N) so that a machine whose speed drifts (other
 * load) weighs on both; each side is judged on its better run.
 */
function poolScaling(): Json {
  const cores = machineCores();
  const taskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  const once = (workers: number, pinned: boolean): Json => {
    const argv = [...process.execArgv, __filename, '--pool-child', '--pool-sets=scaling-run', `--workers=${workers}`];
    const r = pinned ? spawnSync('taskset', ['-c', '0', process.execPath, ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20 })
      : spawnSync(process.execPath, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20 });
    const last = r.stdout.trim().split('\n').pop() ?? '';
    try { return { ...(JSON.parse(last) as Json).scalingRun as Json, pinned }; } catch { throw new Error(`bench scaling run ended with status ${r.status ?? r.signal} and no result: ${last.slice(0, 200)}`); }
  };
  const runs: Json[] = [];
  for (let k = 0; k < 2; k++) { runs.push(once(1, taskset)); runs.push(once(cores, false)); }
  runs.push(once(1, false));
  const best = (f: (x: Json) => boolean) => Math.max(...runs.filter(f).map((x) => x.mbPerSec as number));
  const single = best((x) => x.workers === 1 && x.pinned === taskset);
  const pool = best((x) => x.workers === cores);
  const free = best((x) => x.workers === 1 && x.pinned === false);
  return { files: runs[0].files, mb: runs[0].mb, workers: cores, pinnedToOneCore: taskset, runs, singleCoreMbPerSec: single, oneWorkerAllCoresMbPerSec: free,
    poolMbPerSec: pool, ratio: +(pool / (cores * single)).toFixed(2), ratioVsOneWorkerAllCores: +(pool / (cores * free)).toFixed(2) };
}

/** The packages of the "alternatives" section, checked by us and by go vet and staticcheck. */
const ALTERNATIVE_PACKAGES = ['net/http', 'encoding/json', 'fmt', 'bytes', 'strings', 'sync', 'os', 'bufio'];
function alternativesFiles(): string[] {
  return ALTERNATIVE_PACKAGES.flatMap((p) => fs.readdirSync(path.join(goroot, 'src', p)).filter((f) => f.endsWith('.go')).map((f) => path.join(goroot, 'src', p, f)));
}

/** Runs this bench in a fresh process with `argv`; returns the JSON it printed as its last stdout line. */
function child(argv: string[], nodeFlags: string[] = []): Json {
  const r = spawnSync(process.execPath, [...process.execArgv, ...nodeFlags, __filename, ...argv], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20 });
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  try { return JSON.parse(last) as Json; } catch { throw new Error(`bench child ${argv.join(' ')} ended with status ${r.status ?? r.signal} and no result: ${last.slice(0, 200)}`); }
}

function goFilesToScan(): string[] {
  const files = listGoFiles(path.join(goroot, 'src'));
  return scanCap > 0 ? files.slice(0, scanCap) : files;
}

function timeCommand(cmd: string, argv: string[], env: NodeJS.ProcessEnv): { seconds: number; status: number | null; error?: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { env, encoding: 'utf8', cwd: path.join(goroot, 'src'), maxBuffer: 64 << 20 });
  return { seconds: +((performance.now() - t0) / 1000).toFixed(2), status: r.status, error: r.error?.message };
}

const STATICCHECK = 'v0.8.2';
/** Where the bench keeps what it installs or builds once (staticcheck, the native tree-sitter), as the test set-up does. */
const CACHE_ROOT = process.env.TGW_CACHE ?? path.join(os.homedir(), '.cache', 'tinygo-workbench');

/** staticcheck for the comparison: found in the cache or ~/go/bin, else installed once with `go install` into the cache. */
function staticcheckPath(): string | undefined {
  const gobin = path.join(CACHE_ROOT, `gobin-staticcheck-${STATICCHECK}`);
  for (const c of [path.join(gobin, 'staticcheck'), path.join(os.homedir(), 'go', 'bin', 'staticcheck')]) if (fs.existsSync(c)) return c;
  console.log(`installing staticcheck ${STATICCHECK} into ${gobin} (go install, once) ...`);
  const t = performance.now();
  const r = spawnSync('go', ['install', `honnef.co/go/tools/cmd/staticcheck@${STATICCHECK}`], { env: { ...process.env, GOBIN: gobin }, encoding: 'utf8' });
  const bin = path.join(gobin, 'staticcheck');
  if (r.status === 0 && fs.existsSync(bin)) {
    console.log(`installed in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    return bin;
  }
  console.log(`staticcheck could not be installed (${(r.stderr || r.error?.message || '').trim().split('\n').pop()}): its rows say so`);
  return undefined;
}

// ---- size panel: render 2,000 packages and apply an update, in a real headless Chromium -------------------------

function syntheticReport(n: number, seed: number, base?: Json): Json {
  const rand = rng(seed);
  const groups = ['user', 'dependency', 'stdlib', 'tinygo-runtime', 'c-library', 'special'];
  const prefix: Record<string, string> = { user: 'example.com/app/', dependency: 'tinygo.org/x/drivers/', stdlib: 'std/', 'tinygo-runtime': 'machine/', 'c-library': 'C lib', special: '(special ' };
  const packages: Json[] = [];
  const oldPkgs = (base?.packages as Json[] | undefined) ?? [];
  for (let i = 0; i < n; i++) {
    const old = oldPkgs[i];
    // An update: 10% of the packages change, 1% are replaced by new ones.
    if (old && rand() > 0.11) { packages.push(old); continue; }
    const group = groups[i % groups.length];
    const code = Math.floor(rand() * 8000), rodata = Math.floor(rand() * 2000), data = Math.floor(rand() * 64), bss = Math.floor(rand() * 512);
    const name = old && rand() > 0.1 ? old.name as string : `${prefix[group]}${seed}-${String(i).padStart(5, '0')}`;
    packages.push({ name, group, code, rodata, data, bss, flash: code + rodata + data, ram: data + bss });
  }
  packages.sort((a, b) => ((a.name as string) < (b.name as string) ? -1 : 1));
  const totals: Record<string, number> = { code: 0, rodata: 0, data: 0, bss: 0, flash: 0, ram: 0 };
  for (const p of packages) for (const k of Object.keys(totals)) totals[k] += p[k] as number;
  return { schemaVersion: 1, format: 'full', incomplete: false, packages, totals, capacity: { flash: 815104 * 20, ram: 245376 * 20, stack: 2048 }, target: 'feather-nrf52840', tinygoVersion: '0.33.0', createdAt: new Date().toISOString() };
}

async function benchSize(): Promise<void> {
  const panelJs = path.join(repoRoot, 'webview', 'dist', 'panel.js');
  const panelCss = path.join(repoRoot, 'webview', 'dist', 'panel.css');
  if (!fs.existsSync(panelJs)) throw new Error(`${panelJs} is missing: run npm run build first`);
  // Loaded at run time (a name esbuild cannot follow): playwright-core is a dev dependency, not bundled.
  const pwName = 'playwright-core';
  const { chromium } = (await import(pwName)) as typeof import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.TGW_CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent('<!DOCTYPE html><html><head></head><body><main id="app"></main></body></html>');
    // The stub VS Code API of a webview: messages out are collected, state is kept in the page.
    await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      w.__posted = [];
      w.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => (w.__posted as unknown[]).push(m), getState: () => w.__state, setState: (s: unknown) => { w.__state = s; } });
    });
    await page.addStyleTag({ path: panelCss });
    await page.addScriptTag({ path: panelJs });
    const runs = Number(args.get('sizeRuns') ?? 7);
    const render: number[] = [];
    const update: number[] = [];
    const filter: number[] = [];
    for (let i = 0; i < runs; i++) {
      const first = syntheticReport(2000, 100 + i);
      const second = syntheticReport(2000, 100 + i, first);
      const ms = await page.evaluate(({ first, second }) => {
        const time = (data: unknown) => {
          const t0 = performance.now();
          // dispatchEvent is synchronous: the panel validates, builds the view and renders before it returns.
          window.dispatchEvent(new MessageEvent('message', { data: { type: 'data', data } }));
          void document.body.offsetHeight; // layout included
          return performance.now() - t0;
        };
        const r = time({ report: first });
        const u = time({ report: second, previous: first });
        const field = document.getElementById('filter') as HTMLElement & { value: string };
        const t0 = performance.now();
        field.value = 'drivers';
        field.dispatchEvent(new Event('input'));
        void document.body.offsetHeight;
        const f = performance.now() - t0;
        field.value = '';
        field.dispatchEvent(new Event('input'));
        return { r, u, f, rows: Number(document.getElementById('packages')!.getAttribute('aria-rowcount')), inDom: document.querySelectorAll('#packages tr.row').length };
      }, { first, second });
      if (ms.rows < 2000 || ms.inDom === 0) throw new Error(`the panel has ${ms.rows} rows (${ms.inDom} in the DOM), expected at least 2000`);
      console.log(`    run ${i + 1}: render ${ms.r.toFixed(1)} ms, update ${ms.u.toFixed(1)} ms, filter ${ms.f.toFixed(1)} ms`);
      render.push(ms.r);
      update.push(ms.u);
      filter.push(ms.f);
    }
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    const med = (xs: number[]) => +percentile(xs, 50).toFixed(1);
    const max = (xs: number[]) => +Math.max(...xs).toFixed(1);
    results.size = {
      packages: 2000, runs, renderMs: { median: med(render), max: max(render) }, updateMs: { median: med(update), max: max(update) },
      filterMs: { median: med(filter), max: max(filter) }, targetMs: 200,
    };
    table('Size panel in headless Chromium (2,000 packages; validate + view model + DOM + layout)', [
      ['step', 'median ms', 'max ms', 'target'],
      ['render a report', med(render), max(render), `< 200 ms: ${max(render) < 200 ? 'met' : 'MISSED'}`],
      ['apply an update (with deltas)', med(update), max(update), `< 200 ms: ${max(update) < 200 ? 'met' : 'MISSED'}`],
      ['filter keystroke', med(filter), max(filter), ''],
    ]);
  } finally {
    await browser.close();
  }
}

/**
 * The serial monitor over a socat PTY pair (no baud-rate limit, so this is the monitor's own cost: stty, tty stream,
 * line splitting) and the time to find a board again after a simulated USB re-enumeration in a stand-in sysfs tree.
 */
async function benchMonitor(): Promise<void> {
  const exec = (file: string, argv: readonly string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(file, [...argv], { timeout: 5000 }, (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }));
  });
  const r = await runSerialBench({ spawn, exec });
  results.monitor = r;
  const t = r.throughput;
  const l = r.latency;
  table(`Serial monitor on a PTY pair${r.skipped ? ` (PTY part skipped: ${r.skipped})` : ''}; reconnect after a simulated re-enumeration`, [
    ['measure', 'value', 'detail'],
    ['throughput', t ? `${(t.bytesPerSecond / 1e6).toFixed(1)} MB/s` : 'n/a', t ? `${(t.bytes / 1024).toFixed(0)} KiB of 64-byte lines in ${t.ms.toFixed(1)} ms (a 115200-baud UART carries 0.0115 MB/s)` : ''],
    ['round trip p50', l ? `${l.p50Ms.toFixed(3)} ms` : 'n/a', l ? `write -> board echo -> line event, ${l.samples} pings` : ''],
    ['round trip p95', l ? `${l.p95Ms.toFixed(3)} ms` : 'n/a', l ? `max ${l.maxMs.toFixed(3)} ms` : ''],
    ['reconnect', `${r.reconnect.foundAfterMs.toFixed(0)} ms`, `board back after ${r.reconnect.reenumerateAfterMs} ms (new tty and PID, same serial): found ${r.reconnect.overheadMs.toFixed(0)} ms later, ${r.reconnect.polls} sysfs polls`],
  ]);
}

/** --only=build: the extension's overhead around a build against the same command run directly, and a 10,000-line log. */
async function benchBuild(): Promise<void> {
  const b = await benchBuildFigures({ repoRoot, tinygo: process.env.TGW_TINYGO || undefined });
  results.build = b;
  const row = (o: typeof b.standIn | typeof b.realTinygo): (string | number)[] =>
    !o ? ['n/a', '', '', '', ''] : 'skipped' in o ? [o.skipped, '', '', '', ''] : [o.command, o.directMs, o.oursMs, o.overheadMs, `${o.ratio}x`];
  table('Build: the extension around tinygo (spawn, parse, merge, diagnostics) vs the same command run directly (medians)', [
    ['command', 'direct ms', 'ours ms', '+ms', 'ratio'], row(b.standIn), row(b.realTinygo),
  ]);
  table('Build log parse (stdout table + stderr errors/allocations, merged with 300 hints)', [
    ['lines', 'best ms', 'median ms', 'diagnostics', 'allocation lines'],
    [b.parse10k.lines, b.parse10k.bestMs, b.parse10k.medianMs, b.parse10k.diagnostics, b.parse10k.allocs],
  ]);
}

async function main(): Promise<void> {
  const dist = path.join(repoRoot, 'dist');
  const cold = args.get('coldstart-child');
  if (cold) { console.log(JSON.stringify(await coldStartChild(dist, cold))); return; }
  if (args.has('pool-child')) {
    const src = path.join(goroot, 'src');
    const skip = (p: string) => p === path.join(src, 'cmd');
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-bench-scan-cache-'));
    try {
      const out: Json = {};
      if (poolSets.includes('goroot')) out.all = await poolScans(dist, goFilesToScan(), path.join(cacheDir, 'all'), machineCores());
      if (poolSets.includes('std')) out.std = await poolScans(dist, goFiles(src, [], skip), path.join(cacheDir, 'std'), machineCores());
      if (poolSets.includes('scaling-run')) out.scalingRun = await poolColdScan(dist, goFiles(src, [], skip), cacheDir, Number(args.get('workers') ?? 1));
      if (poolSets.includes('alternatives')) out.alternatives = await poolScans(dist, alternativesFiles(), path.join(cacheDir, 'alternatives'), machineCores());
      if (poolSets.includes('compare')) out.compare = await poolScans(dist, goListFiles(comparePatterns, src).files, path.join(cacheDir, 'compare'), machineCores());
      console.log(JSON.stringify(out));
    } finally { fs.rmSync(cacheDir, { recursive: true, force: true }); }
    return;
  }
  if (args.has('soak-child')) {
    const files = fs.readdirSync(path.join(goroot, 'src/net/http')).filter((f) => f.endsWith('.go')).sort().slice(0, 50).map((f) => path.join(goroot, 'src/net/http', f));
    console.log(JSON.stringify(await soakChild(dist, files, Number(args.get('soak-edits') ?? 100_000), 10)));
    return;
  }
  const engine = await createEngine(assetsIn(dist));
  if (args.has('workspace-child')) {
    const files = goFilesToScan();
    const runs: Json[] = [];
    for (let i = 0; i < scanRuns; i++) runs.push(workspace(engine, files, 'GOROOT/src'));
    console.log(JSON.stringify({ workspaceRuns: runs }));
    return;
  }
  if (want('size')) await benchSize();
  if (want('keystroke')) {
    // The in-thread figures are the comparison; on a very loaded machine an incremental parse can pass its 1 s limit
    // there, which must not cost the worker's figures.
    try { keystrokes(engine); } catch (e) { console.log(`\nin-thread keystroke figures not measured: ${e instanceof Error ? e.message : String(e)}`); }
    await workerKeystrokeSection();
  }
  if (want('coldstart')) coldStartSection();
  if (want('workspace')) {
    // Several scans: this machine's speed moves by up to a third between runs (other guests), so the target is judged
    // on the median scan, and every scan is printed. Peak RSS is the child's, so it grows over the scans if at all.
    const runs = workspaceScansInChild(scanRuns, scanCap);
    const byRate = [...runs].sort((a, b) => (a.mbPerSec as number) - (b.mbPerSec as number));
    const w = byRate[Math.floor((byRate.length - 1) / 2)];
    const met = (w.mbPerSec as number) >= 3 && (w.peakRssMb as number) < 300;
    results.workspace = { ...w, runs, judgedOn: `median of ${runs.length} scans`, targetMbPerSec: 3, targetRssMb: 300, met };
    table(`Workspace scan (one core, file by file, no trees kept, in a fresh ${process.version} process): ${runs.length} scans, the target judged on the median`, [
      ['scan', 'files', 'MB', 's', 'files/s', 'MB/s', 'main-thread CPU s', 'MB per CPU s', 'peak RSS MB', 'slowest file', 'findings'],
      ...runs.map((r, i) => [`${i + 1}${r === w ? ' (median)' : ''}`, r.files as number, r.mb as number, r.seconds as number, r.filesPerSec as number,
        r.mbPerSec as number, String(r.cpuSeconds ?? 'n/a'), String(r.mbPerCpuSecond ?? 'n/a'), r.peakRssMb as number,
        `${(r.slowest as Json).file} ${(r.slowest as Json).ms} ms`, r.findings as number]),
    ]);
    console.log(`targets (median scan): >= 3 MB/s: ${(w.mbPerSec as number) >= 3 ? 'met' : 'MISSED'} (${w.mbPerSec}); RSS < 300 MB: ${(w.peakRssMb as number) < 300 ? 'met' : 'MISSED'} (${w.peakRssMb} MB)`);
    table('Where the workspace scan spends its time, per scan (tree-sitter alone, parse and free, bounds the rate)', [
      ['scan', 'parse s', 'parse MB/s', 'free s', 'parse + free MB/s', 'analysis s', 'analysis MB/s', 'analysis / (parse + free)'],
      ...runs.map((r, i) => [i + 1, r.parseSeconds as number, r.parseOnlyMbPerSec as number, r.freeSeconds as number, r.treeSitterMbPerSec as number,
        r.analysisSeconds as number, +((r.mb as number) / (r.analysisSeconds as number)).toFixed(2),
        +((r.analysisSeconds as number) / ((r.parseSeconds as number) + (r.freeSeconds as number))).toFixed(3)]),
    ]);
    // The yardstick: tree-sitter's C library with the same grammar, compiled natively, parsing the same files.
    const native = nativeTreeSitterCeiling(goFilesToScan(), runs.length, path.join(repoRoot, 'node_modules', 'tree-sitter-go', 'src'), CACHE_ROOT);
    results.workspace = { ...(results.workspace as Json), nativeTreeSitter: native };
    if ('skipped' in native) {
      console.log(`\ntree-sitter compiled natively: not measured (${native.skipped})`);
    } else {
      const nat = native.medianMbPerSec;
      const ws = w.treeSitterMbPerSec as number;
      table(`The yardstick: tree-sitter's C library (${native.runtime.split('@')[1]}) and ${native.grammar}, compiled natively (${native.compiler}), parse + free of the same ${native.files} files on one core, after the scans`, [
        ['', 'MB/s (median)', 'x native', 'runs'],
        ['tree-sitter natively (C, UTF-8 input)', nat, 1, native.runs.join(' / ')],
        ['web-tree-sitter (wasm, UTF-16 input): parse + free in the median scan', ws, +(ws / nat).toFixed(2), runs.map((r) => r.treeSitterMbPerSec).join(' / ')],
        ['our scan (web-tree-sitter + every rule), median', w.mbPerSec as number, +((w.mbPerSec as number) / nat).toFixed(2), runs.map((r) => r.mbPerSec).join(' / ')],
        ['the target', 3, +(3 / nat).toFixed(2), ''],
      ]);
    }
    table('Memory after each scan (MB): RSS, the JS heap V8 reserved and used, and outside it (tree-sitter\'s wasm memory)', [
      ['scan', 'peak RSS', 'RSS now', 'JS heap reserved', 'JS heap used', 'external'],
      ...runs.map((r, i) => [i + 1, r.peakRssMb as number, r.rssNowMb as number, r.heapReservedMb as number, r.heapUsedMb as number, r.externalMb as number]),
    ]);
    poolSection(w.mbPerSec as number);
  }
  if (want('soak')) soakSection();
  if (want('alternatives')) {
    // The same packages through the checks a Go user has for the sync.Pool family: go vet -copylocks and
    // staticcheck SA6002. Cold: a fresh build cache (what a first run or CI sees); warm: run again.
    const pkgs = ALTERNATIVE_PACKAGES;
    const files = alternativesFiles();
    const ours = workspace(engine, files, pkgs.join(' '));
    // What the extension runs: the pool with the cache, cold (empty cache) and warm (a new pool, as a new window).
    const pool = child(['--pool-child', '--pool-sets=alternatives']).alternatives as Json;
    const poolCold = (pool.cold as Json).seconds as number; const poolWarm = (pool.warm as Json).seconds as number;
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-bench-gocache-'));
    const env = { ...process.env, GOCACHE: cacheDir, GOFLAGS: '' };
    const vetCold = timeCommand('go', ['vet', '-copylocks', ...pkgs], env);
    const vetWarm = timeCommand('go', ['vet', '-copylocks', ...pkgs], env);
    const sc = staticcheckPath();
    const scCold = sc ? timeCommand(sc, ['-checks', 'SA6002', ...pkgs], { ...env, XDG_CACHE_HOME: path.join(cacheDir, 'xdg') }) : undefined;
    const scWarm = sc ? timeCommand(sc, ['-checks', 'SA6002', ...pkgs], { ...env, XDG_CACHE_HOME: path.join(cacheDir, 'xdg') }) : undefined;
    fs.rmSync(cacheDir, { recursive: true, force: true });
    const oursS = ours.seconds as number;
    const ratio = (x?: { seconds: number }) => (x ? +(x.seconds / oursS).toFixed(1) : 'n/a');
    results.alternatives = { packages: pkgs, files: files.length, oursSeconds: oursS, oursPoolColdSeconds: poolCold, oursPoolWarmSeconds: poolWarm, vetCold, vetWarm, staticcheckCold: scCold, staticcheckWarm: scWarm,
      ratios: { vetCold: ratio(vetCold), vetWarm: ratio(vetWarm), staticcheckCold: ratio(scCold), staticcheckWarm: ratio(scWarm) } };
    table(`Time to results on ${pkgs.length} std packages (${files.length} files)`, [
      ['tool', 'seconds', 'x ours (one core, no cache)', 'x ours (pool, same cache state)'],
      ['tinygo-workbench, one core, no cache (all rules)', oursS, 1, ''],
      [`tinygo-workbench, pool of ${pool.workers as number}, cold cache`, poolCold, +(poolCold / oursS).toFixed(1), 1],
      [`tinygo-workbench, pool of ${pool.workers as number}, warm cache`, poolWarm, +(poolWarm / oursS).toFixed(2), 1],
      ['go vet -copylocks (cold cache)', vetCold.seconds, ratio(vetCold), +(vetCold.seconds / poolCold).toFixed(1)],
      ['go vet -copylocks (warm cache)', vetWarm.seconds, ratio(vetWarm), +(vetWarm.seconds / poolWarm).toFixed(1)],
      ['staticcheck -checks SA6002 (cold)', scCold?.seconds ?? 'not installed', ratio(scCold), scCold ? +(scCold.seconds / poolCold).toFixed(1) : 'n/a'],
      ['staticcheck -checks SA6002 (warm)', scWarm?.seconds ?? 'not installed', ratio(scWarm), scWarm ? +(scWarm.seconds / poolWarm).toFixed(1) : 'n/a'],
    ]);
  }
  if (want('monitor')) await benchMonitor();
  if (want('build')) await benchBuild();
  const outDir = path.join(repoRoot, 'test-output');
  fs.mkdirSync(outDir, { recursive: true });
  if (want('elf')) {
    const e = benchElf(outDir);
    results.elf = e;
    if ('skipped' in e) console.log(`\n## Firmware ELF: skipped (${e.skipped})`);
    else {
      table(`Firmware ELF (${e.elf}, ${(e.bytes / 1024).toFixed(0)} KB, ${e.symbols} symbols and gaps; median of ${e.runs})`, [
        ['step', 'ms', ''],
        ['read + attribute + source lines (src/core/elf)', e.oursMs.toFixed(1), `ratio ${e.ratio.toFixed(2)} of llvm-nm`],
        ['llvm-nm-19 -S + parse its output', e.llvmNmMs.toFixed(1), `${e.llvmNmRows} rows`],
        [`symbol rows, largest first (${e.render5000.symbols} symbols, ${e.render5000.htmlKB} KB HTML)`, e.render5000.largestMs.toFixed(1), ''],
        ['symbol rows by package, all expanded', e.render5000.byPackageMs.toFixed(1), ''],
        ['treemap layout of the packages', e.render5000.treemapMs.toFixed(2), ''],
      ]);
    }
  }
  fs.writeFileSync(path.join(outDir, 'bench.json'), JSON.stringify(results, null, 2));
  console.log('\n' + JSON.stringify(results));
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });

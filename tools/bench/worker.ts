/**
 * The bench's figures for the analysis worker (issue 19): what the extension host's thread pays per keystroke, the
 * time from a change to its diagnostics, cold start, the workspace scan with the pool and the cache (cold and warm)
 * beside go vet and staticcheck warm, and the worker's memory over a long soak. Everything goes through the same
 * AnalysisClient, ScanPool and dist/analysisWorker.js the extension uses.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { assetsIn, targetFactsFor, type ContentChange, type Finding } from '../../src/core/analysis';
import { AnalysisClient, type WorkerLike } from '../../src/core/analysis/worker/client';
import { ScanPool } from '../../src/core/analysis/worker/pool';
import { processThreadTimes, threadSchedstat } from '../../test/support/schedstat';
import { scanContextKey } from '../../src/core/analysis/worker/session';

type Json = Record<string, unknown>;
const facts = targetFactsFor('feather-nrf52840');
const opts = { target: facts };
const MAX = 1 << 22;

export function spawner(distDir: string): () => WorkerLike {
  const script = path.join(distDir, 'analysisWorker.js');
  const assets = assetsIn(distDir);
  return () => new Worker(script, { workerData: { assets } }) as unknown as WorkerLike;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const r3 = (x: number) => +x.toFixed(3);
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}
function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}
function posAt(starts: number[], offset: number): { line: number; character: number } {
  let lo = 0; let hi = starts.length - 1;
  while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= offset) lo = mid; else hi = mid - 1; }
  return { line: lo, character: offset - starts[lo] };
}

/** Ms this process's main thread has run on a CPU (Linux schedstat), or NaN: leaves out preemption by a loaded machine. */
const mainThreadCpuMs = (): number => threadSchedstat()?.cpuMs ?? NaN;

/**
 * The threads started since `before` (the analysis workers: V8's helper threads are the process's, started earlier),
 * summed: ms on a CPU and ms waiting for one. Where a wall-clock figure goes on a loaded machine.
 */
function newThreadTimes(before: Map<string, unknown>): { cpuMs: number; waitMs: number; threads: number } {
  let cpuMs = 0; let waitMs = 0; let threads = 0;
  for (const [t, times] of processThreadTimes()) if (!before.has(t)) { cpuMs += times.cpuMs; waitMs += times.waitMs; threads++; }
  return { cpuMs, waitMs, threads };
}

/** What the controller builds per finding when it publishes (vscode.Diagnostic's fields, with the rule link). */
function publish(findings: Finding[]): unknown[] {
  return findings.map((f) => ({ range: { start: { ...f.range.start }, end: { ...f.range.end } }, message: f.message, severity: f.severity,
    source: 'TinyGo', code: { value: f.ruleId, target: `command:tinygo.showRuleDocs?${encodeURIComponent(JSON.stringify([f.ruleId]))}` }, finding: f }));
}

export interface WorkerKeystrokeFigures {
  edits: number;
  hostMaxMs: number; hostP95Ms: number; hostCpuMaxMs: number | null; hostCpuP95Ms: number | null; hostLoopMaxMs: number; hostLoopP95Ms: number;
  e2eP50: number; e2eP95: number; e2eMax: number; dropped: number;
  /**
   * The slowest edit's round trip split (read after it, so not part of it): the worker thread's CPU time, and its
   * time runnable but waiting for a CPU (other processes' share of a loaded machine). Null off Linux.
   */
  slowest: { e2eMs: number; workerCpuMs: number; workerWaitMs: number; edit: number; text: string } | null;
  /** The largest worker CPU time of any edit (parse + rules + posting back): the round trip on an idle machine. */
  workerCpuMaxMs: number | null;
}

/**
 * 250 keystrokes at random places, each followed by its deletion (so the file stays the file), each timed from the
 * change to its published diagnostics: forwarded to the worker, parsed there, the rules asked for at once (the
 * debounce excluded), the findings posted back and turned into diagnostics. Host time is what the host thread runs
 * synchronously to forward and to publish, on the wall clock and as the thread's own CPU time (schedstat: without the
 * time a loaded machine gives to other processes meanwhile); the "event loop" figure is the host's event-loop active time over the
 * whole round trip (performance.eventLoopUtilization), which also counts receiving the message.
 */
export async function workerKeystrokes(distDir: string, file: string, chars: string, seed: number): Promise<WorkerKeystrokeFigures> {
  const original = fs.readFileSync(file, 'utf8');
  const starts = lineStarts(original);
  const uri = `file://${file}`;
  let version = 1;
  const before = processThreadTimes();
  const c = new AnalysisClient({ spawn: spawner(distDir), documentText: () => ({ version, text: original }), log: () => undefined });
  try {
    c.open(uri, version, original);
    await c.analyze(uri, version, opts, MAX);
    const r = rng(seed);
    const host: number[] = []; const hostCpu: number[] = []; const loop: number[] = []; const e2e: number[] = [];
    const workerCpu: number[] = []; const workerWait: number[] = [];
    /** What each edit did: the character typed, or its deletion. */
    const typed: string[] = [];
    let lastWorker = newThreadTimes(before);
    const edit = async (raw: ContentChange, length: number) => {
      const elu0 = performance.eventLoopUtilization();
      typed.push(raw.text ? JSON.stringify(raw.text) : 'its deletion');
      const c0 = mainThreadCpuMs();
      const t0 = performance.now();
      // The controller's forwarding: VS Code's change copied into plain objects, the length, the post.
      const change: ContentChange = { range: { start: { ...raw.range.start }, end: { ...raw.range.end } }, rangeOffset: raw.rangeOffset, rangeLength: raw.rangeLength, text: raw.text };
      c.change(uri, ++version, [change], length);
      const t1 = performance.now();
      const c1 = mainThreadCpuMs();
      const res = await c.analyze(uri, version, opts, MAX);
      const c2 = mainThreadCpuMs();
      const t2 = performance.now();
      const n = res.t === 'result' ? publish(res.findings).length : 0;
      const t3 = performance.now();
      const c3 = mainThreadCpuMs();
      hostCpu.push(c1 - c0 + (c3 - c2));
      const elu = performance.eventLoopUtilization(elu0);
      host.push(t1 - t0 + (t3 - t2)); loop.push(elu.active); e2e.push(t3 - t0);
      const w = newThreadTimes(before);
      workerCpu.push(w.cpuMs - lastWorker.cpuMs); workerWait.push(w.waitMs - lastWorker.waitMs);
      lastWorker = w;
      return n;
    };
    for (let i = 0; i < 250; i++) {
      const at = Math.floor(r() * original.length);
      const ch = chars[Math.floor(r() * chars.length)];
      const p = posAt(starts, at);
      await edit({ range: { start: p, end: p }, rangeOffset: at, rangeLength: 0, text: ch }, original.length + 1);
      const end = ch === '\n' ? { line: p.line + 1, character: 0 } : { line: p.line, character: p.character + 1 };
      await edit({ range: { start: p, end }, rangeOffset: at, rangeLength: 1, text: '' }, original.length);
    }
    const cpuKnown = hostCpu.every((x) => Number.isFinite(x));
    const slow = e2e.indexOf(Math.max(...e2e));
    const split = lastWorker.threads > 0 ? { e2eMs: r3(e2e[slow]), workerCpuMs: r3(workerCpu[slow]), workerWaitMs: r3(workerWait[slow]), edit: slow + 1, text: typed[slow] } : null;
    return { edits: e2e.length, hostMaxMs: r3(Math.max(...host)), hostP95Ms: r3(percentile(host, 95)),
      hostCpuMaxMs: cpuKnown ? r3(Math.max(...hostCpu)) : null, hostCpuP95Ms: cpuKnown ? r3(percentile(hostCpu, 95)) : null, hostLoopMaxMs: r3(Math.max(...loop)),
      hostLoopP95Ms: r3(percentile(loop, 95)), e2eP50: r3(percentile(e2e, 50)), e2eP95: r3(percentile(e2e, 95)), e2eMax: r3(Math.max(...e2e)), dropped: c.dropped,
      slowest: split, workerCpuMaxMs: split ? r3(Math.max(...workerCpu)) : null };
  } finally {
    await c.dispose();
  }
}

/**
 * In a fresh process (the caller runs this as a child): from starting the worker and opening `file` to its
 * diagnostics, and how long the host thread was held synchronously meanwhile (it must not wait for the wasm compile).
 */
export async function coldStartChild(distDir: string, file: string): Promise<Json> {
  const text = fs.readFileSync(file, 'utf8');
  const uri = `file://${file}`;
  const t0 = performance.now();
  const c = new AnalysisClient({ spawn: spawner(distDir), documentText: () => ({ version: 1, text }), log: () => undefined });
  c.open(uri, 1, text);
  const pending = c.analyze(uri, 1, opts, MAX);
  const hostSyncMs = performance.now() - t0;
  const r = await pending;
  const n = r.t === 'result' ? publish(r.findings).length : -1;
  const ms = performance.now() - t0;
  await c.dispose();
  return { file: path.basename(file), bytes: text.length, firstDiagnosticsMs: +ms.toFixed(1), hostSyncMs: +hostSyncMs.toFixed(2), findings: n };
}

/** Cold (empty cache) then warm (a new pool, as in a new window, with the cache) scans of `files`, in this process. */
export async function poolScans(distDir: string, files: string[], cacheDir: string, size: number): Promise<Json> {
  const cache = { dir: cacheDir, contextKey: scanContextKey('bench', opts) };
  const items = files.map((p) => ({ path: p, options: opts, cache }));
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const once = async () => {
    const before = processThreadTimes();
    const pool = new ScanPool(spawner(distDir), size, () => undefined);
    try {
      const elu0 = performance.eventLoopUtilization();
      const t = await pool.scan(items, MAX, () => undefined);
      const elu = performance.eventLoopUtilization(elu0);
      // Read before the pool ends its workers: their CPU time, and how long they were runnable without a CPU.
      const w = newThreadTimes(before);
      return { seconds: +(t.ms / 1000).toFixed(2), files: t.files, cached: t.cached, findings: t.findings, failed: t.failed,
        mbPerSec: +(bytes / 1e6 / (t.ms / 1000)).toFixed(2), hostLoopUtilization: +elu.utilization.toFixed(3),
        workerCpuS: w.threads ? +(w.cpuMs / 1000).toFixed(2) : null, workerWaitS: w.threads ? +(w.waitMs / 1000).toFixed(2) : null,
        mbPerWorkerCpuS: w.threads && w.cpuMs > 0 ? +(bytes / 1e6 / (w.cpuMs / 1000)).toFixed(2) : null };
    } finally { pool.dispose(); }
  };
  fs.rmSync(cacheDir, { recursive: true, force: true });
  const cold = await once();
  const warm = await once();
  return { files: files.length, mb: +(bytes / 1e6).toFixed(2), workers: size, cold, warm };
}

/**
 * One cold scan of `files` (an empty cache) with a pool of `workers`: a run of the pool's scaling figure (the bench
 * runs each in a fresh process, the one-worker runs pinned to one core).
 */
export async function poolColdScan(distDir: string, files: string[], cacheDir: string, workers: number): Promise<Json> {
  const dir = path.join(cacheDir, `cold-${workers}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const items = files.map((p) => ({ path: p, options: opts, cache: { dir, contextKey: scanContextKey('bench', opts) } }));
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const before = processThreadTimes();
  const pool = new ScanPool(spawner(distDir), workers, () => undefined);
  try {
    const t = await pool.scan(items, MAX, () => undefined);
    const w = newThreadTimes(before);
    return { workers, files: files.length, mb: +(bytes / 1e6).toFixed(2), seconds: +(t.ms / 1000).toFixed(2), mbPerSec: +(bytes / 1e6 / (t.ms / 1000)).toFixed(2),
      failed: t.failed, workerCpuS: w.threads ? +(w.cpuMs / 1000).toFixed(2) : null, workerWaitS: w.threads ? +(w.waitMs / 1000).toFixed(2) : null };
  } finally {
    pool.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A Go tool's time on `pkgs` in GOROOT/src, run twice: the second run is the warm one (its own cache filled). */
export function toolWarm(cmd: string, argv: string[], cwd: string): { first: number; warm: number; status: number | null; error?: string } {
  const run = () => {
    const t0 = performance.now();
    // A cold staticcheck of std takes minutes on a loaded machine: bounded, and a time-out is printed as such.
    const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8', maxBuffer: 256 << 20, timeout: 20 * 60_000 });
    return { s: +((performance.now() - t0) / 1000).toFixed(2), status: r.status, error: r.error?.message ?? (r.status !== 0 && r.status !== 1 ? r.stderr.trim().split('\n').pop() : undefined) };
  };
  const a = run();
  const b = run();
  return { first: a.s, warm: b.s, status: b.status, error: b.error };
}

/**
 * The soak, in a fresh process: 50 files open in one worker, `edits` random single-character edits across them
 * (each keystroke followed by its deletion, so each file stays itself), the findings asked for after every 10th; the
 * worker's memory read every 10,000 edits. Process RSS is the worker's plus this small driver's.
 */
export async function soakChild(distDir: string, files: string[], edits: number, every: number): Promise<Json> {
  const docs = files.map((f) => { const text = fs.readFileSync(f, 'utf8'); return { uri: `file://${f}`, text, starts: lineStarts(text), version: 1 }; });
  const c = new AnalysisClient({ spawn: spawner(distDir), documentText: (u) => { const d = docs.find((x) => x.uri === u); return d && { version: d.version, text: d.text }; }, log: () => undefined });
  const curve: Json[] = [];
  const t0 = performance.now();
  try {
    for (const d of docs) c.open(d.uri, d.version, d.text);
    for (const d of docs) await c.analyze(d.uri, d.version, opts, MAX);
    const r = rng(7);
    const chars = 'abcxyz_ .0(){}[]"`\n';
    // Pairs of edits (a keystroke, then its deletion); the findings are asked for once per `every` edits, half the
    // time in the middle of a pair (a file with a stray bracket or quote), half after it.
    for (let k = 0; k < edits / 2; k++) {
      const d = docs[Math.floor(r() * docs.length)];
      const at = Math.floor(r() * d.text.length);
      const ch = chars[Math.floor(r() * chars.length)];
      const p = posAt(d.starts, at);
      const end = ch === '\n' ? { line: p.line + 1, character: 0 } : { line: p.line, character: p.character + 1 };
      c.change(d.uri, ++d.version, [{ range: { start: p, end: p }, rangeOffset: at, rangeLength: 0, text: ch }], d.text.length + 1);
      if (k % every === every >> 1) await c.analyze(d.uri, d.version, opts, MAX);
      c.change(d.uri, ++d.version, [{ range: { start: p, end }, rangeOffset: at, rangeLength: 1, text: '' }], d.text.length);
      if (k % every === 0) await c.analyze(d.uri, d.version, opts, MAX);
      const done = 2 * (k + 1);
      if (done % 10_000 === 0) {
        const mb = (x: number | undefined) => +((x ?? 0) / 2 ** 20).toFixed(1);
        // As it is (with the garbage of the last edits, which V8 collects when it pleases), then after a full
        // collection in the worker: where it settles. The bench runs this child with --expose-gc for that.
        const raw = await c.stats();
        const settled = await c.stats(true);
        if (!settled.collected) throw new Error('the soak needs node --expose-gc: the worker could not collect its garbage');
        const point = { edits: done, rssMb: mb(raw.rss), workerHeapMb: mb(raw.heapUsed), settledRssMb: mb(settled.rss), settledHeapMb: mb(settled.heapUsed),
          seconds: +((performance.now() - t0) / 1000).toFixed(1) };
        curve.push(point);
        process.stderr.write(`  soak: ${JSON.stringify(point)}\n`);
      }
    }
  } finally {
    await c.dispose();
  }
  // The goal: the memory the worker settles at does not grow. Judged on the settled RSS (after a full collection), at
  // the end and at every point, against the value after the first 10,000 edits; the RSS as it was (with garbage) is
  // printed beside it.
  const settled = curve.map((p) => p.settledRssMb as number);
  const raw = curve.map((p) => p.rssMb as number);
  const base = settled[0] as number | undefined;
  const pct = (x: number) => (base ? +((100 * (x - base)) / base).toFixed(1) : null);
  const last = settled[settled.length - 1];
  return { files: files.length, edits, analyseEvery: every, curve, settledAt10kMb: base, settledAtEndMb: last, endAbovePct: pct(last),
    settledMaxMb: Math.max(...settled), settledMaxAbovePct: pct(Math.max(...settled)), settledMinMb: Math.min(...settled),
    endWithinTenPercentOf10k: base !== undefined && last <= base * 1.1, everyPointWithinTenPercent: base !== undefined && settled.every((x) => x <= base * 1.1),
    rawMaxMb: Math.max(...raw), rawMinMb: Math.min(...raw), restarts: c.restarts };
}

/**
 * The .go files the Go tools analyse for `patterns` (run in `cwd`): each package's files for this GOOS/GOARCH and its
 * test files, as `go vet` and `staticcheck` take them by default (testdata and other platforms' files left out), so
 * our scan of the comparison runs on the same file set.
 */
export function goListFiles(patterns: string[], cwd: string): { packages: number; files: string[] } {
  const r = spawnSync('go', ['list', '-f', '{{.Dir}}|{{join .GoFiles ","}}|{{join .CgoFiles ","}}|{{join .TestGoFiles ","}}|{{join .XTestGoFiles ","}}', ...patterns],
    { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`go list ${patterns.join(' ')}: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
  const lines = r.stdout.trim().split('\n').filter(Boolean);
  const files = lines.flatMap((l) => {
    const [dir, ...lists] = l.split('|');
    return lists.flatMap((x) => x.split(',').filter(Boolean).map((f) => path.join(dir, f)));
  });
  return { packages: lines.length, files };
}

export function goFiles(dir: string, acc: string[] = [], skip: (p: string) => boolean = () => false): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (skip(p)) continue;
    if (e.isDirectory()) goFiles(p, acc, skip); else if (e.name.endsWith('.go')) acc.push(p);
  }
  return acc;
}

export const machineCores = (): number => (typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);

// The analysis worker protocol in plain Node, with real worker threads (the compiled out/src/analysisWorker.js and
// the grammar from node_modules): findings come back, stale results are dropped, a drifted copy is resynced, a
// crashed worker restarts with its open documents, and the scan cache hits, misses, and survives corrupt files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { assetsFromSource, DEFAULT_TARGET_FACTS, type AnalysisEngine, type ContentChange } from '../../../src/core/analysis';
import { AnalysisClient, type WorkerLike } from '../../../src/core/analysis/worker/client';
import { ScanPool } from '../../../src/core/analysis/worker/pool';
import { CACHE_FORMAT, CACHE_FORMAT_VERSION, contextFileStem, loadScanCache, loadScanCacheShard } from '../../../src/core/analysis/worker/scanCache';
import { AnalysisSession, scanContextKey } from '../../../src/core/analysis/worker/session';
import { REPO_ROOT, testEngine } from './harness';

const SCRIPT = path.join(REPO_ROOT, 'out', 'src', 'analysisWorker.js');
const spawn = (): WorkerLike => new Worker(SCRIPT, { workerData: { assets: assetsFromSource(REPO_ROOT) } }) as unknown as WorkerLike;
const opts = { target: DEFAULT_TARGET_FACTS };
const SRC = 'package p\n\nimport "reflect"\n\nfunc a(x any) {\n\treflect.ValueOf(x).MethodByName("F")\n}\n';

/** A document as the editor holds it: its text and version, changed with VS Code-shaped changes. */
class Doc {
  constructor(public text: string, public version = 1) {}
  edit(at: number, removed: number, insert: string): ContentChange {
    const pos = (o: number) => { const b = this.text.slice(0, o).split('\n'); return { line: b.length - 1, character: b[b.length - 1].length }; };
    const c = { range: { start: pos(at), end: pos(at + removed) }, rangeOffset: at, rangeLength: removed, text: insert };
    this.text = this.text.slice(0, at) + insert + this.text.slice(at + removed);
    this.version++;
    return c;
  }
}

function client(docs: Map<string, Doc>, logs: string[] = []): AnalysisClient {
  return new AnalysisClient({ spawn, documentText: (u) => docs.get(u), log: (m) => logs.push(m) });
}

void test('worker: an open document is analysed off-thread and its findings come back for its version', async () => {
  const docs = new Map([['file:///a.go', new Doc(SRC)]]);
  const c = client(docs);
  try {
    c.open('file:///a.go', 1, SRC);
    const r = await c.analyze('file:///a.go', 1, opts, 1 << 20);
    assert.equal(r.t, 'result');
    assert.equal(r.version, 1);
    assert.deepEqual(r.t === 'result' && r.findings.map((f) => [f.ruleId, f.range.start.line]), [['reflect-unsupported', 5]]);
  } finally { await c.dispose(); }
});

void test('worker: incremental changes follow the document, and a result older than the latest change is dropped', async () => {
  const d = new Doc(SRC);
  const docs = new Map([['file:///a.go', d]]);
  const c = client(docs);
  try {
    c.open('file:///a.go', d.version, d.text);
    // Two blank lines above the finding: it moves down by two.
    const ch = d.edit(SRC.indexOf('func a'), 0, '\n\n');
    c.change('file:///a.go', d.version, [ch], d.text.length);
    const moved = await c.analyze('file:///a.go', d.version, opts, 1 << 20);
    assert.deepEqual(moved.t === 'result' && moved.findings.map((f) => f.range.start.line), [7]);
    // A request at v2, then a change (v3) before its answer: the v2 result must not be published.
    const pending = c.analyze('file:///a.go', d.version, opts, 1 << 20);
    const del = d.edit(d.text.indexOf('reflect.ValueOf'), 'reflect.ValueOf(x).MethodByName("F")'.length, '_ = x');
    c.change('file:///a.go', d.version, [del], d.text.length);
    const stale = await pending;
    assert.deepEqual([stale.t, stale.t === 'skipped' && stale.why], ['skipped', 'stale']);
    assert.equal(c.dropped, 1);
    // A request for a version the worker has already moved past is answered "stale" by the worker itself.
    const old = await c.analyze('file:///a.go', d.version - 1, opts, 1 << 20);
    assert.deepEqual([old.t, old.t === 'skipped' && old.why], ['skipped', 'stale']);
    const now = await c.analyze('file:///a.go', d.version, opts, 1 << 20);
    assert.deepEqual(now.t === 'result' && now.findings, []);
  } finally { await c.dispose(); }
});

void test('worker: a change that does not explain the document length makes the worker ask for the text again', async () => {
  const d = new Doc(SRC);
  const c = client(new Map([['file:///a.go', d]]));
  try {
    c.open('file:///a.go', d.version, d.text);
    // The editor's text moves on by two edits; the worker is told of the second only (a lost event).
    d.edit(0, 0, '// lost\n');
    const ch = d.edit(d.text.indexOf('func a'), 0, '\n');
    c.change('file:///a.go', d.version, [ch], d.text.length);
    const r = await c.analyze('file:///a.go', d.version, opts, 1 << 20);
    assert.equal(r.t, 'result');
    assert.deepEqual(r.t === 'result' && r.findings.map((f) => f.range.start.line), [7], 'the finding is where the editor text has it');
  } finally { await c.dispose(); }
});

void test('worker: after a crash it restarts with the open documents, and answers the request it had pending', async () => {
  const d = new Doc(SRC);
  const logs: string[] = [];
  const c = client(new Map([['file:///a.go', d]]), logs);
  try {
    c.open('file:///a.go', d.version, d.text);
    const ch = d.edit(SRC.indexOf('func a'), 0, '\n');
    c.change('file:///a.go', d.version, [ch], d.text.length);
    assert.equal((await c.analyze('file:///a.go', d.version, opts, 1 << 20)).t, 'result');
    const restarted = new Promise<number>((resolve) => c.onDidRestart(resolve));
    c.crashForTest();
    const during = c.analyze('file:///a.go', d.version, opts, 1 << 20);
    assert.equal(await restarted, 1);
    const r = await during;
    assert.deepEqual(r.t === 'result' && [r.version, r.findings.map((f) => f.range.start.line)], [2, [6]]);
    assert.equal(c.openDocuments, 1);
    assert.ok(logs.some((l) => /exited \(code 70\); restarting with 1 open document/.test(l)), logs.join('\n'));
  } finally { await c.dispose(); }
});

void test('worker: a worker that keeps crashing is not restarted for ever', async () => {
  const logs: string[] = [];
  const c = new AnalysisClient({ spawn, documentText: () => undefined, log: (m) => logs.push(m), maxRestarts: 1 });
  try {
    for (let i = 0; i < 2; i++) {
      const exited = c.running ? new Promise<void>((resolve) => { const t = setInterval(() => { if (c.restarts > i || !c.running) { clearInterval(t); resolve(); } }, 5); }) : Promise.resolve();
      c.crashForTest();
      await exited;
    }
    assert.equal(c.running, false);
    await assert.rejects(c.stats(), /not running/);
    assert.ok(logs.some((l) => /not restarted/.test(l)), logs.join('\n'));
  } finally { await c.dispose(); }
});

void test('scan cache: a miss, then a hit for the same content, a miss after a change; corrupt and foreign shards are ignored', async () => {
  const engine = await testEngine();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-scan-cache-'));
  const cacheDir = path.join(dir, 'cache');
  const file = path.join(dir, 'a.go');
  fs.writeFileSync(file, SRC);
  const contextKey = scanContextKey('1.0.0', opts);
  const ref = { dir: cacheDir, contextKey };
  const scan = (s: AnalysisSession) => {
    const [r] = s.handle({ t: 'scan', id: 1, path: file, options: opts, maxFileSize: 1 << 20, cache: ref });
    assert.equal(r.t, 'scanned');
    return r as Extract<typeof r, { t: 'scanned' }>;
  };
  const flush = (s: AnalysisSession) => s.handle({ t: 'flush', id: 2, shard: 0 });
  try {
    const s1 = new AnalysisSession(engine);
    const miss = scan(s1);
    assert.deepEqual([miss.cached, miss.findings.map((f) => f.ruleId)], [false, ['reflect-unsupported']]);
    assert.deepEqual(flush(s1), [{ t: 'flushed', id: 2, entries: 1 }]);
    // Stored as JSON text (a worker parses every shard at its start; it decodes only what it answers).
    const shard0 = path.join(cacheDir, `${contextFileStem(contextKey)}.0.json`);
    const stored = (JSON.parse(fs.readFileSync(shard0, 'utf8')) as { entries: Record<string, { findings: unknown }> }).entries[file].findings;
    assert.equal(typeof stored, 'string');
    assert.deepEqual((JSON.parse(stored as string) as { ruleId: string }[]).map((f) => f.ruleId), ['reflect-unsupported']);

    const hit = scan(new AnalysisSession(engine));
    assert.deepEqual([hit.cached, hit.findings.map((f) => f.ruleId)], [true, ['reflect-unsupported']]);
    // Stored findings that are not JSON any more: the file is analysed again, not answered with nothing.
    const data = JSON.parse(fs.readFileSync(shard0, 'utf8')) as { entries: Record<string, { findings: unknown }> };
    const good = data.entries[file].findings;
    data.entries[file].findings = '[{"ruleId":';
    fs.writeFileSync(shard0, JSON.stringify(data));
    const reanalysed = scan(new AnalysisSession(engine));
    assert.deepEqual([reanalysed.cached, reanalysed.findings.map((f) => f.ruleId)], [false, ['reflect-unsupported']]);
    data.entries[file].findings = good;
    fs.writeFileSync(shard0, JSON.stringify(data));
    // Another context (another target) does not read this cache.
    const other = new AnalysisSession(engine).handle({ t: 'scan', id: 3, path: file, options: opts, maxFileSize: 1 << 20,
      cache: { dir: cacheDir, contextKey: scanContextKey('1.0.0', { target: { ...DEFAULT_TARGET_FACTS, target: 'pca10040' } }) } })[0];
    assert.equal(other.t === 'scanned' && other.cached, false);

    fs.writeFileSync(file, SRC.replace('reflect.ValueOf(x).MethodByName("F")', '_ = x'));
    const changed = scan(new AnalysisSession(engine));
    assert.deepEqual([changed.cached, changed.findings], [false, []]);

    // A truncated shard, a shard of another format, and one claiming this file name for another context.
    const stem = contextFileStem(contextKey);
    fs.writeFileSync(path.join(cacheDir, `${stem}.0.json`), '{"format":"tinygo-workbench/scan-cache","vers');
    fs.writeFileSync(path.join(cacheDir, `${stem}.1.json`), JSON.stringify({ format: 'something-else', version: 1, contextKey, entries: {} }));
    fs.writeFileSync(path.join(cacheDir, `${stem}.2.json`), JSON.stringify({ format: 'tinygo-workbench/scan-cache', version: 1, contextKey: 'other', entries: { [file]: { hash: 'x', findings: [] } } }));
    const logs: string[] = [];
    assert.equal(loadScanCache(cacheDir, contextKey, (m) => logs.push(m)).size, 0);
    assert.equal(logs.length, 3, logs.join('\n'));
    const afterCorrupt = scan(new AnalysisSession(engine));
    assert.deepEqual([afterCorrupt.cached, afterCorrupt.findings], [false, []]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** The engine with its parser's parse() counted: how often a scan really parsed. */
async function countingEngine(): Promise<{ engine: AnalysisEngine; parses: () => number }> {
  const engine = await testEngine();
  let n = 0;
  const parser = Object.create(engine.parser) as typeof engine.parser;
  parser.parse = (...a: Parameters<typeof engine.parser.parse>) => { n++; return engine.parser.parse(...a); };
  return { engine: { ...engine, parser }, parses: () => n };
}

void test('scan cache: a file whose analysis failed is cached as failed, and not parsed again until it changes or the time limit grows', async () => {
  const { engine, parses } = await countingEngine();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-scan-fail-'));
  const file = path.join(dir, 'gen.go');
  // Large enough that a parse with no time at all is cancelled (the deadline is checked every few hundred steps).
  fs.writeFileSync(file, 'package p\n\n' + Array.from({ length: 2000 }, (_, i) => `func f${i}(x int) int { return x + ${i} }\n`).join(''));
  const ref = { dir: path.join(dir, 'cache'), contextKey: scanContextKey('1.0.0', opts) };
  const scan = (s: AnalysisSession) => {
    const [r] = s.handle({ t: 'scan', id: 1, path: file, options: opts, maxFileSize: 1 << 20, cache: ref });
    assert.equal(r.t, 'scanned', JSON.stringify(r));
    const x = r as Extract<typeof r, { t: 'scanned' }>;
    return { cached: x.cached, skipped: x.skipped, findings: x.findings.length, timedOut: /longer than 0 ms/.test(x.message ?? '') };
  };
  try {
    const cold = new AnalysisSession(engine, 4, 0);
    assert.deepEqual(scan(cold), { cached: false, skipped: 'failed', findings: 0, timedOut: true });
    assert.equal(parses(), 1);
    assert.deepEqual(cold.handle({ t: 'flush', id: 2, shard: 0, shards: 1 }), [{ t: 'flushed', id: 2, entries: 1 }]);

    // A new worker (a new window) with the same limit: answered from the cache, as failed, without a parse.
    assert.deepEqual(scan(new AnalysisSession(engine, 4, 0)), { cached: true, skipped: 'failed', findings: 0, timedOut: true });
    assert.equal(parses(), 1);

    // A longer time limit tries it again; that result replaces the failure.
    const patient = new AnalysisSession(engine, 4, 10_000);
    assert.deepEqual(scan(patient), { cached: false, skipped: undefined, findings: 0, timedOut: false });
    assert.equal(parses(), 2);
    patient.handle({ t: 'flush', id: 3, shard: 0, shards: 1 });
    assert.deepEqual(scan(new AnalysisSession(engine, 4, 10_000)), { cached: true, skipped: undefined, findings: 0, timedOut: false });
    assert.equal(parses(), 2);

    // A changed file is analysed again (and fails again under no time limit).
    fs.appendFileSync(file, 'func g() {}\n');
    assert.deepEqual(scan(new AnalysisSession(engine, 4, 0)), { cached: false, skipped: 'failed', findings: 0, timedOut: true });
    assert.equal(parses(), 3);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

void test('scan cache: a warm scan that analysed nothing writes no shard; hits from a shard the pool drops are written to a kept one', async () => {
  const engine = await testEngine();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-scan-flush-'));
  const cacheDir = path.join(dir, 'cache');
  const file = path.join(dir, 'a.go');
  fs.writeFileSync(file, SRC);
  // Changed a minute ago: its size and time are trusted (a file hashed within 2 s of its last change is re-read).
  const minuteAgo = new Date(Date.now() - 60_000);
  fs.utimesSync(file, minuteAgo, minuteAgo);
  const contextKey = scanContextKey('1.0.0', opts);
  const ref = { dir: cacheDir, contextKey };
  const shardFile = (n: number) => path.join(cacheDir, `${contextFileStem(contextKey)}.${n}.json`);
  const scan = (s: AnalysisSession) => s.handle({ t: 'scan', id: 1, path: file, options: opts, maxFileSize: 1 << 20, cache: ref })[0];
  try {
    // A previous run with 4 workers left the entry in shard 3.
    const cold = new AnalysisSession(engine);
    scan(cold);
    assert.deepEqual(cold.handle({ t: 'flush', id: 2, shard: 3 }), [{ t: 'flushed', id: 2, entries: 1 }]);

    // Now 2 workers: the hit came from shard 3, which the pool removes after the flush, so it is kept in shard 0.
    const fewer = new AnalysisSession(engine);
    assert.equal((scan(fewer) as { cached: boolean }).cached, true);
    assert.deepEqual(fewer.handle({ t: 'flush', id: 3, shard: 0, shards: 2 }), [{ t: 'flushed', id: 3, entries: 1 }]);
    fs.rmSync(shardFile(3));

    // Warm and unchanged: nothing is written.
    const before = fs.statSync(shardFile(0)).mtimeMs;
    fs.utimesSync(shardFile(0), new Date(0), new Date(0));
    const warm = new AnalysisSession(engine);
    assert.equal((scan(warm) as { cached: boolean }).cached, true);
    assert.deepEqual(warm.handle({ t: 'flush', id: 4, shard: 1, shards: 2 }), [{ t: 'flushed', id: 4, entries: 0 }]);
    assert.deepEqual([fs.existsSync(shardFile(1)), fs.statSync(shardFile(0)).mtimeMs], [false, 0], `shard 0 was written at ${before}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

void test('scan cache: a file with the size and time it had when hashed is not read again, unless it changed within 2 s of its hashing', async () => {
  const engine = await testEngine();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-scan-stat-'));
  const file = path.join(dir, 'a.go');
  const ref = { dir: path.join(dir, 'cache'), contextKey: scanContextKey('1.0.0', opts) };
  const call = 'reflect.ValueOf(x).MethodByName("F")';
  // Two contents of the same size: with the finding, and without it.
  const withFinding = SRC;
  const without = SRC.replace(call, '_ = x'.padEnd(call.length));
  assert.equal(without.length, withFinding.length);
  const put = (text: string, mtimeS: number) => { fs.writeFileSync(file, text); fs.utimesSync(file, mtimeS, mtimeS); };
  const scan = () => {
    const s = new AnalysisSession(engine);
    const [r] = s.handle({ t: 'scan', id: 1, path: file, options: opts, maxFileSize: 1 << 20, cache: ref });
    s.handle({ t: 'flush', id: 2, shard: 0, shards: 1 });
    assert.equal(r.t, 'scanned');
    const x = r as Extract<typeof r, { t: 'scanned' }>;
    return [x.cached, x.findings.length];
  };
  try {
    // Changed just now (within 2 s of the scan): the time is not trusted, so a same-size change with the same time is seen.
    const now = Math.floor(Date.now() / 1000);
    put(withFinding, now);
    assert.deepEqual(scan(), [false, 1]);
    put(without, now);
    assert.deepEqual(scan(), [false, 0]);

    // Changed a minute before the scan: size and time are trusted, the file is not read (the swapped content unseen).
    const old = now - 60;
    put(withFinding, old);
    assert.deepEqual(scan(), [false, 1]);
    put(without, old);
    assert.deepEqual(scan(), [true, 1]);
    // Another time: read and hashed again, and the change is found.
    fs.utimesSync(file, old + 1, old + 1);
    assert.deepEqual(scan(), [false, 0]);
    // The same content under a new time (a checkout): a hit by hash, and the new time is kept for the next scan.
    fs.utimesSync(file, old + 2, old + 2);
    assert.deepEqual(scan(), [true, 0]);
    fs.writeFileSync(file, withFinding);
    fs.utimesSync(file, old + 2, old + 2);
    assert.deepEqual(scan(), [true, 0]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

void test('scan cache: when two shards hold a file, the newer entry wins whatever order the shards are read in, and the older copy is dropped when its shard is written', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-scan-dup-'));
  const contextKey = scanContextKey('1.0.0', opts);
  const write = (shard: number, hash: string, at: number) => fs.writeFileSync(path.join(dir, `${contextFileStem(contextKey)}.${shard}.json`),
    JSON.stringify({ format: CACHE_FORMAT, version: CACHE_FORMAT_VERSION, contextKey, entries: { '/w/a.go': { hash, findings: [], at } } }));
  try {
    write(0, 'old', 1000); write(1, 'new', 2000);
    assert.equal(loadScanCache(dir, contextKey).get('/w/a.go')?.hash, 'new');
    write(0, 'new', 3000); write(1, 'old', 1000);
    const origin = new Map<string, number>();
    assert.equal(loadScanCache(dir, contextKey, undefined, origin).get('/w/a.go')?.hash, 'new');
    assert.equal(origin.get('/w/a.go'), 0);

    // A worker that writes shard 1 drops its old copy there (every worker parses every shard at its start).
    const b = path.join(dir, 'b.go');
    fs.writeFileSync(b, SRC);
    const s = new AnalysisSession(await testEngine());
    s.handle({ t: 'scan', id: 1, path: b, options: opts, maxFileSize: 1 << 20, cache: { dir, contextKey } });
    assert.deepEqual(s.handle({ t: 'flush', id: 2, shard: 1, shards: 2 }), [{ t: 'flushed', id: 2, entries: 1 }]);
    assert.deepEqual([...loadScanCacheShard(dir, contextKey, 1).keys()], [b]);
    assert.equal(loadScanCache(dir, contextKey).get('/w/a.go')?.hash, 'new');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

void test('session: before the engine is loaded, a scan the cache answers is answered, and one that needs a parse is not', async () => {
  const engine = await testEngine();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-scan-early-'));
  const [known, changed] = ['a.go', 'b.go'].map((n) => path.join(dir, n));
  const minuteAgo = new Date(Date.now() - 60_000);
  for (const f of [known, changed]) { fs.writeFileSync(f, SRC); fs.utimesSync(f, minuteAgo, minuteAgo); }
  const cache = { dir: path.join(dir, 'cache'), contextKey: scanContextKey('1.0.0', opts) };
  const msg = (p: string) => ({ t: 'scan' as const, id: 1, path: p, options: opts, maxFileSize: 1 << 20, cache });
  try {
    const cold = new AnalysisSession(engine);
    cold.handle(msg(known)); cold.handle(msg(changed));
    cold.handle({ t: 'flush', id: 2, shard: 0, shards: 1 });
    fs.writeFileSync(changed, SRC.replace('func a', 'func c'));

    let loaded: typeof engine | undefined = undefined;
    const s = new AnalysisSession(() => loaded);
    const hit = s.scanFromCache(msg(known));
    assert.deepEqual(hit?.t === 'scanned' && [hit.cached, hit.findings.map((f) => f.ruleId)], [true, ['reflect-unsupported']]);
    assert.equal(s.scanFromCache(msg(changed)), undefined);
    assert.throws(() => s.handle({ t: 'open', uri: 'file:///x.go', version: 1, text: SRC }), /not loaded yet/);
    loaded = engine;
    const [r] = s.handle(msg(changed));
    assert.deepEqual(r.t === 'scanned' && [r.cached, r.findings.map((f) => f.ruleId)], [false, ['reflect-unsupported']]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

void test('scan pool: files spread over the workers; a second scan of unchanged files is answered from the cache', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-scan-pool-'));
  const cacheDir = path.join(dir, 'cache');
  const files = Array.from({ length: 12 }, (_, i) => path.join(dir, `f${i}.go`));
  files.forEach((f, i) => fs.writeFileSync(f, i % 3 === 0 ? SRC : 'package p\n\nfunc b() {}\n'));
  const cache = { dir: cacheDir, contextKey: scanContextKey('1.0.0', opts) };
  const pool = new ScanPool(spawn, 2, () => undefined);
  try {
    const first: string[] = [];
    const t1 = await pool.scan(files.map((p) => ({ path: p, options: opts, cache })), 1 << 20, (r) => { if (r.findings.length) first.push(path.basename(r.path)); });
    assert.deepEqual([t1.files, t1.cached, t1.findings], [12, 0, 4]);
    assert.deepEqual(first.sort(), ['f0.go', 'f3.go', 'f6.go', 'f9.go']);
    assert.equal(pool.running, 2);
    fs.writeFileSync(files[1], SRC);
    const t2 = await pool.scan(files.map((p) => ({ path: p, options: opts, cache })), 1 << 20, () => undefined);
    // The workers still hold the cache they loaded; the changed file is the one miss.
    assert.deepEqual([t2.files, t2.cached, t2.findings], [12, 11, 5]);
    pool.dispose();
    const fresh = new ScanPool(spawn, 2, () => undefined);
    try {
      const t3 = await fresh.scan(files.map((p) => ({ path: p, options: opts, cache })), 1 << 20, () => undefined);
      assert.deepEqual([t3.files, t3.cached, t3.findings], [12, 12, 5]);
    } finally { fresh.dispose(); }
  } finally {
    pool.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

void test('session: a document above the size limit is kept as text without a tree, and its analysis says why', async () => {
  const s = new AnalysisSession(await testEngine());
  try {
    s.handle({ t: 'open', uri: 'file:///big.go', version: 1, text: SRC, parse: false });
    s.handle({ t: 'open', uri: 'file:///a.go', version: 1, text: SRC });
    assert.deepEqual([s.openDocuments, s.openTrees], [2, 1]);
    assert.deepEqual(s.handle({ t: 'analyze', id: 1, uri: 'file:///big.go', version: 1, options: opts, maxFileSize: 10 }),
      [{ t: 'skipped', id: 1, uri: 'file:///big.go', version: 1, why: 'tooLarge' }]);
    const [r] = s.handle({ t: 'analyze', id: 2, uri: 'file:///a.go', version: 1, options: opts, maxFileSize: 1 << 20 });
    assert.deepEqual(r.t === 'result' && r.findings.map((f) => f.ruleId), ['reflect-unsupported']);
    s.handle({ t: 'close', uri: 'file:///a.go' });
    assert.deepEqual([s.openDocuments, s.openTrees], [1, 0]);
  } finally { s.dispose(); }
});

void test('session: changes that arrive before a parse are parsed once, together; an analysis of a stale version parses nothing', async () => {
  const real = await testEngine();
  let parses = 0;
  // The same parser, counting its parses.
  const parser = Object.create(real.parser, { parse: { value: (...a: Parameters<typeof real.parser.parse>) => { parses++; return real.parser.parse(...a); } } }) as typeof real.parser;
  const s = new AnalysisSession({ parser, analyzer: real.analyzer });
  const d = new Doc(SRC);
  const uri = 'file:///a.go';
  try {
    s.handle({ t: 'open', uri, version: d.version, text: d.text });
    assert.equal(parses, 1);
    // Three keystrokes, one of which opens a raw string to the end of the file and the next closes it.
    const at = SRC.indexOf('func a');
    for (const [from, removed, insert] of [[at, 0, '`'], [at + 1, 0, '`'], [at, 2, 'var v = 1\n']] as const) {
      const ch = d.edit(from, removed, insert);
      assert.deepEqual(s.handle({ t: 'change', uri, version: d.version, changes: [ch], length: d.text.length }), []);
    }
    assert.deepEqual([parses, s.pendingParses], [1, 1]);
    // A request for an older version is answered stale without parsing.
    assert.deepEqual(s.handle({ t: 'analyze', id: 1, uri, version: 2, options: opts, maxFileSize: 1 << 20 }).map((r) => r.t === 'skipped' && r.why), ['stale']);
    assert.equal(parses, 1);
    const [r] = s.handle({ t: 'analyze', id: 2, uri, version: d.version, options: opts, maxFileSize: 1 << 20 });
    assert.equal(parses, 2);
    // The same findings as a fresh parse of the final text.
    const fresh = new AnalysisSession(real);
    fresh.handle({ t: 'open', uri, version: d.version, text: d.text });
    const [want] = fresh.handle({ t: 'analyze', id: 3, uri, version: d.version, options: opts, maxFileSize: 1 << 20 });
    fresh.dispose();
    assert.ok(r.t === 'result' && want.t === 'result');
    assert.deepEqual(r.findings, want.findings);
    assert.deepEqual(r.findings.map((f) => [f.ruleId, f.range.start.line]), [['reflect-unsupported', 6]]);
    // When no message waits, the worker parses what changed, and the analysis then only runs the rules.
    const ch = d.edit(d.text.indexOf('var v'), 0, '\n');
    s.handle({ t: 'change', uri, version: d.version, changes: [ch], length: d.text.length });
    assert.deepEqual([parses, s.parsePending(), parses, s.pendingParses], [2, [], 3, 0]);
    const [after] = s.handle({ t: 'analyze', id: 4, uri, version: d.version, options: opts, maxFileSize: 1 << 20 });
    assert.equal(parses, 3);
    assert.deepEqual(after.t === 'result' && after.findings.map((f) => f.range.start.line), [7]);
  } finally { s.dispose(); }
});

void test('session: stats collect the garbage first only when asked and only where the process exposes a collector', async () => {
  const s = new AnalysisSession(await testEngine());
  const g = globalThis as { gc?: () => void };
  const had = g.gc;
  let collections = 0;
  try {
    s.handle({ t: 'open', uri: 'file:///a.go', version: 1, text: SRC });
    const stats = (collect?: boolean) => {
      const [r] = s.handle({ t: 'stats', id: 1, collect });
      assert.equal(r.t, 'stats');
      return r.t === 'stats' ? r : undefined;
    };
    g.gc = undefined;
    assert.equal(stats(true)?.collected, false, 'no collector (the extension host): nothing collected, and no error');
    g.gc = () => { collections++; };
    assert.equal(stats()?.collected, false);
    assert.equal(collections, 0, 'plain stats must not collect');
    const r = stats(true);
    assert.equal(r?.collected, true);
    assert.equal(collections, 1);
    assert.equal(r?.openDocuments, 1);
    assert.ok((r?.rss ?? 0) > 0);
  } finally {
    g.gc = had;
    s.dispose();
  }
});

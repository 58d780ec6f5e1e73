import * as fs from 'node:fs';
import { DocumentTrees, type ContentChange, type DocState } from '../documents';
import { analyzeTextFile, type AnalysisEngine } from '../index';
import { ALL_RULES } from '../rules';
import { targetFactsKey, type Finding } from '../model';
import type { AnalyzeOptions } from '../engine';
import type { FromWorker, ScanCacheRef, ToWorker } from './protocol';
import { contentHash, findingsOf, loadScanCache, loadScanCacheShard, writeScanCacheShard, type CacheEntry } from './scanCache';

/**
 * One scan context's cache in this worker. `loaded`: every shard's entries (`origin`: which shard each came from);
 * `made`: what this worker analysed since its last flush; `hits`: the entries it answered from `loaded`.
 */
interface ScanCacheState {
  ref: ScanCacheRef; loaded: Map<string, CacheEntry>; origin: Map<string, number>; made: Map<string, CacheEntry>; hits: Set<string>; reload: boolean;
}

/**
 * What the analysis worker does, without the thread: the open documents (text, incremental tree, memo), their
 * analyses, and workspace-scan files with the cache. One message in, its replies out, synchronously: the worker
 * entry (src/analysisWorker.ts) only feeds it, and unit tests drive it directly.
 */
export class AnalysisSession {
  private readonly texts = new Map<string, { version: number; text: string }>();
  /** Open documents whose tree has been edited but not parsed again since (see `change`). */
  private readonly unparsed = new Set<string>();
  /** Cache per scan context: loaded on the first scan of that context. */
  private readonly caches = new Map<string, ScanCacheState>();

  /**
   * `parseTimeoutMs`: a parse here holds up only this worker, not the editor, so it may take longer than the host's
   * old 1 s limit (a cold worker on a loaded machine can need that for a large file); it still ends a pathological one.
   */
  /**
   * `engine`: the engine, or how to get it once the wasm is compiled (undefined before): a warm workspace scan is
   * answered from the cache meanwhile (`scanFromCache`), and nothing else needs it earlier than its first parse.
   */
  constructor(engine: AnalysisEngine | (() => AnalysisEngine | undefined), private readonly maxTrees = 64, private readonly parseTimeoutMs = 10_000) {
    this.engineOf = typeof engine === 'function' ? engine : () => engine;
  }

  private readonly engineOf: () => AnalysisEngine | undefined;
  private treesMade: DocumentTrees | undefined;

  private get engine(): AnalysisEngine {
    const e = this.engineOf();
    if (!e) throw new Error('the analysis engine is not loaded yet');
    return e;
  }

  private get trees(): DocumentTrees {
    return (this.treesMade ??= new DocumentTrees(this.engine.parser, this.maxTrees, this.parseTimeoutMs));
  }

  get openDocuments(): number { return this.texts.size; }
  get openTrees(): number { return this.treesMade?.size ?? 0; }

  /**
   * A workspace-scan file answered without the engine: from the cache, or skipped (too large, unreadable).
   * Undefined when it has to be analysed.
   */
  scanFromCache(m: Extract<ToWorker, { t: 'scan' }>): FromWorker | undefined {
    return this.scan(m.id, m.path, m.options, m.maxFileSize, m.cache, false);
  }

  handle(m: ToWorker): FromWorker[] {
    switch (m.t) {
      case 'open':
        this.texts.set(m.uri, { version: m.version, text: m.text });
        this.trees.close(m.uri);
        this.unparsed.delete(m.uri);
        if (m.parse === false) return [];
        // Parsed now, so the first analysis after the debounce only runs the rules.
        return this.parse(m.uri, () => this.trees.open(m.uri, m.version, m.text));
      case 'change': return this.change(m.uri, m.version, m.changes, m.length);
      case 'close':
        this.texts.delete(m.uri);
        this.trees.close(m.uri);
        this.unparsed.delete(m.uri);
        return [];
      case 'analyze': return [this.analyze(m.id, m.uri, m.version, m.options, m.maxFileSize)];
      case 'scan': return [this.scan(m.id, m.path, m.options, m.maxFileSize, m.cache, true) as FromWorker];
      case 'flush': {
        let n = 0;
        for (const c of this.caches.values()) {
          // Re-read on the next scan in any case: the other workers may have written theirs.
          c.reload = true;
          // What the shard lacks: what this worker analysed, and the hits it served from shards the pool removes
          // after this flush (a previous run had more workers). A hit from a kept shard stays there: written here
          // too, every shard would grow towards a copy of the whole cache that every worker parses at its start.
          const kept = m.shards ?? Infinity;
          const orphans = [...c.hits].filter((f) => (c.origin.get(f) ?? -1) >= kept && !c.made.has(f));
          if (c.made.size === 0 && orphans.length === 0) continue;
          // The shard keeps what it held (a scan of one changed file must not forget the rest).
          const shard = loadScanCacheShard(c.ref.dir, c.ref.contextKey, m.shard);
          // Entries of which another shard holds a newer copy (another worker analysed the file again) are dropped: dead
          // weight that every worker would parse at its start.
          for (const [f, e] of shard) {
            const l = c.loaded.get(f);
            if (l && c.origin.get(f) !== m.shard && !c.made.has(f) && (l.at ?? 0) > (e.at ?? 0)) shard.delete(f);
          }
          for (const f of orphans) shard.set(f, c.loaded.get(f) as CacheEntry);
          for (const [f, e] of c.made) shard.set(f, e);
          n += writeScanCacheShard(c.ref.dir, c.ref.contextKey, m.shard, shard);
          c.made.clear();
        }
        for (const c of this.caches.values()) c.hits.clear();
        return [{ t: 'flushed', id: m.id, entries: n }];
      }
      case 'stats': {
        const gc = (globalThis as { gc?: () => void }).gc;
        const collected = m.collect === true && typeof gc === 'function';
        if (collected) gc();
        // In a worker thread, rss is the whole process's; heapUsed is this thread's own JS heap.
        const mem = process.memoryUsage();
        return [{ t: 'stats', id: m.id, openDocuments: this.texts.size, openTrees: this.openTrees, rss: mem.rss, heapUsed: mem.heapUsed, collected }];
      }
      case 'crash': return [];
    }
  }

  private parse(uri: string, run: () => unknown): FromWorker[] {
    try {
      run();
      return [];
    } catch (e) {
      // A parse that timed out: the tree is dropped and the analysis parses afresh (and reports if that fails too).
      this.trees.close(uri);
      return [{ t: 'log', message: `[analysis] ${uri}: ${e instanceof Error ? e.message : String(e)}` }];
    }
  }

  private change(uri: string, version: number, changes: readonly ContentChange[], length: number): FromWorker[] {
    const doc = this.texts.get(uri);
    if (!doc) return [{ t: 'resync', uri }];
    let text = doc.text;
    for (const c of changes) text = text.slice(0, c.rangeOffset) + c.text + text.slice(c.rangeOffset + c.rangeLength);
    if (text.length !== length) {
      // An event was missed: the copy is wrong from here on. The host sends the whole text again.
      this.texts.delete(uri);
      this.trees.close(uri);
      return [{ t: 'resync', uri }];
    }
    doc.version = version;
    doc.text = text;
    // Not parsed here: the changes that arrive while a parse runs (a keystroke that reparses the rest of a large file
    // takes tens of ms) are parsed together, once, by `parsePending` when the worker has no message waiting, or by
    // the analysis that needs the tree first. A parse per change would be work for versions nobody asks about.
    if (this.trees.edit(uri, version, changes, text)) this.unparsed.add(uri);
    return [];
  }

  /** Documents changed since their last parse. */
  get pendingParses(): number { return this.unparsed.size; }

  /**
   * Parses the documents changed since their last parse (the worker calls this when no message waits), so the
   * analysis after the host's debounce only runs the rules.
   */
  parsePending(): FromWorker[] {
    const out: FromWorker[] = [];
    for (const uri of [...this.unparsed]) {
      this.unparsed.delete(uri);
      out.push(...this.parse(uri, () => this.trees.reparse(uri)));
    }
    return out;
  }

  private analyze(id: number, uri: string, version: number, options: AnalyzeOptions, maxFileSize: number): FromWorker {
    const doc = this.texts.get(uri);
    if (!doc) return { t: 'skipped', id, uri, version, why: 'unknown' };
    // A change arrived after the request: its own analysis follows, this one would publish old findings.
    if (doc.version > version) return { t: 'skipped', id, uri, version, why: 'stale' };
    if (doc.text.length > maxFileSize) {
      this.trees.close(uri);
      return { t: 'skipped', id, uri, version: doc.version, why: 'tooLarge' };
    }
    const t0 = performance.now();
    try {
      // The changes not parsed yet, all in one parse (a parse that fails closes the tree: parsed afresh below).
      this.unparsed.delete(uri);
      let state = this.reparsed(uri);
      if (!state || state.version !== doc.version || state.text !== doc.text) state = this.trees.open(uri, doc.version, doc.text);
      const { findings, excluded } = this.engine.analyzer.analyzeFile(state.tree, state.text, options, state.memo);
      return { t: 'result', id, uri, version: doc.version, findings, excluded, ms: performance.now() - t0, signature: excluded ? undefined : JSON.stringify(findings) };
    } catch (e) {
      return { t: 'failed', id, message: `${uri}: ${e instanceof Error ? e.stack ?? e.message : String(e)}` };
    }
  }

  private reparsed(uri: string): DocState | undefined {
    try {
      return this.trees.reparse(uri);
    } catch {
      return undefined;
    }
  }

  /** `analyse: false`: undefined instead of analysing a file the cache does not answer. */
  private scan(id: number, file: string, options: AnalyzeOptions, maxFileSize: number, ref: ScanCacheRef | undefined, analyse: boolean): FromWorker | undefined {
    const t0 = performance.now();
    const reply = (r: { findings: Finding[]; cached: boolean; skipped?: 'tooLarge' | 'unreadable' | 'failed'; message?: string }): FromWorker =>
      ({ t: 'scanned', id, path: file, ...r, ms: performance.now() - t0 });
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      return reply({ findings: [], cached: false, skipped: 'unreadable' });
    }
    // A file above the limit is not even read.
    if (st.size > maxFileSize) return reply({ findings: [], cached: false, skipped: 'tooLarge' });
    const cache = ref && this.cacheFor(ref);
    const hit = cache?.loaded.get(file);
    // A failure under a shorter parse time limit than this worker's is tried again.
    const usable = (e: CacheEntry) => !e.failed || e.failed.timeoutMs >= this.parseTimeoutMs;
    const answer = (e: CacheEntry, findings: Finding[]) => {
      cache?.hits.add(file);
      return reply(e.failed ? { findings: [], cached: true, skipped: 'failed', message: e.failed.message } : { findings, cached: true });
    };
    // Undefined when the stored text is corrupt: then the file is analysed again.
    const cachedFindings = hit && usable(hit) ? findingsOf(hit) : undefined;
    // Same size and modification time as when it was hashed: not read again (reading and hashing was 40% of a warm
    // scan's time in the worker).
    if (cache && hit && cachedFindings && statUnchanged(hit, st)) return answer(hit, cachedFindings);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      return reply({ findings: [], cached: false, skipped: 'unreadable' });
    }
    if (bytes.byteLength > maxFileSize) return reply({ findings: [], cached: false, skipped: 'tooLarge' });
    const hash = cache ? contentHash(bytes) : '';
    const stat = { size: st.size, mtimeMs: st.mtimeMs };
    const remember = (e: CacheEntry) => {
      if (!cache) return;
      cache.made.set(file, e);
      cache.loaded.set(file, e);
    };
    if (cache && hit && cachedFindings && hit.hash === hash) {
      // The same content under another modification time (a checkout, a touch), or hashed too soon after its last
      // change to trust the time: kept with this stat, so the next scan need not read it.
      const e = { ...hit, stat, at: Date.now() };
      remember(e);
      return answer(e, cachedFindings);
    }
    if (!analyse) return undefined;
    try {
      // A file the target does not compile has no findings here: it is not open, so nothing needs to say why.
      const { findings } = analyzeTextFile(this.engine, bytes.toString('utf8'), options, this.parseTimeoutMs);
      remember({ hash, findings, stat, at: Date.now() });
      return reply({ findings, cached: false });
    } catch (e) {
      // Cached as a failure: the same content would fail the same way on every scan (and a parse time-out costs the
      // whole time limit each time).
      const message = e instanceof Error ? e.message : String(e);
      remember({ hash, findings: [], failed: { message, timeoutMs: this.parseTimeoutMs }, stat, at: Date.now() });
      return reply({ findings: [], cached: false, skipped: 'failed', message });
    }
  }

  private cacheFor(ref: ScanCacheRef): ScanCacheState {
    let c = this.caches.get(ref.contextKey);
    if (!c || c.ref.dir !== ref.dir) {
      const origin = new Map<string, number>();
      c = { ref, loaded: loadScanCache(ref.dir, ref.contextKey, undefined, origin), origin, made: new Map(), hits: new Set(), reload: false };
      this.caches.set(ref.contextKey, c);
    } else if (c.reload) {
      c.origin = new Map();
      c.loaded = loadScanCache(ref.dir, ref.contextKey, undefined, c.origin);
      c.reload = false;
    }
    return c;
  }

  dispose(): void {
    this.treesMade?.dispose();
    this.texts.clear();
  }
}

/**
 * A file changed within this long before its entry was made may change again within the same tick of a coarse file
 * system clock (1-2 s on some) without its size or time changing: such an entry's stat is not trusted (git's "racy"
 * files).
 */
const RACY_MS = 2000;

/** The file's size and modification time are those recorded in `e`, and were recorded well after that time. */
function statUnchanged(e: CacheEntry, st: fs.Stats): boolean {
  return e.stat !== undefined && e.at !== undefined && e.stat.size === st.size && e.stat.mtimeMs === st.mtimeMs && st.mtimeMs < e.at - RACY_MS;
}

/**
 * What a scan's findings depend on besides the file: the extension's version (the rules' code), the rule set, the
 * TinyGo version and target facts, the rule settings and the build context. Files of one context share a cache.
 */
export function scanContextKey(extensionVersion: string, options: Omit<AnalyzeOptions, 'build'> & { build?: { context: unknown } }): string {
  return JSON.stringify({
    extension: extensionVersion,
    rules: ALL_RULES.map((r) => `${r.id}:${r.defaultSeverity}`),
    target: targetFactsKey(options.target),
    settings: options.rules ?? {},
    build: options.build?.context ?? null,
  });
}

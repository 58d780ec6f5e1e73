import type { AnalyzeOptions } from '../engine';
import type { Finding } from '../model';
import { AnalysisClient, type WorkerLike } from './client';
import type { FromWorker, ScanCacheRef } from './protocol';
import { pruneScanCacheShards } from './scanCache';

export interface ScanItem { path: string; options: AnalyzeOptions; cache?: ScanCacheRef }
export interface ScanOutcome { path: string; findings: Finding[]; cached: boolean; skipped?: 'tooLarge' | 'unreadable' | 'failed' }
/** `files`: answered (a failed analysis too); `failed`: its analysis failed, now or (from the cache) before. */
export interface ScanTotals { files: number; cached: number; findings: number; failed: number; ms: number }

/**
 * The workspace scan across cores: `size` analysis workers (the caller sizes it to the machine), each taking the next
 * file when it answers, two in flight each so none waits for the host between files. After a scan each worker writes
 * its shard of the cache. Workers are started on the first scan and ended after `idleMs` without one (each holds
 * tree-sitter's wasm memory, which never shrinks).
 */
export class ScanPool {
  private clients: AnalysisClient[] = [];
  private idle: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(private readonly spawn: () => WorkerLike, readonly size: number, private readonly log: (m: string) => void,
    private readonly idleMs = 30_000) {}

  get running(): number { return this.clients.length; }

  private ensure(): AnalysisClient[] {
    clearTimeout(this.idle);
    if (this.clients.length === 0) {
      for (let i = 0; i < this.size; i++) this.clients.push(new AnalysisClient({ spawn: this.spawn, documentText: () => undefined, log: this.log }));
    }
    return this.clients;
  }

  /**
   * Scans `items`, calling `onResult` for each as it comes back (in any order). `cancelled` is polled between files.
   * Resolves when every file is answered and the caches are written.
   */
  async scan(items: readonly ScanItem[], maxFileSize: number, onResult: (r: ScanOutcome) => void, cancelled: () => boolean = () => false): Promise<ScanTotals> {
    const t0 = performance.now();
    const totals: ScanTotals = { files: 0, cached: 0, findings: 0, failed: 0, ms: 0 };
    const clients = this.ensure();
    let next = 0;
    const lane = async (c: AnalysisClient): Promise<void> => {
      while (next < items.length && !cancelled() && !this.disposed) {
        const item = items[next++];
        try {
          const r = await c.request({ t: 'scan', path: item.path, options: item.options, maxFileSize, cache: item.cache }) as Extract<FromWorker, { t: 'scanned' }>;
          totals.files++;
          if (r.cached) totals.cached++;
          totals.findings += r.findings.length;
          if (r.skipped === 'failed') {
            totals.failed++;
            this.log(`[workspace scan] ${item.path}: ${r.message ?? 'the analysis failed'}${r.cached ? ' (in an earlier scan of this content: tried again when it changes)' : ''}`);
          }
          onResult({ path: r.path, findings: r.findings, cached: r.cached, skipped: r.skipped });
        } catch (e) {
          totals.failed++;
          if (this.disposed) return;
          this.log(`[workspace scan] ${item.path}: ${e instanceof Error ? e.message : String(e)}`);
          onResult({ path: item.path, findings: [], cached: false, skipped: 'failed' });
        }
      }
    };
    await Promise.all(clients.flatMap((c) => [lane(c), lane(c)]));
    if (!this.disposed && !cancelled()) {
      const contexts = new Map(items.flatMap((i) => (i.cache ? [[i.cache.contextKey, i.cache] as const] : [])));
      if (contexts.size > 0) {
        await Promise.all(clients.map((c, shard) => c.request({ t: 'flush', shard, shards: clients.length }).catch((e: unknown) =>
          this.log(`[scan cache] shard ${shard} not written: ${e instanceof Error ? e.message : String(e)}`))));
        for (const ref of contexts.values()) pruneScanCacheShards(ref.dir, ref.contextKey, clients.length);
      }
    }
    if (!this.disposed) { this.idle = setTimeout(() => this.stop(), this.idleMs); this.idle.unref(); }
    totals.ms = performance.now() - t0;
    return totals;
  }

  private stop(): void {
    const cs = this.clients;
    this.clients = [];
    for (const c of cs) void c.dispose();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.idle);
    this.stop();
  }
}

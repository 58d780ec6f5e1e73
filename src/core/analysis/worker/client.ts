import type { AnalyzeOptions } from '../engine';
import type { ContentChange } from '../documents';
import type { FromWorker, ToWorker } from './protocol';

/** What the client needs of a worker thread (node:worker_threads' Worker has it; tests may pass a fake). */
export interface WorkerLike {
  postMessage(m: ToWorker): void;
  on(event: 'message', l: (m: FromWorker) => void): unknown;
  on(event: 'exit', l: (code: number) => void): unknown;
  on(event: 'error', l: (e: Error) => void): unknown;
  terminate(): Promise<number>;
}

export interface ClientOptions {
  spawn: () => WorkerLike;
  /** The editor's current text of an open document: for a restarted worker, or one whose copy drifted. */
  documentText: (uri: string) => { version: number; text: string } | undefined;
  /** Documents longer than this are kept as text but not parsed until asked for (default: no limit). */
  maxFileSize?: () => number;
  log: (message: string) => void;
  /** More crashes than this within `restartWindowMs` and the worker stays down (a crash loop must not eat a core). */
  maxRestarts?: number;
  restartWindowMs?: number;
}

type Request = Extract<ToWorker, { id: number }>;
type Reply = Extract<FromWorker, { id: number }>;
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
export type AnalyzeOutcome = Extract<FromWorker, { t: 'result' | 'skipped' }>;

/**
 * The extension host's side of one analysis worker: forwards documents and their changes, sends requests and
 * matches replies, drops results for a version older than the document's latest change, and restarts the worker
 * after a crash, giving it back the open documents and the requests it had not answered. No vscode here: the host
 * glue (src/vscode/analysisController.ts) is a thin layer over this, and unit tests drive it in plain Node.
 */
export class AnalysisClient {
  private worker: WorkerLike | undefined;
  /** Open documents and the latest version forwarded for each. */
  private readonly docs = new Map<string, number>();
  private readonly pending = new Map<number, { msg: Request; resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private crashes: number[] = [];
  private disposed = false;
  private readonly restartListeners: ((restarts: number) => void)[] = [];
  restarts = 0;
  /** Results dropped because the document had changed since (tests and the bench read it). */
  dropped = 0;

  constructor(private readonly opts: ClientOptions) {
    this.start();
  }

  /** The documents the worker holds (it parses each; their trees go with the worker). */
  get openDocuments(): number { return this.worker ? this.docs.size : 0; }
  get running(): boolean { return this.worker !== undefined; }

  onDidRestart(l: (restarts: number) => void): { dispose(): void } {
    this.restartListeners.push(l);
    return { dispose: () => { const i = this.restartListeners.indexOf(l); if (i >= 0) this.restartListeners.splice(i, 1); } };
  }

  private start(): void {
    const w = this.opts.spawn();
    this.worker = w;
    w.on('message', (m) => this.onMessage(m));
    w.on('error', (e) => this.opts.log(`[analysis worker] ${e.stack ?? e.message}`));
    w.on('exit', (code) => this.onExit(w, code));
  }

  private onExit(w: WorkerLike, code: number): void {
    if (this.worker !== w) return;
    this.worker = undefined;
    if (this.disposed) return;
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < (this.opts.restartWindowMs ?? 60_000));
    this.crashes.push(now);
    if (this.crashes.length > (this.opts.maxRestarts ?? 5)) {
      this.opts.log(`[analysis worker] exited (code ${code}) ${this.crashes.length} times within a minute: not restarted; reload the window to try again`);
      for (const p of this.pending.values()) p.reject(new Error('the analysis worker is not running'));
      this.pending.clear();
      return;
    }
    this.opts.log(`[analysis worker] exited (code ${code}); restarting with ${this.docs.size} open document(s)`);
    this.start();
    this.restarts++;
    for (const uri of [...this.docs.keys()]) this.reopen(uri);
    for (const p of this.pending.values()) this.post(p.msg);
    for (const l of this.restartListeners) l(this.restarts);
  }

  private reopen(uri: string): void {
    const d = this.opts.documentText(uri);
    if (!d) { this.docs.delete(uri); return; }
    this.docs.set(uri, d.version);
    this.post({ t: 'open', uri, version: d.version, text: d.text, parse: this.parses(d.text) });
  }

  private parses(text: string): boolean {
    return text.length <= (this.opts.maxFileSize?.() ?? Infinity);
  }

  private post(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  private onMessage(m: FromWorker): void {
    if (m.t === 'log') { this.opts.log(m.message); return; }
    if (m.t === 'resync') { if (this.docs.has(m.uri)) this.reopen(m.uri); return; }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.t === 'failed') { p.reject(new Error(m.message)); return; }
    p.resolve(m);
  }

  open(uri: string, version: number, text: string): void {
    this.docs.set(uri, version);
    this.post({ t: 'open', uri, version, text, parse: this.parses(text) });
  }

  /** `length`: the document's length after the changes (the worker checks its copy against it). */
  change(uri: string, version: number, changes: ContentChange[], length: number): void {
    if (!this.docs.has(uri)) return;
    this.docs.set(uri, version);
    this.post({ t: 'change', uri, version, changes, length });
  }

  close(uri: string): void {
    if (!this.docs.delete(uri)) return;
    this.post({ t: 'close', uri });
  }

  isOpen(uri: string): boolean { return this.docs.has(uri); }

  request<M extends WithoutId<Request>>(msg: M): Promise<Reply> {
    if (this.disposed) return Promise.reject(new Error('the analysis client is disposed'));
    if (!this.worker) return Promise.reject(new Error('the analysis worker is not running'));
    const full = { ...msg, id: this.nextId++ } as unknown as Request;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(full.id, { msg: full, resolve, reject });
      this.post(full);
    });
  }

  /**
   * The findings of `uri` at `version`: a result, or skipped. A result for a version older than the latest change
   * forwarded since is turned into `stale` here: it must never be published over a newer one.
   */
  async analyze(uri: string, version: number, options: AnalyzeOptions, maxFileSize: number): Promise<AnalyzeOutcome> {
    let r = await this.request({ t: 'analyze', uri, version, options, maxFileSize }) as AnalyzeOutcome;
    const now = this.docs.get(uri);
    if (r.t === 'skipped' && r.why === 'unknown' && now !== undefined) {
      // The worker had dropped its copy and asked for the text (resync, answered before this reply arrived): again.
      r = await this.request({ t: 'analyze', uri, version: now, options, maxFileSize }) as AnalyzeOutcome;
    }
    const latest = this.docs.get(uri);
    if (r.t === 'result' && (latest === undefined || latest > r.version)) {
      this.dropped++;
      return { t: 'skipped', id: r.id, uri, version: r.version, why: latest === undefined ? 'unknown' : 'stale' };
    }
    return r;
  }

  /** `collect`: after a full garbage collection in the worker, where the process exposes one (see the protocol). */
  async stats(collect = false): Promise<Extract<FromWorker, { t: 'stats' }>> {
    return await this.request({ t: 'stats', collect }) as Extract<FromWorker, { t: 'stats' }>;
  }

  /** Test hook: ends the worker thread as a crash would. */
  crashForTest(): void { this.post({ t: 'crash' }); }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.pending.values()) p.reject(new Error('the analysis client is disposed'));
    this.pending.clear();
    this.docs.clear();
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }
}

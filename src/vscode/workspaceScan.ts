import * as vscode from 'vscode';
import type { AnalyzeOptions } from '../core/analysis';
import type { ScanItem, ScanPool, ScanTotals } from '../core/analysis/worker/pool';
import { scanContextKey } from '../core/analysis/worker/session';
import { toDiagnostic } from './diagnostics';

/**
 * Scope "workspace": every .go file of the workspace is analysed by a pool of worker threads (ScanPool, one per
 * core), each parsing and deleting each tree (a kept tree costs ~27 bytes per source byte of wasm memory that is
 * never returned). Findings are cached on disk (the extension's global storage) by file content and scan context,
 * so a warm start re-analyses only the files that changed. Open documents belong to the AnalysisController; this
 * collection only holds files that are not open. The host thread only lists files and publishes findings.
 */
export class WorkspaceScanner implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('tinygo-workspace');
  private readonly queue: vscode.Uri[] = [];
  private readonly queued = new Set<string>();
  private running = false;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [this.collection];
  readonly onDidFinish = new vscode.EventEmitter<{ files: number; findings: number; cached: number; ms: number }>();
  private stats = { files: 0, findings: 0, cached: 0, t0: 0 };

  constructor(
    private readonly pool: { pool: ScanPool; cacheDir: string | undefined; extensionVersion: string },
    private readonly options: () => AnalyzeOptions,
    private readonly docsUri: vscode.Uri,
    private readonly maxFileSize: () => number,
    private readonly log: vscode.OutputChannel,
    private readonly factsFor: (uri: vscode.Uri) => AnalyzeOptions['target'],
    private readonly buildFor: (uri: vscode.Uri) => AnalyzeOptions['build'],
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.go');
    this.disposables.push(watcher, this.onDidFinish, { dispose: () => this.pool.pool.dispose() },
      watcher.onDidCreate((u) => this.enqueue([u])),
      watcher.onDidChange((u) => this.enqueue([u])),
      watcher.onDidDelete((u) => this.collection.delete(u)),
      vscode.workspace.onDidOpenTextDocument((d) => this.collection.delete(d.uri)),
      vscode.workspace.onDidCloseTextDocument((d) => { if (d.languageId === 'go' && d.uri.scheme === 'file') this.enqueue([d.uri]); }),
    );
  }

  async scanAll(): Promise<void> {
    const uris = await vscode.workspace.findFiles('**/*.go', '**/{node_modules,.git,vendor}/**');
    this.stats = { files: 0, findings: 0, cached: 0, t0: performance.now() };
    this.enqueue(uris);
  }

  clear(): void { this.queue.length = 0; this.queued.clear(); this.collection.clear(); }

  private isOpen(u: vscode.Uri): boolean {
    return vscode.workspace.textDocuments.some((d) => d.uri.toString() === u.toString());
  }

  private enqueue(uris: readonly vscode.Uri[]): void {
    for (const u of uris) {
      const k = u.toString();
      // The workers read from disk: files of other schemes are not scanned.
      if (u.scheme === 'file' && !this.queued.has(k)) { this.queued.add(k); this.queue.push(u); }
    }
    if (!this.running) { this.running = true; setImmediate(() => { void this.drain(); }); }
  }

  /** One scan item: the file and the options of its folder; the cache is shared by files of the same context. */
  private item(uri: vscode.Uri): ScanItem {
    const base = this.options();
    const build = this.buildFor(uri);
    const options: AnalyzeOptions = { ...base, target: this.factsFor(uri), build };
    const cacheDir = this.pool.cacheDir;
    return { path: uri.fsPath, options,
      cache: cacheDir ? { dir: cacheDir, contextKey: scanContextKey(this.pool.extensionVersion, { ...options, build: build && { context: build.context } }) } : undefined };
  }

  private async drain(): Promise<void> {
    let totals: ScanTotals | undefined;
    try {
      while (this.queue.length && !this.disposed) {
        const batch = this.queue.splice(0, this.queue.length).filter((u) => !this.isOpen(u));
        for (const u of batch) this.queued.delete(u.toString());
        const byPath = new Map(batch.map((u) => [u.fsPath, u]));
        totals = await this.pool.pool.scan(batch.map((u) => this.item(u)), this.maxFileSize(), (r) => {
          const uri = byPath.get(r.path) ?? vscode.Uri.file(r.path);
          this.stats.files++;
          if (r.cached) this.stats.cached++;
          this.stats.findings += r.findings.length;
          if (r.skipped || this.isOpen(uri)) { this.collection.delete(uri); return; }
          this.collection.set(uri, r.findings.map((f) => toDiagnostic(f, this.docsUri)));
        }, () => this.disposed);
      }
    } catch (err) {
      this.log.appendLine(`[workspace scan] ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.running = false;
    }
    if (totals && totals.failed > 0) this.log.appendLine(`[workspace scan] ${totals.failed} file(s) failed`);
    if (!this.disposed) {
      const ms = performance.now() - this.stats.t0;
      this.log.appendLine(`[workspace scan] ${this.stats.files} files (${this.stats.cached} from the cache) in ${ms.toFixed(0)} ms with ${this.pool.pool.size} worker(s)`);
      this.onDidFinish.fire({ files: this.stats.files, findings: this.stats.findings, cached: this.stats.cached, ms });
    }
  }

  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
    for (const d of this.disposables) d.dispose();
  }
}


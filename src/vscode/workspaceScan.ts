import * as vscode from 'vscode';
import { analyzeTextFile, type AnalysisEngine, type AnalyzeOptions } from '../core/analysis';
import { toDiagnostic } from './diagnostics';

/**
 * Scope "workspace": every .go file of the workspace is analysed, one at a time, parsing and deleting each tree
 * (a kept tree costs ~27 bytes per source byte of wasm memory that is never returned). Open documents belong to
 * the AnalysisController; this collection only holds files that are not open. Work is sliced into short bursts
 * so the extension host keeps answering while a large workspace is scanned.
 */
export class WorkspaceScanner implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('tinygo-workspace');
  private readonly queue: vscode.Uri[] = [];
  private readonly queued = new Set<string>();
  private running = false;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [this.collection];
  readonly onDidFinish = new vscode.EventEmitter<{ files: number; findings: number; ms: number }>();
  private stats = { files: 0, findings: 0, t0: 0 };

  constructor(
    private readonly engine: AnalysisEngine,
    private readonly options: () => AnalyzeOptions,
    private readonly docsUri: vscode.Uri,
    private readonly maxFileSize: () => number,
    private readonly log: vscode.OutputChannel,
    private readonly factsFor: (uri: vscode.Uri) => AnalyzeOptions['target'],
    private readonly buildFor: (uri: vscode.Uri) => AnalyzeOptions['build'],
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.go');
    this.disposables.push(watcher, this.onDidFinish,
      watcher.onDidCreate((u) => this.enqueue([u])),
      watcher.onDidChange((u) => this.enqueue([u])),
      watcher.onDidDelete((u) => this.collection.delete(u)),
      vscode.workspace.onDidOpenTextDocument((d) => this.collection.delete(d.uri)),
      vscode.workspace.onDidCloseTextDocument((d) => { if (d.languageId === 'go' && d.uri.scheme === 'file') this.enqueue([d.uri]); }),
    );
  }

  async scanAll(): Promise<void> {
    const uris = await vscode.workspace.findFiles('**/*.go', '**/{node_modules,.git,vendor}/**');
    this.stats = { files: 0, findings: 0, t0: performance.now() };
    this.enqueue(uris);
  }

  clear(): void { this.queue.length = 0; this.queued.clear(); this.collection.clear(); }

  private isOpen(u: vscode.Uri): boolean {
    return vscode.workspace.textDocuments.some((d) => d.uri.toString() === u.toString());
  }

  private enqueue(uris: readonly vscode.Uri[]): void {
    for (const u of uris) {
      const k = u.toString();
      if (!this.queued.has(k)) { this.queued.add(k); this.queue.push(u); }
    }
    if (!this.running) { this.running = true; setImmediate(() => { void this.drain(); }); }
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length && !this.disposed) {
        const sliceEnd = performance.now() + 15;
        while (this.queue.length && performance.now() < sliceEnd && !this.disposed) {
          const uri = this.queue.shift()!;
          this.queued.delete(uri.toString());
          await this.scanOne(uri);
        }
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      this.running = false;
    }
    if (!this.disposed) this.onDidFinish.fire({ files: this.stats.files, findings: this.stats.findings, ms: performance.now() - this.stats.t0 });
  }

  private async scanOne(uri: vscode.Uri): Promise<void> {
    if (this.isOpen(uri)) return;
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.byteLength > this.maxFileSize()) { this.collection.delete(uri); return; }
      // A file the target does not compile has no findings here: it is not open, so nothing needs to say why.
      const { findings } = analyzeTextFile(this.engine, new TextDecoder().decode(bytes), { ...this.options(), target: this.factsFor(uri), build: this.buildFor(uri) });
      this.stats.files++;
      this.stats.findings += findings.length;
      if (this.isOpen(uri)) return;
      this.collection.set(uri, findings.map((f) => toDiagnostic(f, this.docsUri)));
    } catch (err) {
      // A vanished or unreadable file loses its findings, nothing else.
      this.collection.delete(uri);
      if (!(err instanceof vscode.FileSystemError)) this.log.appendLine(`[workspace scan] ${uri.fsPath}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
    for (const d of this.disposables) d.dispose();
  }
}

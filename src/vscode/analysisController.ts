import * as vscode from 'vscode';
import { suppressionComment, type BuildContext, type ContentChange, type Exclusion, type TargetFacts } from '../core/analysis';
import type { AnalysisClient } from '../core/analysis/worker/client';
import type { ScanPool } from '../core/analysis/worker/pool';
import { Config } from './config';
import { FindingDiagnostic, toRange } from './diagnostics';
import { WorkspaceScanner } from './workspaceScan';

/**
 * Editing-time analysis, host side: forwards each open Go document and its changes to the analysis worker (which
 * keeps the incrementally parsed trees and runs the rules off the extension host's thread), asks for findings after
 * a short pause in typing, and publishes what comes back unless the document changed since. Never throws into VS
 * Code: a failure is logged and costs that document's findings only.
 */
export class AnalysisController implements vscode.Disposable, vscode.CodeActionProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection('tinygo');
  /** Each open document's length as forwarded, so the worker can check its copy after each change. */
  private readonly lengths = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly skipped = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly config = Config.of().analysis;
  /** The chosen target's facts per workspace folder (key: folder URI, '' without a folder); settings otherwise. */
  private readonly targetFacts = new Map<string, TargetFacts>();
  /** The build context per workspace folder (same keys): files it does not compile get no TinyGo findings. */
  private readonly buildContexts = new Map<string, BuildContext>();
  /** Files that are not open, when `tinygo.analysis.scope` is `workspace`. */
  private scanner: WorkspaceScanner | undefined;
  /** The host thread's time in this controller: forwarding changes and publishing findings (tests and the bench read it). */
  readonly hostTime = { forwardMaxMs: 0, publishMaxMs: 0, lastForwardMs: 0, lastPublishMs: 0, unchangedSkipped: 0 };
  /** Per document, the signature of the findings in the collection now (see the protocol's `signature`). */
  private readonly published = new Map<string, string>();
  /** Fires after diagnostics of a document were published (tests and the status bar listen). */
  readonly onDidAnalyze = new vscode.EventEmitter<{ uri: vscode.Uri; findings: number; ms: number }>();

  constructor(private readonly client: AnalysisClient, private readonly docsUri: vscode.Uri, private readonly log: vscode.OutputChannel,
    private readonly scanPool: () => { pool: ScanPool; cacheDir: string | undefined; extensionVersion: string }) {
    this.disposables.push(
      this.collection, this.onDidAnalyze,
      { dispose: () => { void this.client.dispose(); } },
      // A restarted worker got the open documents back; their findings are asked for again.
      this.client.onDidRestart(() => { for (const d of vscode.workspace.textDocuments) this.schedule(d, 0); }),
      vscode.workspace.onDidOpenTextDocument((d) => { this.forward(d); this.schedule(d, 0); }),
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!Config.affects(e)) return;
        this.skipped.clear();
        for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
        this.applyScope(true);
      }),
      vscode.languages.registerCodeActionsProvider([{ language: 'go', scheme: 'file' }, { language: 'go', scheme: 'untitled' }, { language: 'go', scheme: 'vscode-remote' }], this, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    );
    for (const d of vscode.workspace.textDocuments) { this.forward(d); this.schedule(d, 0); }
    this.applyScope(false);
  }

  /** Starts, restarts or stops the workspace scan to match `tinygo.analysis.scope`. */
  private applyScope(settingsChanged: boolean): void {
    const wanted = this.config.enabled() && this.config.scope() === 'workspace';
    if (!wanted) { this.scanner?.dispose(); this.scanner = undefined; return; }
    if (!this.scanner) {
      this.scanner = new WorkspaceScanner(this.scanPool(),
        () => ({ target: this.config.targetFacts(), rules: this.config.rules() }),
        this.docsUri, () => this.config.maxFileSize(), this.log, (u) => this.factsFor(u), (u) => this.buildFor(u));
    } else if (!settingsChanged) return;
    void this.scanner.scanAll();
  }

  /** The workspace scanner when the scope is `workspace` (tests wait for its onDidFinish). */
  get workspaceScanner(): WorkspaceScanner | undefined { return this.scanner; }

  private isGo(d: vscode.TextDocument): boolean {
    return d.languageId === 'go' && (d.uri.scheme === 'file' || d.uri.scheme === 'untitled' || d.uri.scheme === 'vscode-remote');
  }

  /** Gives the worker a document it does not have yet (it parses it at once). */
  private forward(d: vscode.TextDocument): void {
    if (!this.isGo(d) || d.isClosed) return;
    const key = d.uri.toString();
    if (this.client.isOpen(key)) return;
    const text = d.getText();
    this.lengths.set(key, text.length);
    this.client.open(key, d.version, text);
  }

  /**
   * What the extension host pays per keystroke: the changes copied into plain objects and posted to the worker,
   * and a timer. The worker applies them to its copy and re-parses incrementally at once; the rules wait for the
   * pause in typing.
   */
  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const d = e.document;
    if (!this.isGo(d) || e.contentChanges.length === 0) return;
    const t0 = performance.now();
    const key = d.uri.toString();
    const length = this.lengths.get(key);
    if (length === undefined || !this.client.isOpen(key)) {
      this.forward(d);
    } else {
      let n = length;
      const changes: ContentChange[] = e.contentChanges.map((c) => {
        n += c.text.length - c.rangeLength;
        return { range: { start: { line: c.range.start.line, character: c.range.start.character }, end: { line: c.range.end.line, character: c.range.end.character } },
          rangeOffset: c.rangeOffset, rangeLength: c.rangeLength, text: c.text };
      });
      this.lengths.set(key, n);
      this.client.change(key, d.version, changes, n);
    }
    this.schedule(d, this.config.debounceMs());
    const ms = performance.now() - t0;
    this.hostTime.lastForwardMs = ms;
    this.hostTime.forwardMaxMs = Math.max(this.hostTime.forwardMaxMs, ms);
  }

  private schedule(d: vscode.TextDocument, delay: number): void {
    if (!this.isGo(d)) return;
    const key = d.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => { this.timers.delete(key); void this.analyzeNow(d); }, delay));
  }

  /**
   * Analyse one document now (in the worker) and publish; resolves to the number of findings, or undefined when
   * skipped, failed, or the document changed before the findings came back (they are dropped: that change's own
   * analysis follows).
   */
  async analyzeNow(d: vscode.TextDocument): Promise<number | undefined> {
    const key = d.uri.toString();
    if (d.isClosed || !this.isGo(d)) return undefined;
    if (!this.config.enabled()) { this.unpublish(d.uri); return undefined; }
    const t0 = performance.now();
    try {
      this.forward(d);
      const r = await this.client.analyze(key, d.version, { target: this.factsFor(d.uri), rules: this.config.rules(), build: this.buildFor(d.uri) },
        this.config.maxFileSize());
      if (r.t === 'skipped') {
        if (r.why === 'tooLarge') {
          if (!this.skipped.has(key)) {
            this.skipped.add(key);
            this.log.appendLine(`[analysis] skipped ${d.uri.fsPath}: above tinygo.analysis.maxFileSize (${this.config.maxFileSize()} bytes)`);
          }
          this.unpublish(d.uri);
        }
        return undefined;
      }
      if (d.isClosed || d.version !== r.version) return undefined;
      const p0 = performance.now();
      this.skipped.delete(key);
      if (r.signature !== undefined && this.published.get(key) === r.signature) {
        // The same findings at the same places as those published: VS Code (and every listener to diagnostic
        // changes, and the Problems view) would only redo its work for nothing.
        this.hostTime.unchangedSkipped++;
      } else {
        this.collection.set(d.uri, r.excluded ? [notCompiledNote(r.excluded, d.getText())] : r.findings.map((f) => new FindingDiagnostic(f, this.docsUri)));
        if (r.signature === undefined) this.published.delete(key); else this.published.set(key, r.signature);
      }
      const publishMs = performance.now() - p0;
      this.hostTime.lastPublishMs = publishMs;
      this.hostTime.publishMaxMs = Math.max(this.hostTime.publishMaxMs, publishMs);
      const ms = performance.now() - t0;
      this.onDidAnalyze.fire({ uri: d.uri, findings: r.findings.length, ms });
      return r.findings.length;
    } catch (err) {
      if (!d.isClosed) this.log.appendLine(`[analysis] ${d.uri.fsPath}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return undefined;
    }
  }

  /** The build context for a document (undefined: analyse it whatever its build constraints say). */
  buildFor(uri: vscode.Uri): { context: BuildContext; fileName: string } | undefined {
    if (uri.scheme === 'untitled') return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const context = this.buildContexts.get(folder?.uri.toString() ?? '');
    return context && { context, fileName: uri.path };
  }

  /** The toolchain feature calls this when a folder's target (or what tinygo says about it) changes. */
  setTargetFacts(folder: vscode.Uri | undefined, facts: TargetFacts | undefined, build?: BuildContext): void {
    const key = folder?.toString() ?? '';
    if (facts) this.targetFacts.set(key, facts); else this.targetFacts.delete(key);
    if (build) this.buildContexts.set(key, build); else this.buildContexts.delete(key);
    for (const d of vscode.workspace.textDocuments) {
      if (!folder || vscode.workspace.getWorkspaceFolder(d.uri)?.uri.toString() === key) this.schedule(d, 0);
    }
    if (this.scanner) void this.scanner.scanAll();
  }

  /** The facts the rules use for a document: its folder's target, else the settings' defaults. */
  factsFor(uri: vscode.Uri): TargetFacts {
    const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() ?? '';
    return this.targetFacts.get(folder) ?? this.targetFacts.get('') ?? this.config.targetFacts();
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diag of ctx.diagnostics) {
      if (!(diag instanceof FindingDiagnostic)) continue;
      const f = diag.finding;
      for (const fix of f.fixes ?? []) {
        const a = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        a.edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits) a.edit.replace(doc.uri, toRange(e.range), e.newText);
        a.diagnostics = [diag];
        a.isPreferred = fix.isPreferred;
        actions.push(a);
      }
      const line = doc.lineAt(diag.range.start.line);
      const s = new vscode.CodeAction(`Suppress ${f.ruleId} on this line`, vscode.CodeActionKind.QuickFix);
      s.edit = new vscode.WorkspaceEdit();
      s.edit.insert(doc.uri, line.range.end, suppressionComment(f.ruleId));
      s.diagnostics = [diag];
      actions.push(s);
    }
    return actions;
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.lengths.delete(key);
    this.client.close(key);
    this.unpublish(uri);
  }

  private unpublish(uri: vscode.Uri): void {
    this.published.delete(uri.toString());
    this.collection.delete(uri);
  }

  /** The documents the worker holds a tree for (they go with it when the worker ends). */
  get openTrees(): number { return this.client.openDocuments; }

  /** The worker client (tests crash it and watch it restart). */
  get worker(): AnalysisClient { return this.client; }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.lengths.clear();
    this.scanner?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * The one quiet word on a file the target does not compile: a hint (editor only, not in Problems) on the line that
 * excludes it, instead of findings about code that never reaches the firmware.
 */
function notCompiledNote(excluded: Exclusion, text: string): vscode.Diagnostic {
  // A constraint line is where the reason is; a file name (`_amd64.go`, `_test.go`) has no line: the first.
  const lines = excluded.reason.startsWith('//') ? text.split('\n', 200) : [];
  const line = Math.max(0, lines.findIndex((l) => /^\/\/(go:build|\s*\+build)\s/.test(l)));
  const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, 0),
    `Not compiled for ${excluded.target} (${excluded.reason}): no TinyGo findings in this file. The setting tinygo.analysis.buildTarget analyses it for another target ("none": every file).`,
    vscode.DiagnosticSeverity.Hint);
  d.source = 'TinyGo';
  d.code = 'not-compiled';
  return d;
}

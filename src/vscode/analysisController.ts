import * as vscode from 'vscode';
import { DocumentTrees, suppressionComment, type AnalysisEngine, type BuildContext, type Exclusion, type TargetFacts } from '../core/analysis';
import { Config } from './config';
import { FindingDiagnostic, toRange } from './diagnostics';
import { WorkspaceScanner } from './workspaceScan';

/**
 * Editing-time analysis: one incrementally parsed tree per open Go document, re-analysed after a short pause in
 * typing, published as diagnostics. Never throws into VS Code: a failure is logged and costs that document's
 * findings only.
 */
export class AnalysisController implements vscode.Disposable, vscode.CodeActionProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection('tinygo');
  private readonly trees: DocumentTrees;
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
  /** Fires after diagnostics of a document were published (tests and the status bar listen). */
  readonly onDidAnalyze = new vscode.EventEmitter<{ uri: vscode.Uri; findings: number; ms: number }>();

  constructor(private readonly engine: AnalysisEngine, private readonly docsUri: vscode.Uri, private readonly log: vscode.OutputChannel) {
    this.trees = new DocumentTrees(engine.parser, 64);
    this.disposables.push(
      this.collection, this.onDidAnalyze,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
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
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
    this.applyScope(false);
  }

  /** Starts, restarts or stops the workspace scan to match `tinygo.analysis.scope`. */
  private applyScope(settingsChanged: boolean): void {
    const wanted = this.config.enabled() && this.config.scope() === 'workspace';
    if (!wanted) { this.scanner?.dispose(); this.scanner = undefined; return; }
    if (!this.scanner) {
      this.scanner = new WorkspaceScanner(this.engine,
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

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const d = e.document;
    if (!this.isGo(d) || e.contentChanges.length === 0) return;
    const key = d.uri.toString();
    if (this.trees.get(key)) {
      try {
        // Parse now, incrementally, so the tree follows every edit; the rules wait for a pause in typing.
        this.trees.update(key, d.version, e.contentChanges, d.getText());
      } catch (err) {
        this.log.appendLine(`[analysis] ${d.uri.fsPath}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    this.schedule(d, this.config.debounceMs());
  }

  private schedule(d: vscode.TextDocument, delay: number): void {
    if (!this.isGo(d)) return;
    const key = d.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => { this.timers.delete(key); this.analyzeNow(d); }, delay));
  }

  /** Analyse one document now and publish; returns the number of findings (undefined when skipped). */
  analyzeNow(d: vscode.TextDocument): number | undefined {
    const key = d.uri.toString();
    if (d.isClosed) return undefined;
    if (!this.config.enabled()) { this.collection.delete(d.uri); return undefined; }
    const t0 = performance.now();
    try {
      const text = d.getText();
      if (text.length > this.config.maxFileSize()) {
        if (!this.skipped.has(key)) {
          this.skipped.add(key);
          this.log.appendLine(`[analysis] skipped ${d.uri.fsPath}: ${text.length} bytes is above tinygo.analysis.maxFileSize (${this.config.maxFileSize()})`);
        }
        this.trees.close(key);
        this.collection.delete(d.uri);
        return undefined;
      }
      let state = this.trees.get(key);
      if (!state || state.version !== d.version || state.text !== text) state = this.trees.open(key, d.version, text);
      const build = this.buildFor(d.uri);
      const { findings, excluded } = this.engine.analyzer.analyzeFile(state.tree, state.text,
        { target: this.factsFor(d.uri), rules: this.config.rules(), build }, state.memo);
      this.collection.set(d.uri, excluded ? [notCompiledNote(excluded, state.text)] : findings.map((f) => new FindingDiagnostic(f, this.docsUri)));
      const ms = performance.now() - t0;
      this.onDidAnalyze.fire({ uri: d.uri, findings: findings.length, ms });
      return findings.length;
    } catch (err) {
      this.log.appendLine(`[analysis] ${d.uri.fsPath}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
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
    this.trees.close(key);
    this.collection.delete(uri);
  }

  get openTrees(): number { return this.trees.size; }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.trees.dispose();
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

import * as vscode from 'vscode';
import { OPTIMIZATION_GUIDE, type MergedAlloc } from '../../core/build';
import { fullMessage, type BuildDiagnostic } from '../../core/tinygo/buildOutput';

export const SOURCE = 'TinyGo build';
export const ALLOC_CODE = 'heap-allocation';

/** An allocation diagnostic remembers its line so an edit there can take it away. */
class AllocDiagnostic extends vscode.Diagnostic {
  constructor(range: vscode.Range, message: string, readonly alloc: MergedAlloc) {
    super(range, message, vscode.DiagnosticSeverity.Information);
    this.source = SOURCE;
    this.code = ALLOC_CODE;
  }
}

function lineRange(line1: number | undefined, col1?: number): vscode.Range {
  const line = Math.max(0, (line1 ?? 1) - 1);
  const col = Math.max(0, (col1 ?? 1) - 1);
  // To the end of the line: VS Code clamps, and the whole line is what the compiler points at.
  return new vscode.Range(line, col1 ? col : 0, line, Number.MAX_SAFE_INTEGER);
}

export function allocMessage(a: MergedAlloc): string {
  let msg = `heap allocation (TinyGo compiler): ${a.reasons.join('; ')}`;
  if (a.status === 'confirmed') {
    msg += ` — confirms the editing-time hint${a.hints.length > 1 ? 's' : ''} ${[...new Set(a.hints.map((h) => h.ruleId))].join(', ')}`;
  } else {
    msg += ' — no editing-time hint saw this one';
  }
  return msg;
}

/**
 * The Problems-panel side of a build: compiler errors and `-print-allocs` lines in the collection `tinygo-build`.
 * Everything is replaced at the next build. The compiler's statements are about the text it compiled: a diagnostic
 * goes when its line is edited, the ones below an edit move with their lines, and once the file is saved changed
 * its errors go altogether (they are stale: the next build says what is still wrong).
 */
export class BuildProblems implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('tinygo-build');
  private readonly subs: vscode.Disposable[];
  /** Files edited since the build published their diagnostics. */
  private readonly edited = new Set<string>();

  constructor() {
    this.subs = [
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
      vscode.workspace.onDidSaveTextDocument((d) => this.onSave(d)),
    ];
  }

  /** Replaces everything of a previous build of the same folder (other folders' results stay). */
  publish(previousUris: readonly vscode.Uri[], diagnostics: readonly BuildDiagnostic[], allocs: readonly MergedAlloc[], fallbackUri?: vscode.Uri): vscode.Uri[] {
    for (const u of previousUris) { this.collection.delete(u); this.edited.delete(u.toString()); }
    const byFile = new Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>();
    const add = (uri: vscode.Uri, d: vscode.Diagnostic) => {
      const k = uri.toString();
      let e = byFile.get(k);
      if (!e) { e = { uri, list: [...(this.collection.get(uri) ?? [])] }; byFile.set(k, e); }
      e.list.push(d);
    };
    for (const d of diagnostics) {
      const uri = d.file ? vscode.Uri.file(d.file) : fallbackUri;
      if (!uri) continue;
      let message = fullMessage(d);
      if ((d.kind === 'flash-overflow' || d.kind === 'ram-overflow') && !message.includes(OPTIMIZATION_GUIDE)) message += `\noptimization guide: ${OPTIMIZATION_GUIDE}`;
      const diag = new vscode.Diagnostic(d.file ? lineRange(d.line, d.column) : new vscode.Range(0, 0, 0, 0), message,
        d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error);
      diag.source = SOURCE;
      diag.code = d.kind;
      if (d.kind === 'flash-overflow' || d.kind === 'ram-overflow') diag.code = { value: d.kind, target: vscode.Uri.parse(OPTIMIZATION_GUIDE) };
      add(uri, diag);
    }
    for (const a of allocs) add(vscode.Uri.file(a.file), new AllocDiagnostic(lineRange(a.line, a.column), allocMessage(a), a));
    for (const { uri, list } of byFile.values()) { this.collection.set(uri, list); this.edited.delete(uri.toString()); }
    return [...byFile.values()].map((e) => e.uri);
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    const current = this.collection.get(e.document.uri);
    if (!current || current.length === 0 || e.contentChanges.length === 0) return;
    this.edited.add(e.document.uri.toString());
    let list = [...current];
    let changed = false;
    for (const c of e.contentChanges) {
      const first = c.range.start.line;
      const last = c.range.end.line;
      const delta = (c.text.match(/\n/g)?.length ?? 0) - (last - first);
      const next: vscode.Diagnostic[] = [];
      for (const d of list) {
        const line = d.range.start.line;
        // An edited line no longer says what the compiler read: its statement about it goes (an error stays only where the
        // text is as compiled, never on a line that now holds something else).
        if (line >= first && line <= last) { changed = true; continue; }
        if (delta !== 0 && line > last) {
          const moved = d instanceof AllocDiagnostic
            ? new AllocDiagnostic(d.range.with(d.range.start.translate(delta), d.range.end.translate(delta)), d.message, d.alloc)
            : Object.assign(new vscode.Diagnostic(d.range.with(d.range.start.translate(delta), d.range.end.translate(delta)), d.message, d.severity), { source: d.source, code: d.code });
          next.push(moved);
          changed = true;
          continue;
        }
        next.push(d);
      }
      list = next;
    }
    if (changed) this.collection.set(e.document.uri, list);
  }

  /** A file saved after an edit: its build errors are stale (allocation notes stay, moved with their lines). */
  private onSave(d: vscode.TextDocument): void {
    const key = d.uri.toString();
    if (!this.edited.delete(key)) return;
    const current = this.collection.get(d.uri);
    if (!current || current.length === 0) return;
    const left = current.filter((x) => x instanceof AllocDiagnostic);
    if (left.length !== current.length) this.collection.set(d.uri, left);
  }

  clear(): void { this.collection.clear(); }

  dispose(): void { for (const s of this.subs) s.dispose(); this.collection.dispose(); }
}

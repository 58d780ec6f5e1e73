import * as vscode from 'vscode';
import { ALL_RULES } from '../../core/analysis';
import type { AllocHint } from '../../core/build';
import type { AnalysisController } from '../analysisController';

const ALLOC_RULES = new Set(ALL_RULES.filter((r) => r.family === 'alloc').map((r) => r.id));

function ruleOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

/**
 * The editing-time heap-allocation hints of the built package's files, as the analysis publishes them. Files that
 * are not open are opened (not shown) and analysed now, so every file of the package counts, not only the visible
 * ones. Without the analysis engine there are no hints, and the merge reports every allocation as missed.
 */
export async function collectAllocHints(analysis: AnalysisController | undefined, files: readonly string[]): Promise<{ hints: AllocHint[]; files: string[] }> {
  if (!analysis) return { hints: [], files: [] };
  const hints: AllocHint[] = [];
  const analysed: string[] = [];
  for (const file of files) {
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    } catch {
      continue;
    }
    if (await analysis.analyzeNow(doc) === undefined) continue;
    analysed.push(file);
    for (const d of vscode.languages.getDiagnostics(doc.uri)) {
      const rule = ruleOf(d);
      if (d.source !== 'TinyGo' || !rule || !ALLOC_RULES.has(rule)) continue;
      hints.push({ file, line: d.range.start.line + 1, ruleId: rule, message: d.message });
    }
  }
  return { hints, files: analysed };
}

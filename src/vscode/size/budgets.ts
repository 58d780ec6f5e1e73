import * as vscode from 'vscode';
import type { BudgetProblem } from '../../core/size/view';

export const BUDGET_SOURCE = 'TinyGo size';

/** Exceeded flash/RAM budgets (and a program over the chip's capacity) as problems on go.mod or the main file. */
export class BudgetDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('tinygo-size');

  publish(uri: vscode.Uri | undefined, problems: readonly BudgetProblem[]): void {
    this.collection.clear();
    if (!uri || problems.length === 0) return;
    this.collection.set(uri, problems.map((p) => {
      const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, Number.MAX_SAFE_INTEGER), p.message,
        p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      d.source = BUDGET_SOURCE;
      d.code = `${p.resource}-budget`;
      return d;
    }));
  }

  dispose(): void { this.collection.dispose(); }
}

import * as vscode from 'vscode';
import type { Finding, Severity } from '../core/analysis';
import { ruleLink } from './ruleDocs';

export const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export function toRange(r: Finding['range']): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

/** Diagnostics carry the finding so the code-action provider can offer its fixes without re-analysing. */
export class FindingDiagnostic extends vscode.Diagnostic {
  constructor(readonly finding: Finding, docsUri: vscode.Uri) {
    super(toRange(finding.range), finding.message, SEVERITY[finding.severity]);
    this.source = 'TinyGo';
    this.code = { value: finding.ruleId, target: ruleLink(docsUri, finding.ruleId) };
  }
}

export function toDiagnostic(f: Finding, docsUri: vscode.Uri): FindingDiagnostic {
  return new FindingDiagnostic(f, docsUri);
}

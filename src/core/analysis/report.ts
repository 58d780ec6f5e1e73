import type { Finding, RuleMeta } from './model';

export interface FileFindings { file: string; findings: Finding[] }

export function formatText(results: readonly FileFindings[]): string {
  const lines: string[] = [];
  for (const r of results) {
    for (const f of r.findings) {
      lines.push(`${r.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity}: ${f.message} [${f.ruleId}]`);
    }
  }
  return lines.join('\n');
}

export function formatJson(results: readonly FileFindings[]): string {
  return JSON.stringify(results.flatMap((r) => r.findings.map((f) => ({
    file: r.file, line: f.range.start.line + 1, column: f.range.start.character + 1,
    endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1,
    rule: f.ruleId, family: f.family, severity: f.severity, message: f.message,
  }))), null, 2);
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

/** SARIF 2.1.0, as GitHub code scanning and most CI viewers read it. Columns are 1-based UTF-16 units. */
export function formatSarif(results: readonly FileFindings[], rules: readonly RuleMeta[], version: string, docsBase: string): string {
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'tinygo-workbench', version, informationUri: docsBase,
        rules: rules.map((r) => ({ id: r.id, shortDescription: { text: r.title }, helpUri: `${docsBase}#${r.id}`,
          defaultConfiguration: { level: SARIF_LEVEL[r.defaultSeverity] } })) } },
      columnKind: 'utf16CodeUnits',
      results: results.flatMap((r) => r.findings.map((f) => ({
        ruleId: f.ruleId, level: SARIF_LEVEL[f.severity], message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: r.file.split('\\').join('/') }, region: {
          startLine: f.range.start.line + 1, startColumn: f.range.start.character + 1,
          endLine: f.range.end.line + 1, endColumn: f.range.end.character + 1 } } }],
      }))),
    }],
  }, null, 2);
}

/**
 * analysistest-style fixtures: every `.go` file under test/fixtures/analysis declares its expected findings as
 * `// want "regexp" ["regexp"...]` comments on the line of the finding. Each regexp is matched against
 * `<ruleId>: <message>`. A finding without a want, or a want without a finding, fails the test.
 * A first-lines comment `// target: key=value ...` overrides TargetFacts fields (tinygoVersion, kind, gc,
 * scheduler, maxStackAlloc, pointerSize, goarch, target).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, assetsFromSource, createEngine, DEFAULT_TARGET_FACTS, type AnalysisEngine, type Finding, type TargetFacts } from '../../../src/core/analysis';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'analysis');

let engine: Promise<AnalysisEngine> | undefined;
export function testEngine(): Promise<AnalysisEngine> {
  engine ??= createEngine(assetsFromSource(REPO_ROOT));
  return engine;
}

export interface Want { line: number; re: RegExp; raw: string }

export function parseWants(text: string): Want[] {
  const wants: Want[] = [];
  text.split('\n').forEach((lineText, line) => {
    const idx = lineText.indexOf('// want ');
    if (idx < 0) return;
    const rest = lineText.slice(idx + '// want '.length);
    for (const m of rest.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
      const raw = m[1].replace(/\\"/g, '"');
      wants.push({ line, re: new RegExp(raw), raw });
    }
  });
  return wants;
}

export function parseTarget(text: string): TargetFacts {
  const t: TargetFacts = { ...DEFAULT_TARGET_FACTS };
  const m = /^\/\/ target: (.*)$/m.exec(text.split('\n').slice(0, 5).join('\n'));
  if (m) {
    for (const kv of m[1].trim().split(/\s+/)) {
      const [k, v] = kv.split('=');
      const rec = t as unknown as Record<string, string | number>;
      rec[k] = typeof rec[k] === 'number' ? Number(v) : v;
    }
  }
  return t;
}

export interface FixtureResult { missing: Want[]; unexpected: Finding[]; findings: Finding[] }

export function checkFixture(e: AnalysisEngine, text: string, target = parseTarget(text)): FixtureResult {
  const findings = analyzeText(e, text, { target });
  const wants = parseWants(text);
  const used = new Set<Want>();
  const unexpected: Finding[] = [];
  for (const f of findings) {
    const w = wants.find((w) => !used.has(w) && w.line === f.range.start.line && w.re.test(`${f.ruleId}: ${f.message}`));
    if (w) used.add(w); else unexpected.push(f);
  }
  return { missing: wants.filter((w) => !used.has(w)), unexpected, findings };
}

export function formatResult(file: string, r: FixtureResult): string {
  return [
    ...r.missing.map((w) => `${file}:${w.line + 1}: missing finding matching /${w.raw}/`),
    ...r.unexpected.map((f) => `${file}:${f.range.start.line + 1}:${f.range.start.character + 1}: unexpected ${f.ruleId}: ${f.message}`),
  ].join('\n');
}

export function fixtureFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else if (e.name.endsWith('.go')) out.push(p);
    }
  };
  walk(FIXTURES);
  return out.sort();
}

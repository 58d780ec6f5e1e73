import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node, Query, Tree } from 'web-tree-sitter';
import { collectFileFacts, collectFileFactsCached, type FactsCache, type FileFacts } from './fileFacts';
import type { GoParser } from './goParser';
import { compareFindings, targetFactsKey, type Finding, type Fix, type Range, type RuleMeta, type Severity, type TargetFacts } from './model';
import { applySuppressions } from './suppress';
import { inErrorRegion, nodeRange } from './syntax';

export interface ReportOptions { severity?: Severity; fixes?: Fix[] }

export interface RuleContext {
  readonly file: FileFacts;
  readonly target: TargetFacts;
  /** Compiled query from `queries/<name>.scm`, compiled once per process. */
  query(name: string): Query;
  report(at: Node | Range, message: string, options?: ReportOptions): void;
}

export interface Rule extends RuleMeta {
  /**
   * Called once per top-level declaration. A rule may read only the declaration, `ctx.file` and `ctx.target`:
   * that is what makes memoising its findings by the declaration's text correct.
   */
  checkDecl(decl: Node, ctx: RuleContext): void;
}

export type RuleSettings = Record<string, { enabled?: boolean; severity?: Severity } | undefined>;

export interface AnalyzeOptions { target: TargetFacts; rules?: RuleSettings }

/** Findings of one declaration, with positions relative to the declaration's start so they survive moves. */
interface MemoEntry { findings: Finding[]; startLine: number; startCol: number }

/** Per-document memo: declarations whose text did not change are not analysed again. */
export class DeclMemo {
  contextKey = '';
  entries = new Map<string, MemoEntry>();
  /** The file facts of the previous run and the declarations they came from. */
  facts: FactsCache = {};
  hits = 0;
  misses = 0;
}

export class QueryStore {
  private readonly compiled = new Map<string, Query>();
  constructor(private readonly parser: GoParser, private readonly dir: string) {}
  get(name: string): Query {
    let q = this.compiled.get(name);
    if (!q) {
      q = this.parser.query(fs.readFileSync(path.join(this.dir, `${name}.scm`), 'utf8'));
      this.compiled.set(name, q);
    }
    return q;
  }
}

function shift(r: Range, dLine: number, fromLine: number, dCol: number): Range {
  const mv = (p: { line: number; character: number }) =>
    ({ line: p.line + dLine, character: p.line === fromLine ? p.character + dCol : p.character });
  return { start: mv(r.start), end: mv(r.end) };
}

function shiftFinding(f: Finding, dLine: number, fromLine: number, dCol: number): Finding {
  if (dLine === 0 && dCol === 0) return f;
  return {
    ...f,
    range: shift(f.range, dLine, fromLine, dCol),
    fixes: f.fixes?.map((fx) => ({ ...fx, edits: fx.edits.map((e) => ({ ...e, range: shift(e.range, dLine, fromLine, dCol) })) })),
  };
}

export class Analyzer {
  constructor(private readonly rules: readonly Rule[], private readonly queries: QueryStore) {}

  get ruleList(): readonly RuleMeta[] { return this.rules; }

  /**
   * All findings for a parsed file. With a memo, declarations unchanged since the last call (same text, same file
   * facts, same target and settings) reuse their findings, so an edit costs the declarations it touched.
   */
  analyze(tree: Tree, text: string, options: AnalyzeOptions, memo?: DeclMemo): Finding[] {
    const root = tree.rootNode;
    const file = memo ? collectFileFactsCached(root, memo.facts) : collectFileFacts(root);
    const active = this.rules.filter((r) => options.rules?.[r.id]?.enabled !== false);
    const contextKey = `${file.key}\n${targetFactsKey(options.target)}\n${JSON.stringify(options.rules ?? {})}`;
    if (memo && memo.contextKey !== contextKey) { memo.entries.clear(); memo.contextKey = contextKey; }
    const nextEntries = new Map<string, MemoEntry>();
    const out: Finding[] = [];
    for (const decl of root.namedChildren) {
      if (!decl || decl.type === 'comment' || decl.type === 'package_clause') continue;
      const declText = decl.text;
      const startLine = decl.startPosition.row;
      const startCol = decl.startPosition.column;
      const key = `${startCol}:${declText}`;
      const cached = memo?.entries.get(key) ?? nextEntries.get(key);
      let entry: MemoEntry;
      if (cached && !nextEntries.has(key)) {
        entry = cached;
        if (memo) memo.hits++;
      } else {
        entry = { findings: this.runDecl(decl, file, options, active), startLine, startCol };
        if (memo) memo.misses++;
      }
      nextEntries.set(key, { ...entry, findings: entry.findings.map((f) => shiftFinding(f, startLine - entry.startLine, entry.startLine, 0)), startLine });
      for (const f of entry.findings) out.push(shiftFinding(f, startLine - entry.startLine, entry.startLine, 0));
    }
    if (memo) memo.entries = nextEntries;
    return applySuppressions(text, out).sort(compareFindings);
  }

  private runDecl(decl: Node, file: FileFacts, options: AnalyzeOptions, active: readonly Rule[]): Finding[] {
    const found: Finding[] = [];
    for (const rule of active) {
      const severity = options.rules?.[rule.id]?.severity ?? rule.defaultSeverity;
      const ctx: RuleContext = {
        file,
        target: options.target,
        query: (name) => this.queries.get(name),
        report: (at, message, o) => {
          if ('startPosition' in at && inErrorRegion(at)) return;
          found.push({ ruleId: rule.id, family: rule.family, message, range: 'startPosition' in at ? nodeRange(at) : at,
            severity: o?.severity ?? severity, fixes: o?.fixes });
        },
      };
      try {
        rule.checkDecl(decl, ctx);
      } catch (e) {
        // A rule bug must cost its own findings, never the others' or the extension host.
        found.push({ ruleId: 'internal-error', family: rule.family, severity: 'hint', range: nodeRange(decl),
          message: `TinyGo Workbench: rule ${rule.id} failed here (${e instanceof Error ? e.message : String(e)}); please report it.` });
      }
    }
    return found;
  }
}

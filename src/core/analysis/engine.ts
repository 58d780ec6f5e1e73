import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node, Query, Tree } from 'web-tree-sitter';
import { cgoPreambleOf, declFacts, diffFacts, hasFacts, LazyConsts, mergeFacts, readsChanged, trackFacts, type DeclFacts, type FactChanges,
  type FactReads, type FileFacts, type MergedFacts } from './fileFacts';
import type { GoParser } from './goParser';
import { compareFindings, targetFactsKey, type Finding, type Fix, type Range, type RuleMeta, type Severity, type TargetFacts } from './model';
import { applySuppressions } from './suppress';
import { inErrorRegion, nodeRange, withErrorBoundary } from './syntax';

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
   * that is what makes memoising its findings by the declaration's text correct. What it reads of `ctx.file` is
   * recorded, so that a change of the file facts re-runs only the declarations that read the changed entries.
   */
  checkDecl(decl: Node, ctx: RuleContext): void;
}

export type RuleSettings = Record<string, { enabled?: boolean; severity?: Severity } | undefined>;

export interface AnalyzeOptions { target: TargetFacts; rules?: RuleSettings }

/**
 * What the memo keeps of one top-level declaration: its contribution to the file facts, and its findings with the
 * line they were computed at (the declaration's text fixes everything else, so they move with it), and which file
 * facts the rules read while computing them.
 */
interface MemoEntry {
  /** The declaration's text (detached from the document's text, so an old document text is not kept alive). */
  text: string;
  type: string;
  startCol: number;
  facts: DeclFacts;
  findings?: Finding[];
  startLine: number;
  reads?: FactReads;
  /** The run that last used this entry (two equal declarations in one file share no entry). */
  run: number;
}

/** Per-document memo: declarations whose text did not change are not analysed again. */
export class DeclMemo {
  contextKey = '';
  /** By declaration text. */
  entries = new Map<string, MemoEntry>();
  /**
   * By node id, for the tree `idsFrom`. A node of a tree parsed from that tree (`parentSeq`) with the same id is the
   * same subtree, reused by the incremental parse: same text, no need to read it. DocumentTrees sets `treeSeq` and
   * `parentSeq` on every parse; a memo used without it (treeSeq -1) never matches by id.
   */
  byId = new Map<number, MemoEntry>();
  idsFrom = -1;
  treeSeq = -1;
  parentSeq = -1;
  run = 0;
  /** The contributions merged last time, in file order, and the result. */
  factParts: DeclFacts[] = [];
  merged: MergedFacts | undefined;
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

/** A copy of `s` that does not keep the string it was sliced from alive. */
function detach(s: string): string {
  return s.length < 16 ? s : (' ' + s).slice(1);
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
   * All findings for a parsed file. With a memo, declarations unchanged since the last call (same text, same target
   * and settings, and none of the file facts they read changed) reuse their findings, so an edit costs the
   * declarations it touched; the file facts are re-merged only when a declaration contributing to them changed.
   */
  analyze(tree: Tree, text: string, options: AnalyzeOptions, memo?: DeclMemo): Finding[] {
    const m = memo ?? new DeclMemo();
    const run = ++m.run;
    const contextKey = `${targetFactsKey(options.target)}\n${JSON.stringify(options.rules ?? {})}`;
    if (m.contextKey !== contextKey) { m.entries.clear(); m.byId.clear(); m.contextKey = contextKey; m.merged = undefined; m.factParts = []; }
    const active = this.rules.filter((r) => options.rules?.[r.id]?.enabled !== false);

    // 1. Every top-level node with its memo entry (found by text) and its contribution to the file facts.
    const children = tree.rootNode.namedChildren as Node[];
    const nodes: Node[] = [];
    const entries: MemoEntry[] = [];
    const factParts: DeclFacts[] = [];
    const factTexts: string[] = [];
    const constDecls: Node[] = [];
    let importC = -1;
    let factsSame = m.merged !== undefined;
    const nextEntries: Map<string, MemoEntry> | undefined = memo ? new Map() : undefined;
    const byId = memo && m.treeSeq >= 0 && (m.idsFrom === m.parentSeq || m.idsFrom === m.treeSeq) ? m.byId : undefined;
    const nextById = memo ? new Map<number, MemoEntry>() : undefined;
    for (let i = 0; i < children.length; i++) {
      const node = children[i];
      const startCol = node.startPosition.column;
      let entry = byId?.get(node.id);
      if (entry && entry.startCol === startCol && entry.run !== run) {
        entry.run = run;
        nextEntries?.set(entry.text, entry);
      } else {
        const start = node.startIndex;
        const declText = text.slice(start, node.endIndex);
        const type = node.type;
        entry = m.entries.get(declText);
        // The same text can parse differently (e.g. as an ERROR node after a broken declaration): the type must match too.
        if (!entry || entry.startCol !== startCol || entry.run === run || entry.type !== type) {
          entry = { text: detach(declText), type, startCol, facts: declFacts(node, type, declText), startLine: node.startPosition.row, run };
          if (nextEntries && !nextEntries.has(entry.text)) nextEntries.set(entry.text, entry);
        } else {
          entry.run = run;
          nextEntries?.set(entry.text, entry);
        }
      }
      nextById?.set(node.id, entry);
      const type = entry.type;
      if (type === 'comment') continue;
      if (hasFacts(entry.facts)) {
        const k = factParts.length;
        factParts.push(entry.facts);
        factTexts.push(entry.text);
        if (factsSame && m.factParts[k] !== entry.facts) factsSame = false;
        if (importC < 0 && entry.facts.importC) importC = i;
      }
      if (type === 'const_declaration') constDecls.push(node);
      if (type !== 'package_clause') { nodes.push(node); entries.push(entry); }
    }
    if (factParts.length !== m.factParts.length) factsSame = false;
    const cgoPreamble = importC >= 0 ? cgoPreambleOf(children, importC) : '';
    if (factsSame && m.merged && m.merged.facts.cgoPreamble !== cgoPreamble) factsSame = false;

    // 2. The file facts: the last merge when no contribution changed; otherwise a new merge, and what changed.
    let changes: FactChanges | undefined;
    if (!factsSame || !m.merged) {
      const merged = mergeFacts(factParts, factTexts, cgoPreamble);
      if (m.merged) changes = diffFacts(m.merged, merged);
      m.merged = merged;
      m.factParts = factParts;
    }
    const file: FileFacts = { ...m.merged.facts, packageConsts: new LazyConsts(m.merged.constNames, constDecls) };

    // 3. Findings: reused where the declaration's text and everything its rules read are unchanged.
    const out: Finding[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      const entry = entries[i];
      if (entry.findings && (!changes || changes.size === 0 || !entry.reads || !readsChanged(entry.reads, changes))) {
        m.hits++;
      } else {
        const reads: FactReads = new Map();
        // The cgo rule reads the comments above an import "C" declaration (the preamble), outside the declaration.
        if (node.type === 'import_declaration') reads.set('cgoPreamble', true);
        const view = memo ? trackFacts(file, reads) : file;
        entry.findings = withErrorBoundary(node, () => this.runDecl(node, view, options, active));
        entry.reads = reads;
        entry.startLine = node.startPosition.row;
        m.misses++;
      }
      const startLine = node.startPosition.row;
      for (const f of entry.findings) out.push(shiftFinding(f, startLine - entry.startLine, entry.startLine, 0));
    }
    if (memo && nextEntries && nextById) { memo.entries = nextEntries; memo.byId = nextById; memo.idsFrom = memo.treeSeq; }
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

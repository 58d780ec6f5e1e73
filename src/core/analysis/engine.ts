import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node, Query, Tree } from 'web-tree-sitter';
import { cgoPreambleOf, declFacts, diffFacts, hasFacts, isCommentAt, LazyConsts, NO_FACTS, mergeFacts, readsChanged, sameFacts, trackFacts, type DeclFacts, type FactChanges,
  type FactReads, type FileFacts, type MergedFacts } from './fileFacts';
import { fileExclusion, type BuildContext, type Exclusion } from './buildConstraints';
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
  /**
   * What several rules compute from the same declaration (the alloc rules share one analysis): computed for the first
   * rule of the declaration that asks, the others get the same result. `compute` reads only what a rule may read, and
   * reports nothing (its `ctx` is the asking rule's).
   */
  shared<T>(of: SharedAnalysis<T>): T;
}

/** A result several rules of one declaration share; the object itself is the key. */
export interface SharedAnalysis<T> {
  readonly name: string;
  compute(decl: Node, ctx: RuleContext): T;
}

export interface Rule extends RuleMeta {
  /**
   * Called once per top-level declaration. A rule may read only the declaration, `ctx.file` and `ctx.target`:
   * that is what makes memoising its findings by the declaration's text correct. What it reads of `ctx.file` is
   * recorded, so that a change of the file facts re-runs only the declarations that read the changed entries.
   */
  checkDecl(decl: Node, ctx: RuleContext): void;
}

/** A rule's context during one analysis: `decl`, `file`, `found` and `sharedBy` are set per declaration. */
interface RunContext extends RuleContext {
  rule: Rule;
  decl: Node;
  found: Finding[];
  file: FileFacts;
  /** The declaration's shared results (SharedAnalysis), one map for all its rules. */
  sharedBy: Map<SharedAnalysis<unknown>, unknown>;
}

export type RuleSettings = Record<string, { enabled?: boolean; severity?: Severity } | undefined>;

export interface AnalyzeOptions {
  target: TargetFacts;
  rules?: RuleSettings;
  /**
   * The target's build context and the analysed file's name: a file the target does not compile (build constraint,
   * GOOS/GOARCH file-name suffix, `_test.go`) gets no findings. Without it every file is analysed.
   */
  build?: { context: BuildContext; fileName: string };
}

/** One file's analysis: its findings, or why it has none because the target does not compile it. */
export interface AnalysisResult { findings: Finding[]; excluded?: Exclusion }

/**
 * What the memo keeps of one top-level node: its contribution to the file facts, and its findings with the line
 * they were computed at (the node's text fixes everything else, so they move with it), and which file facts the
 * rules read while computing them. Two nodes with the same text, type and start column share one entry.
 */
interface MemoEntry {
  /** The node's text (detached from the document's text, so an old document text is not kept alive). */
  text: string;
  type: string;
  startCol: number;
  hasError: boolean;
  facts: DeclFacts;
  findings?: Finding[];
  startLine: number;
  reads?: FactReads;
}

/** The top-level nodes of the tree last analysed, in order: offsets, start rows and memo entries. */
interface Kids { start: number[]; end: number[]; row: number[]; entries: MemoEntry[] }

/** The edits since the tree last analysed: one interval covering all of them (current coordinates), and the shift after it. */
interface Dirty { lo: number; hi: number; delta: number; dRows: number }

/** Per-document memo: declarations whose text did not change are not analysed again. */
export class DeclMemo {
  contextKey = '';
  /** By node text: the current nodes' entries, and recently dropped ones (an undo or a Backspace brings them back). */
  entries = new Map<string, MemoEntry>();
  /** The top-level nodes of the tree last analysed. */
  kids: Kids | undefined;
  /** What changed since (DocumentTrees reports every edit through noteEdit); undefined with `kids` set means nothing did. */
  dirty: Dirty | undefined;
  /** The contributions merged last time, in file order, and the result. */
  factParts: DeclFacts[] = [];
  merged: MergedFacts | undefined;
  /** Set by DocumentTrees, which reports every edit: only then may the unchanged nodes be taken from `kids`. */
  incremental = false;
  /** False for the throwaway memo of a one-off analysis (no memo given). */
  keep = true;
  hits = 0;
  misses = 0;
  /** Top-level nodes read from the tree in the last analysis (the rest were known from `kids`). */
  lastVisited = 0;

  /** A range (current coordinates) whose syntax changed in the last parse (`Tree.getChangedRanges`). */
  noteChanged(start: number, end: number): void {
    if (!this.kids) return;
    const d = this.dirty ?? { lo: start, hi: end, delta: 0, dRows: 0 };
    this.dirty = { ...d, lo: Math.min(d.lo, start), hi: Math.max(d.hi, end) };
  }

  /** An edit of the text, in the coordinates after the previous one (what `Tree.edit` is given). */
  noteEdit(start: number, oldEnd: number, newEnd: number, oldEndRow: number, newEndRow: number): void {
    if (!this.kids) return;
    const delta = newEnd - oldEnd;
    const dRows = newEndRow - oldEndRow;
    const d = this.dirty;
    if (!d) { this.dirty = { lo: start, hi: newEnd, delta, dRows }; return; }
    const map = (x: number) => (x <= start ? x : x >= oldEnd ? x + delta : start);
    this.dirty = { lo: Math.min(map(d.lo), start), hi: Math.max(map(d.hi), newEnd), delta: d.delta + delta, dRows: d.dRows + dRows };
  }

  /** Drops the entries of nodes that are gone (kept for an undo until now). */
  keepOnly(kids: Kids): void {
    this.entries = new Map(kids.entries.map((e) => [e.text, e]));
  }
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
   * declarations it touched; the file facts are re-merged only when a declaration contributing to them changed;
   * and the top-level nodes outside the edited region are not even read from the tree.
   */
  analyze(tree: Tree, text: string, options: AnalyzeOptions, memo?: DeclMemo): Finding[] {
    return this.analyzeFile(tree, text, options, memo).findings;
  }

  /** `analyze`, saying why a file excluded by `options.build` has no findings. */
  analyzeFile(tree: Tree, text: string, options: AnalyzeOptions, memo?: DeclMemo): AnalysisResult {
    const excluded = options.build ? fileExclusion(options.build.fileName, text, options.build.context) : undefined;
    if (excluded) {
      // The memo's node list was not brought up to date: the next analysis (the file compiled again) reads every node.
      if (memo) { memo.kids = undefined; memo.dirty = undefined; }
      return { findings: [], excluded };
    }
    return { findings: this.analyzeDecls(tree, text, options, memo) };
  }

  private analyzeDecls(tree: Tree, text: string, options: AnalyzeOptions, memo?: DeclMemo): Finding[] {
    const m = memo ?? Object.assign(new DeclMemo(), { keep: false });
    const contextKey = `${targetFactsKey(options.target)}\n${JSON.stringify(options.rules ?? {})}`;
    if (m.contextKey !== contextKey) {
      // Other facts (a target, a TinyGo version, rule settings): every finding is recomputed. The last tree's nodes
      // (`kids`) hold findings too, so they go with the entries, or the unchanged declarations keep the old facts.
      m.entries.clear(); m.contextKey = contextKey; m.merged = undefined; m.factParts = []; m.kids = undefined; m.dirty = undefined;
    }
    const active = this.rules.filter((r) => options.rules?.[r.id]?.enabled !== false);
    const root = tree.rootNode;

    // 1. The top-level nodes: the unchanged ones from the last analysis, the others read from the tree.
    const nodes = new Map<number, Node>();
    const kids = ((m.incremental && m.kids) ? this.splice(root, text, m, m.kids, m.dirty ?? { lo: text.length, hi: text.length, delta: 0, dRows: 0 }, nodes) : undefined)
      ?? this.readAll(root, text, m, nodes);
    m.lastVisited = nodes.size;

    // 2. The file facts: the last merge when no contribution changed; otherwise a new merge, and what changed.
    const factParts: DeclFacts[] = [];
    const factTexts: string[] = [];
    let importC = -1;
    for (let i = 0; i < kids.entries.length; i++) {
      const e = kids.entries[i];
      if (!hasFacts(e.facts)) continue;
      factParts.push(e.facts);
      factTexts.push(e.text);
      if (importC < 0 && e.facts.importC) importC = i;
    }
    const node = (i: number): Node => {
      let n = nodes.get(i);
      if (!n) { n = root.namedChild(i) as Node; nodes.set(i, n); }
      return n;
    };
    let cgoPreamble = '';
    if (importC >= 0) {
      const children: Node[] = [];
      for (let i = Math.max(0, importC - 64); i <= importC; i++) children.push(node(i));
      cgoPreamble = cgoPreambleOf(children, children.length - 1);
    }
    let factsSame = m.merged !== undefined && factParts.length === m.factParts.length && m.merged.facts.cgoPreamble === cgoPreamble;
    for (let k = 0; factsSame && k < factParts.length; k++) if (factParts[k] !== m.factParts[k]) factsSame = false;
    let changes: FactChanges | undefined;
    if (!factsSame || !m.merged) {
      const merged = mergeFacts(factParts, factTexts, cgoPreamble);
      if (m.merged) changes = diffFacts(m.merged, merged);
      m.merged = merged;
      m.factParts = factParts;
    }
    const merged = m.merged;
    let constDecls: Node[] | undefined;
    const file: FileFacts = { ...merged.facts, packageConsts: new LazyConsts(merged.constNames, () => {
      const decls = constDecls ?? kids.entries.flatMap((e, i) => (e.type === 'const_declaration' ? [node(i)] : []));
      constDecls = decls;
      return decls;
    }) };
    // Entries kept for an undo were not checked against this change: keep only the current ones.
    if (memo && changes && changes.size > 0) m.keepOnly(kids);

    // 3. Findings: reused where the declaration's text and everything its rules read are unchanged.
    let contexts: RunContext[] | undefined;
    const out: Finding[] = [];
    for (let i = 0; i < kids.entries.length; i++) {
      const entry = kids.entries[i];
      if (entry.type === 'comment' || entry.type === 'package_clause') continue;
      if (entry.findings && (!changes || changes.size === 0 || !entry.reads || !readsChanged(entry.reads, changes))) {
        m.hits++;
      } else if (entry.type === 'ERROR') {
        // Everything inside a top-level ERROR node is in an error region, where no finding is reported: the rules
        // are not run (after an unclosed quote or brace, that node can be the rest of the file).
        entry.findings = [];
        entry.reads = new Map();
        entry.startLine = kids.row[i];
      } else {
        const decl = node(i);
        const reads: FactReads = new Map();
        // The cgo rule reads the comments above an import "C" declaration (the preamble), outside the declaration.
        if (entry.type === 'import_declaration') reads.set('cgoPreamble', true);
        const view = memo ? trackFacts(file, reads) : file;
        // Every rule asks the declaration for its type and most for its text; each ask is a call into the wasm
        // runtime, so this node object answers them from what is already known.
        Object.defineProperties(decl, { type: { value: entry.type }, text: { value: entry.text } });
        entry.findings = withErrorBoundary(decl, kids.start[i] + entry.text.length, () => this.runDecl(decl, view, contexts ??= this.contexts(options, active)));
        entry.reads = reads;
        entry.startLine = kids.row[i];
        m.misses++;
      }
      const dLine = kids.row[i] - entry.startLine;
      for (const f of entry.findings) out.push(shiftFinding(f, dLine, entry.startLine, 0));
    }
    if (memo) {
      m.kids = kids;
      m.dirty = undefined;
      // Dropped entries are kept for a while (an undo brings them back); bounded by the current number of nodes.
      if (m.entries.size > 2 * kids.entries.length + 256) m.keepOnly(kids);
    }
    return applySuppressions(text, out).sort(compareFindings);
  }

  /** The memo entry of a top-level node read from the tree: found by text, type and column, or made. */
  private entryFor(n: Node, text: string, m: DeclMemo): { entry: MemoEntry; end: number } {
    const start = n.startIndex;
    const startCol = n.startPosition.column;
    // Comments are about half of the top-level nodes: known by their first characters (no call into the tree for the
    // type), and in a one-off analysis not even their end is needed.
    const comment = isCommentAt(text, start);
    if (comment && !m.keep) return { entry: { text: '', type: 'comment', startCol, hasError: false, facts: NO_FACTS, startLine: 0 }, end: start };
    const end = n.endIndex;
    const declText = text.slice(start, end);
    const type = comment ? 'comment' : n.type;
    if (!m.keep) {
      // A one-off analysis (workspace scan, CLI): nothing to find, nothing to keep.
      return { entry: { text: declText, type, startCol, hasError: false, facts: declFacts(n, type, declText), startLine: n.startPosition.row }, end };
    }
    let entry = m.entries.get(declText);
    // The same text can parse differently: as an ERROR node after a broken declaration, or, with a syntax error inside,
    // recovered differently after different broken code before it. So a node is found by text only if it has the
    // same type and no syntax error; a node with an error is analysed afresh (its findings stay while it is outside
    // the edited region, where the parse reused it).
    const hasError = comment ? false : n.hasError;
    if (!entry || entry.startCol !== startCol || entry.type !== type || hasError || entry.hasError) {
      entry = { text: detach(declText), type, startCol, hasError, facts: declFacts(n, type, declText), startLine: n.startPosition.row };
      if (!hasError) m.entries.set(entry.text, entry);
    }
    return { entry, end };
  }

  /** Every top-level node read from the tree (a first analysis, or when the edited region could not be delimited). */
  private readAll(root: Node, text: string, m: DeclMemo, nodes: Map<number, Node>): Kids {
    const kids: Kids = { start: [], end: [], row: [], entries: [] };
    const children = root.namedChildren;
    for (let i = 0; i < children.length; i++) {
      const n = children[i];
      if (!n) continue;
      const { entry, end } = this.entryFor(n, text, m);
      nodes.set(kids.entries.length, n);
      kids.start.push(n.startIndex); kids.end.push(end); kids.row.push(n.startPosition.row); kids.entries.push(entry);
    }
    return kids;
  }

  /**
   * The top-level nodes after edits within `d`: the nodes before the edited region and after the end of its last
   * line are those of the last analysis (the incremental parse reused them: checked by offset, text and type at
   * both boundaries, and by the count), moved by the edits' shift; only the nodes in between are read. Undefined when
   * the region cannot be delimited that way (the caller reads every node).
   */
  private splice(root: Node, text: string, m: DeclMemo, prev: Kids, d: Dirty, nodes: Map<number, Node>): Kids | undefined {
    const prevCount = prev.entries.length;
    const newCount = root.namedChildCount;
    const lo = Math.max(0, d.lo - 1);
    let hiLine = text.indexOf('\n', d.hi);
    if (hiLine < 0) hiLine = text.length;
    // a: the old nodes ending before the region (prev.end is ascending).
    let a = 0;
    for (let l = 0, h = prevCount; l < h;) { const mid = (l + h) >> 1; if (prev.end[mid] <= lo) { a = mid + 1; l = mid + 1; } else h = mid; }
    const same = (n: Node | null, j: number, shift: number): boolean => {
      // Not the id: a node next to an edit may be re-lexed (a new id) and still be the same node.
      if (!n || j < 0 || j >= prevCount || n.startIndex !== prev.start[j] + shift) return false;
      const e = prev.entries[j];
      const end = n.endIndex;
      return end - n.startIndex === e.text.length && n.type === e.type && text.startsWith(e.text, n.startIndex);
    };
    const first = root.firstNamedChildForIndex(lo);
    if (a > 0 && !same(first ? first.previousNamedSibling : root.lastNamedChild, a - 1, 0)) return undefined;
    if (a === 0 && first?.previousNamedSibling) return undefined;
    const mid: { n: Node; entry: MemoEntry; end: number }[] = [];
    let j = prevCount;
    for (let cur = first, k = a; cur; cur = cur.nextNamedSibling, k++) {
      if (cur.startIndex > hiLine) {
        const jj = k + prevCount - newCount;
        if (jj >= a && same(cur, jj, d.delta)) { j = jj; break; }
      }
      const { entry, end } = this.entryFor(cur, text, m);
      mid.push({ n: cur, entry, end });
      if (mid.length > 4096) return undefined;
    }
    if (a + mid.length + (prevCount - j) !== newCount) return undefined;
    if (mid.length === j - a) {
      // Node for node the same kinds of declarations (the usual edit): where a contribution to the file facts says what
      // the old one said (e.g. an edit in a comment inside a struct), keep the old one, so the facts are not re-merged.
      // Not for constants: their values are fingerprinted by the whole declaration's text.
      mid.forEach((x, i) => {
        const old = prev.entries[a + i];
        if (x.entry !== old && x.entry.type === old.type && x.entry.type !== 'const_declaration' && hasFacts(x.entry.facts) &&
          sameFacts(x.entry.facts, old.facts)) x.entry.facts = old.facts;
      });
    }
    // The arrays of the last analysis are updated in place (a keystroke in a large file would otherwise copy four
    // arrays of a thousand entries: half of what an edit allocated). Until the analysis ends the memo has no `kids`,
    // so one that throws half-way leaves the next to read every node instead of trusting half-updated arrays.
    m.kids = undefined;
    const kids = prev;
    const starts: number[] = []; const ends: number[] = []; const rows: number[] = []; const entries: MemoEntry[] = [];
    for (const x of mid) {
      nodes.set(a + entries.length, x.n);
      starts.push(x.n.startIndex); ends.push(x.end); rows.push(x.n.startPosition.row); entries.push(x.entry);
    }
    kids.start.splice(a, j - a, ...starts); kids.end.splice(a, j - a, ...ends); kids.row.splice(a, j - a, ...rows); kids.entries.splice(a, j - a, ...entries);
    if (d.delta !== 0 || d.dRows !== 0) {
      for (let i = a + mid.length; i < newCount; i++) { kids.start[i] += d.delta; kids.end[i] += d.delta; kids.row[i] += d.dRows; }
    }
    return kids;
  }

  /** One context per active rule for a whole analysis (a declaration sets `file` and `found`): not 23 new objects per declaration. */
  private contexts(options: AnalyzeOptions, active: readonly Rule[]): RunContext[] {
    return active.map((rule) => {
      const severity = options.rules?.[rule.id]?.severity ?? rule.defaultSeverity;
      const c: RunContext = {
        rule,
        found: [],
        decl: undefined as unknown as Node,
        file: undefined as unknown as FileFacts,
        sharedBy: new Map(),
        target: options.target,
        query: (name) => this.queries.get(name),
        report: (at, message, o) => {
          if ('startPosition' in at && inErrorRegion(at)) return;
          c.found.push({ ruleId: rule.id, family: rule.family, message, range: 'startPosition' in at ? nodeRange(at) : at,
            severity: o?.severity ?? severity, fixes: o?.fixes });
        },
        shared: <T>(of: SharedAnalysis<T>): T => {
          if (c.sharedBy.has(of)) return c.sharedBy.get(of) as T;
          const v = of.compute(c.decl, c);
          c.sharedBy.set(of, v);
          return v;
        },
      };
      return c;
    });
  }

  private runDecl(decl: Node, file: FileFacts, contexts: readonly RunContext[]): Finding[] {
    const found: Finding[] = [];
    const sharedBy = new Map<SharedAnalysis<unknown>, unknown>();
    for (const c of contexts) {
      c.decl = decl;
      c.file = file;
      c.found = found;
      c.sharedBy = sharedBy;
      try {
        c.rule.checkDecl(decl, c);
      } catch (e) {
        // A rule bug must cost its own findings, never the others' or the extension host.
        found.push({ ruleId: 'internal-error', family: c.rule.family, severity: 'hint', range: nodeRange(decl),
          message: `TinyGo Workbench: rule ${c.rule.id} failed here (${e instanceof Error ? e.message : String(e)}); please report it.` });
      }
    }
    return found;
  }
}

/**
 * The kinds of heap-allocation candidate, as one table, and the text scan that finds their nodes.
 *
 * Each kind says what text a function body must contain for it to have a candidate (`trigger`: the pre-filter that
 * lets bodies without any skip the analysis is the union of these), which tokens lead to its nodes and how a token
 * is checked in the tree (`find`), and what judges a node (`judge`, reporting for the rules in `rules`). A new kind is
 * one entry here; the unit test allocCandidates.test.ts holds an example for every kind and checks that the
 * pre-filter passes every body in which the scan finds a candidate.
 *
 * Why a text scan: each kind's nodes start with a keyword or operator, found in the declaration's text by regular
 * expressions built from all the kinds' tokens (`scan`); each occurrence is looked up in the tree (`namedDescendantForIndex`:
 * the tokens are anonymous, so the smallest named node around one is the node it belongs to), and occurrences in
 * strings and comments reach a literal or a comment and are dropped by the type check. A walk of the tree, or a
 * tree-sitter query, measured slower: every node visited crosses into wasm.
 */
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from '../fileFacts';
import { IDENT_PART_CHARS, IDENT_PART_CLASS, isAsciiIdentChar, isIdentChar } from '../syntax';
import type { AllocAnalysis } from './allocAnalysis';
import { shortVarNames } from './allocScope';

export const ALLOC_IDS = {
  escape: 'alloc-escape',
  goroutine: 'alloc-goroutine',
  closure: 'alloc-closure',
  box: 'alloc-interface-box',
  makeNonConst: 'alloc-make-nonconst',
  large: 'alloc-large-object',
  appendLoop: 'alloc-append-loop',
  concatLoop: 'alloc-concat-loop',
  conversion: 'alloc-string-conversion',
  map: 'alloc-map',
} as const;
export type AllocRuleId = typeof ALLOC_IDS[keyof typeof ALLOC_IDS];

/** A token of the scan and how an occurrence of it at offset `i` of the scanned text leads to nodes. */
export interface Finder {
  /** A regular-expression source, matched where the token starts (flags `g`, and `u` when it uses `\p{...}`). */
  readonly token: string;
  /** Checks an occurrence in the tree and records what it leads to (`groups`: the token's own capture groups). */
  readonly locate: (s: Scan, i: number, tok: string, groups: readonly (string | undefined)[]) => void;
}

export interface CandidateKind {
  readonly name: string;
  /** The rules whose findings `judge` may report. */
  readonly rules: readonly AllocRuleId[];
  /**
   * A body without a match of this has no candidate of this kind: a regular-expression source without the `u` flag
   * (which made the pre-filter slower) and without backreferences. It may match more than the tokens do.
   */
  readonly trigger: string;
  /** A further trigger with a backreference (slow at every position): tried only when no `trigger` matched. */
  readonly slowTrigger?: RegExp;
  /** Scanned for only in functions whose text passes this (a cheap test that spares the scan its tokens). */
  readonly scanIf?: (text: string) => boolean;
  readonly find: readonly Finder[];
  /** Also judged when the node is in no function (a package-level func literal is itself a function). */
  readonly outsideFunctions?: boolean;
  readonly judge: (a: AllocAnalysis, n: Node) => void;
}

/** White space and comments between tokens. */
// Each alternative can match in only one way (a line comment runs to the end of its line, a block comment to its
// first `*/`): with overlapping alternatives a line of `//` or of comments made the search exponential.
export const GAP = String.raw`(?:\s|/\*(?:[^*]|\*(?!/))*\*/|//[^\n]*(?:\n|$))*`;

/** fmt/log functions taking `...any`, with the number of leading parameters that are not `any`. */
export const BOXING_FUNCS: Record<string, Record<string, number>> = {
  fmt: {
    Print: 0, Println: 0, Printf: 1, Sprint: 0, Sprintln: 0, Sprintf: 1, Errorf: 1,
    Fprint: 1, Fprintln: 1, Fprintf: 2, Append: 1, Appendln: 1, Appendf: 2,
  },
  log: { Print: 0, Println: 0, Printf: 1, Fatal: 0, Fatalln: 0, Fatalf: 1, Panic: 0, Panicln: 0, Panicf: 1 },
};

/** A call of a builtin the rules follow, up to its `(` (not after a dot: that is a field). */
const BUILTIN_CALL = String.raw`(?<![${IDENT_PART_CHARS}.])(?:make|new|append|string|any)(?!${IDENT_PART_CLASS})${GAP}\(`;
const BOXING_NAMES = [...new Set(Object.values(BOXING_FUNCS).flatMap((t) => Object.keys(t)))].join('|');
/** `.F(` with F one of the fmt/log functions of BOXING_FUNCS (captured: F). */
const BOXING_CALL = String.raw`\.${GAP}(${BOXING_NAMES})(?!${IDENT_PART_CLASS})${GAP}\(`;
const GAP_AT = new RegExp(GAP, 'y');
const GO_KEYWORDS: ReadonlySet<string> = new Set(['break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else',
  'fallthrough', 'for', 'func', 'go', 'goto', 'if', 'import', 'interface', 'map', 'package', 'range', 'return', 'select',
  'struct', 'switch', 'type', 'var']);
/** Element types of the slices whose conversion from a string copies it (see AllocAnalysis.bytesConversion). */
const BYTE_ELEMENTS: ReadonlySet<string> = new Set(['byte', 'uint8', 'rune', 'int32']);

/** A local declaration the resolver records (found by the same scan). */
export type DeclType = 'var_spec' | 'const_spec' | 'range_clause';

interface Found { node: Node; start: number; kind: CandidateKind | DeclType }

/** What the scan of one function (or package-level func literal) found, for AllocAnalysis. */
export class Scan {
  /** Candidates and local declarations, each node once per kind. */
  private readonly found = new Map<number, Found>();
  /** A small number per kind, for the keys of `found`. */
  private readonly keys = new Map<CandidateKind | DeclType, number>();
  /** `:=` offsets (in the file) and the names written before them, when the text tells them for certain. */
  readonly shortVars: { at: number; names: string[] | null }[] = [];
  /** `for` keyword offsets, looked up in the tree only when a loop is asked for. */
  readonly loops: number[] = [];
  /** Func literals, in document order. */
  readonly functions: Node[] = [];
  /** The last specs read (the resolver's finder and LARGE_VAR read the same `var`). */
  private lastSpecs: { id: number; specs: Node[] } | undefined;
  /** The last tree lookup (several finders may look up the same token). */
  private last: { pos: number; end: number; node: Node | null } | undefined;

  constructor(
    readonly root: Node,
    /** The text of `root`, which starts at offset `start` of the file. */
    readonly text: string,
    readonly start: number,
    /** Whether `root` is the declaration itself (its own `func` keyword is no func literal). */
    readonly isDecl: boolean,
    readonly file: FileFacts,
  ) {}

  /** The smallest named node around [pos, end) (file offsets). */
  nodeAt(pos: number, end: number): Node | null {
    const l = this.last;
    if (l && l.pos === pos && l.end === end) return l.node;
    const node = this.root.namedDescendantForIndex(pos, end);
    this.last = { pos, end, node };
    return node;
  }

  /** The node of type `type` starting at `pos` around [pos, pos + len), if any. */
  at(pos: number, len: number, type: string): Node | null {
    const n = this.nodeAt(pos, pos + len);
    return n && n.type === type && n.startIndex === pos ? n : null;
  }

  /** The specs (`var_spec`, `const_spec`) of a declaration, directly or in a parenthesised list. */
  specsOf(d: Node, spec: 'var_spec' | 'const_spec'): Node[] {
    if (this.lastSpecs?.id === d.id) return this.lastSpecs.specs;
    const specs: Node[] = [];
    for (const c of d.namedChildren) {
      if (!c) continue;
      if (c.type === spec) specs.push(c);
      else if (c.type === spec + '_list') for (const e of c.namedChildren) if (e?.type === spec) specs.push(e);
    }
    this.lastSpecs = { id: d.id, specs };
    return specs;
  }

  add(node: Node, kind: CandidateKind | DeclType, start = node.startIndex): void {
    let k = this.keys.get(kind);
    if (k === undefined) { k = this.keys.size; this.keys.set(kind, k); }
    const key = node.id * 32 + k;
    if (!this.found.has(key)) this.found.set(key, { node, start, kind });
  }

  has(node: Node, kind: CandidateKind): boolean {
    const k = this.keys.get(kind);
    return k !== undefined && this.found.has(node.id * 32 + k);
  }

  /** What was found, in document order (at the same start the larger node first: it contains the other). */
  sorted(): Found[] {
    const out = [...this.found.values()];
    out.sort((x, y) => x.start - y.start || y.node.endIndex - x.node.endIndex);
    return out;
  }
}

// ---- helpers of the finders ----------------------------------------------------------------------------------------

/**
 * A finder of the slice or array type starting at a `[`, handed to `found`. Not the start of a type after an operand
 * (`a[i]`, `f()[i]`, `[][]T`, `map[K]`): after a word, only after a keyword (a word with other characters is left to
 * the tree).
 */
function bracketType(found: (s: Scan, t: Node, pos: number) => void): Finder {
  return {
    token: String.raw`\[`,
    locate(s, i) {
      const text = s.text;
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      if (prev === 0x29 /* ) */ || prev === 0x5d /* ] */) return;
      if (isAsciiIdentChar(prev)) {
        let j = i - 1;
        while (j >= 0 && isAsciiIdentChar(text.charCodeAt(j))) j--;
        if (!(j >= 0 && text.charCodeAt(j) >= 0x80) && !GO_KEYWORDS.has(text.slice(j + 1, i))) return;
      }
      const pos = s.start + i;
      const n = s.nodeAt(pos, pos + 1);
      if (n && n.startIndex === pos && (n.type === 'slice_type' || n.type === 'array_type')) found(s, n, pos);
    },
  };
}

/**
 * A finder of the node of `type` that starts with `keyword`, handed to `found`. (At offset 0 of the declaration
 * itself the keyword is its own `func`, no node of the body.)
 */
function keyword(word: string, type: string, found: (s: Scan, n: Node, pos: number) => void): Finder {
  return {
    token: String.raw`\b${word}\b`,
    locate(s, i) {
      if (i === 0 && s.isDecl) return;
      const n = s.at(s.start + i, word.length, type);
      if (n) found(s, n, s.start + i);
    },
  };
}

/** The composite literal whose type is `t` (starting at `pos`), if any: a COMPOSITE candidate. */
function literalOf(s: Scan, t: Node, pos: number): void {
  const p = t.parent;
  if (p?.type === 'composite_literal' && p.startIndex === pos) s.add(p, COMPOSITE);
}

/** The conversion to `t` (starting at `pos`), if any, when it may copy: to an interface, []byte or []rune. */
function conversionTo(s: Scan, t: Node, pos: number): void {
  if (t.type === 'array_type') return;
  const c = conversionOf(t, pos);
  if (c && (t.type !== 'slice_type' || BYTE_ELEMENTS.has(t.childForFieldName('element')?.text ?? ''))) s.add(c, CONVERSION);
}

/** The conversion whose type is `t` (starting at `pos`), through parentheses, if any. */
function conversionOf(t: Node, pos: number): Node | null {
  let cur = t;
  let p = t.parent;
  while (p?.type === 'parenthesized_type') { cur = p; p = p.parent; }
  return p?.type === 'type_conversion_expression' && p.startIndex === (cur === t ? pos : cur.startIndex) ? p : null;
}

/** The call of a builtin or fmt/log function whose name starts at `at` and whose `(` is at `paren` (file offsets). */
function callAt(s: Scan, at: number, paren: number, builtin: boolean): Node | null {
  const call = s.nodeAt(at, paren + 1);
  if (!call || call.startIndex !== at || call.type !== 'call_expression') return null;
  const fn = call.childForFieldName('function');
  if (builtin ? fn?.type !== 'identifier' : fn?.type !== 'selector_expression' || fn.childForFieldName('operand')?.type !== 'identifier') return null;
  return call;
}

/**
 * The `.F(` of a fmt/log call at `i` (F: `field`): the offset of its operand (the identifier before the dot) when
 * that names the fmt or log package and F is one of its boxing functions.
 */
function boxingOperandAt(s: Scan, i: number, field: string): number | undefined {
  const text = s.text;
  let operand: string;
  let at: number;
  let j = i - 1;
  while (j >= 0 && /[ \t\r\n]/.test(text[j] as string)) j--;
  const end = j + 1;
  while (j >= 0 && isIdentChar(text.charCodeAt(j))) j--;
  const c = j >= 0 ? text.charCodeAt(j) : 0;
  if (c === 0x2f /* / */ || (c >= 0xd800 && c <= 0xdfff)) {
    // A comment before the dot, or a character the scan cannot judge: ask the tree.
    GAP_AT.lastIndex = i + 1;
    GAP_AT.exec(text);
    const fieldAt = s.start + GAP_AT.lastIndex;
    const sel = s.nodeAt(fieldAt, fieldAt + field.length)?.parent;
    const op = sel?.type === 'selector_expression' ? sel.childForFieldName('operand') : null;
    if (op?.type !== 'identifier') return undefined;
    operand = op.text;
    at = op.startIndex;
  } else {
    if (end <= j + 1 || !isIdentChar(text.charCodeAt(j + 1), true)) return undefined;
    operand = text.slice(j + 1, end);
    at = s.start + j + 1;
  }
  // The package is a read of the file facts, recorded for the memo: only for the fmt/log function names.
  const pkg = s.file.importByLocal.get(operand);
  const table = pkg ? BOXING_FUNCS[pkg] : undefined;
  return table && table[field] !== undefined ? at : undefined;
}

/** The assignment whose `=` (or `op=`) ends at offset `e` of the file, if it is `s += x` or `s = ... + ...`. */
function concatAssignment(s: Scan, e: number, kind: CandidateKind): void {
  const n = s.nodeAt(e, e + 1);
  if (n?.type !== 'assignment_statement' || s.has(n, kind)) return;
  // A `+` in the statement's text first.
  const off = n.startIndex - s.start;
  const plus = s.text.indexOf('+', off);
  if (plus < 0 || plus >= n.endIndex - s.start) return;
  if (n.childForFieldName('operator')?.type === '+=') { s.add(n, kind); return; }
  const right = n.childForFieldName('right');
  if (right?.type === 'expression_list' &&
    right.namedChildren.some((x) => x?.type === 'binary_expression' && x.childForFieldName('operator')?.type === '+')) s.add(n, kind);
}

// ---- the kinds -----------------------------------------------------------------------------------------------------

const ADDRESS: CandidateKind = {
  name: 'address-of',
  rules: [ALLOC_IDS.escape],
  // A `&` that may be the address-of operator: an odd run of `&`s not followed by `=` or `^`.
  trigger: String.raw`(?<!&)(?:&&)*&(?![&=^])`,
  find: [{
    token: '&+',
    locate(s, i, tok) {
      // A run of `&`s: the lexer pairs them from the left; an odd run ends in an address-of unless `&=`, `&^`.
      const after = s.text.charCodeAt(i + tok.length);
      if (tok.length % 2 === 0 || after === 0x3d /* = */ || after === 0x5e /* ^ */) return;
      const p = s.start + i + tok.length - 1;
      const n = s.at(p, 1, 'unary_expression');
      if (n) s.add(n, ADDRESS, p);
    },
  }],
  judge: (a, n) => a.address(n),
};

const BUILTIN: CandidateKind = {
  name: 'builtin call (make, new, append, string, any)',
  rules: [ALLOC_IDS.map, ALLOC_IDS.makeNonConst, ALLOC_IDS.large, ALLOC_IDS.escape, ALLOC_IDS.appendLoop, ALLOC_IDS.conversion, ALLOC_IDS.box],
  // The token without its look-arounds (which make the pre-filter try it at every position): a little wider.
  trigger: String.raw`\b(?:make|new|append|string|any)${GAP}\(`,
  find: [{
    token: BUILTIN_CALL,
    locate(s, i, tok) {
      const at = s.start + i;
      const call = callAt(s, at, at + tok.length - 1, true);
      if (call) s.add(call, BUILTIN, at);
    },
  }],
  judge: (a, n) => a.builtinCall(n),
};

const BOXING_CALLS: CandidateKind = {
  name: 'fmt/log call with ...any parameters',
  rules: [ALLOC_IDS.box],
  trigger: String.raw`\.${GAP}(?:${BOXING_NAMES})${GAP}\(`,
  find: [{
    token: BOXING_CALL,
    locate(s, i, tok, groups) {
      const at = boxingOperandAt(s, i, groups[0] as string);
      if (at === undefined) return;
      const call = callAt(s, at, s.start + i + tok.length - 1, false);
      if (call) s.add(call, BOXING_CALLS, at);
    },
  }],
  judge: (a, n) => a.pkgCall(n),
};

const CONVERSION: CandidateKind = {
  name: 'conversion to []byte/[]rune or to an interface type',
  rules: [ALLOC_IDS.conversion, ALLOC_IDS.box],
  // `[]byte(`, also through parentheses (`([]byte)(s)`), and `interface{...}(`.
  trigger: String.raw`\[${GAP}\]${GAP}(?:byte|uint8|rune|int32)(?:${GAP}\))*${GAP}\(|\binterface${GAP}\{`,
  find: [bracketType(conversionTo), keyword('interface', 'interface_type', conversionTo)],
  judge: (a, n) => a.conversion(n),
};

const COMPOSITE: CandidateKind = {
  name: 'composite literal of a map, array or slice type',
  rules: [ALLOC_IDS.map, ALLOC_IDS.large, ALLOC_IDS.escape],
  // `map[`, or a `]` followed on its line by a type (words, `.`, `*`, brackets, `<-`) and the literal's `{`. Not
  // across lines: a line ending in `]` ends its statement, and in a body of `x := a[0]`, comments and `for {` lines
  // (generated rewrite rules) a trigger across them would send every body to the scan.
  trigger: String.raw`\bmap${GAP}\[|\](?:[ \t]*(?:[\w.*\[\]\u0080-\uffff]|<-))+[ \t]*\{`,
  find: [bracketType(literalOf), keyword('map', 'map_type', literalOf)],
  judge: (a, n) => a.compositeLiteral(n),
};

const LARGE_VAR: CandidateKind = {
  name: 'local variable of an array type',
  rules: [ALLOC_IDS.large],
  trigger: String.raw`\bvar\b`,
  find: [keyword('var', 'var_declaration', (s, d) => {
    for (const spec of s.specsOf(d, 'var_spec')) if (spec.childForFieldName('type')?.type === 'array_type') s.add(spec, LARGE_VAR);
  })],
  judge: (a, n) => a.largeVar(n),
};

const GO: CandidateKind = {
  name: 'go statement',
  rules: [ALLOC_IDS.goroutine],
  trigger: String.raw`\bgo\b`,
  find: [keyword('go', 'go_statement', (s, n) => s.add(n, GO))],
  judge: (a, n) => a.goStatement(n),
};

const FUNC_LITERAL: CandidateKind = {
  name: 'func literal',
  rules: [ALLOC_IDS.closure],
  trigger: String.raw`\bfunc\b`,
  find: [keyword('func', 'func_literal', (s, n) => s.add(n, FUNC_LITERAL))],
  outsideFunctions: true,
  judge: (a, n) => a.funcLiteral(n),
};

const CONCAT: CandidateKind = {
  name: 'string concatenation assignment',
  rules: [ALLOC_IDS.concatLoop],
  trigger: String.raw`\+=`,
  // `s = s + ...`, `s = ... + s`.
  slowTrigger: /(\b\w+)\s*=\s*(?:\1\s*\+|[^\n;]*\+\s*\1\b)/,
  // Concatenation counts only in loops.
  scanIf: (text) => text.includes('+') && /\bfor\b/.test(text),
  find: [{
    // The `=` of an assignment: not part of `==`, `!=`, `<=`, `>=`, `:=`; `<<=` and `>>=` matched whole.
    token: String.raw`(?:<<|>>)=|(?<![=!<>:])=(?!=)`,
    locate(s, i, tok) { concatAssignment(s, s.start + i + tok.length - 1, CONCAT); },
  }],
  judge: (a, n) => a.concat(n),
};

/** Every kind of allocation candidate. */
export const ALLOC_KINDS: readonly CandidateKind[] = [ADDRESS, BUILTIN, BOXING_CALLS, CONVERSION, COMPOSITE, LARGE_VAR, GO, FUNC_LITERAL, CONCAT];

/**
 * What the resolver needs from the same scan: local declarations (`:=` read from the text, var and const specs,
 * range clauses), loops and func literals (the functions a node may be in).
 */
const SCOPE_FINDERS: readonly Finder[] = [
  { token: ':=', locate(s, i) { s.shortVars.push({ at: s.start + i, names: shortVarNames(s.text, i) }); } },
  keyword('var', 'var_declaration', (s, d) => { for (const spec of s.specsOf(d, 'var_spec')) s.add(spec, 'var_spec'); }),
  keyword('const', 'const_declaration', (s, d) => { for (const spec of s.specsOf(d, 'const_spec')) s.add(spec, 'const_spec'); }),
  {
    token: String.raw`\brange\b`,
    locate(s, i) { const n = s.nodeAt(s.start + i, s.start + i + 5); if (n?.type === 'range_clause') s.add(n, 'range_clause'); },
  },
  { token: String.raw`\bfor\b`, locate(s, i) { s.loops.push(s.start + i); } },
  keyword('func', 'func_literal', (s, n) => { s.functions.push(n); }),
];

// ---- the pre-filter and the scan -----------------------------------------------------------------------------------

const PREFILTER = new RegExp(ALLOC_KINDS.map((k) => k.trigger).join('|'));
const SLOW_TRIGGERS = ALLOC_KINDS.flatMap((k) => (k.slowTrigger ? [k.slowTrigger] : []));

/** Whether a function body may contain a candidate of any kind: false lets it skip the analysis. */
export function allocPrefilter(body: string): boolean {
  return PREFILTER.test(body) || SLOW_TRIGGERS.some((re) => re.test(body));
}

/** The tokens of the scan: one alternative per distinct token, with the finders it leads to and its group offset. */
interface Alternative { token: string; finders: Finder[]; group: number; groups: number }
interface Scanner { re: RegExp; alternatives: Alternative[] }

function groupCount(source: string): number {
  return (new RegExp(`${source}|`, 'u').exec('') as RegExpExecArray).length - 1;
}

/**
 * The scanners for a set of kinds (a bit per kind whose `scanIf` passed): one regular expression for the tokens that
 * need the `u` flag and one for the others (together they measured twice as slow). What they find is sorted
 * afterwards (Scan.sorted); the resolver's tokens are all in the second, so they stay in text order.
 */
const scanners = new Map<number, Scanner[]>();

function scannersFor(mask: number): Scanner[] {
  let sc = scanners.get(mask);
  if (sc) return sc;
  const byToken = new Map<string, Finder[]>();
  const finders = [...SCOPE_FINDERS, ...ALLOC_KINDS.flatMap((k, b) => (!k.scanIf || mask & (1 << b) ? k.find : []))];
  for (const f of finders) {
    const list = byToken.get(f.token);
    if (list) list.push(f); else byToken.set(f.token, [f]);
  }
  sc = [true, false].map((unicode) => {
    const alternatives: Alternative[] = [];
    let group = 1;
    for (const [token, fs] of byToken) {
      if (token.includes('\\p{') !== unicode) continue;
      const groups = groupCount(token);
      alternatives.push({ token, finders: fs, group, groups });
      group += groups + 1;
    }
    return { re: new RegExp(alternatives.map((a) => `(${a.token})`).join('|'), unicode ? 'gu' : 'g'), alternatives };
  });
  scanners.set(mask, sc);
  return sc;
}

/** Every token of every kind (and of the resolver) in `s.text`, each handed to its finders. */
export function scan(s: Scan): Scan {
  let mask = 0;
  ALLOC_KINDS.forEach((k, b) => { if (k.scanIf?.(s.text)) mask |= 1 << b; });
  const text = s.text;
  for (const { re, alternatives } of scannersFor(mask)) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      let alt = alternatives[0] as Alternative;
      for (const a of alternatives) if (m[a.group] !== undefined) { alt = a; break; }
      const groups = alt.groups > 0 ? m.slice(alt.group + 1, alt.group + 1 + alt.groups) : NO_GROUPS;
      for (const f of alt.finders) f.locate(s, m.index, m[0], groups);
    }
  }
  return s;
}

const NO_GROUPS: readonly (string | undefined)[] = [];

/**
 * Syntax-only knowledge the alloc rules need: which names are locals of which function, simple types of locals
 * (from their declared type or their initialiser), constant values, and byte sizes of types TinyGo would allocate.
 * Everything here is an approximation that errs on the side of "unknown": callers report only what is known.
 */
import type { Node } from 'web-tree-sitter';
import type { FileFacts } from '../fileFacts';
import { IDENT_PART_CLASS, IDENT_START_CLASS, isAsciiIdentChar } from '../syntax';

export type DeclKind = 'param' | 'var' | 'const' | 'range' | 'other';

export interface LocalDecl {
  readonly name: string;
  readonly kind: DeclKind;
  /** Offset from which the declaration is visible (a rough scope: blocks are not modelled). */
  readonly start: number;
  readonly node: Node;
  readonly type: Node | null;
  readonly value: Node | null;
  readonly scope: FuncScope;
}

/**
 * `a, b := x, y` (the commonest declaration): the name is read from the text; where it becomes visible and its value
 * are read from the tree only when a lookup of that name needs them.
 */
class ShortVarDecl implements LocalDecl {
  readonly kind = 'var';
  readonly type = null;
  private startIndex = -1;
  private valueNode: Node | null | undefined;
  constructor(readonly name: string, readonly node: Node, readonly scope: FuncScope, private readonly index: number, private readonly count: number) {}
  get start(): number {
    if (this.startIndex < 0) this.startIndex = this.node.endIndex;
    return this.startIndex;
  }
  get value(): Node | null {
    if (this.valueNode === undefined) {
      const right = this.node.childForFieldName('right')?.namedChildren ?? [];
      this.valueNode = this.count === right.length ? right[this.index] ?? null : null;
    }
    return this.valueNode;
  }
}

interface DeclSite { readonly node: Node; readonly type: string; done: boolean }

/**
 * The names a var spec, const spec or range clause starting at `off` of `src` declares, read from the text (`a, b`
 * before the type, `=` or `:=`): [] for a range clause that declares nothing, null when the text cannot tell for
 * certain (comments, non-ASCII names, anything unexpected).
 */
export function declNames(src: string, off: number, type: string): string[] | null {
  let j = off;
  if (type === 'range_clause' && src.startsWith('range', j) && !isAsciiIdentChar(src.charCodeAt(j + 5))) return [];
  if (type !== 'range_clause' && type !== 'var_spec' && type !== 'const_spec') return null;
  const names: string[] = [];
  for (;;) {
    const s = j;
    while (j < src.length && isAsciiIdentChar(src.charCodeAt(j))) j++;
    const c0 = src.charCodeAt(s);
    if (j === s || (c0 >= 0x30 && c0 <= 0x39) || src.charCodeAt(j) >= 0x80) return null;
    names.push(src.slice(s, j));
    let nl = false;
    while (j < src.length && WS(src.charCodeAt(j))) { if (src.charCodeAt(j) === 0x0a) nl = true; j++; }
    if (j >= src.length) return null;
    const c = src.charCodeAt(j);
    if (c === 0x2c /* , */) {
      j++;
      while (j < src.length && WS(src.charCodeAt(j))) j++;
      continue;
    }
    if (c === 0x2f /* / */ || c >= 0x80) return null;
    if (type === 'range_clause') {
      if (c === 0x3a /* : */ && src.charCodeAt(j + 1) === 0x3d /* = */) return names;
      return c === 0x3d /* = */ && src.charCodeAt(j + 1) !== 0x3d ? [] : null;
    }
    if (type === 'var_spec') return nl ? null : names;
    return names;
  }
}

interface ShortSite { readonly root: Node; readonly at: number; done: boolean }

const WS = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
/** Keywords a short variable declaration may follow on the same line (`if x := ...`). */
const BEFORE_SHORT_VAR: ReadonlySet<string> = new Set(['if', 'for', 'switch']);

/**
 * The names written before the `:=` at `i` of `text` (`a, b :=`), or null when the text cannot tell for certain that
 * they are all the names the declaration has (comments, non-ASCII or other expressions in the way).
 */
export function shortVarNames(text: string, i: number): string[] | null {
  const names: string[] = [];
  let j = i - 1;
  for (;;) {
    let nl = false;
    while (j >= 0 && WS(text.charCodeAt(j))) { if (text.charCodeAt(j) === 0x0a) nl = true; j--; }
    if (names.length > 0) {
      const c = j >= 0 ? text.charCodeAt(j) : -1;
      if (c === 0x2c /* , */) { j--; continue; }
      // The start of the statement: a line break after a token that ends a statement, `;`, a brace, or a keyword.
      if (c < 0 || c === 0x3b /* ; */ || c === 0x7b /* { */ || c === 0x7d /* } */) return names;
      if (nl && (isAsciiIdentChar(c) || c === 0x29 /* ) */ || c === 0x5d /* ] */ || c === 0x22 /* " */ || c === 0x60 /* ` */ || c === 0x27 /* ' */)) return names;
      if (!nl && isAsciiIdentChar(c)) {
        let k = j;
        while (k >= 0 && isAsciiIdentChar(text.charCodeAt(k))) k--;
        const w = text.slice(k + 1, j + 1);
        if (BEFORE_SHORT_VAR.has(w) && (k < 0 || !(text.charCodeAt(k) >= 0x80))) return names;
      }
      return null;
    }
    // An identifier (ASCII only; anything else: not certain).
    const end = j + 1;
    while (j >= 0 && isAsciiIdentChar(text.charCodeAt(j))) j--;
    if (j + 1 === end) return null;
    const c0 = text.charCodeAt(j + 1);
    if (c0 >= 0x30 && c0 <= 0x39) return null;
    if (j >= 0 && text.charCodeAt(j) >= 0x80) return null;
    names.push(text.slice(j + 1, end));
  }
}

/** `a, b :=` at the start of a short variable declaration, with nothing but white space between (captured: the names). */
const IDENT = `${IDENT_START_CLASS}${IDENT_PART_CLASS}*`;
const SHORT_VAR_LEFT = new RegExp(String.raw`(${IDENT}(?:\s*,\s*${IDENT})*)\s*:=`, 'uy');

export class FuncScope {
  readonly locals = new Map<string, LocalDecl[]>();
  readonly start: number;
  readonly end: number;
  constructor(readonly node: Node, readonly parent: FuncScope | null) {
    this.start = node.startIndex;
    this.end = node.endIndex;
  }

  add(nameNode: Node | null, kind: DeclKind, start: number, node: Node, type: Node | null, value: Node | null): void {
    if (!nameNode || nameNode.text === '_') return;
    this.push({ name: nameNode.text, kind, start, node, type, value, scope: this });
  }

  push(d: LocalDecl): void {
    let list = this.locals.get(d.name);
    if (!list) { list = []; this.locals.set(d.name, list); }
    list.push(d);
  }
}

/** A type as far as it is known: the normalised source text, and the type node when there is one. */
export interface TypeDesc { text: string; node?: Node }

const BASIC_SIZES: Record<string, number | 'ptr' | '2ptr'> = {
  bool: 1, int8: 1, uint8: 1, byte: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, rune: 4, float32: 4,
  int64: 8, uint64: 8, float64: 8, complex64: 8, complex128: 16,
  int: 'ptr', uint: 'ptr', uintptr: 'ptr', string: '2ptr', error: '2ptr', any: '2ptr',
};
/** Named types of the standard library whose size the rules know (time.Duration is an int64). */
const KNOWN_SIZES: Record<string, number> = { 'time.Duration': 8 };
export const BASIC_TYPE_NAMES: ReadonlySet<string> = new Set(Object.keys(BASIC_SIZES));

/**
 * Per-declaration resolver: scopes of every function in the declaration, filled lazily from the local declarations
 * and func literals the text scan found (allocCandidates.ts).
 */
export class Resolver {
  private readonly scopes = new Map<number, FuncScope>();

  /** Local declaration nodes (and their types) not yet recorded: recorded on the first lookup. */
  private pending: { node: Node; type: string }[] = [];

  /** The source text of the declaration being analysed, and its offset in the file. */
  private src: string | undefined;
  private base = 0;

  constructor(readonly file: FileFacts, readonly pointerSize: number) {}

  setSource(src: string, base: number): void {
    this.src = src;
    this.base = base;
  }

  /** The local declarations (short var, var spec, const spec, range clause) of the declaration's functions. */
  addDecls(decls: readonly { node: Node; type: string; off: number }[]): void {
    for (const d of decls) {
      // Recorded on the first lookup of a name they declare (the names read from the text), or of any name when
      // the text does not tell the names for certain.
      const names = this.src === undefined ? null : declNames(this.src, d.off, d.type);
      if (!names) { this.pending.push(d); continue; }
      const site: DeclSite = { node: d.node, type: d.type, done: false };
      this.declAll.push(site);
      for (const name of names) {
        let list = this.declByName.get(name);
        if (!list) { list = []; this.declByName.set(name, list); }
        list.push(site);
      }
    }
  }

  private readonly declByName = new Map<string, DeclSite[]>();
  private readonly declAll: DeclSite[] = [];

  private addDeclSite(site: DeclSite): void {
    if (site.done) return;
    site.done = true;
    this.addDecl(site.node, site.type);
  }

  /** The outermost function of the declaration containing `n`. */
  outermostFunction(n: Node): Node | null {
    let fn = this.enclosingFunction(n);
    for (let up = fn; up; up = this.enclosingFunction(up)) fn = up;
    return fn;
  }

  private ensureDecls(): void {
    if (this.pending.length > 0) {
      const nodes = this.pending;
      this.pending = [];
      for (const d of nodes) this.addDecl(d.node, d.type);
    }
    if (this.shortUnknown.length > 0) {
      const sites = this.shortUnknown;
      this.shortUnknown = [];
      for (const site of sites) this.addShortSite(site);
    }
  }

  /**
   * The `:=` of the declaration's functions, read lazily: a short variable declaration is looked up in the tree only
   * when a name it may declare is looked up (the names written before its `:=`, when the text tells them for certain;
   * the others on the first lookup of any name).
   */
  private readonly shortByName = new Map<string, ShortSite[]>();
  private shortUnknown: ShortSite[] = [];
  private readonly shortAll: ShortSite[] = [];

  /** A `:=` at `at` (an offset in the file) inside `root`, declaring `names` if known. */
  addShortVar(root: Node, at: number, names: readonly string[] | null): void {
    const site: ShortSite = { root, at, done: false };
    this.shortAll.push(site);
    if (!names) { this.shortUnknown.push(site); return; }
    for (const name of names) {
      let list = this.shortByName.get(name);
      if (!list) { list = []; this.shortByName.set(name, list); }
      list.push(site);
    }
  }

  private addShortSite(site: ShortSite): void {
    if (site.done) return;
    site.done = true;
    const n = site.root.namedDescendantForIndex(site.at, site.at + 2);
    if (n?.type === 'short_var_declaration') this.addDecl(n, 'short_var_declaration');
  }

  private ensureName(name: string): void {
    this.ensureDecls();
    const decls = this.declByName.get(name);
    if (decls) {
      this.declByName.delete(name);
      for (const site of decls) this.addDeclSite(site);
    }
    const sites = this.shortByName.get(name);
    if (!sites) return;
    this.shortByName.delete(name);
    for (const site of sites) this.addShortSite(site);
  }

  private ensureAll(): void {
    this.ensureDecls();
    if (this.declByName.size > 0) {
      this.declByName.clear();
      for (const site of this.declAll) this.addDeclSite(site);
    }
    if (this.shortByName.size === 0) return;
    this.shortByName.clear();
    for (const site of this.shortAll) this.addShortSite(site);
  }

  /** The scope of a function node, created (with its parameters) on first use. */
  scopeFor(fn: Node): FuncScope {
    let s = this.scopes.get(fn.id);
    if (s) return s;
    const outer = this.enclosingFunction(fn);
    s = new FuncScope(fn, outer ? this.scopeFor(outer) : null);
    this.scopes.set(fn.id, s);
    for (const field of ['receiver', 'parameters', 'result']) {
      const list = fn.childForFieldName(field);
      if (!list || list.type !== 'parameter_list') continue;
      for (const p of list.namedChildren) {
        if (!p || (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration')) continue;
        let type = p.childForFieldName('type');
        if (p.type === 'variadic_parameter_declaration') type = null; // a slice of the written type
        for (const n of p.childrenForFieldName('name')) s.add(n, 'param', fn.startIndex, p, type, null);
      }
    }
    return s;
  }

  /**
   * Functions of the declaration, in document order: registered from the scan before any lookup, so that the
   * enclosing function of a node is found by range containment instead of a walk up the tree.
   */
  private readonly funcs: { node: Node; start: number; end: number }[] = [];

  registerFunction(fn: Node): void {
    this.funcs.push({ node: fn, start: fn.startIndex, end: fn.endIndex });
  }

  enclosingFunction(n: Node): Node | null {
    const start = n.startIndex;
    let end = -1; // read only when the start alone cannot tell
    for (let i = this.funcs.length - 1; i >= 0; i--) {
      const f = this.funcs[i];
      if (!f || f.start > start) continue;
      // Starting strictly inside f: a descendant of f (syntax nodes nest or are disjoint).
      if (f.start < start && start < f.end) return f.node;
      if (end < 0) end = n.endIndex;
      if (end <= f.end && f.node.id !== n.id) return f.node;
    }
    return null;
  }

  /** Names of the locals (parameters included) of the functions around `fn`, not counting fn itself. */
  namesAround(fn: Node): Set<string> {
    this.ensureAll();
    const out = new Set<string>();
    for (let s = this.scopeOf(fn); s; s = s.parent) for (const k of s.locals.keys()) out.add(k);
    return out;
  }

  scopeOf(n: Node): FuncScope | null {
    const fn = this.enclosingFunction(n);
    return fn ? this.scopeFor(fn) : null;
  }

  /** Records a local declaration node (short var, var spec, const spec, range clause). */
  private addDecl(n: Node, nodeType: string): void {
    const scope = this.scopeOf(n);
    if (!scope) return;
    if (nodeType === 'short_var_declaration' && this.src !== undefined) {
      SHORT_VAR_LEFT.lastIndex = n.startIndex - this.base;
      const m = SHORT_VAR_LEFT.exec(this.src);
      if (m) {
        const names = (m[1] as string).split(/\s*,\s*/);
        names.forEach((name, i) => { if (name !== '_') scope.push(new ShortVarDecl(name, n, scope, i, names.length)); });
        return;
      }
    }
    const start = n.endIndex;
    if (nodeType === 'short_var_declaration') {
      const left = n.childForFieldName('left')?.namedChildren ?? [];
      const right = n.childForFieldName('right')?.namedChildren ?? [];
      left.forEach((l, i) => { if (l?.type === 'identifier') scope.add(l, 'var', start, n, null, left.length === right.length ? right[i] ?? null : null); });
    } else if (nodeType === 'var_spec' || nodeType === 'const_spec') {
      const values = n.childForFieldName('value')?.namedChildren ?? [];
      const type = n.childForFieldName('type');
      const names = n.childrenForFieldName('name');
      names.forEach((l, i) => scope.add(l, nodeType === 'var_spec' ? 'var' : 'const', start, n, type,
        names.length === values.length ? values[i] ?? null : null));
    } else if (nodeType === 'range_clause') {
      if (!n.children.some((c) => c?.type === ':=')) return;
      for (const l of n.childForFieldName('left')?.namedChildren ?? []) if (l?.type === 'identifier') scope.add(l, 'range', start, n, null, null);
    }
  }

  /** The local declaration `name` refers to at `at`, or undefined for package-level and unknown names. */
  lookup(name: string, at: Node, atIndex = at.startIndex): LocalDecl | undefined {
    this.ensureName(name);
    for (let s = this.scopeOf(at); s; s = s.parent) {
      const list = s.locals.get(name);
      if (!list) continue;
      let best: LocalDecl | undefined;
      for (const d of list) if (d.start <= atIndex && (!best || d.start >= best.start)) best = d;
      // A parameter is visible in the whole body; a later local declaration still shadows nothing before it.
      if (best) return best;
    }
    return undefined;
  }

  isPackageVar(id: Node): boolean {
    return this.file.packageVars.has(id.text) && !this.lookup(id.text, id);
  }

  // ---- constants ---------------------------------------------------------------------------------------------

  isConst(n: Node | null, depth = 0): boolean {
    if (!n || depth > 12) return false;
    switch (n.type) {
      case 'int_literal': case 'float_literal': case 'imaginary_literal': case 'rune_literal':
      case 'interpreted_string_literal': case 'raw_string_literal': case 'true': case 'false': case 'nil': case 'iota':
        return true;
      case 'identifier': {
        const d = this.lookup(n.text, n);
        if (d) return d.kind === 'const';
        return this.file.packageConsts.has(n.text) || n.text === 'true' || n.text === 'false' || n.text === 'nil';
      }
      case 'parenthesized_expression':
        return this.isConst(n.namedChildren[0] ?? null, depth + 1);
      case 'unary_expression': {
        const op = n.childForFieldName('operator')?.text;
        return (op === '-' || op === '+' || op === '!' || op === '^') && this.isConst(n.childForFieldName('operand'), depth + 1);
      }
      case 'binary_expression':
        return this.isConst(n.childForFieldName('left'), depth + 1) && this.isConst(n.childForFieldName('right'), depth + 1);
      case 'call_expression': {
        // Conversions of constants to basic types (`int64(5)`, `byte('a')`) and len of a constant string.
        const fn = n.childForFieldName('function');
        const args = n.childForFieldName('arguments')?.namedChildren ?? [];
        if (fn?.type !== 'identifier' || args.length !== 1) return false;
        if (BASIC_TYPE_NAMES.has(fn.text) && !this.lookup(fn.text, n)) return this.isConst(args[0] ?? null, depth + 1);
        if (fn.text === 'len' && !this.lookup(fn.text, n)) return !!this.constString(args[0] ?? null, depth + 1);
        return false;
      }
      default:
        return false;
    }
  }

  /** The integer value of a constant expression, when it can be computed from the source. */
  constValue(n: Node | null, depth = 0): number | undefined {
    if (!n || depth > 12) return undefined;
    // Memoised per node and depth: constants defined from other constants would otherwise be re-evaluated along
    // every path (the depth is part of the key, as the result can depend on where the depth limit cuts).
    const key = n.id * 16 + depth;
    if (this.constValues.has(key)) return this.constValues.get(key);
    const v = this.constValueOf(n, depth);
    this.constValues.set(key, v);
    return v;
  }

  private readonly constValues = new Map<number, number | undefined>();

  private constValueOf(n: Node, depth: number): number | undefined {
    switch (n.type) {
      case 'int_literal': return parseGoInt(n.text);
      case 'rune_literal': {
        const body = n.text.slice(1, -1);
        return body.length === 1 ? body.charCodeAt(0) : undefined;
      }
      case 'parenthesized_expression': return this.constValue(n.namedChildren[0] ?? null, depth + 1);
      case 'identifier': {
        const d = this.lookup(n.text, n);
        if (d) return d.kind === 'const' ? this.constValue(d.value, depth + 1) : undefined;
        return this.constValue(this.file.packageConsts.get(n.text) ?? null, depth + 1);
      }
      case 'unary_expression': {
        const v = this.constValue(n.childForFieldName('operand'), depth + 1);
        const op = n.childForFieldName('operator')?.text;
        if (v === undefined) return undefined;
        return op === '-' ? -v : op === '+' ? v : undefined;
      }
      case 'binary_expression': {
        const a = this.constValue(n.childForFieldName('left'), depth + 1);
        const b = this.constValue(n.childForFieldName('right'), depth + 1);
        if (a === undefined || b === undefined) return undefined;
        switch (n.childForFieldName('operator')?.text) {
          case '+': return a + b;
          case '-': return a - b;
          case '*': return a * b;
          case '/': return b === 0 ? undefined : Math.trunc(a / b);
          case '%': return b === 0 ? undefined : a % b;
          case '<<': return b < 0 || b > 52 ? undefined : a * 2 ** b;
          case '>>': return b < 0 ? undefined : Math.floor(a / 2 ** b);
          case '|': return a <= 0x7fffffff && b <= 0x7fffffff ? a | b : undefined;
          case '&': return a <= 0x7fffffff && b <= 0x7fffffff ? a & b : undefined;
          default: return undefined;
        }
      }
      case 'call_expression': {
        const fn = n.childForFieldName('function');
        const arg = n.childForFieldName('arguments')?.namedChildren[0] ?? null;
        if (fn?.type === 'identifier' && BASIC_TYPE_NAMES.has(fn.text)) return this.constValue(arg, depth + 1);
        const lit = fn?.text === 'len' && !this.lookup(fn.text, n) ? this.constString(arg, depth + 1) : undefined;
        if (lit) {
          const body = lit.text.slice(1, -1);
          return /^[\x00-\x7f]*$/.test(body) && (lit.type === 'raw_string_literal' || !body.includes('\\')) ? body.length : undefined;
        }
        return undefined;
      }
      default: return undefined;
    }
  }

  /**
   * The string literal a constant expression stands for: a literal, or a constant (local or package-level) defined
   * as one (`const message = "..."`; `len(message)` is then a constant, as in Go).
   */
  private constString(n: Node | null, depth: number): Node | undefined {
    if (!n || depth > 12) return undefined;
    if (n.type === 'interpreted_string_literal' || n.type === 'raw_string_literal') return n;
    if (n.type === 'parenthesized_expression') return this.constString(n.namedChildren[0] ?? null, depth + 1);
    if (n.type !== 'identifier') return undefined;
    const d = this.lookup(n.text, n);
    if (d) return d.kind === 'const' ? this.constString(d.value, depth + 1) : undefined;
    return this.constString(this.file.packageConsts.get(n.text) ?? null, depth + 1);
  }

  // ---- types -------------------------------------------------------------------------------------------------

  /** The type of an expression, as far as syntax tells. */
  typeOf(n: Node | null, depth = 0): TypeDesc | undefined {
    if (!n || depth > 8) return undefined;
    switch (n.type) {
      case 'int_literal': return { text: 'int' };
      case 'float_literal': return { text: 'float64' };
      case 'imaginary_literal': return { text: 'complex128' };
      case 'rune_literal': return { text: 'rune' };
      case 'interpreted_string_literal': case 'raw_string_literal': return { text: 'string' };
      case 'true': case 'false': return { text: 'bool' };
      case 'nil': return { text: 'nil' };
      case 'iota': return { text: 'int' };
      case 'func_literal': return { text: 'func' };
      case 'parenthesized_expression': return this.typeOf(n.namedChildren[0] ?? null, depth + 1);
      case 'composite_literal': return typeDesc(n.childForFieldName('type'));
      case 'type_conversion_expression': case 'type_assertion_expression': return typeDesc(n.childForFieldName('type'));
      case 'identifier': {
        const d = this.lookup(n.text, n);
        if (d) {
          if (d.type) return typeDesc(d.type);
          if (d.node.type === 'variadic_parameter_declaration') return { text: '[]' + norm(d.node.childForFieldName('type')?.text ?? '?') };
          return this.typeOf(d.value, depth + 1);
        }
        const c = this.file.packageConsts.get(n.text);
        if (c) return this.typeOf(c, depth + 1);
        return undefined;
      }
      case 'unary_expression': {
        const op = n.childForFieldName('operator')?.text;
        const inner = this.typeOf(n.childForFieldName('operand'), depth + 1);
        if (op === '&') return { text: '*' + (inner?.text ?? '?') };
        if (op === '!') return { text: 'bool' };
        if (op === '-' || op === '+' || op === '^') return inner;
        return undefined;
      }
      case 'binary_expression': {
        const op = n.childForFieldName('operator')?.text ?? '';
        if (['==', '!=', '<', '<=', '>', '>=', '&&', '||'].includes(op)) return { text: 'bool' };
        if (op === '<<' || op === '>>') return this.typeOf(n.childForFieldName('left'), depth + 1);
        return this.typeOf(n.childForFieldName('left'), depth + 1) ?? this.typeOf(n.childForFieldName('right'), depth + 1);
      }
      case 'slice_expression': {
        const t = this.typeOf(n.childForFieldName('operand'), depth + 1);
        if (!t) return undefined;
        const arr = /^\[[^\]]+\](.*)$/.exec(t.text);
        if (t.text === 'string' || t.text.startsWith('[]')) return { text: t.text };
        if (arr) return { text: '[]' + arr[1] };
        if (t.text.startsWith('*[')) { const a = /^\*\[[^\]]+\](.*)$/.exec(t.text); if (a) return { text: '[]' + a[1] }; }
        return undefined;
      }
      case 'index_expression': {
        const t = this.typeOf(n.childForFieldName('operand'), depth + 1);
        if (!t) return undefined;
        if (t.text === 'string') return { text: 'byte' };
        const el = elementType(t);
        return el;
      }
      case 'call_expression': return this.callType(n, depth);
      default: return undefined;
    }
  }

  private callType(n: Node, depth: number): TypeDesc | undefined {
    const fn = n.childForFieldName('function');
    const args = n.childForFieldName('arguments')?.namedChildren ?? [];
    if (!fn) return undefined;
    if (fn.type === 'identifier' && !this.lookup(fn.text, n)) {
      switch (fn.text) {
        case 'make': return typeDesc(args[0] ?? null);
        case 'new': return args[0] ? { text: '*' + norm(args[0].text) } : undefined;
        case 'len': case 'cap': case 'copy': return { text: 'int' };
        case 'append': return this.typeOf(args[0] ?? null, depth + 1);
        default:
          if (BASIC_TYPE_NAMES.has(fn.text)) return { text: fn.text };
          return undefined;
      }
    }
    if (fn.type === 'selector_expression') {
      const field = fn.childForFieldName('field')?.text;
      const operand = fn.childForFieldName('operand');
      const pkg = operand?.type === 'identifier' && !this.lookup(operand.text, n) ? this.file.importByLocal.get(operand.text) : undefined;
      if (pkg === 'fmt' && (field === 'Sprintf' || field === 'Sprint' || field === 'Sprintln')) return { text: 'string' };
      if ((pkg === 'fmt' && field === 'Errorf') || (pkg === 'errors' && field === 'New')) return { text: 'error' };
      if (pkg === 'strconv' && (field === 'Itoa' || field === 'FormatInt' || field === 'Quote')) return { text: 'string' };
      if (!pkg && (field === 'String' || field === 'Error') && args.length === 0) return { text: 'string' };
      if (!pkg && field === 'Bytes' && args.length === 0) return { text: '[]byte' };
      // bufio.Scanner.Text, time.Time.Format: results of the standard library that programs print.
      if (!pkg && ((field === 'Text' && args.length === 0) || (field === 'Format' && args.length === 1))) return { text: 'string' };
      if (pkg === 'time' && (field === 'Since' || field === 'Until')) return { text: 'time.Duration' };
      if (pkg === 'time' && field === 'Now' && args.length === 0) return { text: 'time.Time' };
      if (!pkg && field === 'Sub' && args.length === 1 && this.typeOf(operand ?? null, depth + 1)?.text === 'time.Time') return { text: 'time.Duration' };
    }
    return undefined;
  }

  /** Size in bytes of a type on the target, or undefined when syntax cannot tell (named structs, generics...). */
  sizeOf(t: TypeDesc | undefined): number | undefined {
    if (!t) return undefined;
    if (t.node) return this.sizeOfTypeNode(t.node, 0);
    const p = this.pointerSize;
    const basic = BASIC_SIZES[t.text];
    if (basic !== undefined) return basic === 'ptr' ? p : basic === '2ptr' ? 2 * p : basic;
    if (KNOWN_SIZES[t.text] !== undefined) return KNOWN_SIZES[t.text];
    if (isPointerShaped(t.text)) return p;
    if (isInterfaceText(t.text)) return 2 * p;
    if (t.text.startsWith('[]')) return 3 * p;
    const arr = /^\[(\d+)\](.*)$/.exec(t.text);
    if (arr) { const el = this.sizeOf({ text: arr[2] }); return el === undefined ? undefined : Number(arr[1]) * el; }
    return this.layoutOf(t.text, 0)?.size;
  }

  /**
   * Size and alignment of a type written as text without spaces: basic types, pointer-shaped types, slices, arrays
   * with a literal or package-constant length, and the struct and named types of this file (TypeFacts.structFields,
   * typeKinds). Alignment as LLVM lays Go types out: a basic type aligns to its size (at most 8), a pointer to the
   * pointer size; a struct to its largest field, its size rounded up to that. Undefined when anything is unknown.
   */
  layoutOf(text: string, depth: number): { size: number; align: number } | undefined {
    if (depth > 8) return undefined;
    const p = this.pointerSize;
    const basic = BASIC_SIZES[text];
    if (basic !== undefined) {
      if (basic === 'ptr') return { size: p, align: p };
      if (basic === '2ptr') return { size: 2 * p, align: p };
      return { size: basic, align: Math.min(basic === 16 ? 8 : basic, 8) };
    }
    const named = /^\w+$/.test(text);
    if (!named && isPointerShaped(text)) return { size: p, align: p };
    if (isInterfaceText(text)) return { size: 2 * p, align: p };
    if (text.startsWith('[]')) return { size: 3 * p, align: p };
    const arr = /^\[([^\]]+)\](.*)$/.exec(text);
    if (arr) {
      const len = /^\d+$/.test(arr[1]) ? Number(arr[1]) : this.constValue(this.file.packageConsts.get(arr[1]) ?? null);
      const el = this.layoutOf(arr[2], depth + 1);
      return len === undefined || el === undefined || len < 0 ? undefined : { size: len * el.size, align: el.align };
    }
    const fields = this.file.types.structFields.get(text);
    if (fields) {
      let size = 0;
      let align = 1;
      for (const f of fields) {
        const l = this.layoutOf(f, depth + 1);
        if (!l) return undefined;
        size = Math.ceil(size / l.align) * l.align + l.size;
        align = Math.max(align, l.align);
      }
      return { size: Math.ceil(size / align) * align, align };
    }
    const kind = named ? this.file.types.typeKinds.get(text) : undefined;
    if (!kind || kind === 'struct' || kind === 'array') return undefined;
    if (kind === 'slice') return { size: 3 * p, align: p };
    if (kind === 'interface') return { size: 2 * p, align: p };
    if (['pointer', 'map', 'func', 'chan'].includes(kind)) return { size: p, align: p };
    return kind === text ? undefined : this.layoutOf(kind, depth + 1);
  }

  sizeOfTypeNode(n: Node, depth: number): number | undefined {
    if (depth > 8) return undefined;
    const p = this.pointerSize;
    switch (n.type) {
      case 'type_identifier': {
        const basic = BASIC_SIZES[n.text];
        if (basic === undefined) return this.layoutOf(n.text, depth + 1)?.size;
        return basic === 'ptr' ? p : basic === '2ptr' ? 2 * p : basic;
      }
      case 'qualified_type': return n.text.replace(/\s+/g, '') === 'unsafe.Pointer' ? p : undefined;
      case 'pointer_type': case 'map_type': case 'channel_type': case 'function_type': return p;
      case 'slice_type': return 3 * p;
      case 'interface_type': return 2 * p;
      case 'parenthesized_type': return n.namedChildren[0] ? this.sizeOfTypeNode(n.namedChildren[0], depth + 1) : undefined;
      case 'array_type': {
        const len = this.constValue(n.childForFieldName('length'));
        const el = n.childForFieldName('element');
        const elSize = el ? this.sizeOfTypeNode(el, depth + 1) : undefined;
        return len === undefined || elSize === undefined || len < 0 ? undefined : len * elSize;
      }
      default: return undefined;
    }
  }
}

export function norm(text: string): string {
  return text.replace(/\s+/g, '');
}

export function typeDesc(n: Node | null): TypeDesc | undefined {
  return n ? { text: norm(n.text), node: n } : undefined;
}

function elementType(t: TypeDesc): TypeDesc | undefined {
  if (t.node && (t.node.type === 'slice_type' || t.node.type === 'array_type')) return typeDesc(t.node.childForFieldName('element'));
  if (t.node && t.node.type === 'map_type') return typeDesc(t.node.childForFieldName('value'));
  const m = /^\[[^\]]*\](.*)$/.exec(t.text);
  return m ? { text: m[1] } : undefined;
}

export function isPointerShaped(text: string): boolean {
  return text.startsWith('*') || text.startsWith('map[') || text.startsWith('chan') || text.startsWith('<-chan') ||
    text.startsWith('func') || text === 'unsafe.Pointer' || text === 'nil';
}

export function isInterfaceText(text: string): boolean {
  return text === 'any' || text === 'error' || text.startsWith('interface{');
}

export function isByteOrRuneSlice(text: string): boolean {
  return text === '[]byte' || text === '[]uint8' || text === '[]rune' || text === '[]int32';
}

export function parseGoInt(text: string): number | undefined {
  const t = text.replace(/_/g, '').toLowerCase();
  let v: number;
  if (/^0x[0-9a-f]+$/.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^0b[01]+$/.test(t)) v = parseInt(t.slice(2), 2);
  else if (/^0o[0-7]+$/.test(t)) v = parseInt(t.slice(2), 8);
  else if (/^0[0-7]+$/.test(t)) v = parseInt(t.slice(1), 8);
  else if (/^\d+$/.test(t)) v = parseInt(t, 10);
  else return undefined;
  return Number.isSafeInteger(v) ? v : undefined;
}

import type { Node } from 'web-tree-sitter';
import { escapeRegExp } from '../../regexp';
import type { RuleContext, SharedAnalysis } from '../engine';
import { localNameOf } from '../fileFacts';
import { callOf, enclosingFunction, FUNCTION_TYPES } from '../syntax';

/**
 * What the pool rules know about one top-level declaration: its Put and Get calls on values recognised as a
 * sync.Pool, and a small flow-insensitive idea of the kinds of local values. Recognised pools: package-level pool
 * variables (FileFacts.pools), local variables and parameters of type sync.Pool / *sync.Pool (or initialised from a
 * sync.Pool literal), and selectors x.f where f is a field of type sync.Pool of a struct declared in the same file.
 */

export type ValueKind = 'slice' | 'string' | 'struct' | 'array' | 'number' | 'bool' | 'pointer' | 'map' | 'chan' | 'func' |
  'interface' | 'const' | 'nil' | 'unknown';

export interface KindInfo { kind: ValueKind; /** Type text without spaces, when known. */ type?: string; /** Byte size for numbers/bools. */ size?: number }

export interface PoolRef { key: string; hasNew: boolean | undefined; byValue: boolean; local: boolean }

export interface Site {
  call: Node;
  /** The X in X.Put / X.Get. */
  recv: Node;
  pool: PoolRef;
  /** Put's argument. */
  arg: Node | null;
  /** The function whose execution the call belongs to (a deferred closure belongs to the function deferring it). */
  fn: Node;
  deferred: boolean;
}

interface LocalDecl { name: Node; type: Node | null; value: Node | null; isConst: boolean; fromRange: boolean }

const BASIC_SIZE: Record<string, number> = {
  int8: 1, uint8: 1, byte: 1, bool: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, rune: 4, float32: 4,
  int64: 8, uint64: 8, float64: 8, complex64: 8, complex128: 16,
};
const WORD_TYPES = new Set(['int', 'uint', 'uintptr']);

export class PoolScan {
  readonly syncLocal: string;
  readonly puts: Site[] = [];
  readonly gets: Site[] = [];
  /** The declaration's text (read once). */
  readonly text: string;
  /** Whether the declaration mentions anything a copy of a pool could involve (pool variables, sync.Pool, Pool-holding types or fields). */
  mentionsPools(): boolean {
    let re = mentionRe.get(this.ctx.file);
    if (!re) {
      const t = this.ctx.file.types;
      const words = [...this.ctx.file.pools.keys(), ...t.poolStructs.keys(), ...this.poolFields, 'Pool'];
      re = new RegExp(`\\b(?:${words.map(escapeRegExp).join('|')})\\b`);
      mentionRe.set(this.ctx.file, re);
    }
    return re.test(this.text);
  }
  private readonly poolFields: Set<string>;
  private readonly localsByFn = new Map<number, Map<string, LocalDecl>>();

  constructor(readonly decl: Node, readonly ctx: RuleContext) {
    this.syncLocal = localNameOf(ctx.file, 'sync') ?? 'sync';
    this.poolFields = new Set([...ctx.file.types.poolStructs.values()].flat());
    this.text = decl.text;
    if (decl.type === 'import_declaration' || !/\.\s*(?:Put|Get)\s*\(/.test(this.text)) return;
    // Each `.Put(` / `.Get(` of the text, looked up in the tree: X.Put(args) when the word is the field of a selector
    // that a call calls. (A query over every method call of a large function cost ten times more.)
    const base = decl.startIndex;
    for (const m of this.text.matchAll(/\.\s*(Put|Get)\s*\(/g)) {
      const method = m[1];
      const at = base + m.index + m[0].indexOf(method, 1);
      const field = decl.descendantForIndex(at, at + 3);
      const sel = field?.type === 'field_identifier' ? field.parent : null;
      const call = sel?.type === 'selector_expression' ? callOf(sel) : null;
      if (!sel || !call) continue;
      const recv = sel.childForFieldName('operand');
      const args = call.childForFieldName('arguments');
      if (!recv || args?.type !== 'argument_list') continue;
      const nargs = args.namedChildCount;
      if ((method === 'Put' && nargs !== 1) || (method === 'Get' && nargs !== 0)) continue;
      const pool = this.poolOf(recv);
      if (!pool) continue;
      const { fn, deferred } = effectiveFunction(call);
      if (!fn) continue;
      (method === 'Put' ? this.puts : this.gets).push({ call, recv, pool, arg: method === 'Put' ? args.namedChildren[0] : null, fn, deferred });
    }
  }

  isSyncPoolType(t: Node | null): 'value' | 'pointer' | undefined {
    const text = t?.text.replace(/\s+/g, '');
    if (text === `${this.syncLocal}.Pool`) return 'value';
    if (text === `*${this.syncLocal}.Pool`) return 'pointer';
    return undefined;
  }

  /** The sync.Pool `e` denotes (a value or a pointer to one), if it is recognisably one. */
  poolOf(e: Node | null, depth = 0): PoolRef | undefined {
    if (!e) return undefined;
    if (e.type === 'parenthesized_expression') return this.poolOf(e.namedChildren[0], depth + 1);
    if (e.type === 'identifier') {
      const d = this.lookup(e);
      if (d) {
        const t = this.isSyncPoolType(d.type);
        const v = d.value?.text.trim() ?? '';
        const lit = new RegExp(`^(&)?${this.syncLocal}\\.Pool\\s*\\{`).exec(v);
        if (!t && !lit) {
          // p2 := pool (a copy) or p := &pool (a pointer to it).
          const val = d.value;
          if (!val || d.type || depth > 4) return undefined;
          const addr = val.type === 'unary_expression' && val.childForFieldName('operator')?.text === '&';
          const inner = this.poolOf(addr ? val.childForFieldName('operand') : val, depth + 1);
          return inner && (addr ? inner.byValue : true) ? { ...inner, key: e.text, byValue: addr ? false : inner.byValue, local: true } : undefined;
        }
        const fn = enclosingFunction(d.name);
        const assigned = fn ? new RegExp(`\\b${e.text}\\.New\\s*=[^=]`).test(fn.text) : false;
        return { key: e.text, hasNew: /\bNew\s*:/.test(v) || assigned, byValue: t ? t === 'value' : !lit?.[1], local: true };
      }
      const p = this.ctx.file.pools.get(e.text);
      if (!p) return undefined;
      const types = this.ctx.file.types;
      return { key: e.text, hasNew: p.hasNew || types.poolNewAssigned.has(e.text), byValue: types.poolByValue.has(e.text), local: false };
    }
    if (e.type === 'selector_expression') {
      const f = e.childForFieldName('field')?.text;
      if (f && this.poolFields.has(f)) return { key: e.text.replace(/\s+/g, ''), hasNew: undefined, byValue: true, local: false };
    }
    return undefined;
  }

  /** The local declaration `id` refers to, searching the enclosing functions from the innermost outwards. */
  lookup(id: Node): LocalDecl | undefined {
    for (let fn = enclosingFunction(id); fn; fn = enclosingFunction(fn)) {
      const d = this.locals(fn).get(id.text);
      if (d) return d;
    }
    return undefined;
  }

  locals(fn: Node): Map<string, LocalDecl> {
    let m = this.localsByFn.get(fn.id);
    if (m) return m;
    m = new Map();
    this.localsByFn.set(fn.id, m);
    const add = (name: Node | null, d: Omit<LocalDecl, 'name'>) => { if (name?.type === 'identifier' && !m!.has(name.text)) m!.set(name.text, { name, ...d }); };
    for (const p of fn.descendantsOfType(['parameter_declaration', 'variadic_parameter_declaration', 'var_spec', 'const_spec', 'short_var_declaration', 'range_clause'])) {
      if (!p || enclosingFunction(p)?.id !== fn.id) continue;
      if (p.type === 'short_var_declaration' || p.type === 'range_clause') {
        const left = p.childForFieldName('left')?.namedChildren ?? [];
        const right = p.childForFieldName('right');
        const values = p.type === 'range_clause' ? [] : right?.namedChildren ?? [];
        left.forEach((n, i) => add(n, { type: null, value: left.length === values.length ? values[i] : null, isConst: false, fromRange: p.type === 'range_clause' }));
      } else {
        const type = p.childForFieldName('type');
        const values = p.childForFieldName('value')?.namedChildren ?? [];
        const names = p.childrenForFieldName('name');
        names.forEach((n, i) => add(n, { type, value: values[i] ?? null, isConst: p.type === 'const_spec', fromRange: false }));
      }
    }
    return m;
  }

  kindOfType(t: Node | null): KindInfo {
    if (!t) return { kind: 'unknown' };
    const type = t.text.replace(/\s+/g, '');
    switch (t.type) {
      case 'pointer_type': return { kind: 'pointer', type };
      case 'slice_type': return { kind: 'slice', type };
      case 'array_type': return { kind: 'array', type };
      case 'map_type': return { kind: 'map', type };
      case 'channel_type': return { kind: 'chan', type };
      case 'function_type': return { kind: 'func', type };
      case 'interface_type': return { kind: 'interface', type };
      case 'struct_type': return { kind: type === 'struct{}' ? 'unknown' : 'struct', type };
      case 'parenthesized_type': return this.kindOfType(t.namedChildren[0]);
      case 'qualified_type': return STD_STRUCTS.has(type.replace(new RegExp(`^${this.syncLocal}\\.`), 'sync.')) ? { kind: 'struct', type } : { kind: 'unknown', type };
      case 'type_identifier': return this.kindOfTypeName(type);
      default: return { kind: 'unknown', type };
    }
  }

  private kindOfTypeName(name: string): KindInfo {
    if (name === 'string') return { kind: 'string', type: name };
    if (name === 'any' || name === 'error') return { kind: 'interface', type: name };
    if (name === 'bool') return { kind: 'bool', type: name, size: 1 };
    if (WORD_TYPES.has(name)) return { kind: 'number', type: name, size: this.ctx.target.pointerSize };
    if (BASIC_SIZE[name] !== undefined) return { kind: 'number', type: name, size: BASIC_SIZE[name] };
    const k = this.ctx.file.types.typeKinds.get(name);
    if (k === undefined) return { kind: 'unknown', type: name };
    if (['struct', 'slice', 'array', 'map', 'pointer', 'interface', 'func', 'chan'].includes(k)) return { kind: k as ValueKind, type: name };
    return { ...this.kindOfTypeName(k), type: name };
  }

  /** The kind of value `e` is, as far as the declaration shows it. */
  kindOf(e: Node | null, depth = 0): KindInfo {
    if (!e || depth > 6) return { kind: 'unknown' };
    switch (e.type) {
      case 'parenthesized_expression': return this.kindOf(e.namedChildren[0], depth + 1);
      case 'int_literal': case 'float_literal': case 'imaginary_literal': case 'rune_literal':
      case 'interpreted_string_literal': case 'raw_string_literal': case 'true': case 'false': case 'iota':
        return { kind: 'const' };
      case 'nil': return { kind: 'nil' };
      case 'func_literal': return { kind: 'func' };
      case 'unary_expression': {
        const op = e.childForFieldName('operator')?.text;
        if (op === '&') return { kind: 'pointer' };
        if (op === '<-' || op === '*') return { kind: 'unknown' };
        const k = this.kindOf(e.childForFieldName('operand'), depth + 1);
        return k.kind === 'const' ? k : { kind: 'unknown' };
      }
      case 'binary_expression': {
        const l = this.kindOf(e.childForFieldName('left'), depth + 1);
        const r = this.kindOf(e.childForFieldName('right'), depth + 1);
        return l.kind === 'const' && r.kind === 'const' ? { kind: 'const' } : { kind: 'unknown' };
      }
      case 'identifier': {
        if (e.text === 'nil') return { kind: 'nil' };
        const d = this.lookup(e);
        if (!d) return this.ctx.file.packageConsts.has(e.text) ? { kind: 'const' } : { kind: 'unknown' };
        if (d.isConst) return { kind: 'const' };
        if (d.fromRange) return { kind: 'unknown' };
        if (d.type) return this.kindOfType(d.type);
        const k = this.kindOf(d.value, depth + 1);
        // An untyped constant gives a variable its default type: a string or a number (int, float64...).
        if (k.kind === 'const' && d.value) {
          if (/^["`]/.test(d.value.text)) return { kind: 'string', type: 'string' };
          if (d.value.type === 'int_literal' || d.value.type === 'rune_literal') return { kind: 'number', type: 'int', size: this.ctx.target.pointerSize };
          if (d.value.type === 'float_literal') return { kind: 'number', type: 'float64', size: 8 };
          return { kind: 'unknown' };
        }
        return k;
      }
      case 'slice_expression': {
        const k = this.kindOf(e.childForFieldName('operand'), depth + 1);
        return k.kind === 'string' ? k : k.kind === 'unknown' || k.kind === 'slice' || k.kind === 'array' || k.kind === 'pointer'
          ? { kind: 'slice', type: k.kind === 'slice' ? k.type : undefined } : { kind: 'unknown' };
      }
      case 'type_assertion_expression': return this.kindOfType(e.childForFieldName('type'));
      case 'type_conversion_expression': return this.kindOfType(e.childForFieldName('type'));
      case 'composite_literal': {
        const t = e.childForFieldName('type');
        if (t?.type === 'implicit_length_array_type') return { kind: 'array', type: t.text };
        return this.kindOfType(t);
      }
      case 'call_expression': return this.kindOfCall(e, depth);
      default: return { kind: 'unknown' };
    }
  }

  private kindOfCall(e: Node, depth: number): KindInfo {
    const f = e.childForFieldName('function');
    const args = e.childForFieldName('arguments')?.namedChildren ?? [];
    if (!f) return { kind: 'unknown' };
    if (f.type === 'identifier' && !this.lookup(f)) {
      switch (f.text) {
        case 'make': return this.kindOfType(args[0] ?? null);
        case 'new': return { kind: 'pointer' };
        case 'append': return { kind: 'slice', type: this.kindOf(args[0] ?? null, depth + 1).type };
        case 'len': case 'cap': return { kind: 'number', type: 'int', size: this.ctx.target.pointerSize };
        case 'string': return { kind: 'string', type: 'string' };
        default: break;
      }
      const named = this.kindOfTypeName(f.text);
      if (named.kind !== 'unknown' && this.ctx.file.types.typeKinds.has(f.text)) return named;
      if (['string', 'int', 'int64', 'uint64', 'float64', 'uint', 'int32', 'uint32', 'byte', 'rune', 'float32'].includes(f.text)) return this.kindOfTypeName(f.text);
      return { kind: 'unknown' };
    }
    if (f.type === 'parenthesized_expression' || f.type === 'slice_type' || f.type === 'array_type') {
      const t = f.type === 'parenthesized_expression' ? f.namedChildren[0] : f;
      if (t && (t.type === 'slice_type' || t.type === 'pointer_type' || t.type === 'map_type')) return this.kindOfType(t);
    }
    if (f.type === 'selector_expression') {
      const field = f.childForFieldName('field')?.text ?? '';
      const operand = f.childForFieldName('operand');
      if (field === 'Get' && args.length === 0 && this.poolOf(operand)) return { kind: 'interface', type: 'any' };
      if (operand?.type === 'identifier' && !this.lookup(operand)) {
        const path = this.ctx.file.importByLocal.get(operand.text);
        if (path === 'fmt' && /^Sprint/.test(field)) return { kind: 'string', type: 'string' };
        if (path === 'strconv' && /^(Itoa|Format|Quote)/.test(field)) return { kind: 'string', type: 'string' };
        if (path === 'strings' && /^(Repeat|Join|Replace|ReplaceAll|ToLower|ToUpper|TrimSpace|Trim)$/.test(field)) return { kind: 'string', type: 'string' };
      }
      if (field === 'Bytes' && args.length === 0) return { kind: 'slice', type: '[]byte' };
    }
    return { kind: 'unknown' };
  }

  /** The identifier at the root of `e`: buf in buf, &buf, buf[:0], (*bp), bp. */
  static rootIdent(e: Node | null): Node | null {
    for (let n = e; n;) {
      switch (n.type) {
        case 'identifier': return n;
        case 'parenthesized_expression': n = n.namedChildren[0]; break;
        case 'unary_expression': n = n.childForFieldName('operand'); break;
        case 'slice_expression': n = n.childForFieldName('operand'); break;
        default: return null;
      }
    }
    return null;
  }
}

const mentionRe = new WeakMap<object, RegExp>();

/** Std types that are structs (so a value of them is not pointer-like). */
const STD_STRUCTS = new Set(['bytes.Buffer', 'strings.Builder', 'bytes.Reader', 'strings.Reader', 'sync.Mutex', 'sync.RWMutex', 'sync.Pool',
  'sync.WaitGroup', 'time.Time', 'bufio.Reader', 'bufio.Writer']);

/** The function a call runs in: a closure passed to defer (`defer func(){ p.Put(b) }()`) runs for its enclosing function. */
export function effectiveFunction(call: Node): { fn: Node | null; deferred: boolean } {
  if (call.parent?.type === 'defer_statement') return { fn: enclosingFunction(call), deferred: true };
  const fn = enclosingFunction(call);
  if (fn?.type === 'func_literal' && fn.parent?.type === 'call_expression' && fn.parent.parent?.type === 'defer_statement') {
    return { fn: enclosingFunction(fn), deferred: true };
  }
  return { fn, deferred: false };
}

const POOL_SCAN: SharedAnalysis<PoolScan> = { name: 'pool', compute: (decl, ctx) => new PoolScan(decl, ctx) };

/** The scan of the declaration, shared by the pool rules (RuleContext.shared); undefined when the file imports no sync. */
export function poolScan(ctx: RuleContext): PoolScan | undefined {
  return localNameOf(ctx.file, 'sync') ? ctx.shared(POOL_SCAN) : undefined;
}

/** Identifiers named `name` inside `n` (not field names of selectors, which are field_identifiers). */
export function identifiersNamed(n: Node, name: string): Node[] {
  return n.descendantsOfType('identifier').filter((x): x is Node => !!x && x.text === name);
}

export { FUNCTION_TYPES };

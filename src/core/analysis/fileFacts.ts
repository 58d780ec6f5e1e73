import type { Node } from 'web-tree-sitter';
import { escapeRegExp } from '../regexp';
import { stringLiteralValue } from './syntax';

/**
 * What a rule may know about the file beyond its own declaration. Rules are run per top-level declaration and
 * their results are memoised by the declaration's text; what a rule reads here is recorded (see `trackFacts`), so
 * that a change of the facts re-runs only the declarations that read what changed.
 */
export interface FileFacts {
  readonly packageName: string;
  /** local name -> import path ("." and "_" imports are not names). */
  readonly importByLocal: ReadonlyMap<string, string>;
  /** import path -> the local name it is imported under (the first one, "." and "_" excluded). */
  readonly localByPath: ReadonlyMap<string, string>;
  /** Package-level variable names. */
  readonly packageVars: ReadonlySet<string>;
  /** Package-level sync.Pool variables, and whether their declaration sets `New`. */
  readonly pools: ReadonlyMap<string, { readonly hasNew: boolean }>;
  /** Package-level constants: name -> its value expression (null when implicit, e.g. a repeated iota line). */
  readonly packageConsts: ReadonlyMap<string, Node | null>;
  /** Type-level facts for the pool and alloc rules (see TypeFacts). */
  readonly types: TypeFacts;
  /** Text of the cgo preamble: the comment lines directly above an ungrouped `import "C"` ('' when none). */
  readonly cgoPreamble: string;
}

/** What the pool rules need to know about the file's types and package-level variables. */
export interface TypeFacts {
  /** Package-level named types: name -> kind of the underlying type (struct, slice, array, map, pointer, interface, func, chan, or the basic type's name). */
  readonly typeKinds: ReadonlyMap<string, string>;
  /** Struct types of this file holding a sync.Pool by value (directly, or in a struct field of such a type): type -> field names. */
  readonly poolStructs: ReadonlyMap<string, readonly string[]>;
  /** Named types of this file that have a `Reset` method. */
  readonly resetTypes: ReadonlySet<string>;
  /** Package-level variables with an explicit type: name -> type text without spaces. */
  readonly varTypes: ReadonlyMap<string, string>;
  /** Package-level sync.Pool variables held by value (not `*sync.Pool`). */
  readonly poolByValue: ReadonlySet<string>;
  /** Package-level pools whose `New` is assigned somewhere in the file (`p.New = ...`), e.g. in init(). */
  readonly poolNewAssigned: ReadonlySet<string>;
  /**
   * Struct types of this file: name -> the type text (without spaces) of each field, one entry per field name (an
   * embedded field once). The alloc rules compute sizes from it for the target's pointer size.
   */
  readonly structFields: ReadonlyMap<string, readonly string[]>;
}

function lastPathElement(p: string): string {
  const base = p.slice(p.lastIndexOf('/') + 1);
  // gopkg.in/yaml.v3 -> yaml; a major-version suffix "v2" is not the name either.
  const m = /^(.*?)(?:\.v\d+)?$/.exec(base);
  return (m?.[1] ?? base).replace(/-/g, '_');
}

// ---- what one top-level declaration contributes ------------------------------------------------------------------

interface VarSpecFact { names: string[]; typeText: string | undefined; valueText: string }
interface FieldFact { type: string | undefined; names: string[]; star: boolean }
interface TypeSpecFact { name: string; kind: string; fields?: FieldFact[] }

/**
 * The facts one top-level declaration contributes, computed from its syntax once per declaration text (the memo
 * keeps them). They hold no syntax nodes, so they outlive the tree they came from.
 */
export interface DeclFacts {
  packageName?: string;
  imports?: { path: string; local: string }[];
  /** An ungrouped `import "C"`: the comments directly above it are the cgo preamble. */
  importC?: boolean;
  constNames?: string[];
  vars?: VarSpecFact[];
  types?: TypeSpecFact[];
  /** A method named Reset: its receiver's base type. */
  resetType?: string;
  /** Names `x` of `x.New = ...` assignments in the declaration. */
  newAssigned?: string[];
}

const TYPE_NODE_KIND: Record<string, string> = {
  struct_type: 'struct', slice_type: 'slice', array_type: 'array', map_type: 'map', pointer_type: 'pointer',
  interface_type: 'interface', function_type: 'func', channel_type: 'chan',
};

const NONE: DeclFacts = Object.freeze({});
/** The contribution of a declaration that contributes nothing (a comment, most functions). */
export const NO_FACTS = NONE;
const RESET_RE = /^func\s*\(\s*(?:\w+\s+)?\*?\s*(\w+)(?:\[[^\]]*\])?\s*\)\s*Reset\s*\(/;
const NEW_ASSIGN_RE = /(?:^|[^.\w])([\p{L}_][\p{L}\p{N}_]*)\.New\s*=[^=]/gu;

/** The facts of one top-level declaration node (`text` is its text). */
export function declFacts(decl: Node, type: string, text: string): DeclFacts {
  let out: DeclFacts | undefined;
  switch (type) {
    case 'comment': return NONE;
    case 'package_clause': return { packageName: decl.namedChildren[0]?.text ?? '' };
    case 'import_declaration': {
      const imports: { path: string; local: string }[] = [];
      let importC = false;
      if (!decl.hasError) {
        // Read from the text at each spec's start (a spec is `[name] "path"`): no node calls per spec.
        const base = decl.startIndex;
        const first = decl.namedChildren[0];
        const specs: Node[] = [];
        for (const c of decl.namedChildren) {
          if (!c) continue;
          const ch = text.charCodeAt(c.startIndex - base);
          if (ch === 0x28 /* ( */) { for (const sc of c.namedChildren) if (sc && !isCommentAt(text, sc.startIndex - base)) specs.push(sc); }
          else if (!isCommentAt(text, c.startIndex - base)) specs.push(c);
        }
        let ok = true;
        for (const spec of specs) {
          const f = importSpecAt(text, spec.startIndex - base);
          if (!f) { ok = false; break; }
          imports.push(f);
          if (spec === first && f.path === 'C') importC = true;
        }
        if (ok) return { imports, importC };
        imports.length = 0;
      }
      for (const spec of decl.descendantsOfType('import_spec')) {
        if (!spec) continue;
        const path = stringLiteralValue(spec.childForFieldName('path'));
        if (path === undefined) continue;
        const name = spec.childForFieldName('name');
        imports.push({ path, local: name ? name.text : lastPathElement(path) });
      }
      const first = decl.namedChildren[0];
      importC = first?.type === 'import_spec' && stringLiteralValue(first.childForFieldName('path')) === 'C';
      return { imports, importC };
    }
    case 'const_declaration': {
      const constNames: string[] = [];
      const base = decl.startIndex;
      const clean = !decl.hasError;
      for (const spec of decl.namedChildren) {
        if (!spec) continue;
        // A const declaration's named children are its specs and comments (and ERROR nodes, when it has an error).
        if (clean) {
          const at = spec.startIndex - base;
          if (isCommentAt(text, at)) continue;
          const names = identifierListAt(text, at);
          if (names) { constNames.push(...names); continue; }
        }
        if (spec.type !== 'const_spec') continue;
        for (const n of spec.childrenForFieldName('name')) if (n) constNames.push(n.text);
      }
      out = { constNames };
      break;
    }
    case 'var_declaration': {
      const vars: VarSpecFact[] = [];
      // The specs directly in the declaration (or its parenthesised list): not those of func literals in the values,
      // which can be huge tables.
      const specs: Node[] = [];
      for (const c of decl.namedChildren) {
        if (c?.type === 'var_spec') specs.push(c);
        else if (c?.type === 'var_spec_list') for (const s of c.namedChildren) if (s?.type === 'var_spec') specs.push(s);
      }
      for (const spec of specs) {
        vars.push({
          names: spec.childrenForFieldName('name').filter((n): n is Node => !!n).map((n) => n.text),
          typeText: spec.childForFieldName('type')?.text.replace(/\s+/g, ''),
          valueText: spec.childForFieldName('value')?.text ?? '',
        });
      }
      out = { vars };
      break;
    }
    case 'type_declaration': {
      const types: TypeSpecFact[] = [];
      for (const spec of decl.namedChildren) {
        if (spec?.type !== 'type_spec' && spec?.type !== 'type_alias') continue;
        const name = spec.childForFieldName('name')?.text;
        const t = spec.childForFieldName('type');
        if (!name || !t) continue;
        const f: TypeSpecFact = { name, kind: TYPE_NODE_KIND[t.type] ?? t.text.replace(/\s+/g, '') };
        if (t.type === 'struct_type') f.fields = structFieldFacts(t);
        types.push(f);
      }
      out = { types };
      break;
    }
    case 'method_declaration': {
      const m = text.includes('Reset') ? RESET_RE.exec(text) : null;
      if (m) out = { resetType: m[1] };
      break;
    }
  }
  if (text.includes('.New')) {
    const names = [...text.matchAll(NEW_ASSIGN_RE)].map((m) => m[1]);
    if (names.length > 0) out = { ...out, newAssigned: names };
  }
  return out ?? NONE;
}

/** True when a comment starts at `at` (a node starting there is a comment: nothing else starts with // or /*). */
export function isCommentAt(text: string, at: number): boolean {
  return text.charCodeAt(at) === 0x2f && (text.charCodeAt(at + 1) === 0x2f || text.charCodeAt(at + 1) === 0x2a);
}

const IDENT_LIST = /[\p{L}_][\p{L}\p{N}_]*(?:[ \t]*,[ \t\r\n]*[\p{L}_][\p{L}\p{N}_]*)*/uy;
/** The identifier list a spec starts with (`a, b` of `a, b = 1, 2`), or undefined when the text is unusual (a comment in the list). */
function identifierListAt(text: string, at: number): string[] | undefined {
  IDENT_LIST.lastIndex = at;
  const m = IDENT_LIST.exec(text);
  if (!m) return undefined;
  let i = at + m[0].length;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text[i] === ',' || text[i] === '/') return undefined;
  return m[0].split(',').map((x) => x.trim());
}

const IMPORT_SPEC = /(?:([\p{L}_][\p{L}\p{N}_]*|\.)[ \t]+)?("(?:[^"\\\n]|\\.)*"|`[^`]*`)/uy;
/** An import spec read from its text (`[name] "path"`), or undefined when it is unusual (a comment inside). */
function importSpecAt(text: string, at: number): { path: string; local: string } | undefined {
  IMPORT_SPEC.lastIndex = at;
  const m = IMPORT_SPEC.exec(text);
  if (!m) return undefined;
  const path = m[2].slice(1, -1);
  return { path, local: m[1] ?? lastPathElement(path) };
}

function structFieldFacts(struct: Node): FieldFact[] {
  const out: FieldFact[] = [];
  const list = struct.namedChildren.find((c) => c?.type === 'field_declaration_list');
  for (const f of list?.namedChildren ?? []) {
    if (f?.type !== 'field_declaration') continue;
    const type = f.childForFieldName('type')?.text.replace(/\s+/g, '');
    const names = f.childrenForFieldName('name').filter((n): n is Node => !!n).map((n) => n.text);
    // An embedded `*T` has its star outside the type field.
    const star = names.length === 0 && f.children.some((c) => c?.type === '*') && !(type ?? '?').startsWith('*');
    out.push({ type, names, star });
  }
  return out;
}

/** True when the declaration contributes anything to the file facts. */
export function hasFacts(f: DeclFacts): boolean { return f !== NONE; }

/** True when two contributions say the same (they hold only strings, numbers, booleans and arrays of them). */
export function sameFacts(a: DeclFacts, b: DeclFacts): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

// ---- the merged facts ----------------------------------------------------------------------------------------------

/** The tree-independent part of the facts, merged from the declarations' contributions. */
export interface MergedFacts {
  facts: Omit<FileFacts, 'packageConsts'>;
  constNames: ReadonlySet<string>;
  /** Per constant: a fingerprint of what its value depends on (the text of its const declaration). */
  constPrints: ReadonlyMap<string, string>;
}

/**
 * Merges the contributions of the top-level declarations, in file order (`texts[i]` is the text of the declaration
 * of `parts[i]`), with the cgo preamble computed by the caller.
 */
export function mergeFacts(parts: readonly DeclFacts[], texts: readonly string[], cgoPreamble: string): MergedFacts {
  let packageName = '';
  const imports: { path: string; local: string }[] = [];
  const constPrints = new Map<string, string>();
  const vars: VarSpecFact[] = [];
  const typeSpecs: TypeSpecFact[] = [];
  const resets: string[] = [];
  const newAssigned: string[] = [];
  parts.forEach((p, i) => {
    if (p.packageName !== undefined) packageName = p.packageName;
    if (p.imports) imports.push(...p.imports);
    if (p.constNames) for (const n of p.constNames) constPrints.set(n, texts[i]);
    if (p.vars) vars.push(...p.vars);
    if (p.types) typeSpecs.push(...p.types);
    if (p.resetType) resets.push(p.resetType);
    if (p.newAssigned) newAssigned.push(...p.newAssigned);
  });
  const importByLocal = new Map<string, string>();
  for (const i of imports) if (i.local !== '.' && i.local !== '_') importByLocal.set(i.local, i.path);
  const localByPath = new Map<string, string>();
  for (const [local, p] of importByLocal) if (!localByPath.has(p)) localByPath.set(p, local);
  const sync = imports.find((i) => i.path === 'sync');
  const syncLocal = sync?.local ?? 'sync';

  const packageVars = new Set<string>();
  const pools = new Map<string, { hasNew: boolean }>();
  const poolLit = new RegExp(`^&?${escapeRegExp(syncLocal)}\\.Pool\\s*\\{`);
  for (const v of vars) {
    for (const n of v.names) packageVars.add(n);
    const typeText = v.typeText ?? '';
    if (typeText === `${syncLocal}.Pool` || typeText === `*${syncLocal}.Pool` || poolLit.test(v.valueText.trim())) {
      for (const n of v.names) pools.set(n, { hasNew: /\bNew\s*:/.test(v.valueText) });
    }
  }

  const typeKinds = new Map<string, string>();
  const structFields = new Map<string, string[]>();
  const structs: TypeSpecFact[] = [];
  for (const t of typeSpecs) {
    typeKinds.set(t.name, t.kind);
    if (t.fields) {
      structs.push(t);
      const out: string[] = [];
      for (const f of t.fields) for (let i = 0; i < Math.max(1, f.names.length); i++) out.push((f.star ? '*' : '') + (f.type ?? '?'));
      structFields.set(t.name, out);
    }
  }
  const poolStructs = new Map<string, string[]>();
  const resetTypes = new Set<string>();
  const varTypes = new Map<string, string>();
  const poolByValue = new Set<string>();
  const poolNewAssigned = new Set<string>();
  if (sync) {
    for (const v of vars) {
      const valueText = v.valueText.trim();
      for (const n of v.names) {
        if (v.typeText) varTypes.set(n, v.typeText);
        if (pools.has(n) && (v.typeText === `${syncLocal}.Pool` || (!v.typeText && !valueText.startsWith('&')))) poolByValue.add(n);
      }
    }
    // Struct types holding a Pool by value, directly or through a by-value field of another such struct.
    for (let changed = true; changed;) {
      changed = false;
      for (const s of structs) {
        if (poolStructs.has(s.name)) continue;
        const holding: string[] = [];
        for (const f of s.fields ?? []) {
          const ft = f.type ?? '';
          if (ft !== `${syncLocal}.Pool` && !poolStructs.has(ft)) continue;
          // An embedded field is named after its type: sync.Pool -> Pool.
          holding.push(...(f.names.length > 0 ? f.names : [ft.replace(/^.*\./, '')]));
        }
        if (holding.length > 0) { poolStructs.set(s.name, holding); changed = true; }
      }
    }
    for (const r of resets) resetTypes.add(r);
    for (const n of newAssigned) if (pools.has(n)) poolNewAssigned.add(n);
  }
  return {
    facts: { packageName, importByLocal, localByPath, packageVars, pools, cgoPreamble,
      types: { typeKinds, poolStructs, resetTypes, varTypes, poolByValue, poolNewAssigned, structFields } },
    constNames: new Set(constPrints.keys()),
    constPrints,
  };
}


/** The comment lines directly above the first ungrouped `import "C"` among the top-level nodes (cgo reads its preamble from them). */
export function cgoPreambleOf(children: readonly Node[], importCIndex: number): string {
  const decl = children[importCIndex];
  const lines: string[] = [];
  let nextRow = decl.startPosition.row;
  for (let j = importCIndex - 1; j >= 0; j--) {
    const c = children[j];
    if (c.type !== 'comment' || c.endPosition.row !== nextRow - 1) break;
    lines.unshift(c.text);
    nextRow = c.startPosition.row;
  }
  return lines.join('\n');
}

/**
 * The package constants of the current tree, collected on first use: the declarations' contributions know the names,
 * but the value nodes belong to one tree, and most runs (a keystroke in a function body) never ask for them.
 */
export class LazyConsts implements ReadonlyMap<string, Node | null> {
  private map: Map<string, Node | null> | undefined;
  constructor(private readonly names: ReadonlySet<string>, private readonly decls: () => readonly Node[]) {}
  private load(): Map<string, Node | null> {
    if (!this.map) {
      this.map = new Map();
      for (const decl of this.decls()) {
        for (const spec of decl.namedChildren) {
          if (spec?.type !== 'const_spec') continue;
          const values = spec.childForFieldName('value')?.namedChildren ?? [];
          spec.childrenForFieldName('name').forEach((n, i) => { if (n) this.map!.set(n.text, values[i] ?? null); });
        }
      }
    }
    return this.map;
  }
  get size(): number { return this.names.size; }
  has(k: string): boolean { return this.names.has(k); }
  get(k: string): Node | null | undefined { return this.names.has(k) ? this.load().get(k) : undefined; }
  forEach(cb: (v: Node | null, k: string, m: ReadonlyMap<string, Node | null>) => void): void { this.load().forEach((v, k) => cb(v, k, this)); }
  keys(): MapIterator<string> { return this.load().keys(); }
  values(): MapIterator<Node | null> { return this.load().values(); }
  entries(): MapIterator<[string, Node | null]> { return this.load().entries(); }
  [Symbol.iterator](): MapIterator<[string, Node | null]> { return this.load()[Symbol.iterator](); }
}

// ---- what changed, and who read it ---------------------------------------------------------------------------------

/** Per fact (e.g. "types.structFields"): the keys read, or true when it was read whole (iterated, size, a scalar). */
export type FactReads = Map<string, Set<string> | true>;
/** Per fact: the keys whose value changed, or true for a changed scalar. */
export type FactChanges = Map<string, Set<string> | true>;

type Keyed = ReadonlyMap<string, unknown> | ReadonlySet<string>;
const KEYED_FIELDS = ['importByLocal', 'localByPath', 'packageVars', 'pools'] as const;
const TYPE_FIELDS = ['typeKinds', 'poolStructs', 'resetTypes', 'varTypes', 'poolByValue', 'poolNewAssigned', 'structFields'] as const;

function print(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.join('\u0001');
  return JSON.stringify(v);
}

function diffKeyed(a: Keyed, b: Keyed, prints?: [ReadonlyMap<string, string>, ReadonlyMap<string, string>]): Set<string> | undefined {
  const out = new Set<string>();
  const value = (m: Keyed, k: string, i: 0 | 1) => prints ? prints[i].get(k) : m instanceof Map ? print((m as ReadonlyMap<string, unknown>).get(k)) : '';
  for (const k of a.keys()) if (!b.has(k) || value(a, k, 0) !== value(b, k, 1)) out.add(k);
  for (const k of b.keys()) if (!a.has(k)) out.add(k);
  return out.size > 0 ? out : undefined;
}

/** Which facts changed between two merges, key by key. */
export function diffFacts(a: MergedFacts, b: MergedFacts): FactChanges {
  const ch: FactChanges = new Map();
  if (a.facts.packageName !== b.facts.packageName) ch.set('packageName', true);
  if (a.facts.cgoPreamble !== b.facts.cgoPreamble) ch.set('cgoPreamble', true);
  for (const f of KEYED_FIELDS) { const d = diffKeyed(a.facts[f], b.facts[f]); if (d) ch.set(f, d); }
  for (const f of TYPE_FIELDS) { const d = diffKeyed(a.facts.types[f], b.facts.types[f]); if (d) ch.set(`types.${f}`, d); }
  const d = diffKeyed(a.constNames, b.constNames, [a.constPrints, b.constPrints]);
  if (d) ch.set('packageConsts', d);
  return ch;
}

/** True when something a declaration read has changed. */
export function readsChanged(reads: FactReads, changes: FactChanges): boolean {
  for (const [field, keys] of reads) {
    const ch = changes.get(field);
    if (!ch) continue;
    if (ch === true || keys === true) return true;
    for (const k of keys) if (ch.has(k)) return true;
  }
  return false;
}

class TrackedMap<V> implements ReadonlyMap<string, V> {
  constructor(private readonly m: ReadonlyMap<string, V>, private readonly field: string, private readonly reads: FactReads) {}
  private one(k: string): void {
    const r = this.reads.get(this.field);
    if (r === true) return;
    if (r) r.add(k); else this.reads.set(this.field, new Set([k]));
  }
  private all(): void { this.reads.set(this.field, true); }
  get size(): number { this.all(); return this.m.size; }
  has(k: string): boolean { this.one(k); return this.m.has(k); }
  get(k: string): V | undefined { this.one(k); return this.m.get(k); }
  forEach(cb: (v: V, k: string, m: ReadonlyMap<string, V>) => void): void { this.all(); this.m.forEach((v, k) => cb(v, k, this)); }
  keys(): MapIterator<string> { this.all(); return this.m.keys(); }
  values(): MapIterator<V> { this.all(); return this.m.values(); }
  entries(): MapIterator<[string, V]> { this.all(); return this.m.entries(); }
  [Symbol.iterator](): MapIterator<[string, V]> { this.all(); return this.m[Symbol.iterator](); }
}

class TrackedSet implements ReadonlySet<string> {
  constructor(private readonly s: ReadonlySet<string>, private readonly field: string, private readonly reads: FactReads) {}
  private all(): void { this.reads.set(this.field, true); }
  get size(): number { this.all(); return this.s.size; }
  has(k: string): boolean {
    const r = this.reads.get(this.field);
    if (r !== true) { if (r) r.add(k); else this.reads.set(this.field, new Set([k])); }
    return this.s.has(k);
  }
  forEach(cb: (v: string, k: string, s: ReadonlySet<string>) => void): void { this.all(); this.s.forEach((v) => cb(v, v, this)); }
  keys(): SetIterator<string> { this.all(); return this.s.keys(); }
  values(): SetIterator<string> { this.all(); return this.s.values(); }
  entries(): SetIterator<[string, string]> { this.all(); return this.s.entries(); }
  [Symbol.iterator](): SetIterator<string> { this.all(); return this.s[Symbol.iterator](); }
}

/** A view of `f` that records in `reads` every fact (and key) read through it. */
export function trackFacts(f: FileFacts, reads: FactReads): FileFacts {
  const t = f.types;
  const map = <V>(m: ReadonlyMap<string, V>, field: string) => new TrackedMap(m, field, reads);
  const set = (s: ReadonlySet<string>, field: string) => new TrackedSet(s, field, reads);
  return {
    get packageName() { reads.set('packageName', true); return f.packageName; },
    get cgoPreamble() { reads.set('cgoPreamble', true); return f.cgoPreamble; },
    importByLocal: map(f.importByLocal, 'importByLocal'),
    localByPath: map(f.localByPath, 'localByPath'),
    packageVars: set(f.packageVars, 'packageVars'),
    pools: map(f.pools, 'pools'),
    packageConsts: map(f.packageConsts, 'packageConsts'),
    types: {
      typeKinds: map(t.typeKinds, 'types.typeKinds'),
      poolStructs: map(t.poolStructs, 'types.poolStructs'),
      resetTypes: set(t.resetTypes, 'types.resetTypes'),
      varTypes: map(t.varTypes, 'types.varTypes'),
      poolByValue: set(t.poolByValue, 'types.poolByValue'),
      poolNewAssigned: set(t.poolNewAssigned, 'types.poolNewAssigned'),
      structFields: map(t.structFields, 'types.structFields'),
    },
  };
}

/** The local name under which `path` is imported, if it is. */
export function localNameOf(facts: FileFacts, path: string): string | undefined {
  return facts.localByPath.get(path);
}

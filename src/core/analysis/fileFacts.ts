import type { Node } from 'web-tree-sitter';
import { stringLiteralValue } from './syntax';

export interface ImportFact { path: string; local: string; node: Node }

/**
 * What a rule may know about the file beyond its own declaration. Rules are run per top-level declaration and
 * their results are memoised by the declaration's text, so anything a rule reads outside its declaration must be
 * here, and must be part of `key`.
 */
export interface FileFacts {
  packageName: string;
  imports: ImportFact[];
  /** local name -> import path ("." and "_" imports are not names). */
  importByLocal: Map<string, string>;
  /** Package-level variable names. */
  packageVars: Set<string>;
  /** Package-level sync.Pool variables, and whether their declaration sets `New`. */
  pools: Map<string, { hasNew: boolean }>;
  /** Package-level constants: name -> its value expression (null when implicit, e.g. a repeated iota line). */
  packageConsts: Map<string, Node | null>;
  /** Type-level facts for the pool rules (see collectTypeFacts). */
  types: TypeFacts;
  /** Text of the cgo preamble: the comment lines directly above an ungrouped `import "C"` ('' when none). */
  cgoPreamble: string;
  key: string;
}

/** What the pool rules need to know about the file's types and package-level variables. */
export interface TypeFacts {
  /** Package-level named types: name -> kind of the underlying type (struct, slice, array, map, pointer, interface, func, chan, or the basic type's name). */
  typeKinds: Map<string, string>;
  /** Struct types of this file holding a sync.Pool by value (directly, or in a struct field of such a type): type -> field names. */
  poolStructs: Map<string, string[]>;
  /** Named types of this file that have a `Reset` method. */
  resetTypes: Set<string>;
  /** Package-level variables with an explicit type: name -> type text without spaces. */
  varTypes: Map<string, string>;
  /** Package-level sync.Pool variables held by value (not `*sync.Pool`). */
  poolByValue: Set<string>;
  /** Package-level pools whose `New` is assigned somewhere in the file (`p.New = ...`), e.g. in init(). */
  poolNewAssigned: Set<string>;
  /**
   * Struct types of this file: name -> the type text (without spaces) of each field, one entry per field name (an
   * embedded field once). The alloc rules compute sizes from it for the target's pointer size.
   */
  structFields: Map<string, string[]>;
}

function lastPathElement(p: string): string {
  const base = p.slice(p.lastIndexOf('/') + 1);
  // gopkg.in/yaml.v3 -> yaml; a major-version suffix "v2" is not the name either.
  const m = /^(.*?)(?:\.v\d+)?$/.exec(base);
  return (m?.[1] ?? base).replace(/-/g, '_');
}

/** The previous facts of a document and the declaration texts they were computed from. */
export interface FactsCache { source?: string; facts?: FileFacts }

const FACT_DECLS = new Set(['package_clause', 'import_declaration', 'const_declaration', 'var_declaration', 'type_declaration']);

/**
 * The text the facts depend on: package, import, const, var and type declarations, method names with their
 * receivers (Reset methods), and comments (the cgo preamble). Function bodies are not in it, except through
 * `poolNewAssigned`, which is re-checked separately.
 */
function factsSource(root: Node): string {
  const parts: string[] = [];
  for (const d of root.namedChildren) {
    if (!d) continue;
    const t = d.type;
    if (FACT_DECLS.has(t) || t === 'comment') parts.push(t, d.text);
    else if (t === 'method_declaration') parts.push(t, d.childForFieldName('receiver')?.text ?? '', d.childForFieldName('name')?.text ?? '');
  }
  return parts.join('\u0000');
}

/**
 * Facts of a file, reusing the previous facts of the same document when the declarations they come from did not
 * change: on a keystroke inside a function body that saves recollecting them. Fields holding syntax nodes
 * (imports, constants) are always taken from the current tree, since the old tree's nodes are gone.
 */
export function collectFileFactsCached(root: Node, cache: FactsCache): FileFacts {
  const source = factsSource(root);
  const prev = cache.facts;
  if (prev && cache.source === source) {
    const fresh = nodeFacts(root);
    const poolNewAssigned = poolNewAssignedIn(root, prev.pools);
    if (sameSet(poolNewAssigned, prev.types.poolNewAssigned)) {
      const facts: FileFacts = { ...prev, imports: fresh.imports, packageConsts: fresh.packageConsts };
      cache.facts = facts;
      return facts;
    }
  }
  const facts = collectFileFacts(root);
  cache.source = source;
  cache.facts = facts;
  return facts;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** The node-bearing facts: cheap (imports and constants only). */
function nodeFacts(root: Node): { imports: ImportFact[]; packageConsts: Map<string, Node | null> } {
  const imports: ImportFact[] = [];
  const packageConsts = new Map<string, Node | null>();
  for (const decl of root.namedChildren) {
    if (decl?.type === 'import_declaration') collectImports(decl, imports);
    else if (decl?.type === 'const_declaration') collectConsts(decl, packageConsts);
  }
  return { imports, packageConsts };
}

function collectImports(decl: Node, imports: ImportFact[]): void {
  for (const spec of decl.descendantsOfType('import_spec')) {
    if (!spec) continue;
    const path = stringLiteralValue(spec.childForFieldName('path'));
    if (path === undefined) continue;
    const name = spec.childForFieldName('name');
    const local = name ? name.text : lastPathElement(path);
    imports.push({ path, local, node: spec });
  }
}

function collectConsts(decl: Node, packageConsts: Map<string, Node | null>): void {
  for (const spec of decl.namedChildren) {
    if (spec?.type !== 'const_spec') continue;
    const values = spec.childForFieldName('value')?.namedChildren ?? [];
    spec.childrenForFieldName('name').forEach((n, i) => { if (n) packageConsts.set(n.text, values[i] ?? null); });
  }
}

function poolNewAssignedIn(root: Node, pools: ReadonlyMap<string, unknown>): Set<string> {
  const out = new Set<string>();
  if (pools.size === 0) return out;
  const text = root.text;
  for (const name of pools.keys()) {
    if (new RegExp(`(^|[^.\\w])${name}\\.New\\s*=[^=]`).test(text)) out.add(name);
  }
  return out;
}

export function collectFileFacts(root: Node): FileFacts {
  let packageName = '';
  const imports: ImportFact[] = [];
  const packageVars = new Set<string>();
  const pools = new Map<string, { hasNew: boolean }>();
  const packageConsts = new Map<string, Node | null>();
  for (const decl of root.namedChildren) {
    if (!decl) continue;
    if (decl.type === 'package_clause') {
      packageName = decl.namedChildren[0]?.text ?? '';
    } else if (decl.type === 'import_declaration') {
      collectImports(decl, imports);
    } else if (decl.type === 'const_declaration') {
      collectConsts(decl, packageConsts);
    } else if (decl.type === 'var_declaration') {
      for (const spec of decl.descendantsOfType('var_spec')) {
        if (!spec || spec.parent?.type === 'block') continue;
        const names = spec.childrenForFieldName('name').filter((n): n is Node => !!n);
        const type = spec.childForFieldName('type');
        const value = spec.childForFieldName('value');
        for (const n of names) packageVars.add(n.text);
        const typeText = type?.text.replace(/\s+/g, '') ?? '';
        const valueText = value?.text ?? '';
        const syncLocal = [...imports].find((i) => i.path === 'sync')?.local ?? 'sync';
        const isPool = typeText === `${syncLocal}.Pool` || typeText === `*${syncLocal}.Pool` ||
          new RegExp(`^&?${syncLocal}\\.Pool\\s*\\{`).test(valueText.trim());
        if (isPool) {
          for (const n of names) pools.set(n.text, { hasNew: /\bNew\s*:/.test(valueText) });
        }
      }
    }
  }
  const importByLocal = new Map<string, string>();
  for (const i of imports) if (i.local !== '.' && i.local !== '_') importByLocal.set(i.local, i.path);
  const key = JSON.stringify([packageName, imports.map((i) => [i.local, i.path]), [...packageVars].sort(),
    [...pools].sort((a, b) => a[0].localeCompare(b[0])),
    [...packageConsts].map(([n, v]) => [n, v?.text ?? null]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))]);
  const types = collectTypeFacts(root, imports, pools);
  const cgoPreamble = collectCgoPreamble(root);
  const fullKey = JSON.stringify([key, typeFactsKey(types), cgoPreamble]);
  return { packageName, imports, importByLocal, packageVars, pools, packageConsts, types, cgoPreamble, key: fullKey };
}

const TYPE_NODE_KIND: Record<string, string> = {
  struct_type: 'struct', slice_type: 'slice', array_type: 'array', map_type: 'map', pointer_type: 'pointer',
  interface_type: 'interface', function_type: 'func', channel_type: 'chan',
};

function collectTypeFacts(root: Node, imports: ImportFact[], pools: Map<string, { hasNew: boolean }>): TypeFacts {
  const typeKinds = new Map<string, string>();
  const poolStructs = new Map<string, string[]>();
  const resetTypes = new Set<string>();
  const varTypes = new Map<string, string>();
  const poolByValue = new Set<string>();
  const poolNewAssigned = new Set<string>();
  // Besides typeKinds, only the pool rules read these, and they need sync: other files skip them (this runs on every keystroke).
  const sync = imports.find((i) => i.path === 'sync');
  const syncLocal = sync?.local ?? 'sync';
  const structs: { name: string; type: Node; text: string }[] = [];
  const structFields = new Map<string, string[]>();
  for (const decl of root.namedChildren) {
    if (decl?.type === 'type_declaration') {
      for (const spec of decl.namedChildren) {
        if (spec?.type !== 'type_spec' && spec?.type !== 'type_alias') continue;
        const name = spec.childForFieldName('name')?.text;
        const type = spec.childForFieldName('type');
        if (!name || !type) continue;
        typeKinds.set(name, TYPE_NODE_KIND[type.type] ?? type.text.replace(/\s+/g, ''));
        if (type.type === 'struct_type') { structs.push({ name, type, text: type.text }); structFields.set(name, fieldTypes(type)); }
      }
    } else if (sync && decl?.type === 'var_declaration') {
      for (const spec of decl.descendantsOfType('var_spec')) {
        if (!spec) continue;
        const typeText = spec.childForFieldName('type')?.text.replace(/\s+/g, '');
        const valueText = spec.childForFieldName('value')?.text.trim() ?? '';
        for (const n of spec.childrenForFieldName('name')) {
          if (!n) continue;
          if (typeText) varTypes.set(n.text, typeText);
          if (pools.has(n.text) && (typeText === `${syncLocal}.Pool` || (!typeText && !valueText.startsWith('&')))) poolByValue.add(n.text);
        }
      }
    }
  }
  if (!sync) return { typeKinds, poolStructs, resetTypes, varTypes, poolByValue, poolNewAssigned, structFields };
  const text = root.text;
  // Struct types holding a Pool by value, directly or through a by-value field of another such struct. Only structs
  // whose text mentions a Pool (or such a struct) have their fields read.
  const poolRe = new RegExp(`\\b${syncLocal}\\.Pool\\b`);
  for (let changed = true; changed;) {
    changed = false;
    for (const s of structs) {
      if (poolStructs.has(s.name) || !(poolRe.test(s.text) || [...poolStructs.keys()].some((k) => new RegExp(`\\b${k}\\b`).test(s.text)))) continue;
      const holding: string[] = [];
      for (const f of s.type.descendantsOfType('field_declaration')) {
        if (!f || f.parent?.parent?.id !== s.type.id) continue;
        const ft = f.childForFieldName('type')?.text.replace(/\s+/g, '') ?? '';
        if (ft !== `${syncLocal}.Pool` && !poolStructs.has(ft)) continue;
        const names = f.childrenForFieldName('name').filter((n): n is Node => !!n).map((n) => n.text);
        // An embedded field is named after its type: sync.Pool -> Pool.
        holding.push(...(names.length > 0 ? names : [ft.replace(/^.*\./, '')]));
      }
      if (holding.length > 0) { poolStructs.set(s.name, holding); changed = true; }
    }
  }
  for (const m of text.matchAll(/^func\s*\(\s*(?:\w+\s+)?\*?\s*(\w+)(?:\[[^\]]*\])?\s*\)\s*Reset\s*\(/gm)) resetTypes.add(m[1]);
  for (const name of pools.keys()) {
    if (new RegExp(`(^|[^.\\w])${name}\\.New\\s*=[^=]`).test(text)) poolNewAssigned.add(name);
  }
  return { typeKinds, poolStructs, resetTypes, varTypes, poolByValue, poolNewAssigned, structFields };
}

/** Field type texts of a struct type, one per field name (see TypeFacts.structFields). */
function fieldTypes(struct: Node): string[] {
  const out: string[] = [];
  const list = struct.namedChildren.find((c) => c?.type === 'field_declaration_list');
  for (const f of list?.namedChildren ?? []) {
    if (f?.type !== 'field_declaration') continue;
    const t = f.childForFieldName('type')?.text.replace(/\s+/g, '') ?? '?';
    const names = f.childrenForFieldName('name').length;
    // An embedded `*T` has its star outside the type field.
    const star = names === 0 && f.children.some((c) => c?.type === '*') && !t.startsWith('*') ? '*' : '';
    for (let i = 0; i < Math.max(1, names); i++) out.push(star + t);
  }
  return out;
}

function typeFactsKey(t: TypeFacts): unknown[] {
  const sorted = <V>(m: Map<string, V>) => [...m].sort((a, b) => a[0].localeCompare(b[0]));
  return [sorted(t.typeKinds), sorted(t.poolStructs), [...t.resetTypes].sort(), sorted(t.varTypes), [...t.poolByValue].sort(),
    [...t.poolNewAssigned].sort(), sorted(t.structFields)];
}

/** The comment lines directly above an ungrouped `import "C"` (cgo reads its preamble from them). */
function collectCgoPreamble(root: Node): string {
  const children = root.namedChildren;
  for (let i = 0; i < children.length; i++) {
    const decl = children[i];
    if (decl?.type !== 'import_declaration') continue;
    const spec = decl.namedChildren[0];
    if (spec?.type !== 'import_spec' || stringLiteralValue(spec.childForFieldName('path')) !== 'C') continue;
    const lines: string[] = [];
    let nextRow = decl.startPosition.row;
    for (let j = i - 1; j >= 0; j--) {
      const c = children[j];
      if (c?.type !== 'comment' || c.endPosition.row !== nextRow - 1) break;
      lines.unshift(c.text);
      nextRow = c.startPosition.row;
    }
    return lines.join('\n');
  }
  return '';
}

/** The local name under which `path` is imported, if it is. */
export function localNameOf(facts: FileFacts, path: string): string | undefined {
  for (const [local, p] of facts.importByLocal) if (p === path) return local;
  return undefined;
}

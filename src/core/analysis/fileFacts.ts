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
  key: string;
}

function lastPathElement(p: string): string {
  const base = p.slice(p.lastIndexOf('/') + 1);
  // gopkg.in/yaml.v3 -> yaml; a major-version suffix "v2" is not the name either.
  const m = /^(.*?)(?:\.v\d+)?$/.exec(base);
  return (m?.[1] ?? base).replace(/-/g, '_');
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
      for (const spec of decl.descendantsOfType('import_spec')) {
        if (!spec) continue;
        const path = stringLiteralValue(spec.childForFieldName('path'));
        if (path === undefined) continue;
        const name = spec.childForFieldName('name');
        const local = name ? name.text : lastPathElement(path);
        imports.push({ path, local, node: spec });
      }
    } else if (decl.type === 'const_declaration') {
      for (const spec of decl.namedChildren) {
        if (spec?.type !== 'const_spec') continue;
        const values = spec.childForFieldName('value')?.namedChildren ?? [];
        spec.childrenForFieldName('name').forEach((n, i) => { if (n) packageConsts.set(n.text, values[i] ?? null); });
      }
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
  return { packageName, imports, importByLocal, packageVars, pools, packageConsts, key };
}

/** The local name under which `path` is imported, if it is. */
export function localNameOf(facts: FileFacts, path: string): string | undefined {
  for (const [local, p] of facts.importByLocal) if (p === path) return local;
  return undefined;
}

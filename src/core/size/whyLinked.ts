/**
 * "Why is this linked?": from `tinygo list -deps -json` for the build's target, the import chain from the main
 * package to a package, and what removing the main package's import at the head of that chain would save: the
 * packages no longer reachable from the main package and the runtime without it (the package's own size plus those
 * only it pulls in), priced with the last build's per-package sizes. TinyGo links `runtime` into every program without an import: a package only the runtime needs
 * is not the program's to remove.
 */

export interface ListedPackage {
  importPath: string;
  name: string;
  imports: string[];
  /** Listed only as a dependency (not one of the packages asked for). */
  depOnly: boolean;
}

export type ParsedList = { ok: true; packages: ListedPackage[] } | { ok: false; error: string };

const MAX_PACKAGES = 100_000;

/**
 * `go list -json` output: JSON objects one after another (not an array). Split by a scanner that knows strings and
 * escapes, then each object parsed on its own, so a bad one names its position instead of failing the whole list.
 */
export function parseListJson(text: string): ParsedList {
  const split = splitJsonObjects(text);
  if (!split.ok) return split;
  const objects = split.objects;
  const packages: ListedPackage[] = [];
  for (const [n, raw] of objects.entries()) {
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch (e) {
      return { ok: false, error: `package ${n + 1}: ${(e as Error).message}` };
    }
    const o = v as Record<string, unknown>;
    if (typeof o.ImportPath !== 'string' || o.ImportPath === '') return { ok: false, error: `package ${n + 1}: no ImportPath` };
    const imports = o.Imports === undefined ? [] : o.Imports;
    if (!Array.isArray(imports) || !imports.every((x) => typeof x === 'string')) return { ok: false, error: `${o.ImportPath}: Imports is not a list of strings` };
    packages.push({ importPath: o.ImportPath, name: typeof o.Name === 'string' ? o.Name : '', imports: imports as string[], depOnly: o.DepOnly === true });
  }
  if (packages.length === 0) return { ok: false, error: 'no package in the output' };
  return { ok: true, packages };
}

/** The top-level JSON objects of `go list -json` output, each as its own text (not parsed yet). */
export function splitJsonObjects(text: string): { ok: true; objects: string[] } | { ok: false; error: string } {
  const objects: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      if (depth === 0) return { ok: false, error: `a string outside any object at offset ${i}` };
      inString = true;
    } else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}') {
      if (depth === 0) return { ok: false, error: `an unmatched } at offset ${i}` };
      depth--;
      if (depth === 0) {
        objects.push(text.slice(start, i + 1));
        if (objects.length > MAX_PACKAGES) return { ok: false, error: `more than ${MAX_PACKAGES} packages` };
      }
    } else if (depth === 0 && !/\s/.test(c!)) {
      return { ok: false, error: `unexpected ${JSON.stringify(c)} between objects at offset ${i}` };
    }
  }
  if (depth !== 0 || inString) return { ok: false, error: 'the output ends inside an object (cut short?)' };
  return { ok: true, objects };
}

export interface DependencyGraph {
  /** The package built (the one not listed as a dependency only; a `main` one when several). */
  root: string;
  imports: ReadonlyMap<string, readonly string[]>;
}

export function dependencyGraph(packages: readonly ListedPackage[]): DependencyGraph {
  const asked = packages.filter((p) => !p.depOnly);
  const root = (asked.find((p) => p.name === 'main') ?? asked[asked.length - 1] ?? packages[packages.length - 1]!).importPath;
  return { root, imports: new Map(packages.map((p) => [p.importPath, p.imports])) };
}

/**
 * The package name the size report uses for an import path: TinyGo names the main package's symbols `main.*`
 * whatever its import path.
 */
export function sizeName(graph: DependencyGraph, importPath: string): string {
  return importPath === graph.root ? 'main' : importPath;
}

const RUNTIME = 'runtime';

export interface ImportChain {
  /** From the main package (or `runtime` when only TinyGo's runtime pulls it in) to the package, both included. */
  chain: string[];
  /** The chain starts at the runtime: TinyGo links it into every program. */
  viaRuntime: boolean;
}

/** The shortest import chain to `target`, or undefined when nothing imports it. */
export function importChain(graph: DependencyGraph, target: string): ImportChain | undefined {
  const to = target === 'main' ? graph.root : target;
  for (const [from, viaRuntime] of [[graph.root, false], [RUNTIME, true]] as const) {
    if (!graph.imports.has(from)) continue;
    const prev = new Map<string, string | null>([[from, null]]);
    const queue = [from];
    while (queue.length) {
      const p = queue.shift()!;
      if (p === to) {
        const chain: string[] = [];
        for (let at: string | null = p; at !== null; at = prev.get(at) ?? null) chain.unshift(at);
        return { chain, viaRuntime };
      }
      for (const q of graph.imports.get(p) ?? []) {
        if (!prev.has(q)) {
          prev.set(q, p);
          queue.push(q);
        }
      }
    }
  }
  return undefined;
}

/** What the main package and the runtime reach, with the main package's import of `cut` left out. */
function reachable(graph: DependencyGraph, cut?: string): Set<string> {
  const seen = new Set<string>();
  const queue = [graph.root, RUNTIME].filter((p) => graph.imports.has(p));
  for (const p of queue) seen.add(p);
  while (queue.length) {
    const p = queue.shift()!;
    for (const q of graph.imports.get(p) ?? []) {
      if ((p === graph.root && q === cut) || seen.has(q)) continue;
      seen.add(q);
      queue.push(q);
    }
  }
  return seen;
}

export interface PackageCost { flash: number; ram: number }

export interface RemovalSaving {
  /** The main package's import that starts the chain: the one to remove. */
  import: string;
  /** What goes away with it, largest flash first, with its size in the last build. */
  packages: { package: string; flash: number; ram: number }[];
  flash: number;
  ram: number;
  /** The package asked about stays linked without that import, through this chain. */
  stillLinkedVia?: ImportChain;
}

/**
 * What removing the main package's import that starts `target`'s chain would save: the packages the main package
 * and the runtime reach now but not without that import, priced by `sizes` (keyed by the size report's package
 * names). Undefined for the main package itself and for a package only the runtime pulls in.
 */
export function removalSaving(graph: DependencyGraph, target: string, sizes: ReadonlyMap<string, PackageCost>): RemovalSaving | undefined {
  const c = importChain(graph, target);
  if (!c || c.viaRuntime || c.chain.length < 2) return undefined;
  const cut = c.chain[1]!;
  const before = reachable(graph);
  const after = reachable(graph, cut);
  const packages = [...before].filter((p) => !after.has(p)).map((p) => {
    const name = sizeName(graph, p);
    const cost = sizes.get(name);
    return { package: name, flash: cost?.flash ?? 0, ram: cost?.ram ?? 0 };
  }).sort((a, b) => b.flash - a.flash || b.ram - a.ram || a.package.localeCompare(b.package));
  const out: RemovalSaving = { import: cut, packages, flash: packages.reduce((n, p) => n + p.flash, 0), ram: packages.reduce((n, p) => n + p.ram, 0) };
  const t = target === 'main' ? graph.root : target;
  if (after.has(t)) {
    const without = new Map(graph.imports);
    without.set(graph.root, (graph.imports.get(graph.root) ?? []).filter((q) => q !== cut));
    const other = importChain({ root: graph.root, imports: without }, t);
    if (other) out.stillLinkedVia = other;
  }
  return out;
}

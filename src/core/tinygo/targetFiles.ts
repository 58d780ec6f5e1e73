/**
 * TinyGo's target files (TINYGOROOT/targets/NAME.json), resolved the way TinyGo's compileopts.LoadTarget does, so
 * that the board picker can describe every target (chip, flash method, memory) without running `tinygo info` once
 * per target. What `tinygo info -json` prints stays the authority once a target is chosen.
 *
 * Resolution (tinygo compileopts/target.go, resolveInherits + overrideProperties): start from an empty spec; for each
 * name in `inherits`, in order, resolve that target and lay it over the spec; then lay the target's own file over
 * the result. Laying B over A: a non-empty string, a non-zero number, a boolean or an object of B replaces A's; a
 * list of B is appended to A's (a value already there is not repeated).
 */

import { parseTargetSpec, type TargetSpec } from './info';

/** Text of `targets/NAME.json`, or undefined when there is no such file. */
export type ReadTargetFile = (name: string) => string | undefined;

type Raw = Record<string, unknown>;

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const MAX_DEPTH = 16;

function layOver(dst: Raw, src: Raw): void {
  for (const [k, v] of Object.entries(src)) {
    if (Array.isArray(v)) {
      const cur = Array.isArray(dst[k]) ? [...(dst[k] as unknown[])] : [];
      for (const x of v) if (!cur.includes(x)) cur.push(x);
      dst[k] = cur;
    } else if (typeof v === 'string') {
      if (v !== '') dst[k] = v;
    } else if (typeof v === 'number') {
      if (v !== 0) dst[k] = v;
    } else if (v !== null && v !== undefined) {
      dst[k] = v;
    }
  }
}

export class TargetFileResolver {
  private readonly files = new Map<string, Raw | string>();
  private readonly resolved = new Map<string, Raw | string>();

  constructor(private readonly read: ReadTargetFile) {}

  /** The resolved target JSON object, or a one-line reason it could not be resolved. */
  resolveRaw(name: string): { raw: Raw } | { error: string } {
    const r = this.resolve(name, []);
    return typeof r === 'string' ? { error: r } : { raw: r };
  }

  /** The resolved spec in the shape `tinygo info -json` gives, or undefined when the files do not resolve. */
  spec(name: string): TargetSpec | undefined {
    const r = this.resolve(name, []);
    return typeof r === 'string' ? undefined : parseTargetSpec(r);
  }

  private file(name: string): Raw | string {
    let f = this.files.get(name);
    if (f === undefined) {
      if (!NAME_RE.test(name)) {
        f = `not a target name: "${name}"`;
      } else {
        let text: string | undefined;
        try { text = this.read(name); } catch { text = undefined; }
        if (text === undefined) {
          f = `no target file targets/${name}.json`;
        } else {
          try {
            const doc: unknown = JSON.parse(text);
            f = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Raw) : `targets/${name}.json is not a JSON object`;
          } catch (e) {
            f = `targets/${name}.json is not valid JSON: ${(e as Error).message}`;
          }
        }
      }
      this.files.set(name, f);
    }
    return f;
  }

  private resolve(name: string, chain: readonly string[]): Raw | string {
    const done = this.resolved.get(name);
    if (done !== undefined) return done;
    if (chain.includes(name)) return `targets/${name}.json inherits from itself (${[...chain, name].join(' -> ')})`;
    if (chain.length >= MAX_DEPTH) return `target inheritance deeper than ${MAX_DEPTH} at ${name}`;
    const own = this.file(name);
    let result: Raw | string;
    if (typeof own === 'string') {
      result = own;
    } else {
      const spec: Raw = {};
      const parents = Array.isArray(own.inherits) ? own.inherits : [];
      result = spec;
      for (const p of parents) {
        const sub = typeof p === 'string' ? this.resolve(p, [...chain, name]) : `an inherits entry of targets/${name}.json is not a name`;
        if (typeof sub === 'string') { result = sub; break; }
        layOver(spec, sub);
      }
      if (typeof result !== 'string') layOver(spec, own);
    }
    this.resolved.set(name, result);
    return result;
  }
}

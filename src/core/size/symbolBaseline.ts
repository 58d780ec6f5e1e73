/**
 * The last build's symbols kept across a window reload, per workspace folder and target, so that the first build
 * after a reload still gets its symbol diff ("Changes"). Only what the diff needs is kept (names, packages, sections,
 * sizes, totals; no source lines), in a compact form with its package and section names in tables, and within a
 * size limit. Whatever is read back is checked: a corrupt, foreign or older entry is ignored, never thrown.
 */
import type { ElfSizeReport, SizeSymbol } from '../elf';

export const BASELINE_VERSION = 1;
/** Above this many characters of JSON a report is not kept (the workspace state is no place for megabytes). */
export const MAX_BASELINE_CHARS = 400_000;
/** Folder+target pairs kept; the least recently written goes first. */
export const MAX_BASELINES = 6;
const MAX_SYMBOLS = 200_000;

/** A symbol: name, index into `packages`, index into `sections`, size, address, 1 for a gap (else absent). */
type StoredSymbol = [string, number, number, number, number] | [string, number, number, number, number, 1];

export interface StoredBaseline {
  v: typeof BASELINE_VERSION;
  /** The ELF it was read from (a diff is only made against the same output file). */
  file: string;
  totals: ElfSizeReport['totals'];
  sections: ElfSizeReport['sections'];
  packages: ElfSizeReport['packages'];
  symbols: StoredSymbol[];
}

export type EncodeResult = { ok: true; value: StoredBaseline; chars: number } | { ok: false; error: string };

/** The report in its stored form, or why it is not kept (too large). */
export function encodeBaseline(r: ElfSizeReport, maxChars = MAX_BASELINE_CHARS): EncodeResult {
  const sectionIndex = new Map(r.sections.map((s, i) => [s.name, i]));
  const packageIndex = new Map(r.packages.map((p, i) => [p.package, i]));
  const packages = [...r.packages];
  const sections = [...r.sections];
  const symbols = r.symbols.map((s): StoredSymbol => {
    let p = packageIndex.get(s.package);
    if (p === undefined) packageIndex.set(s.package, (p = packages.push({ package: s.package, flash: 0, ram: 0, text: 0, data: 0, bss: 0 }) - 1));
    let c = sectionIndex.get(s.section);
    if (c === undefined) sectionIndex.set(s.section, (c = sections.push({ name: s.section, class: 'text', address: 0, size: 0 }) - 1));
    return s.gap ? [s.name, p, c, s.size, s.address, 1] : [s.name, p, c, s.size, s.address];
  });
  const value: StoredBaseline = { v: BASELINE_VERSION, file: r.file, totals: { ...r.totals }, sections, packages, symbols };
  const chars = JSON.stringify(value).length;
  if (chars > maxChars) return { ok: false, error: `${r.symbols.length} symbols take ${chars} characters, more than the ${maxChars} kept` };
  return { ok: true, value, chars };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The stored form back as a report (without source lines), or undefined when it is not one this version wrote. */
export function decodeBaseline(v: unknown): ElfSizeReport | undefined {
  if (!isObject(v) || v.v !== BASELINE_VERSION || typeof v.file !== 'string' || v.file === '') return undefined;
  const t = v.totals;
  if (!isObject(t) || !(['text', 'data', 'bss', 'flash', 'ram'] as const).every((k) => isCount(t[k]))) return undefined;
  const totals = { text: t.text as number, data: t.data as number, bss: t.bss as number, flash: t.flash as number, ram: t.ram as number };
  if (!Array.isArray(v.sections) || !Array.isArray(v.packages) || !Array.isArray(v.symbols) || v.symbols.length > MAX_SYMBOLS) return undefined;
  const sections: ElfSizeReport['sections'] = [];
  for (const s of v.sections as unknown[]) {
    if (!isObject(s) || typeof s.name !== 'string' || typeof s.class !== 'string' || !isCount(s.address) || !isCount(s.size)) return undefined;
    sections.push({ name: s.name, class: s.class, address: s.address, size: s.size });
  }
  const packages: ElfSizeReport['packages'] = [];
  for (const p of v.packages as unknown[]) {
    if (!isObject(p) || typeof p.package !== 'string' || !(['flash', 'ram', 'text', 'data', 'bss'] as const).every((k) => isCount(p[k]))) return undefined;
    packages.push({ package: p.package, flash: p.flash as number, ram: p.ram as number, text: p.text as number, data: p.data as number, bss: p.bss as number });
  }
  const symbols: SizeSymbol[] = [];
  for (const s of v.symbols as unknown[]) {
    if (!Array.isArray(s) || (s.length !== 5 && s.length !== 6)) return undefined;
    const [name, p, c, size, address, gap] = s as unknown[];
    if (typeof name !== 'string' || !isCount(p) || p >= packages.length || !isCount(c) || c >= sections.length || !isCount(size) || !isCount(address)) return undefined;
    if (s.length === 6 && gap !== 1) return undefined;
    const sym: SizeSymbol = { name, package: packages[p]!.package, section: sections[c]!.name, size, address };
    if (gap === 1) sym.gap = true;
    symbols.push(sym);
  }
  return { file: v.file, totals, sections, packages, symbols };
}

/** The part of VS Code's Memento this needs (workspaceState), so the store runs in plain Node. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

interface Entry { at: number; baseline: unknown }

/**
 * The baselines of a workspace under one key of its state: per folder+target the last build's report. Reading
 * never throws; writing keeps at most `MAX_BASELINES` pairs and drops a report over the size limit (then the pair's
 * old report goes too: it is no longer the build before).
 */
export class SymbolBaselines {
  constructor(private readonly state: KeyValueStore, private readonly key = 'tinygo.size.symbolBaselines', private readonly maxChars = MAX_BASELINE_CHARS) {}

  static keyOf(folder: string, target: string | undefined): string {
    return `${folder}\0${target ?? ''}`;
  }

  private entries(): Record<string, Entry> {
    let all: unknown;
    try {
      all = this.state.get<unknown>(this.key);
    } catch {
      return {};
    }
    if (!isObject(all)) return {};
    const out: Record<string, Entry> = {};
    for (const [k, e] of Object.entries(all)) if (isObject(e) && typeof e.at === 'number') out[k] = { at: e.at, baseline: e.baseline };
    return out;
  }

  /** The report kept for the pair, when there is one and it reads back whole. */
  get(pair: string): ElfSizeReport | undefined {
    return decodeBaseline(this.entries()[pair]?.baseline);
  }

  /** Keeps `r` as the pair's last build; resolves with why it was not kept, if it was not. */
  async put(pair: string, r: ElfSizeReport, now = Date.now()): Promise<string | undefined> {
    const enc = encodeBaseline(r, this.maxChars);
    const all = this.entries();
    if (enc.ok) all[pair] = { at: now, baseline: enc.value };
    else delete all[pair];
    const kept = Object.entries(all).sort(([, a], [, b]) => b.at - a.at).slice(0, MAX_BASELINES);
    await this.state.update(this.key, Object.fromEntries(kept));
    return enc.ok ? undefined : enc.error;
  }

  /** Forgets the pair (its output was deleted). */
  async delete(pair: string): Promise<void> {
    const all = this.entries();
    if (!(pair in all)) return;
    delete all[pair];
    await this.state.update(this.key, all);
  }
}

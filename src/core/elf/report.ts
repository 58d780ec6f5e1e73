/**
 * A firmware ELF as a list of sized symbols (every symbol and named gap, with package, section and source line), and
 * the symbol-level difference between two of them. Shared by `tinygo-workbench size` and the size panel.
 */
import { LineLookup } from './addr2line';
import { attribute, packageTotals, type Attribution, type PackageTotal } from './attribution';
import { parseElf } from './elf';

/** `gap` marks bytes no symbol covers (`(padding)`, `(unnamed)`, `(stack)`), which are listed so that sizes add up. */
export interface SizeSymbol { name: string; package: string; section: string; size: number; address: number; gap?: true; file?: string; line?: number }

export interface SizeReport {
  /** The ELF it was read from. */
  file: string;
  totals: Attribution['totals'];
  sections: { name: string; class: string; address: number; size: number }[];
  packages: PackageTotal[];
  /** Every symbol and named gap, largest first. */
  symbols: SizeSymbol[];
}

export function elfSizeReport(file: string, bytes: Uint8Array): SizeReport {
  const elf = parseElf(bytes);
  let lines: LineLookup | undefined;
  try { lines = new LineLookup(elf); } catch { lines = undefined; } // no or damaged DWARF: symbols without lines
  const a = attribute(elf, lines);
  const classOf = new Map(a.sections.map((s) => [s.name, s.class]));
  const symbols = a.pieces.map((p): SizeSymbol => {
    const s: SizeSymbol = { name: p.name, package: p.package, section: p.section, size: p.size, address: p.address, ...(p.gap ? { gap: true as const } : {}) };
    if (!p.gap && lines && classOf.get(p.section) === 'text') {
      // A Go function's first row often carries line 0 (the prologue): take the first row of the same file with a
      // line, skipping rows of code inlined from other files (runtime/volatile in an interrupt handler).
      for (let at = p.address; at < p.address + Math.min(p.size, 64); at += 2) {
        let loc;
        try { loc = lines.lookup(at); } catch { loc = undefined; }
        if (!loc || (s.file !== undefined && loc.file !== s.file)) continue;
        s.file = loc.file;
        s.line = loc.line;
        if (loc.line !== 0) break;
      }
      if (s.line === 0) delete s.line; // line 0 is DWARF for "no line": the file is still right
    }
    return s;
  }).sort((x, y) => y.size - x.size || x.address - y.address);
  return { file, totals: a.totals, sections: a.sections.map((s) => ({ ...s })), packages: packageTotals(a), symbols };
}

export interface SizeDiff {
  flash: number;
  ram: number;
  added: SizeSymbol[];
  removed: SizeSymbol[];
  /** Same name and section, different size: `delta` = new - old. */
  changed: { name: string; package: string; section: string; old: number; new: number; delta: number }[];
  packages: { package: string; flash: number; ram: number }[];
}

/** Symbols are matched by section and name; gaps and duplicate local names are summed under one key. */
export function diffReports(oldR: SizeReport, newR: SizeReport): SizeDiff {
  const index = (r: SizeReport) => {
    const m = new Map<string, SizeSymbol>();
    for (const s of r.symbols) {
      const k = `${s.section}\0${s.name}`;
      const prev = m.get(k);
      m.set(k, prev ? { ...prev, size: prev.size + s.size } : s);
    }
    return m;
  };
  const o = index(oldR);
  const n = index(newR);
  const added = [...n].filter(([k]) => !o.has(k)).map(([, s]) => s);
  const removed = [...o].filter(([k]) => !n.has(k)).map(([, s]) => s);
  const changed = [...n].flatMap(([k, s]) => {
    const before = o.get(k);
    return before && before.size !== s.size ? [{ name: s.name, package: s.package, section: s.section, old: before.size, new: s.size, delta: s.size - before.size }] : [];
  });
  const pk = new Map<string, { package: string; flash: number; ram: number }>();
  for (const [sign, r] of [[-1, oldR], [1, newR]] as const) {
    for (const p of r.packages) {
      const row = pk.get(p.package) ?? { package: p.package, flash: 0, ram: 0 };
      row.flash += sign * p.flash;
      row.ram += sign * p.ram;
      pk.set(p.package, row);
    }
  }
  const bySize = (x: { delta?: number; size?: number }, y: { delta?: number; size?: number }) => Math.abs(y.delta ?? y.size ?? 0) - Math.abs(x.delta ?? x.size ?? 0);
  return {
    flash: newR.totals.flash - oldR.totals.flash,
    ram: newR.totals.ram - oldR.totals.ram,
    added: added.sort(bySize), removed: removed.sort(bySize), changed: changed.sort(bySize),
    packages: [...pk.values()].filter((p) => p.flash !== 0 || p.ram !== 0).sort((x, y) => Math.abs(y.flash) - Math.abs(x.flash) || Math.abs(y.ram) - Math.abs(x.ram)),
  };
}


/**
 * The size panel's symbol view model, pure so that the webview, the unit tests and the bench run the same code: the
 * firmware's symbols (read from the ELF by src/core/elf) turned into panel data, filtered, listed largest first or
 * grouped by package or by section, and the symbol-level changes between two builds.
 */

import type { SizeDiff, SizeReport as ElfSizeReport } from '../elf/report';

export type SymbolClass = 'text' | 'data' | 'bss';

/** One symbol or named gap as the panel receives it. */
export interface PanelSymbol {
  name: string;
  package: string;
  section: string;
  size: number;
  address: number;
  /** Bytes no symbol covers: `(padding)`, `(unnamed)`, `(stack)`. */
  gap?: true;
  file?: string;
  /** 1-based. */
  line?: number;
}

export interface SymbolSection { name: string; class: SymbolClass; size: number }

export type ChangeKind = 'added' | 'removed' | 'grown' | 'shrunk';

export interface SymbolChange {
  kind: ChangeKind;
  name: string;
  package: string;
  section: string;
  old: number;
  new: number;
}

export interface SymbolDiffData {
  /** Flash and RAM change of the whole firmware (new - old). */
  flash: number;
  ram: number;
  /** Largest change first. */
  changes: SymbolChange[];
}

export interface SymbolData {
  /** The ELF the symbols were read from. */
  elf: string;
  sections: SymbolSection[];
  /** Every symbol and gap, largest first. */
  symbols: PanelSymbol[];
  /** Against the build before, when this session saw one. */
  diff?: SymbolDiffData;
}

const asClass = (c: string): SymbolClass => (c === 'data' || c === 'bss' ? c : 'text');

export function symbolData(r: ElfSizeReport, diff?: SizeDiff): SymbolData {
  const d: SymbolData = {
    elf: r.file,
    sections: r.sections.map((s) => ({ name: s.name, class: asClass(s.class), size: s.size })),
    symbols: r.symbols.map((s) => {
      const p: PanelSymbol = { name: s.name, package: s.package, section: s.section, size: s.size, address: s.address };
      if (s.gap) p.gap = true;
      if (s.file !== undefined) p.file = s.file;
      if (s.line !== undefined && s.line > 0) p.line = s.line;
      return p;
    }),
  };
  if (diff) d.diff = symbolChanges(diff);
  return d;
}

/** The added, removed, grown and shrunk symbols of a diff as one list, largest change first; gaps left out. */
export function symbolChanges(diff: SizeDiff): SymbolDiffData {
  const changes: SymbolChange[] = [
    ...diff.added.filter((s) => !s.gap).map((s): SymbolChange => ({ kind: 'added', name: s.name, package: s.package, section: s.section, old: 0, new: s.size })),
    ...diff.removed.filter((s) => !s.gap).map((s): SymbolChange => ({ kind: 'removed', name: s.name, package: s.package, section: s.section, old: s.size, new: 0 })),
    ...diff.changed.filter((s) => !/^\((padding|unnamed|stack)\)$/.test(s.name))
      .map((s): SymbolChange => ({ kind: s.delta > 0 ? 'grown' : 'shrunk', name: s.name, package: s.package, section: s.section, old: s.old, new: s.new })),
  ];
  changes.sort((a, b) => Math.abs(b.new - b.old) - Math.abs(a.new - a.old) || a.name.localeCompare(b.name));
  return { flash: diff.flash, ram: diff.ram, changes };
}

/**
 * Every whitespace-separated term must occur (case-insensitively) in the symbol's name, package or section;
 * `pkg:fmt` and `section:.data` narrow a term to that field.
 */
export function filterSymbols<T extends Pick<PanelSymbol, 'name' | 'package' | 'section'>>(symbols: readonly T[], filter: string): T[] {
  const terms = filter.toLowerCase().split(/\s+/).filter(Boolean).map((t) => {
    const m = /^(pkg|package|section):(.*)$/.exec(t);
    return m ? { field: m[1] === 'section' ? 'section' as const : 'package' as const, text: m[2]! } : { text: t };
  });
  if (terms.length === 0) return [...symbols];
  return symbols.filter((s) => terms.every((t) => 'field' in t && t.field
    ? s[t.field].toLowerCase().includes(t.text)
    : s.name.toLowerCase().includes(t.text) || s.package.toLowerCase().includes(t.text) || s.section.toLowerCase().includes(t.text)));
}

export type SymbolGrouping = 'largest' | 'package' | 'section';

export interface SymbolGroup {
  key: string;
  /** Bytes of every symbol and gap of the group that passed the filter. */
  size: number;
  /** Flash = text + data, RAM = data + bss, as for packages. */
  flash: number;
  ram: number;
  /** Largest first. */
  symbols: PanelSymbol[];
}

/** Flash and RAM bytes of one symbol by its section's class (a section the list does not know counts as text). */
export function costOf(s: Pick<PanelSymbol, 'section' | 'size'>, classes: ReadonlyMap<string, SymbolClass>): { flash: number; ram: number } {
  const c = classes.get(s.section) ?? 'text';
  return { flash: c === 'bss' ? 0 : s.size, ram: c === 'text' ? 0 : s.size };
}

const bySize = (a: PanelSymbol, b: PanelSymbol) => b.size - a.size || a.address - b.address || a.name.localeCompare(b.name);

/** Groups of the filtered symbols by package or section, largest flash (then RAM) first, each largest symbol first. */
export function groupSymbols(data: Pick<SymbolData, 'sections' | 'symbols'>, by: 'package' | 'section', filter = ''): SymbolGroup[] {
  const classes = new Map(data.sections.map((s) => [s.name, s.class]));
  const groups = new Map<string, SymbolGroup>();
  for (const s of filterSymbols(data.symbols, filter)) {
    const key = by === 'package' ? s.package : s.section;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, size: 0, flash: 0, ram: 0, symbols: [] }));
    const c = costOf(s, classes);
    g.size += s.size;
    g.flash += c.flash;
    g.ram += c.ram;
    g.symbols.push(s);
  }
  for (const g of groups.values()) g.symbols.sort(bySize);
  return [...groups.values()].sort((a, b) => b.flash - a.flash || b.ram - a.ram || a.key.localeCompare(b.key));
}

/** The filtered symbols largest first, gaps left out (they are not something to remove). */
export function largestSymbols(data: Pick<SymbolData, 'symbols'>, filter = ''): PanelSymbol[] {
  return filterSymbols(data.symbols.filter((s) => !s.gap), filter).sort(bySize);
}

/** One line of the symbol list as the panel renders it: a group head or a symbol. */
export type SymbolLine =
  | { kind: 'group'; group: SymbolGroup; expanded: boolean }
  | { kind: 'symbol'; symbol: PanelSymbol; depth: 0 | 1 };

/**
 * The lines of the symbol list: flat for `largest` (at most `limit`), else a head per group and, under an expanded
 * group, its symbols (at most `limit` per group). Filtering expands every group: the matches are what was asked for.
 */
export function symbolLines(data: Pick<SymbolData, 'sections' | 'symbols'>, state: { grouping: SymbolGrouping; filter: string; expanded: readonly string[] }, limit = 500): SymbolLine[] {
  if (state.grouping === 'largest') return largestSymbols(data, state.filter).slice(0, limit).map((symbol) => ({ kind: 'symbol', symbol, depth: 0 }));
  const out: SymbolLine[] = [];
  const open = new Set(state.expanded);
  for (const group of groupSymbols(data, state.grouping, state.filter)) {
    const expanded = state.filter.trim() !== '' || open.has(group.key);
    out.push({ kind: 'group', group, expanded });
    if (expanded) for (const symbol of group.symbols.slice(0, limit)) out.push({ kind: 'symbol', symbol, depth: 1 });
  }
  return out;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]!);

const nf = new Intl.NumberFormat('en-US');

/** The file's base name and line, for the "source" column. */
export function sourceLabel(s: Pick<PanelSymbol, 'file' | 'line'>): string {
  if (!s.file) return '';
  return `${s.file.replace(/^.*[\\/]/, '')}${s.line ? `:${s.line}` : ''}`;
}

/**
 * The table rows of symbol lines, windowed by the caller (`first`..`last`): a row per line, focusable with a roving
 * tabindex; a symbol with a source line carries it in data attributes (the host opens only lines it sent).
 */
export function symbolRowsHtml(lines: readonly SymbolLine[], first: number, last: number, focus: number, why = false): string {
  const parts: string[] = [];
  for (let i = Math.max(0, first); i < Math.min(lines.length, last); i++) {
    const l = lines[i]!;
    const aria = `data-index="${i}" aria-rowindex="${i + 2}" tabindex="${i === focus ? 0 : -1}"`;
    if (l.kind === 'group') {
      const g = l.group;
      parts.push(`<tr class="sline sgroup" ${aria} aria-expanded="${l.expanded}" data-group="${escapeHtml(g.key)}"><th scope="row" class="name">${l.expanded ? '▾' : '▸'} ${escapeHtml(g.key)} <span class="count">(${g.symbols.length})</span>${why ? ` <button type="button" class="why-button" tabindex="-1" data-why="${escapeHtml(g.key)}" title="Why is ${escapeHtml(g.key)} linked? (W)">Why linked?</button>` : ''}</th><td class="num">${nf.format(g.size)}</td><td colspan="3" class="note">flash ${nf.format(g.flash)} B · RAM ${nf.format(g.ram)} B</td></tr>`);
      continue;
    }
    const s = l.symbol;
    const src = sourceLabel(s);
    const open = s.file && s.line ? ` data-file="${escapeHtml(s.file)}" data-line="${s.line}"` : '';
    const name = escapeHtml(s.name);
    parts.push(`<tr class="sline ssym${s.gap ? ' gap' : ''}${open ? ' openable' : ''}${l.depth ? ' nested' : ''}" ${aria}${open}><th scope="row" class="name" title="${name}">${name}</th><td class="num">${nf.format(s.size)}</td><td class="sec">${escapeHtml(s.section)}</td><td class="pkg" title="${escapeHtml(s.package)}">${escapeHtml(s.package)}</td><td class="src"${s.file ? ` title="${escapeHtml(s.file)}"` : ''}>${escapeHtml(src)}</td></tr>`);
  }
  return parts.join('');
}

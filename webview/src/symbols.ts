/**
 * The symbol half of the size panel: the firmware's symbols (largest first, by package, by section), the changes
 * since the build before, and a map of flash and RAM. The view model is src/core/size/symbols.ts and treemap.ts;
 * this file only turns it into DOM and handles the mouse and the keyboard. A symbol with a source line opens it
 * (click or Enter): the host opens only lines it sent.
 */
import type { WebviewMessage, WhyLinkedResult } from '../../src/core/protocol';
import { formatBytes } from '../../src/core/size/model';
import {
  costOf, escapeHtml as esc, symbolLines, symbolRowsHtml, type PanelSymbol, type SymbolData, type SymbolGrouping, type SymbolLine,
} from '../../src/core/size/symbols';
import { squarify } from '../../src/core/size/treemap';

export type SymbolMode = SymbolGrouping | 'changes' | 'map';
export const SYMBOL_MODES: readonly SymbolMode[] = ['largest', 'package', 'section', 'changes', 'map'];
const MODE_LABEL: Record<SymbolMode, string> = { largest: 'Largest', package: 'By package', section: 'By section', changes: 'Changes', map: 'Map' };

export interface SymbolUiState { mode: SymbolMode; filter: string; expanded: string[] }

export interface SymbolHost {
  state(): SymbolUiState;
  /** The state changed: save it. */
  saved(): void;
  post(m: WebviewMessage): void;
}

const nf = new Intl.NumberFormat('en-US');
const signed = (n: number): string => (n > 0 ? `+${nf.format(n)}` : n === 0 ? '±0' : nf.format(n));
const MAP_HEIGHT = 240;

let host: SymbolHost;
let data: SymbolData | undefined;
let lines: SymbolLine[] = [];
let focus = 0;

function $(id: string): HTMLElement {
  return document.getElementById(id)!;
}

/** The section's markup, once; `render` fills it. */
export function symbolSkeleton(h: SymbolHost): string {
  host = h;
  return `<section id="symbols" aria-labelledby="symbols-title" class="hidden">
    <h2 id="symbols-title">Symbols</h2>
    <div class="toolbar">
      <span role="group" aria-label="Symbol view" id="symbol-modes">${SYMBOL_MODES.map((m) => `<button type="button" class="mode" data-mode="${m}" aria-pressed="false">${MODE_LABEL[m]}</button>`).join('')}</span>
      <input type="search" id="symbol-filter" placeholder="Filter symbols (e.g. Sprintf, pkg:fmt, section:.data)" aria-label="Filter symbols">
      <span id="symbol-count" role="status" aria-live="polite"></span>
    </div>
    <div id="why" class="why hidden" role="region" aria-label="Why is this linked?" aria-live="polite"></div>
    <div id="symbol-list" class="table-scroll symbol-scroll">
      <table id="symbol-table" aria-describedby="symbol-count">
        <caption class="sr-only">Symbols of the firmware; the arrow keys move between rows, Enter opens a group or the symbol's source line, W on a package says why it is linked</caption>
        <thead><tr aria-rowindex="1"><th scope="col" class="name">Symbol</th><th scope="col" class="num">Bytes</th><th scope="col" class="sec">Section</th><th scope="col" class="pkg">Package</th><th scope="col" class="src">Source</th></tr></thead>
        <tbody id="symbol-rows"></tbody>
      </table>
    </div>
    <div id="symbol-changes"></div>
    <div id="symbol-map"></div>
  </section>`;
}

/** Listeners, after the skeleton is in the DOM. */
export function wireSymbols(): void {
  const filter = $('symbol-filter') as HTMLInputElement;
  filter.value = host.state().filter;
  filter.addEventListener('input', () => {
    host.state().filter = filter.value.slice(0, 200);
    renderSymbols(data);
    host.saved();
  });
  $('symbol-modes').addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest('button[data-mode]') as HTMLElement | null;
    if (b) setMode(b.dataset.mode as SymbolMode);
  });
  const table = $('symbol-table');
  table.addEventListener('click', (e) => {
    const why = (e.target as HTMLElement).closest('button[data-why]') as HTMLElement | null;
    if (why) {
      e.stopPropagation();
      askWhy(why.dataset.why!);
      return;
    }
    const tr = (e.target as HTMLElement).closest('tr.sline') as HTMLElement | null;
    if (tr) activate(Number(tr.dataset.index));
  });
  table.addEventListener('keydown', onKey);
  table.addEventListener('focusin', (e) => {
    const tr = (e.target as HTMLElement).closest('tr.sline') as HTMLElement | null;
    if (tr) focus = Number(tr.dataset.index);
  });
  $('symbol-map').addEventListener('click', (e) => {
    const g = (e.target as Element).closest('g[data-package]') as SVGGElement | null;
    if (g) showPackage(g.dataset.package!);
  });
  $('symbol-map').addEventListener('keydown', (e) => {
    const g = (e.target as Element).closest('g[data-package]') as SVGGElement | null;
    if (g && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      showPackage(g.dataset.package!);
    }
  });
  $('symbol-changes').addEventListener('click', (e) => {
    const a = (e.target as HTMLElement).closest('a[data-file]') as HTMLElement | null;
    if (!a) return;
    e.preventDefault();
    host.post({ type: 'open', file: a.dataset.file!, line: Number(a.dataset.line) });
  });
}

function setMode(mode: SymbolMode): void {
  host.state().mode = mode;
  renderSymbols(data);
  host.saved();
}

/** A rectangle of the map: the package's symbols, by package. */
function showPackage(pkg: string): void {
  const s = host.state();
  s.filter = `pkg:${pkg}`;
  (document.getElementById('symbol-filter') as HTMLInputElement).value = s.filter;
  if (!s.expanded.includes(pkg)) s.expanded.push(pkg);
  setMode('package');
}

export function renderSymbols(d: SymbolData | undefined): void {
  data = d;
  const section = $('symbols');
  section.classList.toggle('hidden', !d);
  if (!d) return;
  const s = host.state();
  for (const b of Array.from($('symbol-modes').querySelectorAll('button[data-mode]'))) {
    const m = (b as HTMLElement).dataset.mode as SymbolMode;
    b.setAttribute('aria-pressed', String(m === s.mode));
    if (m === 'changes') (b as HTMLButtonElement).disabled = !d.diff;
  }
  const mode: SymbolMode = s.mode === 'changes' && !d.diff ? 'largest' : s.mode;
  $('symbol-list').classList.toggle('hidden', mode === 'changes' || mode === 'map');
  $('symbol-changes').classList.toggle('hidden', mode !== 'changes');
  $('symbol-map').classList.toggle('hidden', mode !== 'map');
  ($('symbol-filter') as HTMLInputElement).disabled = mode === 'map';
  if (mode === 'changes') renderChanges(d);
  else if (mode === 'map') renderMap(d);
  else renderList(d, mode);
}

function renderList(d: SymbolData, mode: SymbolGrouping): void {
  const s = host.state();
  lines = symbolLines(d, { grouping: mode, filter: s.filter, expanded: s.expanded });
  focus = Math.min(focus, Math.max(0, lines.length - 1));
  const body = $('symbol-rows');
  const hadFocus = body.contains(document.activeElement);
  body.innerHTML = symbolRowsHtml(lines, 0, lines.length, focus, mode === 'package');
  $('symbol-table').setAttribute('aria-rowcount', String(lines.length + 1));
  const named = d.symbols.filter((x) => !x.gap).length;
  const shown = mode === 'largest' ? lines.length : lines.filter((l) => l.kind === 'group').length;
  $('symbol-count').textContent = mode === 'largest'
    ? `${shown} of ${named} symbols${s.filter ? ' matching' : ''}, largest first`
    : `${shown} ${mode === 'package' ? 'packages' : 'sections'}${s.filter ? ' with matching symbols' : ''}`;
  if (hadFocus) focusLine(focus);
}

function renderChanges(d: SymbolData): void {
  const diff = d.diff!;
  const s = host.state();
  const rows = diff.changes.filter((c) => {
    const f = s.filter.toLowerCase().trim();
    return !f || `${c.name} ${c.package} ${c.section} ${c.kind}`.toLowerCase().includes(f);
  });
  const where = new Map<string, PanelSymbol>();
  for (const x of d.symbols) if (x.file && x.line) where.set(`${x.section}\0${x.name}`, x);
  const counts = (k: string) => diff.changes.filter((c) => c.kind === k).length;
  $('symbol-count').textContent = `${rows.length} changed symbols`;
  const body = rows.slice(0, 1000).map((c) => {
    const at = where.get(`${c.section}\0${c.name}`);
    const name = at ? `<a href="#" data-file="${esc(at.file!)}" data-line="${at.line}" title="${esc(at.file!)}:${at.line}">${esc(c.name)}</a>` : esc(c.name);
    const delta = c.new - c.old;
    return `<tr class="change ${c.kind}"><td><span class="tag">${c.kind}</span></td><th scope="row" class="name">${name}</th><td class="num">${nf.format(c.old)}</td><td class="num">${nf.format(c.new)}</td><td class="num delta ${delta > 0 ? 'up' : 'down'}">${signed(delta)}</td><td class="sec">${esc(c.section)}</td><td class="pkg">${esc(c.package)}</td></tr>`;
  }).join('');
  $('symbol-changes').innerHTML = `<p class="diff-summary">Since the build before: flash <strong class="delta ${diff.flash > 0 ? 'up' : 'down'}">${signed(diff.flash)} B</strong>, RAM <strong class="delta ${diff.ram > 0 ? 'up' : 'down'}">${signed(diff.ram)} B</strong> · ${counts('added')} added, ${counts('removed')} removed, ${counts('grown')} grown, ${counts('shrunk')} shrunk</p>
    ${rows.length ? `<div class="table-scroll symbol-scroll"><table id="change-table"><caption class="sr-only">Symbols added, removed, grown or shrunk since the build before, largest change first</caption>
    <thead><tr><th scope="col" class="kind">Change</th><th scope="col" class="name">Symbol</th><th scope="col" class="num">Before</th><th scope="col" class="num">After</th><th scope="col" class="num">Δ</th><th scope="col" class="sec">Section</th><th scope="col" class="pkg">Package</th></tr></thead>
    <tbody>${body}</tbody></table></div>` : '<p class="note">No symbol changed.</p>'}`;
}

/** Per package, the flash (text + data) and the RAM (data + bss) of the whole firmware, as two treemaps. */
function renderMap(d: SymbolData): void {
  const classes = new Map(d.sections.map((x) => [x.name, x.class]));
  const flash = new Map<string, number>();
  const ram = new Map<string, number>();
  for (const x of d.symbols) {
    const c = costOf(x, classes);
    if (c.flash) flash.set(x.package, (flash.get(x.package) ?? 0) + c.flash);
    if (c.ram) ram.set(x.package, (ram.get(x.package) ?? 0) + c.ram);
  }
  const width = Math.max(240, Math.min(1200, $('symbols').clientWidth - 4));
  const colour = new Map<string, number>();
  for (const k of [...flash.keys(), ...ram.keys()]) if (!colour.has(k)) colour.set(k, colour.size % 8);
  const svg = (title: string, m: Map<string, number>) => {
    const total = [...m.values()].reduce((a, b) => a + b, 0);
    const rects = squarify([...m].map(([key, value]) => ({ key, value })), width, MAP_HEIGHT);
    const gs = rects.map((r) => {
      const label = `${r.key}: ${formatBytes(r.value)} ${title.toLowerCase()} (${((r.value / total) * 100).toFixed(1)} %)`;
      const text = r.w > 60 && r.h > 16 ? `<text x="${(r.x + 4).toFixed(1)}" y="${(r.y + 14).toFixed(1)}" class="tm-label">${esc(fit(r.key, r.w))}</text>` : '';
      const size = r.w > 60 && r.h > 32 ? `<text x="${(r.x + 4).toFixed(1)}" y="${(r.y + 28).toFixed(1)}" class="tm-size">${esc(formatBytes(r.value))}</text>` : '';
      return `<g tabindex="0" role="img" aria-label="${esc(label)}" data-package="${esc(r.key)}" class="tm tm${colour.get(r.key)}"><title>${esc(label)}</title><rect x="${r.x.toFixed(1)}" y="${r.y.toFixed(1)}" width="${Math.max(0, r.w).toFixed(1)}" height="${Math.max(0, r.h).toFixed(1)}"></rect>${text}${size}</g>`;
    }).join('');
    return `<h3>${title} by package (${esc(formatBytes(total))})</h3><svg class="treemap" role="group" aria-label="${title} by package: each rectangle a package, its area its bytes; Enter lists its symbols" width="${width}" height="${MAP_HEIGHT}" viewBox="0 0 ${width} ${MAP_HEIGHT}">${gs}</svg>`;
  };
  $('symbol-count').textContent = `${flash.size} packages in flash, ${ram.size} in RAM`;
  $('symbol-map').innerHTML = svg('Flash', flash) + svg('RAM', ram);
}

/** The label cut to what fits a rectangle w pixels wide (about 7 px a character). */
function fit(s: string, w: number): string {
  const n = Math.floor((w - 8) / 7);
  return s.length <= n ? s : n > 2 ? s.slice(0, n - 1) + '…' : '';
}

function activate(i: number): void {
  const l = lines[i];
  if (!l) return;
  focus = i;
  if (l.kind === 'group') {
    const s = host.state();
    const k = l.group.key;
    s.expanded = l.expanded ? s.expanded.filter((x) => x !== k) : [...s.expanded, k];
    if (l.expanded && s.filter) {
      // A filter opens every group: closing one clears the filter.
      s.filter = '';
      (document.getElementById('symbol-filter') as HTMLInputElement).value = '';
      s.expanded = s.expanded.filter((x) => x !== k);
    }
    renderSymbols(data);
    host.saved();
    focusLine(lines.findIndex((x) => x.kind === 'group' && x.group.key === k));
    return;
  }
  const sym = l.symbol;
  if (sym.file && sym.line) host.post({ type: 'open', file: sym.file, line: sym.line });
}

function focusLine(i: number): void {
  if (lines.length === 0 || i < 0) return;
  focus = Math.max(0, Math.min(lines.length - 1, i));
  const body = $('symbol-rows');
  const tr = body.querySelector(`tr[data-index="${focus}"]`) as HTMLElement | null;
  if (!tr) return;
  for (const el of Array.from(body.querySelectorAll('tr[tabindex="0"]'))) if (el !== tr) el.setAttribute('tabindex', '-1');
  tr.setAttribute('tabindex', '0');
  tr.focus();
}

function onKey(e: KeyboardEvent): void {
  const tr = (e.target as HTMLElement).closest('tr.sline') as HTMLElement | null;
  if (!tr || e.target !== tr) return;
  const i = Number(tr.dataset.index);
  const l = lines[i];
  let next: number | undefined;
  if (e.key === 'ArrowDown') next = i + 1;
  else if (e.key === 'ArrowUp') next = i - 1;
  else if (e.key === 'Home') next = 0;
  else if (e.key === 'End') next = lines.length - 1;
  else if ((e.key === 'w' || e.key === 'W') && l?.kind === 'group' && host.state().mode === 'package') {
    e.preventDefault();
    askWhy(l.group.key);
    return;
  } else if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    activate(i);
    return;
  } else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && l?.kind === 'group') {
    e.preventDefault();
    if ((e.key === 'ArrowRight') !== l.expanded) activate(i);
    return;
  }
  if (next !== undefined) {
    e.preventDefault();
    focusLine(next);
  }
}

function askWhy(pkg: string): void {
  host.post({ type: 'whyLinked', package: pkg });
}

/** The host's answer (or progress) for "why is this linked?". */
export function showWhyLinked(r: WhyLinkedResult): void {
  const el = $('why');
  el.classList.remove('hidden');
  const close = '<button type="button" class="why-close" aria-label="Close">×</button>';
  if (r.pending) {
    el.innerHTML = `${close}<p>Why is <strong>${esc(r.package)}</strong> linked? Asking <code>tinygo list -deps</code>…</p>`;
  } else if (r.error) {
    el.innerHTML = `${close}<p><strong>${esc(r.package)}</strong>: ${esc(r.error)}</p>`;
  } else {
    const chain = (r.chain ?? []).map((p) => `<code>${esc(p)}</code>`).join(' → ');
    const parts = [`${close}<p class="why-chain"><strong>${esc(r.package)}</strong> is linked ${r.viaRuntime ? 'because TinyGo\'s runtime needs it (every program links it)' : 'through the imports'}: ${chain}</p>`];
    const s = r.saving;
    if (s && s.stillLinkedVia) {
      parts.push(`<p>Removing the import of <code>${esc(s.import)}</code> from main would not unlink it: it is also imported through ${s.stillLinkedVia.map((p) => `<code>${esc(p)}</code>`).join(' → ')}.${s.flash || s.ram ? ` It would still save about ${esc(formatBytes(s.flash))} of flash and ${esc(formatBytes(s.ram))} of RAM.` : ''}</p>`);
    } else if (s) {
      const top = s.packages.slice(0, 8).map((p) => `<code>${esc(p.package)}</code> ${esc(formatBytes(p.flash))}`).join(', ');
      parts.push(`<p>Removing the import of <code>${esc(s.import)}</code> from main would save about <strong>${esc(formatBytes(s.flash))} of flash</strong> and <strong>${esc(formatBytes(s.ram))} of RAM</strong>: ${s.packages.length} package(s) only it pulls in (${top}${s.packages.length > 8 ? ', …' : ''}).</p>`);
    } else if (!r.viaRuntime) {
      parts.push('<p>It is the main package.</p>');
    }
    el.innerHTML = parts.join('');
  }
  el.querySelector('.why-close')?.addEventListener('click', () => el.classList.add('hidden'));
}

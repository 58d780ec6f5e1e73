/**
 * The size panel in the webview. It receives PanelData from the host (validated, see src/core/protocol.ts), builds
 * the view with the same pure code the unit tests run (src/core/size/view.ts), and keeps data, sort, filter and
 * collapsed groups in the webview state so a hidden or reloaded panel comes back as it was.
 */
import { validateHostMessage, validatePanelData, type PanelData, type WebviewMessage } from '../../src/core/protocol';
import { formatBytes } from '../../src/core/size/model';
import type { PackageGroup } from '../../src/core/size/sizeTable';
import {
  allocSummary, buildRows, buildTable, DEFAULT_SORT, explainStack, formatDelta, GROUP_ORDER, groupAllocSites, memoryFacts, stackCell, usageBars,
  type SortKey, type SortState, type TableView, type ViewGroup, type ViewRow,
} from '../../src/core/size/view';
import { renderSymbols, showWhyLinked, SYMBOL_MODES, symbolSkeleton, wireSymbols, type SymbolUiState } from './symbols';
import { badge, esc, grid, progressRing, registerToolkit, setTextFieldValue, textField } from './toolkit';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface UiState {
  data?: PanelData;
  sort: SortState;
  filter: string;
  collapsed: PackageGroup[];
  symbols: SymbolUiState;
}

const SORT_KEYS: readonly SortKey[] = ['name', 'code', 'rodata', 'data', 'bss', 'flash', 'ram', 'deltaFlash', 'deltaRam'];
const COLUMNS: { key: SortKey; label: string; title: string }[] = [
  { key: 'name', label: 'Package', title: 'Package' },
  { key: 'code', label: 'Code', title: 'Machine code (flash)' },
  { key: 'rodata', label: 'Rodata', title: 'Read-only data (flash)' },
  { key: 'data', label: 'Data', title: 'Initialised globals (flash and RAM)' },
  { key: 'bss', label: 'BSS', title: 'Zeroed globals (RAM)' },
  { key: 'flash', label: 'Flash', title: 'code + rodata + data' },
  { key: 'ram', label: 'RAM', title: 'data + bss' },
  { key: 'deltaFlash', label: 'Δ Flash', title: 'Flash change since the previous build' },
  { key: 'deltaRam', label: 'Δ RAM', title: 'RAM change since the previous build' },
];

const vscode = acquireVsCodeApi();
const nf = new Intl.NumberFormat('en-US');
const num = (n: number): string => nf.format(n);
const signed = (n: number): string => (n > 0 ? `+${nf.format(n)}` : n === 0 ? '±0' : nf.format(n));

const ui: UiState = restoreState();
let rows: ViewRow[] = [];
let building = false;
let table: HTMLTableElement;
let scroller: HTMLElement;

/**
 * The table body is windowed: only the lines in view (plus a margin) are in the DOM, between two spacer rows, so
 * 2,000 packages cost what 80 do. aria-rowcount/aria-rowindex tell screen readers the real size and position, and
 * the arrow keys move a focus index that scrolls the window along.
 */
type Line = { kind: 'group'; group: ViewGroup; collapsed: boolean } | { kind: 'row'; row: ViewRow };
const ROW_HEIGHT = 24;
/**
 * One cell per column, each with its column's class: a `colspan` would count the columns a narrow panel hides, and
 * the fixed layout would then share the name column's width with those empty columns.
 */
const SPACER = `<tr class="spacer" aria-hidden="true">${COLUMNS.map((c) => `<td${c.key === 'name' ? '' : ` class="col-${c.key}"`}></td>`).join('')}</tr>`;
const MARGIN = 30;
let lines: Line[] = [];
let focusIndex = 0;
let windowStart = -1;
let windowEnd = -1;
let filterEl: HTMLElement;

function restoreState(): UiState {
  const s = vscode.getState() as Partial<UiState> | undefined;
  const out: UiState = { sort: DEFAULT_SORT, filter: '', collapsed: [], symbols: { mode: 'largest', filter: '', expanded: [] } };
  if (!s || typeof s !== 'object') return out;
  const sym = s.symbols as Partial<SymbolUiState> | undefined;
  if (sym && typeof sym === 'object') {
    if (typeof sym.mode === 'string' && SYMBOL_MODES.includes(sym.mode)) out.symbols.mode = sym.mode;
    if (typeof sym.filter === 'string') out.symbols.filter = sym.filter.slice(0, 200);
    if (Array.isArray(sym.expanded)) out.symbols.expanded = sym.expanded.filter((x): x is string => typeof x === 'string').slice(0, 1000);
  }
  if (s.sort && SORT_KEYS.includes(s.sort.key) && (s.sort.dir === 'asc' || s.sort.dir === 'desc')) out.sort = { key: s.sort.key, dir: s.sort.dir };
  if (typeof s.filter === 'string') out.filter = s.filter.slice(0, 200);
  if (Array.isArray(s.collapsed)) out.collapsed = s.collapsed.filter((g): g is PackageGroup => GROUP_ORDER.includes(g));
  // Saved state is data like any other: validated before use.
  const d = s.data === undefined ? undefined : validatePanelData(s.data);
  if (d?.ok) out.data = d.value;
  return out;
}

let savePending = false;

/** Deferred: cloning 2,000 packages into the state must not delay the frame that shows them. */
function saveState(): void {
  if (savePending) return;
  savePending = true;
  setTimeout(() => {
    savePending = false;
    vscode.setState(ui);
  }, 0);
}

function $(id: string): HTMLElement {
  return document.getElementById(id)!;
}

function skeleton(): void {
  const app = $('app');
  app.innerHTML = `
    <header class="head"><h1 id="title">Size report</h1><span id="badges"></span><span id="busy"></span></header>
    <div id="failure" role="alert"></div>
    <div id="empty"></div>
    <section id="usage" aria-label="Flash and RAM used"></section>
    <ul id="problems" class="problems"></ul>
    <p class="note narrow-note" id="narrow-note"><span class="narrow-1">The panel is narrow: Code, Rodata, Data and BSS are hidden (Flash and RAM are their sums). Widen the panel to see them.</span><span class="narrow-2">The panel is narrow: only Flash and RAM are shown. Widen the panel to see the breakdown and the change since the last build.</span></p>
    <div class="toolbar"><span id="filter-host"></span><span id="count" role="status" aria-live="polite"></span>
      <a href="#" id="open-report" class="hidden">Open JSON report</a></div>
    <div id="table-scroll" class="table-scroll">
    <table id="packages" aria-describedby="count">
      <caption class="sr-only">Flash and RAM per package, grouped; use the column buttons to sort and the arrow keys to move between rows</caption>
      <thead><tr aria-rowindex="1">${COLUMNS.map((c) => `<th scope="col" class="${c.key === 'name' ? 'name' : `num col-${c.key}`}" data-col="${c.key}" title="${esc(c.title)}"><button type="button" data-sort="${c.key}">${esc(c.label)}<span class="arrow" aria-hidden="true"></span></button></th>`).join('')}</tr></thead>
      <tbody id="rows"></tbody>
      <tfoot id="foot"></tfoot>
    </table>
    </div>
    ${symbolSkeleton({ state: () => ui.symbols, saved: saveState, post: (m) => vscode.postMessage(m) })}
    <section id="memory" aria-labelledby="memory-title"></section>`;
  table = $('packages') as HTMLTableElement;
  wireSymbols();
  scroller = $('table-scroll');
  scroller.addEventListener('scroll', () => renderWindow(false), { passive: true });
  filterEl = textField($('filter-host'), {
    placeholder: 'Filter packages (e.g. fmt, group:std)',
    label: 'Filter packages',
    value: ui.filter,
    onInput: (v) => {
      ui.filter = v;
      renderTable();
      saveState();
    },
  });
  table.addEventListener('click', onTableClick);
  table.addEventListener('keydown', onTableKey);
  table.addEventListener('focusin', (e) => {
    const tr = (e.target as HTMLElement).closest('tr.line') as HTMLElement | null;
    if (tr) focusIndex = Number(tr.dataset.index);
  });
  $('open-report').addEventListener('click', (e) => {
    e.preventDefault();
    vscode.postMessage({ type: 'openReport' });
  });
  $('memory').addEventListener('click', (e) => {
    const a = (e.target as HTMLElement).closest('a[data-file]') as HTMLElement | null;
    if (!a) return;
    e.preventDefault();
    const msg: WebviewMessage = { type: 'open', file: a.dataset.file!, line: Number(a.dataset.line) };
    if (a.dataset.col) msg.column = Number(a.dataset.col);
    vscode.postMessage(msg);
  });
}

// ---- rendering --------------------------------------------------------------------------------------------------

function render(): void {
  const d = ui.data;
  rows = d?.report ? buildRows(d.report, d.previous, d.revealable ?? []) : [];
  renderHeader();
  renderUsage();
  renderTable();
  renderSymbols(d?.report ? d.symbols : undefined);
  renderMemory();
}

function renderHeader(): void {
  const d = ui.data;
  const r = d?.report;
  const parts = ['Size report'];
  if (r?.target) parts.push(r.target);
  $('title').textContent = parts.join(' · ');
  const badges: string[] = [];
  if (d?.failure && r) badges.push(badge('Last good build', 'stale'));
  if (r?.tinygoVersion) badges.push(badge(`TinyGo ${r.tinygoVersion}`));
  if (r?.createdAt) badges.push(badge(new Date(r.createdAt).toLocaleString()));
  if (r?.format === 'short') badges.push(badge('totals only (-size=short)'));
  if (r?.incomplete) badges.push(badge('incomplete (-no-debug)', 'warn'));
  $('badges').innerHTML = badges.join(' ');
  $('busy').innerHTML = building ? `${progressRing('Building')}<span class="busy-text">Building…</span>` : '';
  const failure = $('failure');
  if (d?.failure) {
    failure.className = 'failure';
    failure.innerHTML = `<strong>The last build failed.</strong> <span class="failure-message">${esc(d.failure.message)}</span>${r ? ' <em>The numbers below are from the last good build' + (r.createdAt ? ` (${esc(new Date(r.createdAt).toLocaleString())})` : '') + '.</em>' : ''}`;
  } else {
    failure.className = '';
    failure.textContent = '';
  }
  const empty = $('empty');
  empty.textContent = r ? '' : (d?.emptyMessage ?? 'No size report yet. Build the program with TinyGo: the report is written next to the firmware.');
  empty.className = r ? 'hidden' : 'empty';
  const open = $('open-report');
  open.className = d?.reportPath ? '' : 'hidden';
  open.title = d?.reportPath ?? '';
  scroller.classList.toggle('hidden', !r || r.format === 'short');
  $('narrow-note').classList.toggle('hidden', !r || r.format === 'short');
  document.body.classList.toggle('stale', !!(d?.failure && r));
}

function renderUsage(): void {
  const d = ui.data;
  const host = $('usage');
  const probs = $('problems');
  if (!d?.report) {
    host.innerHTML = '';
    probs.innerHTML = '';
    return;
  }
  const bars = usageBars(d.report, d.previous, d.budgets ?? []);
  host.innerHTML = bars
    .map((b) => {
      const max = b.capacity ?? b.used;
      const cls = b.overCapacity ? 'over' : b.overBudget ? 'budget' : '';
      const delta = b.delta !== undefined && b.delta !== 0 ? ` <span class="delta ${b.delta > 0 ? 'up' : 'down'}">(${esc(formatDelta(b.delta))})</span>` : '';
      return `<div class="usage ${cls}" data-resource="${b.resource}">
        <div class="usage-label"><span class="usage-name">${b.label}</span> <span class="usage-text">${esc(b.text)}</span>${delta}${b.budget !== undefined ? ` <span class="usage-budget">budget ${esc(formatBytes(b.budget))}</span>` : ''}</div>
        ${b.capacity !== undefined ? `<div class="bar" role="meter" aria-label="${b.label} used" aria-valuemin="0" aria-valuemax="${max}" aria-valuenow="${Math.min(b.used, max)}" aria-valuetext="${esc(b.text)}">
          <div class="fill"></div>${b.budget !== undefined ? '<div class="budget-mark"></div>' : ''}</div>` : '<div class="note">The chip\'s capacity is unknown: choose a target (its linker script gives the flash and RAM available).</div>'}</div>`;
    })
    .join('');
  // Widths through the CSSOM: the CSP allows no inline style attributes.
  bars.forEach((b, i) => {
    const el = host.children[i] as HTMLElement;
    const fill = el.querySelector('.fill') as HTMLElement | null;
    if (fill && b.capacity) fill.style.width = `${Math.min(100, (b.used / b.capacity) * 100)}%`;
    const mark = el.querySelector('.budget-mark') as HTMLElement | null;
    if (mark && b.budget !== undefined && b.capacity) mark.style.left = `${Math.min(100, (b.budget / b.capacity) * 100)}%`;
  });
  const problems: string[] = [];
  for (const b of d.budgets ?? []) {
    if (b.error) problems.push(`<li class="warn">${esc(b.error)}</li>`);
    else if (b.exceeded && b.limit !== undefined) {
      problems.push(`<li class="warn">${b.resource === 'flash' ? 'Flash' : 'RAM'} budget exceeded: ${esc(formatBytes(b.used))} used, budget ${esc(formatBytes(b.limit))} (${esc(b.budget)})</li>`);
    }
  }
  for (const b of bars) if (b.overCapacity) problems.push(`<li class="error">${b.label} is over the chip's capacity.</li>`);
  probs.innerHTML = problems.join('');
}

function numberCells(n: { code: number; rodata: number; data: number; bss: number; flash: number; ram: number }): string {
  return `<td class="num col-code">${num(n.code)}</td><td class="num col-rodata">${num(n.rodata)}</td><td class="num col-data">${num(n.data)}</td><td class="num col-bss">${num(n.bss)}</td><td class="num strong col-flash">${num(n.flash)}</td><td class="num strong col-ram">${num(n.ram)}</td>`;
}

function deltaCell(n: number | undefined, key: 'deltaFlash' | 'deltaRam'): string {
  if (n === undefined) return `<td class="num delta col-${key}">–</td>`;
  return `<td class="num delta col-${key} ${n > 0 ? 'up' : n < 0 ? 'down' : ''}" title="${esc(formatDelta(n))}">${signed(n)}</td>`;
}

function lineHtml(l: Line, index: number): string {
  const focus = index === focusIndex ? 0 : -1;
  const aria = `aria-rowindex="${index + 2}" data-index="${index}" tabindex="${focus}"`;
  if (l.kind === 'group') {
    const g = l.group;
    const count = g.rows.length === g.total ? `${g.total}` : `${g.rows.length} of ${g.total}`;
    return `<tr class="line group-head" ${aria}><th scope="row" class="name"><button type="button" tabindex="-1" data-toggle="${g.group}" aria-expanded="${!l.collapsed}">${l.collapsed ? '▸' : '▾'} ${esc(g.label)} <span class="count">(${count})</span></button></th>${numberCells(g.sums)}${deltaCell(g.delta?.flash, 'deltaFlash')}${deltaCell(g.delta?.ram, 'deltaRam')}</tr>`;
  }
  const r = l.row;
  const name = r.revealable
    ? `<button type="button" class="link" tabindex="-1" data-reveal="${esc(r.name)}" title="Reveal ${esc(r.name)} in the editor">${esc(r.name)}</button>`
    : `<span title="${esc(r.name)}">${esc(r.name)}</span>`;
  const status = r.status === 'added' ? ' <span class="tag">new</span>' : r.status === 'removed' ? ' <span class="tag">removed</span>' : '';
  return `<tr class="line row${r.status ? ' ' + r.status : ''}" data-name="${esc(r.name)}" ${aria}><th scope="row" class="name">${name}${status}</th>${numberCells(r)}${deltaCell(r.delta?.flash, 'deltaFlash')}${deltaCell(r.delta?.ram, 'deltaRam')}</tr>`;
}

function renderTable(): void {
  const d = ui.data;
  for (const th of Array.from(table.querySelectorAll('th[data-col]'))) {
    const key = (th as HTMLElement).dataset.col as SortKey;
    const active = key === ui.sort.key;
    if (active) th.setAttribute('aria-sort', ui.sort.dir === 'asc' ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
    th.querySelector('.arrow')!.textContent = active ? (ui.sort.dir === 'asc' ? ' ▲' : ' ▼') : '';
  }
  lines = [];
  if (!d?.report) {
    $('count').textContent = '';
    $('foot').innerHTML = '';
    renderWindow(true);
    return;
  }
  const view: TableView = buildTable(d.report, rows, { sort: ui.sort, filter: ui.filter }, d.previous);
  for (const g of view.groups) {
    const collapsed = ui.collapsed.includes(g.group);
    lines.push({ kind: 'group', group: g, collapsed });
    if (!collapsed) for (const r of g.rows) lines.push({ kind: 'row', row: r });
  }
  focusIndex = Math.min(focusIndex, Math.max(0, lines.length - 1));
  table.setAttribute('aria-rowcount', String(lines.length + 2));
  $('foot').innerHTML = `<tr class="total" aria-rowindex="${lines.length + 2}"><th scope="row" class="name">Total</th>${numberCells(view.totals)}${deltaCell(view.totalDelta?.flash, 'deltaFlash')}${deltaCell(view.totalDelta?.ram, 'deltaRam')}</tr>`;
  $('count').textContent = view.shown === view.total ? `${view.total} packages` : `${view.shown} of ${view.total} packages shown`;
  renderWindow(true);
}

function renderWindow(force: boolean): void {
  const body = $('rows');
  const viewport = scroller.clientHeight || 800;
  const top = Math.max(0, scroller.scrollTop - ROW_HEIGHT);
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - MARGIN);
  const last = Math.min(lines.length, Math.floor(top / ROW_HEIGHT) + Math.ceil(viewport / ROW_HEIGHT) + MARGIN);
  if (!force && first === windowStart && last === windowEnd) return;
  const hadFocus = body.contains(document.activeElement);
  windowStart = first;
  windowEnd = last;
  const parts = [SPACER];
  for (let i = first; i < last; i++) parts.push(lineHtml(lines[i], i));
  parts.push(SPACER);
  body.innerHTML = parts.join('');
  // Heights through the CSSOM: the CSP allows no inline style attributes.
  const spacers = body.querySelectorAll('tr.spacer td:first-child');
  (spacers[0] as HTMLElement).style.height = `${first * ROW_HEIGHT}px`;
  (spacers[1] as HTMLElement).style.height = `${(lines.length - last) * ROW_HEIGHT}px`;
  body.classList.toggle('hidden', lines.length === 0);
  if (hadFocus) focusLine(focusIndex);
}

/** Scrolls line i into the window, renders it, and focuses it. */
function focusLine(i: number): void {
  if (lines.length === 0) return;
  focusIndex = Math.max(0, Math.min(lines.length - 1, i));
  const y = focusIndex * ROW_HEIGHT;
  const head = ROW_HEIGHT + 4;
  if (y < scroller.scrollTop) scroller.scrollTop = y;
  else if (y + ROW_HEIGHT + head > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = y + ROW_HEIGHT + head - scroller.clientHeight;
  if (focusIndex < windowStart || focusIndex >= windowEnd) renderWindow(true);
  const tr = $('rows').querySelector(`tr[data-index="${focusIndex}"]`) as HTMLElement | null;
  if (!tr) return;
  for (const el of Array.from($('rows').querySelectorAll('tr[tabindex="0"]'))) if (el !== tr) el.setAttribute('tabindex', '-1');
  tr.setAttribute('tabindex', '0');
  if (document.activeElement !== tr) tr.focus({ preventScroll: true });
}

function renderMemory(): void {
  const host = $('memory');
  const d = ui.data;
  if (!d?.report) {
    host.innerHTML = '';
    return;
  }
  const f = memoryFacts(d.report, d.memory ?? {});
  const item = (k: string, v: string) => `<dt>${esc(k)}</dt><dd>${v}</dd>`;
  const facts = [
    item('Garbage collector', esc(f.gc ?? 'unknown')),
    item('Scheduler', esc(f.scheduler ?? 'unknown')),
    item('Static RAM (data + bss)', esc(formatBytes(f.staticRam))),
    item('C stack', f.cStack !== undefined ? esc(formatBytes(f.cStack)) : 'unknown'),
  ];
  if (f.goroutineStacks) {
    const g = f.goroutineStacks;
    facts.push(item('Goroutine stacks', `${g.rows.length} goroutine(s) on the heap: ${g.unknown === g.rows.length ? 'sizes not known' : esc(formatBytes(g.knownTotal))}${g.unknown && g.unknown !== g.rows.length ? `, ${g.unknown} not known` : ''}`));
  }
  facts.push(item('Heap left for the GC', f.heap !== undefined ? esc(formatBytes(f.heap)) : 'unknown (no capacity)'));
  const parts = [`<h2 id="memory-title">Memory and GC</h2>`];
  for (const n of f.notes) parts.push(`<p class="${f.gcNoneWithAllocs && n.startsWith('-gc=none') ? 'error' : 'note'}">${esc(n)}</p>`);
  parts.push(`<dl class="facts">${facts.join('')}</dl>`);
  if (f.goroutineStacks && f.goroutineStacks.rows.length > 0) {
    parts.push('<h3>Goroutine stacks (-print-stacks)</h3>');
    parts.push(grid(['Function', 'Stack'], f.goroutineStacks.rows.map((s) => [s.function, stackCell(s)]), 'Goroutine stacks'));
    const why = f.goroutineStacks.rows.map((s) => [s, explainStack(s, d.memory?.goroutineStackSize)] as const).filter(([, e]) => e !== undefined);
    if (why.length) {
      parts.push('<ul class="stack-notes">');
      for (const [s, e] of why) parts.push(`<li><span class="fn">${esc(s.function)}</span>: ${esc(e!)} <span class="raw">(TinyGo: ${esc(s.note ?? 'unknown')})</span></li>`);
      parts.push('</ul>');
    }
  }
  const allocs = d.memory?.allocs;
  if (allocs) {
    const groups = groupAllocSites(allocs);
    parts.push(`<h3>Heap allocations (${allocs.length})</h3>`);
    for (const line of allocSummary(d.memory ?? {})) parts.push(`<p class="note alloc-summary">${esc(line)}</p>`);
    parts.push('<ul class="allocs">');
    for (const g of groups) {
      parts.push(`<li><span class="fn">${esc(g.function)}</span>${g.user ? '' : ' <span class="tag">library</span>'}<ul>`);
      for (const s of g.sites) {
        const base = s.file ? s.file.replace(/^.*[\\/]/, '') : '-';
        const pos = `${base}${s.line ? `:${s.line}` : ''}${s.column ? `:${s.column}` : ''}`;
        const link = s.file && s.line
          ? `<a href="#" data-file="${esc(s.file)}" data-line="${s.line}"${s.column ? ` data-col="${s.column}"` : ''} title="${esc(s.file)}">${esc(pos)}</a>`
          : esc(pos);
        parts.push(`<li>${link}: ${esc(s.reason)}</li>`);
      }
      parts.push('</ul></li>');
    }
    parts.push('</ul>');
  }
  host.innerHTML = parts.join('');
}

// ---- interaction ------------------------------------------------------------------------------------------------

function onTableClick(e: MouseEvent): void {
  const t = e.target as HTMLElement;
  const sort = t.closest('button[data-sort]') as HTMLElement | null;
  if (sort) {
    const key = sort.dataset.sort as SortKey;
    ui.sort = ui.sort.key === key ? { key, dir: ui.sort.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'name' ? 'asc' : 'desc' };
    renderTable();
    saveState();
    return;
  }
  const toggle = t.closest('button[data-toggle]') as HTMLElement | null;
  if (toggle) {
    toggleGroup(toggle.dataset.toggle as PackageGroup);
    return;
  }
  const reveal = t.closest('button[data-reveal]') as HTMLElement | null;
  if (reveal) vscode.postMessage({ type: 'reveal', package: reveal.dataset.reveal! });
}

function onTableKey(e: KeyboardEvent): void {
  const tr = (e.target as HTMLElement).closest('tr.line') as HTMLElement | null;
  if (!tr || e.target !== tr) return;
  const i = Number(tr.dataset.index);
  const page = Math.max(1, Math.floor(scroller.clientHeight / ROW_HEIGHT) - 2);
  let next: number | undefined;
  if (e.key === 'ArrowDown') next = i + 1;
  else if (e.key === 'ArrowUp') next = i - 1;
  else if (e.key === 'Home') next = 0;
  else if (e.key === 'End') next = lines.length - 1;
  else if (e.key === 'PageDown') next = i + page;
  else if (e.key === 'PageUp') next = i - page;
  else if (e.key === 'Enter' || e.key === ' ') {
    const l = lines[i];
    if (l?.kind === 'group') {
      e.preventDefault();
      toggleGroup(l.group.group);
    } else if (l?.kind === 'row' && l.row.revealable) {
      e.preventDefault();
      vscode.postMessage({ type: 'reveal', package: l.row.name });
    }
    return;
  } else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && lines[i]?.kind === 'group') {
    const l = lines[i] as Extract<Line, { kind: 'group' }>;
    if ((e.key === 'ArrowLeft') !== l.collapsed) toggleGroup(l.group.group);
    e.preventDefault();
    return;
  }
  if (next !== undefined) {
    e.preventDefault();
    focusLine(next);
  }
}

function toggleGroup(g: PackageGroup): void {
  ui.collapsed = ui.collapsed.includes(g) ? ui.collapsed.filter((x) => x !== g) : [...ui.collapsed, g];
  const at = lines.findIndex((l) => l.kind === 'group' && l.group.group === g);
  renderTable();
  saveState();
  if (at >= 0) focusLine(at);
}

function onMessage(e: MessageEvent): void {
  const m = validateHostMessage(e.data);
  if (!m.ok) {
    console.warn(`size panel: dropped a message: ${m.error}`);
    return;
  }
  if (m.value.type === 'building') {
    building = m.value.building;
    renderHeader();
    return;
  }
  if (m.value.type === 'whyLinked') {
    showWhyLinked(m.value.result);
    return;
  }
  ui.data = m.value.data;
  render();
  saveState();
}

function main(): void {
  registerToolkit();
  skeleton();
  window.addEventListener('message', onMessage);
  if (ui.data) render();
  else renderTable();
  setTextFieldValue(filterEl, ui.filter);
  vscode.postMessage({ type: 'ready' });
}

main();

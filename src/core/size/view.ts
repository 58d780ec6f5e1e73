/**
 * The size panel's view model, pure so that the webview and the unit tests run the same code: table rows with
 * their change since the previous build, groups, sorting, filtering, the flash/RAM bars, memory and GC facts,
 * heap-allocation sites grouped by function, and the budget problems the host reports.
 */

import type { AllocSite, GoroutineStack, MemoryInput } from '../protocol';
import { formatBytes, type BudgetResult, type SizeReport } from './model';
import type { PackageGroup, SizeNumbers } from './sizeTable';

export const NUMBER_COLUMNS = ['code', 'rodata', 'data', 'bss', 'flash', 'ram'] as const;
export type NumberColumn = (typeof NUMBER_COLUMNS)[number];
export type SortKey = 'name' | NumberColumn | 'deltaFlash' | 'deltaRam';
export interface SortState {
  key: SortKey;
  dir: 'asc' | 'desc';
}
export const DEFAULT_SORT: SortState = { key: 'flash', dir: 'desc' };

/** The order groups appear in: what the user can change first. */
export const GROUP_ORDER: readonly PackageGroup[] = ['user', 'dependency', 'stdlib', 'tinygo-runtime', 'c-library', 'special'];
export const GROUP_LABEL: Readonly<Record<PackageGroup, string>> = {
  user: 'Your packages',
  dependency: 'Dependencies (modules)',
  stdlib: 'Go standard library',
  'tinygo-runtime': 'TinyGo runtime and machine',
  'c-library': 'C libraries',
  special: 'Special rows',
};

export type RowStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface ViewRow extends SizeNumbers {
  name: string;
  group: PackageGroup;
  /** Change since the previous build; undefined when there is no previous build. */
  delta?: SizeNumbers;
  /** undefined without a previous build. A removed package is a row of zeros with a negative delta. */
  status?: RowStatus;
  /** The host can open this package in the editor. */
  revealable: boolean;
  /** Lower-cased name, for the filter. */
  search: string;
}

export interface ViewGroup {
  group: PackageGroup;
  label: string;
  /** Rows after the filter, sorted. */
  rows: ViewRow[];
  /** Rows before the filter. */
  total: number;
  /** Sums of the shown rows. */
  sums: SizeNumbers;
  /** Sum of the shown rows' deltas; undefined without a previous build. */
  delta?: SizeNumbers;
}

export interface TableView {
  groups: ViewGroup[];
  shown: number;
  total: number;
  /** Report totals (not the filtered sums) and their change. */
  totals: SizeNumbers;
  totalDelta?: SizeNumbers;
}

function zero(): SizeNumbers {
  return { code: 0, rodata: 0, data: 0, bss: 0, flash: 0, ram: 0 };
}

function minus(a: SizeNumbers, b: SizeNumbers): SizeNumbers {
  const out = zero();
  for (const k of NUMBER_COLUMNS) out[k] = a[k] - b[k];
  return out;
}

function addInto(acc: SizeNumbers, x: SizeNumbers): void {
  for (const k of NUMBER_COLUMNS) acc[k] += x[k];
}

/**
 * One row per package of the report, plus a zero row for each package the previous build had and this one does
 * not (so that "what went away" shows in the delta column).
 */
export function buildRows(report: SizeReport, previous?: SizeReport, revealable: Iterable<string> = []): ViewRow[] {
  const reveal = new Set(revealable);
  const before = previous ? new Map(previous.packages.map((p) => [p.name, p])) : undefined;
  const rows: ViewRow[] = report.packages.map((p) => {
    const row: ViewRow = {
      name: p.name, group: p.group, code: p.code, rodata: p.rodata, data: p.data, bss: p.bss, flash: p.flash, ram: p.ram,
      revealable: reveal.has(p.name), search: p.name.toLowerCase(),
    };
    if (before) {
      const b = before.get(p.name);
      row.delta = b ? minus(p, b) : minus(p, zero());
      row.status = !b ? 'added' : NUMBER_COLUMNS.some((k) => row.delta![k] !== 0) ? 'changed' : 'unchanged';
      before.delete(p.name);
    }
    return row;
  });
  if (before) {
    for (const b of before.values()) {
      rows.push({ name: b.name, group: b.group, ...zero(), delta: minus(zero(), b), status: 'removed', revealable: false, search: b.name.toLowerCase() });
    }
  }
  return rows;
}

function sortValue(r: ViewRow, key: SortKey): number | string {
  switch (key) {
    case 'name':
      return r.name;
    case 'deltaFlash':
      return r.delta?.flash ?? 0;
    case 'deltaRam':
      return r.delta?.ram ?? 0;
    default:
      return r[key];
  }
}

/** A stable sort; ties are broken by name so the order never depends on the input order. */
export function sortRows(rows: readonly ViewRow[], sort: SortState): ViewRow[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const byName = (a: ViewRow, b: ViewRow) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return [...rows].sort((a, b) => {
    const x = sortValue(a, sort.key);
    const y = sortValue(b, sort.key);
    const c = typeof x === 'string' ? byName(a, b) : (x as number) - (y as number);
    return c !== 0 ? sign * c : byName(a, b);
  });
}

/**
 * Case-insensitive; every space-separated word must occur in the name. A word `group:x` keeps the rows of the
 * groups whose id or label contains x (`group:std`, `group:user`).
 */
export function filterRows(rows: readonly ViewRow[], filter: string): ViewRow[] {
  const words = filter.toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return [...rows];
  const groupWords = words.filter((w) => w.startsWith('group:')).map((w) => w.slice(6));
  const nameWords = words.filter((w) => !w.startsWith('group:'));
  const groups = new Set(GROUP_ORDER.filter((g) => groupWords.every((w) => g.includes(w) || GROUP_LABEL[g].toLowerCase().includes(w))));
  return rows.filter((r) => groups.has(r.group) && nameWords.every((w) => r.search.includes(w)));
}

/** Groups in GROUP_ORDER, rows filtered then sorted inside each; groups with no rows at all are left out. */
export function buildTable(report: SizeReport, rows: readonly ViewRow[], state: { sort: SortState; filter: string }, previous?: SizeReport): TableView {
  const shownRows = sortRows(filterRows(rows, state.filter), state.sort);
  const byGroup = new Map<PackageGroup, ViewGroup>();
  for (const g of GROUP_ORDER) byGroup.set(g, { group: g, label: GROUP_LABEL[g], rows: [], total: 0, sums: zero(), delta: previous ? zero() : undefined });
  for (const r of rows) byGroup.get(r.group)!.total++;
  for (const r of shownRows) {
    const g = byGroup.get(r.group)!;
    g.rows.push(r);
    addInto(g.sums, r);
    if (g.delta && r.delta) addInto(g.delta, r.delta);
  }
  const groups = GROUP_ORDER.map((g) => byGroup.get(g)!).filter((g) => g.total > 0);
  return {
    groups,
    shown: shownRows.length,
    total: rows.length,
    totals: { ...report.totals },
    totalDelta: previous ? minus(report.totals, previous.totals) : undefined,
  };
}

// ---- the flash and RAM bars --------------------------------------------------------------------------------------

export interface UsageBar {
  resource: 'flash' | 'ram';
  label: string;
  used: number;
  capacity?: number;
  /** 0..100+, one decimal; undefined without capacity. */
  percent?: number;
  delta?: number;
  /** Budget limit in bytes, when a valid budget is set. */
  budget?: number;
  overBudget: boolean;
  overCapacity: boolean;
  /** `23.4 KB / 788 KB (3.0%)`. */
  text: string;
}

export function usageBars(report: SizeReport, previous?: SizeReport, budgets: readonly BudgetResult[] = []): UsageBar[] {
  return (['flash', 'ram'] as const).map((resource) => {
    const used = report.totals[resource];
    const capacity = report.capacity?.[resource];
    const percent = capacity ? Math.round((used / capacity) * 1000) / 10 : undefined;
    const b = budgets.find((x) => x.resource === resource && x.limit !== undefined);
    let text = formatBytes(used);
    if (capacity !== undefined) text += ` / ${formatBytes(capacity)}`;
    if (percent !== undefined) text += ` (${percent.toFixed(1)}%)`;
    const bar: UsageBar = {
      resource, label: resource === 'flash' ? 'Flash' : 'RAM', used, overBudget: !!b?.exceeded, overCapacity: capacity !== undefined && used > capacity, text,
    };
    if (capacity !== undefined) bar.capacity = capacity;
    if (percent !== undefined) bar.percent = percent;
    if (previous) bar.delta = used - previous.totals[resource];
    if (b?.limit !== undefined) bar.budget = b.limit;
    return bar;
  });
}

/** `+1.3 KB`, `-24 B`, `±0` . */
export function formatDelta(n: number): string {
  if (n === 0) return '±0';
  return n > 0 ? `+${formatBytes(n)}` : formatBytes(n);
}

// ---- memory and GC -----------------------------------------------------------------------------------------------

export interface MemoryFacts {
  gc?: string;
  scheduler?: string;
  /** data + bss without the C stack: globals. */
  staticRam: number;
  /** The `C stack` row (the main stack, which TinyGo counts as bss), or the linker script's `_stack_size`. */
  cStack?: number;
  /** Goroutine stacks from -print-stacks (tasks scheduler); the ones with a size, summed. */
  goroutineStacks?: { rows: GoroutineStack[]; knownTotal: number; unknown: number };
  /** RAM left after static data and the C stack: the GC's heap (goroutine stacks of the tasks scheduler live there too). */
  heap?: number;
  /** -gc=none and the compiler reported heap allocations: the link fails with `runtime.alloc` missing. */
  gcNoneWithAllocs: boolean;
  allocCount?: number;
  notes: string[];
}

export function memoryFacts(report: SizeReport, memory: MemoryInput = {}): MemoryFacts {
  const cStackRow = report.packages.find((p) => p.name === 'C stack');
  const cStack = cStackRow ? cStackRow.bss : report.capacity?.stack;
  // The short format has no C stack row, but TinyGo's bss total still includes the stack it reserves.
  const stackInTotals = cStackRow ? cStackRow.bss : report.format === 'short' ? (report.capacity?.stack ?? 0) : 0;
  const staticRam = Math.max(0, report.totals.data + report.totals.bss - stackInTotals);
  const facts: MemoryFacts = { staticRam, gcNoneWithAllocs: false, notes: [] };
  if (memory.gc !== undefined) facts.gc = memory.gc;
  if (memory.scheduler !== undefined) facts.scheduler = memory.scheduler;
  if (cStack !== undefined) facts.cStack = cStack;
  if (report.capacity) facts.heap = Math.max(0, report.capacity.ram - report.totals.ram);
  if (memory.stacks) {
    // Reset_Handler is the main (C) stack, already counted above.
    const rows = memory.stacks.filter((s) => s.function !== 'Reset_Handler');
    facts.goroutineStacks = {
      rows,
      knownTotal: rows.reduce((n, s) => n + (s.bytes ?? 0), 0),
      unknown: rows.filter((s) => s.bytes === undefined).length,
    };
  }
  if (memory.allocs) facts.allocCount = memory.allocs.length;
  if (memory.gc === 'none' && (memory.allocs?.length ?? 0) > 0) {
    facts.gcNoneWithAllocs = true;
    facts.notes.push(`-gc=none, but the compiler left ${memory.allocs!.length} object(s) on the heap: the link fails with "linker could not find symbol runtime.alloc" until they are gone.`);
  }
  if (memory.gc === 'leaking') facts.notes.push('-gc=leaking never frees: every heap allocation is permanent.');
  if (memory.scheduler === 'tasks' && !memory.stacks) facts.notes.push('Goroutine stacks are allocated on the heap; build with -print-stacks to see their sizes.');
  if (report.incomplete) facts.notes.push('Built with -no-debug: TinyGo cannot split the sizes per package reliably.');
  return facts;
}

// ---- words for what the compiler reports ------------------------------------------------------------------------

/**
 * What a `-print-stacks` reason means for the user: TinyGo could not prove an upper bound, why, and what to do.
 * undefined for a row with a size. The reasons are tinygo's (builder/sizes.go, stacksize/stacksize.go).
 */
export function explainStack(s: GoroutineStack, stackSize?: number): string | undefined {
  if (s.bytes !== undefined) return undefined;
  const note = s.note ?? '';
  const size = stackSize !== undefined ? formatBytes(stackSize) : undefined;
  const action = `${s.function} then gets the default goroutine stack${size ? ` (${size})` : ''}, without a check that it is enough. ` +
    'If the program crashes or behaves oddly in that goroutine, give goroutines more stack with the tinygo.build.stackSize setting (tinygo -stack-size), or change the code so the size can be computed.';
  let m = /^recursive, (.+) may call itself$/.exec(note);
  if (m) {
    const fn = m[1];
    const runtime = /^(\(\*?)?(runtime|internal\/task|machine)\./.test(fn);
    return `TinyGo could not compute the most stack this goroutine needs: ${fn} may call itself (recursion), so there is no upper bound it can prove` +
      (runtime ? ` (${fn} is in TinyGo's runtime, reached for example on a nil pointer; this does not mean your code recurses). ` : '. ') + action;
  }
  m = /^unknown, (.+) calls a function pointer$/.exec(note);
  if (m) {
    return `TinyGo could not compute the most stack this goroutine needs: ${m[1]} calls a function through a pointer (a func value or an interface method), and TinyGo cannot tell which function runs. ${action}`;
  }
  m = /^unknown, (.+) does not have stack frame information$/.exec(note);
  if (m) {
    return `TinyGo could not compute the most stack this goroutine needs: ${m[1]} has no stack frame information (assembly or C code), so its stack use is unknown. ${action}`;
  }
  return `TinyGo could not compute the most stack this goroutine needs${note ? ` ("${note}")` : ''}. ${action}`;
}

/** The Stack cell of the goroutine table: bytes, or a short word for why there are none (explained below it). */
export function stackCell(s: GoroutineStack): string {
  if (s.bytes !== undefined) return `${s.bytes} B`;
  if (/^recursive, /.test(s.note ?? '')) return 'no bound (recursion)';
  return 'unknown';
}

/**
 * What the compiler's allocation report, the goroutine stacks and the editor's hints each say, in words that do not
 * contradict each other: the compiler sees only code that is in the firmware and names the runtime's line for a
 * goroutine's stack; the editor reads all the source and cannot know what the compiler removes or avoids.
 */
export function allocSummary(memory: MemoryInput): string[] {
  const out: string[] = [];
  const allocs = memory.allocs;
  if (allocs) {
    const user = allocs.filter((a) => a.user).length;
    if (allocs.length === 0) {
      out.push('The compiler reported no heap allocation in your code that is in the firmware.');
    } else {
      out.push(`The compiler reported ${allocs.length} heap allocation(s) in the firmware${user !== allocs.length ? ` (${user} in your code)` : ''}: each one takes heap and garbage-collector time every time it runs.`);
    }
  }
  const goroutines = (memory.stacks ?? []).filter((s) => s.function !== 'Reset_Handler').length;
  if (goroutines > 0) {
    out.push(`Goroutine stacks are on the heap too: the runtime allocates one when a go statement starts a goroutine (${goroutines} here, see Goroutine stacks above). ` +
      'The compiler\'s report names the runtime\'s line for them, not your go statement, so they are not in this list.');
  }
  const h = memory.hints;
  if (h && h.lines > 0) {
    const other = h.lines - h.confirmed;
    if (other === 0) {
      out.push(`The compiler confirms all ${h.lines} line(s) the editor marks as allocating.`);
    } else {
      out.push(`The editor marks ${h.lines} line(s) as possibly allocating; the compiler confirms ${h.confirmed}. ` +
        `The other ${other} are code that is not in the firmware (nothing calls it, so the compiler left it out and did not check it) or allocations the compiler avoided: ` +
        'they matter once that code is called.');
    }
  }
  return out;
}

export interface AllocGroup {
  /** `main.blink`, or the file name when the function is unknown. */
  function: string;
  file?: string;
  user: boolean;
  sites: AllocSite[];
}

/** User functions first, then by number of sites, then by name; sites in line order. */
export function groupAllocSites(sites: readonly AllocSite[]): AllocGroup[] {
  const groups = new Map<string, AllocGroup>();
  for (const s of sites) {
    const fname = s.function ?? (s.file ? s.file.replace(/^.*[\\/]/, '') : '(unknown position)');
    const key = `${s.file ?? ''}\u0000${fname}`;
    let g = groups.get(key);
    if (!g) {
      g = { function: fname, user: s.user, sites: [] };
      if (s.file !== undefined) g.file = s.file;
      groups.set(key, g);
    }
    g.sites.push(s);
  }
  for (const g of groups.values()) g.sites.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return [...groups.values()].sort(
    (a, b) => Number(b.user) - Number(a.user) || b.sites.length - a.sites.length || (a.function < b.function ? -1 : a.function > b.function ? 1 : 0),
  );
}

/**
 * The Go function around a 1-based line: the nearest `func` declaration at the start of a line at or above it.
 * `(*T).M` for methods, as TinyGo names them; closures are reported as their enclosing function.
 */
export function enclosingFunction(source: string, line: number, packageName?: string): string | undefined {
  const lines = source.split('\n');
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const m = /^func\s*(?:\(\s*(?:\w+\s+)?(\*?)\s*(\w+)(?:\[[^\]]*\])?\s*\)\s*)?(\w+)/.exec(lines[i]);
    if (m) {
      // A one-line function above the line has already ended.
      if (i < line - 1 && /}\s*(\/\/.*)?$/.test(lines[i])) return undefined;
      const pkg = packageName ? packageName + '.' : '';
      return m[2] ? `(${m[1]}${pkg}${m[2]}).${m[3]}` : `${pkg}${m[3]}`;
    }
    // A top-level closing brace before any func means the line is outside a function (a var initialiser).
    if (i < line - 1 && /^}/.test(lines[i])) return undefined;
  }
  return undefined;
}

// ---- budgets -----------------------------------------------------------------------------------------------------

export interface BudgetProblem {
  resource: 'flash' | 'ram';
  severity: 'warning' | 'error';
  message: string;
}

/** What goes to the Problems panel: exceeded budgets, budgets that cannot be read, and a build over capacity. */
export function budgetProblems(results: readonly BudgetResult[], report?: SizeReport): BudgetProblem[] {
  const out: BudgetProblem[] = [];
  for (const r of results) {
    const name = r.resource === 'flash' ? 'Flash' : 'RAM';
    const setting = `tinygo.size.${r.resource}Budget`;
    if (r.error) {
      out.push({ resource: r.resource, severity: 'warning', message: `${setting}: ${r.error}` });
    } else if (r.exceeded && r.limit !== undefined) {
      out.push({
        resource: r.resource, severity: 'warning',
        message: `${name} ${formatBytes(r.used)} exceeds the budget of ${formatBytes(r.limit)} (${r.budget}) by ${formatBytes(r.used - r.limit)} (${setting})`,
      });
    }
  }
  if (report?.capacity) {
    for (const res of ['flash', 'ram'] as const) {
      const used = report.totals[res];
      const cap = report.capacity[res];
      if (used > cap) {
        out.push({ resource: res, severity: 'error', message: `${res === 'flash' ? 'Flash' : 'RAM'} ${formatBytes(used)} is more than the chip has for the program (${formatBytes(cap)})` });
      }
    }
  }
  return out;
}

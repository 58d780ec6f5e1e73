/**
 * Messages between the extension host and the size panel (a webview). Both sides validate what they receive with
 * the functions below and drop anything else: the webview is a browser page, and a host message may come from an
 * older or newer extension after a reload. Each message type says which side sends it.
 */

import { SIZE_REPORT_SCHEMA_VERSION, type BudgetResult, type PackageSize, type SizeReport } from './size/model';
import type { PackageGroup, SizeNumbers } from './size/sizeTable';
import type { ChangeKind, PanelSymbol, SymbolChange, SymbolData, SymbolSection } from './size/symbols';

// ---- shared data --------------------------------------------------------------------------------------------------

/** One `-print-allocs` site as the panel shows it. */
export interface AllocSite {
  /** Absolute path as TinyGo printed it; undefined when the position was `-`. */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** The reason as TinyGo printed it (`escapes at line 12`). */
  reason: string;
  /** Enclosing Go function (`main.blink`, `(*T).Write`), read from the source by the host when it could. */
  function?: string;
  /** The file belongs to the user's module (the others are the standard library or dependencies). */
  user: boolean;
}

/** One `-print-stacks` row. */
export interface GoroutineStack {
  function: string;
  /** undefined when TinyGo could not compute it. */
  bytes?: number;
  /** TinyGo's reason when `bytes` is unknown (`recursive, main.f may call itself`). */
  note?: string;
}

export interface MemoryInput {
  /** `garbage collector` of the target or the build (`conservative`, `none`, …). */
  gc?: string;
  scheduler?: string;
  /** From `-print-stacks`; undefined when it was not run (it needs the tasks scheduler on ARM). */
  stacks?: GoroutineStack[];
  /** From `-print-allocs`; undefined when it was not run. */
  allocs?: AllocSite[];
  /** The editor's heap-allocation hints on the built package: lines marked, and how many the compiler confirmed. */
  hints?: { lines: number; confirmed: number };
  /** Bytes a goroutine's stack gets when TinyGo cannot bound it: `-stack-size`, else the target's default. */
  goroutineStackSize?: number;
}

/** Everything the panel shows; the host sends it whole, the webview keeps it in its state. */
export interface PanelData {
  /** The report shown: the latest build's, or the last good one when `failure` is set. */
  report?: SizeReport;
  /** The report before it, for the deltas. */
  previous?: SizeReport;
  /** The latest build failed (or overflowed): `report` is the last good one. */
  failure?: { message: string; at?: string };
  memory?: MemoryInput;
  budgets?: BudgetResult[];
  /** Where the JSON report lives, for the "open JSON" link (shown relative to the workspace). */
  reportPath?: string;
  /** Names of packages the host can reveal in the editor (the user's, found on disk). */
  revealable?: string[];
  /** Shown when there is no report yet. */
  emptyMessage?: string;
  /** The symbols of the built ELF (and their changes since the build before), when the host could read it. */
  symbols?: SymbolData;
}

/** The answer to "why is this linked?" for one package (from `tinygo list -deps -json`, see core/size/whyLinked.ts). */
export interface WhyLinkedResult {
  package: string;
  /** The host is asking tinygo. */
  pending?: true;
  /** Import chain from the main package (or the runtime) to the package. */
  chain?: string[];
  viaRuntime?: boolean;
  /** What removing the main package's import at the head of the chain saves. */
  saving?: { import: string; flash: number; ram: number; packages: { package: string; flash: number; ram: number }[]; stillLinkedVia?: string[] };
  error?: string;
}

// ---- host -> webview ----------------------------------------------------------------------------------------------

export type HostMessage =
  /** Sent by the host: the (progress of the) answer to a webview's `whyLinked`. */
  | { type: 'whyLinked'; result: WhyLinkedResult }
  /** Sent by the host: replace everything shown. */
  | { type: 'data'; data: PanelData }
  /** Sent by the host: a build started (true) or ended (false) in the panel's folder. */
  | { type: 'building'; building: boolean };

// ---- webview -> host ----------------------------------------------------------------------------------------------

export type WebviewMessage =
  /** Sent by the webview once its script runs: the host answers with `data`. */
  | { type: 'ready' }
  /** Sent by the webview: reveal one of the user's packages (a name from `revealable`). */
  | { type: 'reveal'; package: string }
  /** Sent by the webview: open an allocation site (the host checks it is one it sent). */
  | { type: 'open'; file: string; line: number; column?: number }
  /** Sent by the webview: open the JSON report in an editor. */
  | { type: 'openReport' }
  /** Sent by the webview: why is this package in the firmware, and what would removing its import save? */
  | { type: 'whyLinked'; package: string };

// ---- validation ---------------------------------------------------------------------------------------------------

export type Validated<T> = { ok: true; value: T } | { ok: false; error: string };

const MAX_TEXT = 4096;
const MAX_PATH = 4096;

class ProtocolError extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function text(v: unknown, where: string, max = MAX_TEXT): string {
  if (typeof v !== 'string' || v.length > max) {
    throw new ProtocolError(`${where}: expected a string of at most ${max} characters`);
  }
  return v;
}

function optText(v: unknown, where: string, max = MAX_TEXT): string | undefined {
  return v === undefined ? undefined : text(v, where, max);
}

function positive(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) {
    throw new ProtocolError(`${where}: expected a positive integer`);
  }
  return v;
}

function optPositive(v: unknown, where: string): number | undefined {
  return v === undefined ? undefined : positive(v, where);
}

function count(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new ProtocolError(`${where}: expected a non-negative integer`);
  }
  return v;
}

function list<T>(v: unknown, where: string, max: number, item: (x: unknown, where: string) => T): T[] {
  if (!Array.isArray(v) || v.length > max) {
    throw new ProtocolError(`${where}: expected an array of at most ${max} items`);
  }
  return v.map((x, i) => item(x, `${where}[${i}]`));
}

const GROUPS: ReadonlySet<string> = new Set<PackageGroup>(['user', 'dependency', 'stdlib', 'tinygo-runtime', 'c-library', 'special']);

function sizeNumbers(v: unknown, where: string): SizeNumbers {
  if (!isObject(v)) throw new ProtocolError(`${where}: expected an object`);
  return { code: count(v.code, `${where}.code`), rodata: count(v.rodata, `${where}.rodata`), data: count(v.data, `${where}.data`), bss: count(v.bss, `${where}.bss`), flash: count(v.flash, `${where}.flash`), ram: count(v.ram, `${where}.ram`) };
}

/**
 * The same rules as parseJsonReport (docs/size-report-schema.md), on an object: a round trip through JSON text
 * costs more than the rest of an update of 2,000 packages. The unit tests hold the two to the same answers.
 */
function report(v: unknown, where: string): SizeReport {
  if (!isObject(v)) throw new ProtocolError(`${where}: expected an object`);
  if (v.schemaVersion !== SIZE_REPORT_SCHEMA_VERSION) {
    const n = v.schemaVersion;
    throw new ProtocolError(typeof n === 'number' && n > SIZE_REPORT_SCHEMA_VERSION
      ? `${where}: schemaVersion ${n} is newer than this extension understands (${SIZE_REPORT_SCHEMA_VERSION})`
      : `${where}.schemaVersion: expected ${SIZE_REPORT_SCHEMA_VERSION}`);
  }
  if (v.format !== 'short' && v.format !== 'full') throw new ProtocolError(`${where}.format: expected "short" or "full"`);
  if (typeof v.incomplete !== 'boolean') throw new ProtocolError(`${where}.incomplete: expected true or false`);
  const packages = list(v.packages, `${where}.packages`, 1_000_000, (p, w): PackageSize => {
    if (!isObject(p)) throw new ProtocolError(`${w}: expected an object`);
    if (typeof p.name !== 'string' || p.name === '' || p.name.length > MAX_PATH) throw new ProtocolError(`${w}.name: expected a non-empty string`);
    if (typeof p.group !== 'string' || !GROUPS.has(p.group)) throw new ProtocolError(`${w}.group: expected one of ${[...GROUPS].join(', ')}`);
    return { name: p.name, group: p.group as PackageGroup, ...sizeNumbers(p, w) };
  });
  const out: SizeReport = { schemaVersion: SIZE_REPORT_SCHEMA_VERSION, format: v.format, incomplete: v.incomplete, packages, totals: sizeNumbers(v.totals, `${where}.totals`) };
  if (v.capacity !== undefined) {
    if (!isObject(v.capacity)) throw new ProtocolError(`${where}.capacity: expected an object`);
    out.capacity = { flash: count(v.capacity.flash, `${where}.capacity.flash`), ram: count(v.capacity.ram, `${where}.capacity.ram`) };
    if (v.capacity.stack !== undefined) out.capacity.stack = count(v.capacity.stack, `${where}.capacity.stack`);
  }
  const target = optText(v.target, `${where}.target`, 256);
  if (target !== undefined) out.target = target;
  const version = optText(v.tinygoVersion, `${where}.tinygoVersion`, 256);
  if (version !== undefined) out.tinygoVersion = version;
  const created = optText(v.createdAt, `${where}.createdAt`, 64);
  if (created !== undefined) {
    if (Number.isNaN(Date.parse(created))) throw new ProtocolError(`${where}.createdAt: expected an ISO 8601 date`);
    out.createdAt = created;
  }
  return out;
}

function allocSite(v: unknown, where: string): AllocSite {
  if (!isObject(v)) {
    throw new ProtocolError(`${where}: expected an object`);
  }
  if (typeof v.user !== 'boolean') {
    throw new ProtocolError(`${where}.user: expected true or false`);
  }
  const out: AllocSite = { reason: text(v.reason, `${where}.reason`), user: v.user };
  const file = optText(v.file, `${where}.file`, MAX_PATH);
  if (file !== undefined) out.file = file;
  const line = optPositive(v.line, `${where}.line`);
  if (line !== undefined) out.line = line;
  const column = optPositive(v.column, `${where}.column`);
  if (column !== undefined) out.column = column;
  const fn = optText(v.function, `${where}.function`);
  if (fn !== undefined) out.function = fn;
  return out;
}

function stack(v: unknown, where: string): GoroutineStack {
  if (!isObject(v)) {
    throw new ProtocolError(`${where}: expected an object`);
  }
  const out: GoroutineStack = { function: text(v.function, `${where}.function`) };
  if (v.bytes !== undefined) out.bytes = count(v.bytes, `${where}.bytes`);
  const note = optText(v.note, `${where}.note`);
  if (note !== undefined) out.note = note;
  return out;
}

function budget(v: unknown, where: string): BudgetResult {
  if (!isObject(v)) {
    throw new ProtocolError(`${where}: expected an object`);
  }
  if (v.resource !== 'flash' && v.resource !== 'ram') {
    throw new ProtocolError(`${where}.resource: expected "flash" or "ram"`);
  }
  if (typeof v.exceeded !== 'boolean') {
    throw new ProtocolError(`${where}.exceeded: expected true or false`);
  }
  const out: BudgetResult = { resource: v.resource, budget: text(v.budget, `${where}.budget`), used: count(v.used, `${where}.used`), exceeded: v.exceeded };
  if (v.limit !== undefined) out.limit = count(v.limit, `${where}.limit`);
  const error = optText(v.error, `${where}.error`);
  if (error !== undefined) out.error = error;
  return out;
}

function memory(v: unknown, where: string): MemoryInput {
  if (!isObject(v)) {
    throw new ProtocolError(`${where}: expected an object`);
  }
  const out: MemoryInput = {};
  const gc = optText(v.gc, `${where}.gc`, 64);
  if (gc !== undefined) out.gc = gc;
  const scheduler = optText(v.scheduler, `${where}.scheduler`, 64);
  if (scheduler !== undefined) out.scheduler = scheduler;
  if (v.stacks !== undefined) out.stacks = list(v.stacks, `${where}.stacks`, 10_000, stack);
  if (v.allocs !== undefined) out.allocs = list(v.allocs, `${where}.allocs`, 100_000, allocSite);
  if (v.hints !== undefined) {
    if (!isObject(v.hints)) throw new ProtocolError(`${where}.hints: expected an object`);
    const lines = count(v.hints.lines, `${where}.hints.lines`);
    const confirmed = count(v.hints.confirmed, `${where}.hints.confirmed`);
    if (confirmed > lines) throw new ProtocolError(`${where}.hints.confirmed: more than hints.lines`);
    out.hints = { lines, confirmed };
  }
  if (v.goroutineStackSize !== undefined) out.goroutineStackSize = count(v.goroutineStackSize, `${where}.goroutineStackSize`);
  return out;
}

const CLASSES: ReadonlySet<string> = new Set(['text', 'data', 'bss']);
const KINDS: ReadonlySet<string> = new Set<ChangeKind>(['added', 'removed', 'grown', 'shrunk']);
const MAX_SYMBOLS = 500_000;

function panelSymbol(v: unknown, where: string): PanelSymbol {
  if (!isObject(v)) throw new ProtocolError(`${where}: expected an object`);
  const out: PanelSymbol = {
    name: text(v.name, `${where}.name`), package: text(v.package, `${where}.package`, MAX_PATH), section: text(v.section, `${where}.section`, 256),
    size: count(v.size, `${where}.size`), address: count(v.address, `${where}.address`),
  };
  if (v.gap !== undefined) {
    if (v.gap !== true) throw new ProtocolError(`${where}.gap: expected true or nothing`);
    out.gap = true;
  }
  const file = optText(v.file, `${where}.file`, MAX_PATH);
  if (file !== undefined) out.file = file;
  const line = optPositive(v.line, `${where}.line`);
  if (line !== undefined) out.line = line;
  return out;
}

function symbolData(v: unknown, where: string): SymbolData {
  if (!isObject(v)) throw new ProtocolError(`${where}: expected an object`);
  const sections = list(v.sections, `${where}.sections`, 1000, (x, w): SymbolSection => {
    if (!isObject(x)) throw new ProtocolError(`${w}: expected an object`);
    if (typeof x.class !== 'string' || !CLASSES.has(x.class)) throw new ProtocolError(`${w}.class: expected text, data or bss`);
    return { name: text(x.name, `${w}.name`, 256), class: x.class as SymbolSection['class'], size: count(x.size, `${w}.size`) };
  });
  const out: SymbolData = { elf: text(v.elf, `${where}.elf`, MAX_PATH), sections, symbols: list(v.symbols, `${where}.symbols`, MAX_SYMBOLS, panelSymbol) };
  if (v.diff !== undefined) {
    const d = v.diff;
    if (!isObject(d)) throw new ProtocolError(`${where}.diff: expected an object`);
    const signed = (n: unknown, w: string) => {
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new ProtocolError(`${w}: expected an integer`);
      return n;
    };
    out.diff = {
      flash: signed(d.flash, `${where}.diff.flash`), ram: signed(d.ram, `${where}.diff.ram`),
      changes: list(d.changes, `${where}.diff.changes`, MAX_SYMBOLS, (x, w): SymbolChange => {
        if (!isObject(x)) throw new ProtocolError(`${w}: expected an object`);
        if (typeof x.kind !== 'string' || !KINDS.has(x.kind)) throw new ProtocolError(`${w}.kind: expected added, removed, grown or shrunk`);
        return { kind: x.kind as ChangeKind, name: text(x.name, `${w}.name`), package: text(x.package, `${w}.package`, MAX_PATH), section: text(x.section, `${w}.section`, 256),
          old: count(x.old, `${w}.old`), new: count(x.new, `${w}.new`) };
      }),
    };
  }
  return out;
}

/** Validates a PanelData (also what the webview reads back from its own saved state). */
export function validatePanelData(v: unknown, where = 'data'): Validated<PanelData> {
  try {
    if (!isObject(v)) {
      throw new ProtocolError(`${where}: expected an object`);
    }
    const out: PanelData = {};
    if (v.report !== undefined) out.report = report(v.report, `${where}.report`);
    if (v.previous !== undefined) out.previous = report(v.previous, `${where}.previous`);
    if (v.failure !== undefined) {
      if (!isObject(v.failure)) throw new ProtocolError(`${where}.failure: expected an object`);
      out.failure = { message: text(v.failure.message, `${where}.failure.message`, 64 * 1024) };
      const at = optText(v.failure.at, `${where}.failure.at`, 64);
      if (at !== undefined) out.failure.at = at;
    }
    if (v.memory !== undefined) out.memory = memory(v.memory, `${where}.memory`);
    if (v.budgets !== undefined) out.budgets = list(v.budgets, `${where}.budgets`, 2, budget);
    const reportPath = optText(v.reportPath, `${where}.reportPath`, MAX_PATH);
    if (reportPath !== undefined) out.reportPath = reportPath;
    if (v.revealable !== undefined) out.revealable = list(v.revealable, `${where}.revealable`, 100_000, (x, w) => text(x, w, MAX_PATH));
    const empty = optText(v.emptyMessage, `${where}.emptyMessage`);
    if (empty !== undefined) out.emptyMessage = empty;
    if (v.symbols !== undefined) out.symbols = symbolData(v.symbols, `${where}.symbols`);
    return { ok: true, value: out };
  } catch (e) {
    return { ok: false, error: e instanceof ProtocolError ? e.message : String(e) };
  }
}

function whyLinked(v: unknown, where: string): WhyLinkedResult {
  if (!isObject(v)) throw new ProtocolError(`${where}: expected an object`);
  const names = (x: unknown, w: string) => list(x, w, 10_000, (y, ww) => text(y, ww, MAX_PATH));
  const sized = (x: unknown, w: string) => {
    if (!isObject(x)) throw new ProtocolError(`${w}: expected an object`);
    return { package: text(x.package, `${w}.package`, MAX_PATH), flash: count(x.flash, `${w}.flash`), ram: count(x.ram, `${w}.ram`) };
  };
  const out: WhyLinkedResult = { package: text(v.package, `${where}.package`, MAX_PATH) };
  if (v.pending !== undefined) {
    if (v.pending !== true) throw new ProtocolError(`${where}.pending: expected true or nothing`);
    out.pending = true;
  }
  if (v.chain !== undefined) out.chain = names(v.chain, `${where}.chain`);
  if (v.viaRuntime !== undefined) {
    if (typeof v.viaRuntime !== 'boolean') throw new ProtocolError(`${where}.viaRuntime: expected true or false`);
    out.viaRuntime = v.viaRuntime;
  }
  if (v.saving !== undefined) {
    const x = v.saving;
    if (!isObject(x)) throw new ProtocolError(`${where}.saving: expected an object`);
    out.saving = { import: text(x.import, `${where}.saving.import`, MAX_PATH), flash: count(x.flash, `${where}.saving.flash`), ram: count(x.ram, `${where}.saving.ram`),
      packages: list(x.packages, `${where}.saving.packages`, 100_000, sized) };
    if (x.stillLinkedVia !== undefined) out.saving.stillLinkedVia = names(x.stillLinkedVia, `${where}.saving.stillLinkedVia`);
  }
  const error = optText(v.error, `${where}.error`, 64 * 1024);
  if (error !== undefined) out.error = error;
  return out;
}

/** Run by the webview on every message event: anything that is not a HostMessage is dropped. */
export function validateHostMessage(v: unknown): Validated<HostMessage> {
  if (!isObject(v)) {
    return { ok: false, error: 'message: expected an object' };
  }
  switch (v.type) {
    case 'data': {
      const d = validatePanelData(v.data);
      return d.ok ? { ok: true, value: { type: 'data', data: d.value } } : d;
    }
    case 'building':
      return typeof v.building === 'boolean'
        ? { ok: true, value: { type: 'building', building: v.building } }
        : { ok: false, error: 'building: expected true or false' };
    case 'whyLinked':
      try {
        return { ok: true, value: { type: 'whyLinked', result: whyLinked(v.result, 'whyLinked.result') } };
      } catch (e) {
        return { ok: false, error: e instanceof ProtocolError ? e.message : String(e) };
      }
    default:
      return { ok: false, error: `unknown message type ${JSON.stringify(String(v.type)).slice(0, 60)}` };
  }
}

/** Run by the host on every message from the webview: anything that is not a WebviewMessage is dropped. */
export function validateWebviewMessage(v: unknown): Validated<WebviewMessage> {
  if (!isObject(v)) {
    return { ok: false, error: 'message: expected an object' };
  }
  try {
    switch (v.type) {
      case 'ready':
        return { ok: true, value: { type: 'ready' } };
      case 'openReport':
        return { ok: true, value: { type: 'openReport' } };
      case 'reveal':
        return { ok: true, value: { type: 'reveal', package: text(v.package, 'reveal.package', MAX_PATH) } };
      case 'whyLinked':
        return { ok: true, value: { type: 'whyLinked', package: text(v.package, 'whyLinked.package', MAX_PATH) } };
      case 'open': {
        const msg: WebviewMessage = { type: 'open', file: text(v.file, 'open.file', MAX_PATH), line: positive(v.line, 'open.line') };
        const column = optPositive(v.column, 'open.column');
        if (column !== undefined) msg.column = column;
        if (msg.file === '') throw new ProtocolError('open.file: expected a path');
        return { ok: true, value: msg };
      }
      default:
        return { ok: false, error: `unknown message type ${JSON.stringify(String(v.type)).slice(0, 60)}` };
    }
  } catch (e) {
    return { ok: false, error: e instanceof ProtocolError ? e.message : String(e) };
  }
}

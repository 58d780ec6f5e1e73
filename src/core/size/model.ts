/**
 * The size report behind the size panel and the status bar: per-package sizes with their group, totals, the
 * board's capacity, the change since the previous build, budgets, and a versioned JSON form (for CI and for
 * keeping the previous build across sessions). The JSON schema is documented in docs/size-report-schema.md.
 */

import { flashAndRam, type LinkerScript } from './linkerScript';
import type { PackageGroup, SizeNumbers, SizeTable } from './sizeTable';

export const SIZE_REPORT_SCHEMA_VERSION = 1;

export interface PackageSize extends SizeNumbers {
  name: string;
  group: PackageGroup;
}

export interface Capacity {
  /** Bytes of flash the application may use (FLASH_TEXT length). */
  flash: number;
  /** Bytes of RAM the application may use (RAM length, which includes the stack). */
  ram: number;
  /** `_stack_size` from the linker script, when known. */
  stack?: number;
}

export interface SizeReport {
  schemaVersion: typeof SIZE_REPORT_SCHEMA_VERSION;
  format: 'short' | 'full';
  /** TinyGo's -no-debug warning: per-package numbers are incomplete. */
  incomplete: boolean;
  /** Empty for the short format. */
  packages: PackageSize[];
  totals: SizeNumbers;
  capacity?: Capacity;
  target?: string;
  tinygoVersion?: string;
  /** ISO 8601. */
  createdAt?: string;
}

export interface ReportMeta {
  target?: string;
  tinygoVersion?: string;
  createdAt?: string;
  capacity?: Capacity;
}

const NUMBER_KEYS = ['code', 'rodata', 'data', 'bss', 'flash', 'ram'] as const;

function zero(): SizeNumbers {
  return { code: 0, rodata: 0, data: 0, bss: 0, flash: 0, ram: 0 };
}

/** Returns an error instead of a report when the output held no size table. */
export function buildSizeReport(table: SizeTable, meta: ReportMeta = {}): { report: SizeReport } | { error: string } {
  if (table.format === undefined || (table.total === undefined && table.rows.length === 0)) {
    return { error: 'no size table in the build output (was -size=short or -size=full given, and did the link succeed?)' };
  }
  const packages = table.rows.map(
    (r): PackageSize => ({ name: r.package, group: r.group, code: r.code, rodata: r.rodata, data: r.data, bss: r.bss, flash: r.flash, ram: r.ram }),
  );
  let totals = table.total;
  if (!totals) {
    // A truncated table: the rows still add up to a usable (if low) total.
    totals = zero();
    for (const p of packages) {
      for (const k of NUMBER_KEYS) {
        totals[k] += p[k];
      }
    }
  }
  const report: SizeReport = {
    schemaVersion: SIZE_REPORT_SCHEMA_VERSION,
    format: table.format,
    incomplete: table.incomplete,
    packages,
    totals: { ...totals },
  };
  if (meta.capacity) {
    report.capacity = { ...meta.capacity };
  }
  if (meta.target !== undefined) {
    report.target = meta.target;
  }
  if (meta.tinygoVersion !== undefined) {
    report.tinygoVersion = meta.tinygoVersion;
  }
  if (meta.createdAt !== undefined) {
    report.createdAt = meta.createdAt;
  }
  return { report };
}

/** Capacity from a parsed linker script; undefined when it has no flash or RAM region. */
export function capacityFromLinkerScript(script: LinkerScript): Capacity | undefined {
  const { flash, ram } = flashAndRam(script.regions);
  if (!flash || !ram) {
    return undefined;
  }
  const cap: Capacity = { flash: flash.length, ram: ram.length };
  if (script.stackSize !== undefined) {
    cap.stack = script.stackSize;
  }
  return cap;
}

/** Flash and RAM per group, for the panel's summary bar. Groups with nothing are left out. */
export function groupTotals(report: SizeReport): Partial<Record<PackageGroup, { flash: number; ram: number }>> {
  const out: Partial<Record<PackageGroup, { flash: number; ram: number }>> = {};
  for (const p of report.packages) {
    const g = (out[p.group] ??= { flash: 0, ram: 0 });
    g.flash += p.flash;
    g.ram += p.ram;
  }
  return out;
}

// ---- diff -------------------------------------------------------------------------------------------------------

export interface PackageDelta extends SizeNumbers {
  name: string;
  group: PackageGroup;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  before?: PackageSize;
  after?: PackageSize;
}

export interface SizeDiff {
  /** current − previous, per column. */
  total: SizeNumbers;
  /** Largest flash change first, then largest RAM change, then by name. */
  packages: PackageDelta[];
  added: string[];
  removed: string[];
}

export function diffReports(previous: SizeReport, current: SizeReport): SizeDiff {
  const total = zero();
  for (const k of NUMBER_KEYS) {
    total[k] = current.totals[k] - previous.totals[k];
  }
  const before = new Map(previous.packages.map((p) => [p.name, p]));
  const after = new Map(current.packages.map((p) => [p.name, p]));
  const names = [...new Set([...before.keys(), ...after.keys()])];
  const packages: PackageDelta[] = names.map((name) => {
    const b = before.get(name);
    const a = after.get(name);
    const d: PackageDelta = {
      name,
      group: (a ?? (b as PackageSize)).group,
      status: !b ? 'added' : !a ? 'removed' : 'unchanged',
      ...zero(),
    };
    for (const k of NUMBER_KEYS) {
      d[k] = (a?.[k] ?? 0) - (b?.[k] ?? 0);
    }
    if (d.status === 'unchanged' && NUMBER_KEYS.some((k) => d[k] !== 0)) {
      d.status = 'changed';
    }
    if (b) {
      d.before = b;
    }
    if (a) {
      d.after = a;
    }
    return d;
  });
  packages.sort((x, y) => Math.abs(y.flash) - Math.abs(x.flash) || Math.abs(y.ram) - Math.abs(x.ram) || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return {
    total,
    packages,
    added: packages.filter((p) => p.status === 'added').map((p) => p.name).sort(),
    removed: packages.filter((p) => p.status === 'removed').map((p) => p.name).sort(),
  };
}

// ---- budgets ----------------------------------------------------------------------------------------------------

export type Budget = { kind: 'bytes'; bytes: number; text: string } | { kind: 'percent'; percent: number; text: string };

const UNIT: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 * 1024, mb: 1024 * 1024, mib: 1024 * 1024 };

/** `"200KB"`, `"1.5 MB"`, `"4096"`, `"80%"`. KB means 1024 bytes, as in TinyGo's own flags. */
export function parseBudget(text: string): { ok: true; budget: Budget } | { ok: false; error: string } {
  const t = text.trim();
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  if (pct) {
    const percent = Number(pct[1]);
    if (percent <= 0 || percent > 100) {
      return { ok: false, error: `budget "${text}": a percentage must be above 0 and at most 100` };
    }
    return { ok: true, budget: { kind: 'percent', percent, text: t } };
  }
  const m = /^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/.exec(t);
  const mult = m ? UNIT[m[2].toLowerCase()] : undefined;
  if (!m || mult === undefined) {
    return { ok: false, error: `budget "${text}": expected a size like 200KB, 1.5MB, 4096 or a percentage like 80%` };
  }
  const bytes = Math.round(Number(m[1]) * mult);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    return { ok: false, error: `budget "${text}": size must be above 0` };
  }
  return { ok: true, budget: { kind: 'bytes', bytes, text: t } };
}

export interface BudgetResult {
  resource: 'flash' | 'ram';
  budget: string;
  used: number;
  /** The budget in bytes; undefined when it could not be worked out (bad text, or a percentage without capacity). */
  limit?: number;
  exceeded: boolean;
  error?: string;
}

export function evaluateBudget(resource: 'flash' | 'ram', budgetText: string, used: number, capacity?: number): BudgetResult {
  const parsed = parseBudget(budgetText);
  if (!parsed.ok) {
    return { resource, budget: budgetText, used, exceeded: false, error: parsed.error };
  }
  const b = parsed.budget;
  if (b.kind === 'percent' && capacity === undefined) {
    return { resource, budget: budgetText, used, exceeded: false, error: `budget "${budgetText}": the board's ${resource} capacity is unknown` };
  }
  const limit = b.kind === 'bytes' ? b.bytes : Math.floor(((capacity as number) * b.percent) / 100);
  return { resource, budget: budgetText, used, limit, exceeded: used > limit };
}

export function evaluateBudgets(report: SizeReport, budgets: { flash?: string; ram?: string }): BudgetResult[] {
  const out: BudgetResult[] = [];
  if (budgets.flash !== undefined && budgets.flash.trim() !== '') {
    out.push(evaluateBudget('flash', budgets.flash, report.totals.flash, report.capacity?.flash));
  }
  if (budgets.ram !== undefined && budgets.ram.trim() !== '') {
    out.push(evaluateBudget('ram', budgets.ram, report.totals.ram, report.capacity?.ram));
  }
  return out;
}

// ---- formatting -------------------------------------------------------------------------------------------------

/** `512 B`, `23.4 KB`, `788 KB`, `1.5 MB` (1 KB = 1024 B): one decimal while it still says something. */
export function formatBytes(n: number): string {
  const abs = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  if (abs < 1024) {
    return `${sign}${abs} B`;
  }
  const k = abs / 1024;
  if (k < 1024) {
    return `${sign}${k < 99.95 ? k.toFixed(1) : Math.round(k).toString()} KB`;
  }
  const m = k / 1024;
  return `${sign}${m < 99.95 ? m.toFixed(1) : Math.round(m).toString()} MB`;
}

function formatDelta(n: number): string {
  return n > 0 ? `+${formatBytes(n)}` : formatBytes(n);
}

function part(label: string, used: number, cap: number | undefined, delta: number | undefined): string {
  let s = `${label} ${formatBytes(used)}`;
  if (cap !== undefined) {
    s += ` / ${formatBytes(cap)}`;
  }
  if (delta !== undefined && delta !== 0) {
    s += ` (${formatDelta(delta)})`;
  }
  return s;
}

/** `Flash 23.4 KB / 788 KB (+1.3 KB) · RAM 4.1 KB / 240 KB`. Deltas appear only when something changed. */
export function formatStatusBar(report: SizeReport, previous?: SizeReport): string {
  const t = report.totals;
  const p = previous?.totals;
  return [part('Flash', t.flash, report.capacity?.flash, p && t.flash - p.flash), part('RAM', t.ram, report.capacity?.ram, p && t.ram - p.ram)].join(' · ');
}

// ---- JSON -------------------------------------------------------------------------------------------------------

export function toJsonReport(report: SizeReport): string {
  const out: SizeReport = {
    schemaVersion: SIZE_REPORT_SCHEMA_VERSION,
    format: report.format,
    incomplete: report.incomplete,
    packages: report.packages.map((p) => ({ name: p.name, group: p.group, code: p.code, rodata: p.rodata, data: p.data, bss: p.bss, flash: p.flash, ram: p.ram })),
    totals: { code: report.totals.code, rodata: report.totals.rodata, data: report.totals.data, bss: report.totals.bss, flash: report.totals.flash, ram: report.totals.ram },
  };
  if (report.capacity) {
    out.capacity = { flash: report.capacity.flash, ram: report.capacity.ram };
    if (report.capacity.stack !== undefined) {
      out.capacity.stack = report.capacity.stack;
    }
  }
  if (report.target !== undefined) {
    out.target = report.target;
  }
  if (report.tinygoVersion !== undefined) {
    out.tinygoVersion = report.tinygoVersion;
  }
  if (report.createdAt !== undefined) {
    out.createdAt = report.createdAt;
  }
  return JSON.stringify(out, null, 2) + '\n';
}

const GROUPS: ReadonlySet<string> = new Set<PackageGroup>(['user', 'dependency', 'stdlib', 'tinygo-runtime', 'c-library', 'special']);

class SchemaError extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function count(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new SchemaError(`${where}: expected a non-negative integer`);
  }
  return v;
}

function numbers(v: unknown, where: string): SizeNumbers {
  if (!isObject(v)) {
    throw new SchemaError(`${where}: expected an object`);
  }
  const out = zero();
  for (const k of NUMBER_KEYS) {
    out[k] = count(v[k], `${where}.${k}`);
  }
  return out;
}

function optionalString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined) {
    return undefined;
  }
  if (typeof v !== 'string') {
    throw new SchemaError(`${key}: expected a string`);
  }
  return v;
}

/** Validates a stored report; a malformed or newer-schema document is an error with the offending field named. */
export function parseJsonReport(text: string): { ok: true; report: SizeReport } | { ok: false; error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  try {
    if (!isObject(doc)) {
      throw new SchemaError('expected a JSON object');
    }
    if (doc.schemaVersion !== SIZE_REPORT_SCHEMA_VERSION) {
      const v = doc.schemaVersion;
      throw new SchemaError(
        typeof v === 'number' && v > SIZE_REPORT_SCHEMA_VERSION
          ? `schemaVersion ${v} is newer than this extension understands (${SIZE_REPORT_SCHEMA_VERSION})`
          : `schemaVersion: expected ${SIZE_REPORT_SCHEMA_VERSION}`,
      );
    }
    if (doc.format !== 'short' && doc.format !== 'full') {
      throw new SchemaError('format: expected "short" or "full"');
    }
    if (typeof doc.incomplete !== 'boolean') {
      throw new SchemaError('incomplete: expected true or false');
    }
    if (!Array.isArray(doc.packages)) {
      throw new SchemaError('packages: expected an array');
    }
    const packages = doc.packages.map((p: unknown, i: number): PackageSize => {
      const where = `packages[${i}]`;
      if (!isObject(p)) {
        throw new SchemaError(`${where}: expected an object`);
      }
      if (typeof p.name !== 'string' || p.name === '') {
        throw new SchemaError(`${where}.name: expected a non-empty string`);
      }
      if (typeof p.group !== 'string' || !GROUPS.has(p.group)) {
        throw new SchemaError(`${where}.group: expected one of ${[...GROUPS].join(', ')}`);
      }
      return { name: p.name, group: p.group as PackageGroup, ...numbers(p, where) };
    });
    const report: SizeReport = {
      schemaVersion: SIZE_REPORT_SCHEMA_VERSION,
      format: doc.format,
      incomplete: doc.incomplete,
      packages,
      totals: numbers(doc.totals, 'totals'),
    };
    if (doc.capacity !== undefined) {
      if (!isObject(doc.capacity)) {
        throw new SchemaError('capacity: expected an object');
      }
      report.capacity = { flash: count(doc.capacity.flash, 'capacity.flash'), ram: count(doc.capacity.ram, 'capacity.ram') };
      if (doc.capacity.stack !== undefined) {
        report.capacity.stack = count(doc.capacity.stack, 'capacity.stack');
      }
    }
    const target = optionalString(doc, 'target');
    if (target !== undefined) {
      report.target = target;
    }
    const version = optionalString(doc, 'tinygoVersion');
    if (version !== undefined) {
      report.tinygoVersion = version;
    }
    const created = optionalString(doc, 'createdAt');
    if (created !== undefined) {
      if (Number.isNaN(Date.parse(created))) {
        throw new SchemaError('createdAt: expected an ISO 8601 date');
      }
      report.createdAt = created;
    }
    return { ok: true, report };
  } catch (e) {
    if (e instanceof SchemaError) {
      return { ok: false, error: `invalid size report: ${e.message}` };
    }
    return { ok: false, error: `invalid size report: ${String(e)}` };
  }
}

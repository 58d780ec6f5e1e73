import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../model';

/**
 * The workspace scan's persistent cache: per scan context (rule set, TinyGo version, target, settings: the
 * `contextKey`), each file's content hash and findings. Several workers scan at once, so each writes its own shard
 * (`<context hash>.<shard>.json`, atomically: a temporary file renamed) and each reads all shards of its context.
 * A shard that is not JSON, not this format, or of another context is ignored: a corrupt cache costs a re-scan,
 * never a crash.
 */
export const CACHE_FORMAT = 'tinygo-workbench/scan-cache';
/** 2: findings stored as JSON text inside the shard (decoded only for the files a worker answers). */
export const CACHE_FORMAT_VERSION = 2;

/**
 * `failed`: the analysis of this content failed (a parse that ran out of `timeoutMs`, a rule that threw). Kept like a
 * result, so an unchanged file that failed is not parsed again on every scan (a 3 MB generated file that times out
 * on a loaded machine cost a warm re-scan of GOROOT 20 s); a longer time limit tries it again. `at`: when the entry
 * was made (ms since the epoch): a file analysed again after a change is in the shard of the worker that did it while
 * another shard may still hold its old entry; the newer one wins, or the file would be re-analysed on every scan.
 */
export interface CacheEntry {
  /**
   * As stored, the JSON text of the findings: a worker parses every shard at its start, and objects for every finding
   * of GOROOT cost it 2-3 times as long as strings; `findingsOf` decodes those of the files it answers.
   */
  hash: string; findings: Finding[] | string; failed?: { message: string; timeoutMs: number }; at?: number;
  /** The file's size and modification time when it was hashed: unchanged, the file is not read again (session.ts). */
  stat?: { size: number; mtimeMs: number };
}
interface CacheFile { format: string; version: number; contextKey: string; entries: Record<string, CacheEntry> }

export function contentHash(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 32);
}

export function contextFileStem(contextKey: string): string {
  return `scan-${contentHash(contextKey).slice(0, 16)}`;
}

function isEntry(x: unknown): x is CacheEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as CacheEntry;
  return typeof e.hash === 'string' && (typeof e.findings === 'string' || Array.isArray(e.findings)) &&
    (e.at === undefined || typeof e.at === 'number') &&
    (e.stat === undefined || (typeof e.stat === 'object' && e.stat !== null && typeof e.stat.size === 'number' && typeof e.stat.mtimeMs === 'number')) &&
    (e.failed === undefined || (typeof e.failed === 'object' && e.failed !== null && typeof e.failed.message === 'string' && typeof e.failed.timeoutMs === 'number'));
}

/**
 * Every shard of `contextKey` in `dir`, merged (path -> entry); unreadable or foreign shards are skipped. `origin`,
 * when given, is filled with the shard number each entry came from.
 */
export function loadScanCache(dir: string, contextKey: string, log?: (m: string) => void, origin?: Map<string, number>): Map<string, CacheEntry> {
  const out = new Map<string, CacheEntry>();
  const stem = contextFileStem(contextKey);
  let names: string[];
  try { names = fs.readdirSync(dir); } catch { return out; }
  for (const name of names) {
    if (!name.startsWith(`${stem}.`) || !name.endsWith('.json')) continue;
    try {
      const data = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Partial<CacheFile>;
      if (data.format !== CACHE_FORMAT || data.version !== CACHE_FORMAT_VERSION || data.contextKey !== contextKey ||
        typeof data.entries !== 'object' || data.entries === null) {
        log?.(`[scan cache] ignored ${name}: not a cache of this format and context`);
        continue;
      }
      const shard = Number(/\.(\d+)\.json$/.exec(name)?.[1] ?? -1);
      for (const [file, e] of Object.entries(data.entries)) {
        if (!isEntry(e)) continue;
        const have = out.get(file);
        if (have && (have.at ?? 0) > (e.at ?? 0)) continue;
        out.set(file, e);
        origin?.set(file, shard);
      }
    } catch (e) {
      log?.(`[scan cache] ignored ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return out;
}

/** An entry's findings, decoded if they are still the stored text (a corrupt text: none, and the file is analysed again). */
export function findingsOf(e: CacheEntry): Finding[] | undefined {
  if (typeof e.findings !== 'string') return e.findings;
  try {
    const f = JSON.parse(e.findings) as unknown;
    return Array.isArray(f) ? f as Finding[] : undefined;
  } catch { return undefined; }
}

/** One shard's entries (empty when missing or unreadable). */
export function loadScanCacheShard(dir: string, contextKey: string, shard: number): Map<string, CacheEntry> {
  const out = new Map<string, CacheEntry>();
  try {
    const data = JSON.parse(fs.readFileSync(path.join(dir, `${contextFileStem(contextKey)}.${shard}.json`), 'utf8')) as Partial<CacheFile>;
    if (data.format === CACHE_FORMAT && data.version === CACHE_FORMAT_VERSION && data.contextKey === contextKey && typeof data.entries === 'object' && data.entries) {
      for (const [file, e] of Object.entries(data.entries)) if (isEntry(e)) out.set(file, e);
    }
  } catch { /* a missing or corrupt shard is written anew */ }
  return out;
}

/** Writes one shard atomically; returns the number of entries written. */
export function writeScanCacheShard(dir: string, contextKey: string, shard: number, entries: Map<string, CacheEntry>): number {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${contextFileStem(contextKey)}.${shard}.json`);
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const stored = [...entries].map(([f, e]) => [f, typeof e.findings === 'string' ? e : { ...e, findings: JSON.stringify(e.findings) }] as const);
  const data: CacheFile = { format: CACHE_FORMAT, version: CACHE_FORMAT_VERSION, contextKey, entries: Object.fromEntries(stored) };
  fs.writeFileSync(tmp, JSON.stringify(data));
  fs.renameSync(tmp, file);
  return entries.size;
}

/** Removes the shards of `contextKey` numbered `from` and above (a previous run had more workers). */
export function pruneScanCacheShards(dir: string, contextKey: string, from: number): void {
  const stem = contextFileStem(contextKey);
  let names: string[];
  try { names = fs.readdirSync(dir); } catch { return; }
  for (const name of names) {
    const m = name.startsWith(`${stem}.`) ? /\.(\d+)\.json$/.exec(name) : null;
    if (m && Number(m[1]) >= from) fs.rmSync(path.join(dir, name), { force: true });
  }
}

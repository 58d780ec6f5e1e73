/**
 * The installed TinyGo as the extension sees it: found or not, usable or refusing the Go on PATH, its targets, and
 * each target's `tinygo info`, cached by (TinyGo version, target) for as long as the cached GOROOT still exists.
 */
import { buildContextFromInfo, type BuildContext } from '../analysis/buildConstraints';
import type { TargetFacts } from '../analysis/model';
import { targetFactsFor } from '../analysis/targetFacts';
import type { ExecFn, ExecResult } from '../process/exec';
import { deriveGoplsEnv, parseInfo, type GoplsEnv, type TargetInfo } from './info';
import { locateTinygo, type LocateDeps, type LocateSource } from './locate';
import { describeTarget, filterBoards, classifyTarget, orderTargets, parseTargetsOutput, type MemorySize } from './targets';
import { atLeast, parseGoCompatError, parseVersionOutput, type GoCompatError, type TinyGoVersionInfo } from './version';

export interface ToolchainDeps extends LocateDeps {
  exec: ExecFn;
  /** Per command; `tinygo info` on a cold cache builds nothing, so seconds are plenty. */
  timeoutMs?: number;
}

export interface TinygoFound {
  path: string;
  source: LocateSource;
  version: TinyGoVersionInfo;
}

export type DetectResult =
  | { kind: 'ok'; install: TinygoFound; warnings: string[] }
  | { kind: 'missing'; message: string; searched: string[] }
  | { kind: 'broken'; path: string; message: string };

const INSTALL_URL = 'https://tinygo.org/getting-started/install/';

export function installHint(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin': return 'brew tap tinygo-org/tools && brew install tinygo';
    case 'win32': return 'scoop install tinygo (or unzip the release into C:\\tinygo)';
    default: return 'the .deb from the TinyGo releases page (sudo dpkg -i tinygo_<version>_amd64.deb)';
  }
}

export function missingMessage(platform: NodeJS.Platform, settingProblem?: string): string {
  const head = settingProblem ?? 'TinyGo was not found on PATH or in the usual install locations.';
  return `${head} Install it with ${installHint(platform)} (see ${INSTALL_URL}), ` +
    'or set "tinygo.path" to the tinygo executable.';
}

/**
 * One message a user can act on. TinyGo checks the `go` it finds on PATH (the `go env GOROOT` it runs), not the Go
 * it was built with, so the fix is a Go in the accepted range first on VS Code's PATH, or a TinyGo that accepts
 * the installed Go.
 */
export function goCompatMessage(err: GoCompatError, tinygoPath: string, version?: TinyGoVersionInfo): string {
  const tg = version ? `TinyGo ${version.version.raw}` : 'TinyGo';
  const gotMinor = err.got.split('.').slice(0, 2).join('.');
  const newer = Number(gotMinor.split('.')[1]) > Number(err.max.split('.')[1]);
  const alternative = newer
    ? `or upgrade TinyGo to a release that supports Go ${gotMinor}`
    : `or use a TinyGo release that supports Go ${gotMinor}`;
  return `${tg} (${tinygoPath}) needs Go ${err.min} through ${err.max}, but the "go" on PATH is go${err.got}. ` +
    `Install Go ${err.max} (https://go.dev/dl/) and put its bin directory ` +
    `first on the PATH VS Code starts with, ${alternative} (${INSTALL_URL}); "tinygo.path" selects which TinyGo is used.`;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
}

function failure(what: string, r: ExecResult): string {
  if (r.spawnError) return `${what} could not be started: ${r.spawnError}`;
  if (r.timedOut) return `${what} did not finish in time`;
  const line = firstLine(r.stderr) || firstLine(r.stdout);
  return `${what} failed (exit ${r.exitCode ?? '?'})${line ? `: ${line}` : ''}`;
}

/**
 * Locates tinygo and checks it can work: `tinygo version` (never fails on a Go mismatch) and a host `tinygo info`
 * (runs the same Go-version check as `build`), in parallel.
 */
export async function detectTinygo(setting: string | undefined, deps: ToolchainDeps): Promise<DetectResult> {
  const loc = await locateTinygo(setting, deps);
  if (!loc.found) return { kind: 'missing', message: missingMessage(deps.platform, loc.settingProblem), searched: loc.searched };
  const tinygo = loc.found.path;
  const opts = { timeoutMs: deps.timeoutMs ?? 20_000 };
  const [ver, info] = await Promise.all([deps.exec(tinygo, ['version'], opts), deps.exec(tinygo, ['info'], opts)]);
  if (ver.exitCode !== 0) return { kind: 'broken', path: tinygo, message: `${failure(`"${tinygo} version"`, ver)}. ${missingMessage(deps.platform).replace(/^.*? Install/, 'Reinstall')}` };
  const parsed = parseVersionOutput(ver.stdout + '\n' + ver.stderr);
  if (!parsed.ok) return { kind: 'broken', path: tinygo, message: `${tinygo} is not a TinyGo that this extension understands: ${parsed.error}` };
  const compat = parseGoCompatError(info.stderr + '\n' + info.stdout);
  if (compat) return { kind: 'broken', path: tinygo, message: goCompatMessage(compat, tinygo, parsed.info) };
  const warnings: string[] = [];
  if (info.exitCode !== 0) warnings.push(failure('"tinygo info"', info));
  return { kind: 'ok', install: { path: tinygo, source: loc.found.source, version: parsed.info }, warnings };
}

export interface TargetsResult {
  /** Boards only (mixins dropped), in `tinygo targets` order. */
  targets: string[];
  error?: string;
}

export async function listTargets(tinygo: string, deps: Pick<ToolchainDeps, 'exec' | 'timeoutMs'>): Promise<TargetsResult> {
  const r = await deps.exec(tinygo, ['targets'], { timeoutMs: deps.timeoutMs ?? 20_000 });
  const compat = parseGoCompatError(r.stderr);
  if (compat) return { targets: [], error: goCompatMessage(compat, tinygo) };
  if (r.exitCode !== 0) return { targets: [], error: failure('"tinygo targets"', r) };
  return { targets: filterBoards(parseTargetsOutput(r.stdout).targets) };
}

export interface InfoResult {
  info?: TargetInfo;
  error?: string;
  format?: 'json' | 'text';
}

const UNKNOWN_TARGET_RE = /targets[/\\]([^/\\\s]+)\.json: no such file or directory|no such target|unknown target/i;

/**
 * `info -json -target=X` (0.22+), falling back to the text form for older releases or when JSON is refused or
 * unreadable: the text form is what every release prints and what the official extension relies on.
 */
export async function queryTargetInfo(tinygo: string, version: TinyGoVersionInfo | undefined, target: string,
  deps: Pick<ToolchainDeps, 'exec' | 'timeoutMs'>): Promise<InfoResult> {
  const opts = { timeoutMs: deps.timeoutMs ?? 30_000 };
  const explain = (r: ExecResult): string => {
    const compat = parseGoCompatError(r.stderr);
    if (compat) return goCompatMessage(compat, tinygo, version);
    if (r.exitCode !== undefined && r.exitCode !== 0 && UNKNOWN_TARGET_RE.test(r.stderr)) return `TinyGo ${version?.version.raw ?? ''} does not know the target "${target}" (see "tinygo targets").`.replace('  ', ' ');
    return failure(`"tinygo info ${target}"`, r);
  };
  let jsonProblem: string | undefined;
  if (!version || atLeast(version.version, '0.22.0')) {
    const r = await deps.exec(tinygo, ['info', '-json', `-target=${target}`], opts);
    if (r.exitCode === 0) {
      const p = parseInfo(r.stdout);
      if (p.info) return { info: p.info, format: 'json' };
      jsonProblem = p.errors.join('; ');
    } else if (!/flag provided but not defined: -json/.test(r.stderr)) {
      return { error: explain(r) };
    }
  }
  const r = await deps.exec(tinygo, ['info', `-target=${target}`], opts);
  if (r.exitCode !== 0) return { error: explain(r) };
  const p = parseInfo(r.stdout);
  if (p.info) return { info: p.info, format: 'text' };
  return { error: `could not read "tinygo info ${target}": ${[jsonProblem, ...p.errors].filter(Boolean).join('; ')}` };
}

/** Storage the cache persists in (VS Code's globalState in the extension, a Map in tests). */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void> | void;
}

const CACHE_KEY = 'tinygo.targetInfoCache.v1';
const CACHE_MAX = 32;

interface CacheEntry { key: string; info: TargetInfo; at: number }

/**
 * `tinygo info` per (TinyGo version, target). An entry whose cached GOROOT is gone (after `tinygo clean`, or a
 * TinyGo/Go upgrade that hashes to a new directory) is dropped, so gopls never gets a GOROOT that does not exist
 * (the Go extension then fails to start: anchors.md item 7).
 */
export class TargetInfoCache {
  constructor(private readonly store: KeyValueStore, private readonly dirExists: (p: string) => Promise<boolean>, private readonly now = () => Date.now()) {}

  static key(version: string, target: string): string { return `${version}\u0000${target}`; }

  private entries(): CacheEntry[] { return this.store.get<CacheEntry[]>(CACHE_KEY) ?? []; }

  async get(version: string, target: string): Promise<TargetInfo | undefined> {
    const key = TargetInfoCache.key(version, target);
    const hit = this.entries().find((e) => e.key === key);
    if (!hit) return undefined;
    if (!hit.info.goroot || !(await this.dirExists(hit.info.goroot))) {
      await this.store.update(CACHE_KEY, this.entries().filter((e) => e.key !== key));
      return undefined;
    }
    return hit.info;
  }

  /** What is cached, without checking the file system: enough for the picker's descriptions. */
  peek(version: string, target: string): TargetInfo | undefined {
    const key = TargetInfoCache.key(version, target);
    return this.entries().find((e) => e.key === key)?.info;
  }

  async set(version: string, target: string, info: TargetInfo): Promise<void> {
    const key = TargetInfoCache.key(version, target);
    const rest = this.entries().filter((e) => e.key !== key);
    await this.store.update(CACHE_KEY, [{ key, info, at: this.now() }, ...rest].slice(0, CACHE_MAX));
  }

  async clear(): Promise<void> { await this.store.update(CACHE_KEY, undefined); }
}

/** Cache first, then `tinygo info`; a fresh answer is stored. */
export async function targetInfoCached(cache: TargetInfoCache, tinygo: string, version: TinyGoVersionInfo, target: string,
  deps: Pick<ToolchainDeps, 'exec' | 'timeoutMs'>): Promise<InfoResult & { cached: boolean }> {
  const hit = await cache.get(version.version.raw, target);
  if (hit) return { info: hit, cached: true };
  const r = await queryTargetInfo(tinygo, version, target, deps);
  if (r.info) await cache.set(version.version.raw, target, r.info);
  return { ...r, cached: false };
}

/** What gopls needs for a target; the user's own GOFLAGS (from the environment) keeps its other flags. */
export function goplsEnvFor(info: TargetInfo, userGoflags?: string): GoplsEnv {
  return deriveGoplsEnv(info, userGoflags);
}

/** The analysers' view of a chosen target; `info` missing (tinygo not run yet) falls back to the name alone. */
export function analysisFactsFor(target: string, info: TargetInfo | undefined, version?: TinyGoVersionInfo): TargetFacts {
  return targetFactsFor(target, info ? {
    target, tinygoVersion: version?.version.raw, goos: info.goos, goarch: info.goarch, gc: info.gc,
    scheduler: info.scheduler, buildTags: info.buildTags, defaultStackSize: info.target?.defaultStackSize,
  } : { target, tinygoVersion: version?.version.raw });
}

/**
 * Which files the chosen target compiles (for AnalyzeOptions.build): undefined until `tinygo info` ran, so that
 * nothing is hidden on a guess. `goVersion` of the TinyGo install gives the go1.N release tags.
 */
export function buildContextFor(target: string, info: TargetInfo | undefined, version?: TinyGoVersionInfo): BuildContext | undefined {
  return info ? buildContextFromInfo(target, info, version?.goVersion) : undefined;
}

// --- the picker, as data --------------------------------------------------------------------------------

export type PickerEntry =
  | { kind: 'separator'; label: string }
  | { kind: 'target'; name: string; description: string; current: boolean; recent: boolean; nrf52: boolean }
  | { kind: 'none'; label: string; description: string; current: boolean };

export const NONE_LABEL = 'None (plain Go)';

export interface PickerOptions {
  recent?: readonly string[];
  current?: string;
  nrf52Only?: boolean;
  /** The cached resolved spec and memory of a target, when known (better description). */
  known?: (name: string) => { spec?: TargetInfo['target']; memory?: MemorySize } | undefined;
}

/** nRF52 boards first under their own heading, recently used first within each group, then "None (plain Go)". */
export function pickerModel(targets: readonly string[], options: PickerOptions = {}): PickerEntry[] {
  const recent = options.recent ?? [];
  const specs: Record<string, { inherits: string[] } | undefined> = {};
  // Asked once per target: the answer may come from resolving a target file.
  const known = new Map(targets.map((n) => [n, options.known?.(n)] as const));
  for (const n of targets) {
    const s = known.get(n)?.spec;
    if (s) specs[n] = { inherits: s.inherits };
  }
  const ordered = orderTargets(targets, { recent, specs });
  const entries: PickerEntry[] = [];
  const section = (label: string, names: string[]) => {
    if (names.length === 0) return;
    entries.push({ kind: 'separator', label });
    for (const name of names) {
      const k = known.get(name);
      entries.push({
        kind: 'target', name, description: describeTarget(name, k?.spec, k?.memory),
        current: name === options.current, recent: recent.includes(name), nrf52: classifyTarget(name, specs[name]).nrf52,
      });
    }
  };
  const isNrf = (n: string) => classifyTarget(n, specs[n]).nrf52;
  section('nRF52 boards', ordered.filter(isNrf));
  if (!options.nrf52Only) section('Other targets', ordered.filter((n) => !isNrf(n)));
  entries.push({ kind: 'separator', label: '' });
  entries.push({ kind: 'none', label: NONE_LABEL, description: 'host Go: no TinyGo target, gopls sees the code as plain Go', current: options.current === undefined });
  return entries;
}

/** Most recent first, no repeats, at most `max`. */
export function pushRecent(recent: readonly string[], name: string, max = 8): string[] {
  return [name, ...recent.filter((n) => n !== name)].slice(0, max);
}

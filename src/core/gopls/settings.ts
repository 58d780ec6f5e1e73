/**
 * The target's environment in the `gopls` settings object (`build.env`, `build.buildFlags`). Scoped to gopls, it
 * reaches gopls without a restart and never leaks into terminals or host-side Go programs the way
 * `go.toolsEnvVars` does (anchors.md item 7).
 *
 * Values the user wrote are never overwritten: we remember what we wrote last time (`GoplsManaged`), and a value
 * that differs from it is the user's. When the target goes away, only our own values are removed.
 */
import { mergeGoflags } from '../tinygo/info';

/** What we wrote into `gopls` last time (kept in workspaceState). */
export interface GoplsManaged {
  env: Record<string, string>;
  buildFlags: string[];
  /** The GOFLAGS the user had before we added the target's tags (null: none). */
  goflagsBase: string | null;
}

export interface GoplsDesired {
  env: { GOROOT: string; GOOS: string; GOARCH: string; GOARM?: string };
  tags: readonly string[];
}

export interface GoplsMergeInput {
  /** The `gopls` object at the level we write (workspace or folder), as it is now. */
  current: Readonly<Record<string, unknown>> | undefined;
  previous: GoplsManaged | undefined;
  /** undefined: no target, remove what we wrote. */
  desired: GoplsDesired | undefined;
  /** The user's `go.buildTags` and `go.buildFlags` (the Go extension passes them on the gopls command line). */
  goBuildTags?: string;
  goBuildFlags?: readonly string[];
  /** For messages. */
  target?: string;
}

export interface GoplsMergeResult {
  /** The new `gopls` object (undefined: remove the setting). */
  value: Record<string, unknown> | undefined;
  managed: GoplsManaged | undefined;
  changed: boolean;
  warnings: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function tagsFlagValue(flags: readonly string[]): { index: number; value: string } | undefined {
  for (let i = 0; i < flags.length; i++) {
    const m = /^--?tags(?:=(.*))?$/.exec(flags[i]);
    if (m) return { index: i, value: m[1] ?? flags[i + 1] ?? '' };
  }
  return undefined;
}

/** Structural equality for the JSON values settings hold. */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function mergeGoplsSettings(input: GoplsMergeInput): GoplsMergeResult {
  const { current, previous, desired } = input;
  const value: Record<string, unknown> = isRecord(current) ? { ...current } : {};
  const warnings: string[] = [];
  const forTarget = input.target ? ` for ${input.target}` : '';

  // build.env
  const curEnv: Record<string, unknown> = isRecord(value['build.env']) ? { ...value['build.env'] } : {};
  const newEnv: Record<string, unknown> = { ...curEnv };
  const managedEnv: Record<string, string> = {};
  const prevEnv = previous?.env ?? {};
  const wantEnv: Record<string, string> = {};
  if (desired) {
    for (const [k, v] of Object.entries(desired.env)) if (v !== undefined && v !== '') wantEnv[k] = v;
  }
  for (const k of new Set([...Object.keys(prevEnv), ...Object.keys(wantEnv)])) {
    if (k === 'GOFLAGS') continue;
    const cur = curEnv[k];
    const ours = cur === undefined || (prevEnv[k] !== undefined && cur === prevEnv[k]);
    if (!ours) {
      if (wantEnv[k] !== undefined && cur !== wantEnv[k]) {
        warnings.push(`Your gopls "build.env" sets ${k}=${JSON.stringify(cur)}; the target${forTarget} needs ${k}=${wantEnv[k]}. ` +
          'Yours is kept, so gopls may not see the code as TinyGo builds it.');
      }
      continue;
    }
    if (wantEnv[k] !== undefined) {
      newEnv[k] = wantEnv[k];
      managedEnv[k] = wantEnv[k];
    } else {
      delete newEnv[k];
    }
  }
  // GOFLAGS: the user's other flags stay, the target's tags are merged in (a second -tags in GOFLAGS is an error).
  const curGoflags = typeof curEnv.GOFLAGS === 'string' ? curEnv.GOFLAGS : undefined;
  const goflagsOurs = curGoflags !== undefined && prevEnv.GOFLAGS !== undefined && curGoflags === prevEnv.GOFLAGS;
  const base = goflagsOurs ? (previous?.goflagsBase ?? undefined) : curGoflags;
  let goflagsBase: string | null = null;
  if (desired && desired.tags.length > 0) {
    const merged = mergeGoflags(base, desired.tags);
    newEnv.GOFLAGS = merged;
    managedEnv.GOFLAGS = merged;
    goflagsBase = base ?? null;
  } else if (goflagsOurs) {
    if (base === undefined) delete newEnv.GOFLAGS; else newEnv.GOFLAGS = base;
  }
  if (Object.keys(newEnv).length > 0) value['build.env'] = newEnv; else delete value['build.env'];

  // build.buildFlags: a command-line -tags wins over the tags in GOFLAGS, so the user's own -tags must be flagged.
  const curFlags = Array.isArray(value['build.buildFlags']) ? (value['build.buildFlags'] as unknown[]).filter((f): f is string => typeof f === 'string') : [];
  const prevFlags = previous?.buildFlags ?? [];
  const userFlags = curFlags.filter((f) => !prevFlags.includes(f));
  let managedFlags: string[] = [];
  const userTags = tagsFlagValue(userFlags);
  if (desired && desired.tags.length > 0) {
    if (userTags) {
      warnings.push(`Your gopls "build.buildFlags" has -tags ${JSON.stringify(userTags.value)}, which overrides the target's build tags` +
        `${forTarget} (a command-line -tags wins over GOFLAGS): gopls will not see files such as //go:build ${desired.tags.find((t) => /^nrf|^atsamd|^rp2040/.test(t)) ?? desired.tags[0]}. ` +
        `Remove it, or add the target's tags to it: ${desired.tags.join(',')}.`);
    } else {
      managedFlags = [`-tags=${desired.tags.join(',')}`];
    }
  }
  const newFlags = [...userFlags, ...managedFlags];
  if (newFlags.length > 0) value['build.buildFlags'] = newFlags; else delete value['build.buildFlags'];

  if (desired && desired.tags.length > 0) {
    if (input.goBuildTags && input.goBuildTags.trim() !== '') {
      warnings.push(`Your "go.buildTags" (${JSON.stringify(input.goBuildTags)}) is passed to gopls as -tags and overrides the target's build tags` +
        `${forTarget}. Remove it from this workspace's settings, or include the target's tags: ${desired.tags.join(',')}.`);
    }
    const goTags = tagsFlagValue(input.goBuildFlags ?? []);
    if (goTags) {
      warnings.push(`Your "go.buildFlags" has -tags ${JSON.stringify(goTags.value)}, which overrides the target's build tags${forTarget}.`);
    }
  }

  const out = Object.keys(value).length > 0 ? value : undefined;
  const managed: GoplsManaged | undefined = Object.keys(managedEnv).length > 0 || managedFlags.length > 0
    ? { env: managedEnv, buildFlags: managedFlags, goflagsBase } : undefined;
  return { value: out, managed, changed: !same(out ?? {}, isRecord(current) ? current : {}), warnings };
}

/** For our own client: the user's `gopls` settings with the target's environment added in memory only. */
export function goplsConfigForOwnClient(user: Readonly<Record<string, unknown>> | undefined, desired: GoplsDesired | undefined,
  target?: string, processGoflags?: string): { config: Record<string, unknown>; warnings: string[] } {
  let current = user;
  // build.env.GOFLAGS replaces the process's GOFLAGS inside gopls: start from the user's environment value.
  const env = isRecord(user?.['build.env']) ? user['build.env'] : {};
  if (desired && processGoflags && env.GOFLAGS === undefined) current = { ...user, 'build.env': { ...env, GOFLAGS: processGoflags } };
  const r = mergeGoplsSettings({ current, previous: undefined, desired, target });
  return { config: r.value ?? {}, warnings: r.warnings };
}

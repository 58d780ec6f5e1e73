/**
 * `tinygo version` output and version ordering.
 *
 * Features of the command line changed between releases (`-json` diagnostics, `-size=html`, new schedulers), so
 * callers branch on the parsed version rather than on an assumed release.
 */

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Text after the first `-`, e.g. `dev-abc123` for `0.34.0-dev-abc123`; empty for a release. */
  prerelease: string;
  /** The version exactly as printed (without a leading `v`). */
  raw: string;
}

export interface TinyGoVersionInfo {
  version: Version;
  /** `linux/amd64` split in two; undefined when the line does not carry it. */
  os?: string;
  arch?: string;
  /** Go version TinyGo runs with, without the `go` prefix (`1.23.0`). */
  goVersion?: string;
  llvmVersion?: string;
}

export type VersionParseResult = { ok: true; info: TinyGoVersionInfo } | { ok: false; error: string };

const VERSION_RE = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.+-]+))?$/;

/** Parses `0.33.0`, `v0.33`, `0.34.0-dev-abc123`. Returns undefined for anything else. */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION_RE.exec(text.trim());
  if (!m) {
    return undefined;
  }
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: m[3] === undefined ? 0 : Number(m[3]),
    prerelease: m[4] ?? '',
    raw: text.trim().replace(/^v/, ''),
  };
}

const LINE_RE = /tinygo version (\S+)(?:\s+(\S+?)\/(\S+))?(?:\s+\(using go version (\S+) and LLVM version (\S+?)\))?\s*$/;

/** Parses the whole output of `tinygo version`; tolerates surrounding noise lines (e.g. warnings on stderr). */
export function parseVersionOutput(text: string): VersionParseResult {
  for (const rawLine of text.split(/\r?\n/)) {
    const m = LINE_RE.exec(rawLine.trim());
    if (!m) {
      continue;
    }
    const version = parseVersion(m[1]);
    if (!version) {
      return { ok: false, error: `unrecognised TinyGo version "${m[1]}"` };
    }
    const info: TinyGoVersionInfo = { version };
    if (m[2] !== undefined) {
      info.os = m[2];
      info.arch = m[3];
    }
    if (m[4] !== undefined) {
      info.goVersion = m[4].replace(/^go/, '');
      info.llvmVersion = m[5];
    }
    return { ok: true, info };
  }
  const shown = text.trim().slice(0, 200);
  return { ok: false, error: shown === '' ? 'tinygo version printed nothing' : `not a tinygo version line: ${shown}` };
}

function toVersion(v: Version | string): Version | undefined {
  return typeof v === 'string' ? parseVersion(v) : v;
}

/**
 * Orders like semver: numbers first, then a pre-release (a dev build) sorts before its release, because a
 * `0.34.0-dev` build may lack what 0.34.0 shipped. Unparseable versions sort before everything.
 */
export function compareVersions(a: Version | string, b: Version | string): number {
  const va = toVersion(a);
  const vb = toVersion(b);
  if (!va || !vb) {
    return (va ? 1 : 0) - (vb ? 1 : 0);
  }
  const d = va.major - vb.major || va.minor - vb.minor || va.patch - vb.patch;
  if (d !== 0) {
    return Math.sign(d);
  }
  if (va.prerelease === vb.prerelease) {
    return 0;
  }
  if (va.prerelease === '') {
    return 1;
  }
  if (vb.prerelease === '') {
    return -1;
  }
  return va.prerelease < vb.prerelease ? -1 : 1;
}

export function atLeast(v: Version | string, min: Version | string): boolean {
  return toVersion(v) !== undefined && compareVersions(v, min) >= 0;
}

export interface GoCompatError {
  /** Oldest and newest Go minor versions this TinyGo accepts, e.g. `1.19` and `1.23`. */
  min: string;
  max: string;
  /** The Go version found, without the `go` prefix, e.g. `1.24` or `1.24.1`. */
  got: string;
}

const GO_COMPAT_RE = /requires go version (\d+\.\d+) through (\d+\.\d+), got go(\d+(?:\.\d+)*)/;

/** Finds TinyGo's Go-version check failure anywhere in stderr (it is followed by the usage text). */
export function parseGoCompatError(text: string): GoCompatError | undefined {
  const m = GO_COMPAT_RE.exec(text);
  return m ? { min: m[1], max: m[2], got: m[3] } : undefined;
}

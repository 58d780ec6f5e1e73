/**
 * Installing gopls when `go install golang.org/x/tools/gopls@latest` cannot: each gopls release needs a recent Go
 * (v0.24.0 needs Go 1.27), and a Go that may not switch toolchains (`GOTOOLCHAIN=local`, which distributions'
 * Go packages set) refuses with "requires go >= X (running go Y; GOTOOLCHAIN=local)". Then the newest release
 * whose go.mod this Go satisfies is installed instead, which is what the user would do by hand.
 */
import { atLeast, compareVersions, parseVersion } from '../tinygo/version';

export const GOPLS_MODULE = 'golang.org/x/tools/gopls';

/** `go install`'s refusal of a module that needs a newer Go than the one running, and the versions it names. */
export interface RequiresNewerGo {
  /** The version that was refused, e.g. `v0.24.0`. */
  version: string;
  /** The Go its go.mod asks for, e.g. `1.27.0`. */
  requires: string;
  /** The Go that ran, e.g. `1.26.8`. */
  running: string;
}

const REQUIRES_RE = /golang\.org\/x\/tools\/gopls@(v\S+) requires go >= (\S+) \(running go (\S+?);/;

export function parseRequiresNewerGo(output: string): RequiresNewerGo | undefined {
  const m = REQUIRES_RE.exec(output);
  return m ? { version: m[1], requires: m[2], running: m[3] } : undefined;
}

/**
 * From `go list -m -versions golang.org/x/tools/gopls` ("golang.org/x/tools/gopls v0.1.0 ... v0.24.0"): the
 * releases older than `below`, newest first, without pre-releases.
 */
export function releasesBelow(listOutput: string, below: string): string[] {
  return listOutput.trim().split(/\s+/).slice(1)
    .filter((v) => { const p = parseVersion(v); return p !== undefined && p.prerelease === '' && compareVersions(v, below) < 0; })
    .sort((a, b) => compareVersions(b, a));
}

/** The Go version a module's go.mod asks for, from `go list -m -json MODULE@VERSION` ("GoVersion"). */
export function goVersionOf(listJson: string): string | undefined {
  try {
    const v: unknown = (JSON.parse(listJson) as { GoVersion?: unknown }).GoVersion;
    return typeof v === 'string' && v !== '' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Whether Go `running` (1.26.8) builds a module whose go.mod says `go required` (1.26.0, or 1.25). */
export function goSatisfies(running: string, required: string): boolean {
  return atLeast(running, required);
}

export function installArgs(version: string): string[] {
  return ['install', `${GOPLS_MODULE}@${version}`];
}

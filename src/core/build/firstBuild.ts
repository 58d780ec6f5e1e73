/**
 * The first build for a chip is slow (60-90 s): TinyGo compiles its C libraries (compiler-rt, and picolibc or musl)
 * once per LLVM target and CPU into its cache directory, `compiler-rt-<llvm-target>-<cpu>` and the like. Seeing no
 * such directory before a build is how the build tells the user that this one will take a while, and why.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExecFn } from '../process/exec';
import { outputLines } from '../tinygo/lines';

/** What the progress message and the build log add on a first build for a chip. */
export const FIRST_BUILD_NOTE = 'first build for this chip: TinyGo compiles its C libraries once, which takes a minute or two; later builds take seconds';

/**
 * TinyGo's cache directory from `tinygo env` output. TinyGo reports its own cache (the user cache dir + `/tinygo`)
 * as GOCACHE; undefined when the line is missing or empty.
 */
export function cacheDirFromEnv(stdout: string): string | undefined {
  for (const line of outputLines(stdout)) {
    const m = /^GOCACHE=(["']?)(.*)\1\s*$/.exec(line.trim());
    if (m && m[2] !== '') return m[2];
  }
  return undefined;
}

/**
 * Whether the cache holds the C libraries of this LLVM target and CPU (`compiler-rt-thumbv7em-unknown-unknown-eabi-cortex-m4`).
 * TinyGo names a CPU-less target's libraries with `generic`.
 */
export function hasChipLibraries(entries: readonly string[], llvmTarget: string, cpu: string | undefined): boolean {
  const suffix = `${llvmTarget}-${cpu || 'generic'}`;
  return entries.some((e) => e === `compiler-rt-${suffix}`);
}

const cacheDirs = new Map<string, Promise<string | undefined>>();

/** `tinygo env`'s cache directory, asked once per tinygo path (a failure is asked again next time). */
export function tinygoCacheDir(exec: ExecFn, tinygo: string): Promise<string | undefined> {
  let p = cacheDirs.get(tinygo);
  if (!p) {
    p = exec(tinygo, ['env'], { timeoutMs: 15_000 }).then((r) => (r.exitCode === 0 ? cacheDirFromEnv(r.stdout) : undefined), () => undefined);
    cacheDirs.set(tinygo, p);
    void p.then((dir) => { if (!dir && cacheDirs.get(tinygo) === p) cacheDirs.delete(tinygo); });
  }
  return p;
}

/**
 * True when TinyGo will compile the chip's C libraries in this build. False when it will not, and when that cannot
 * be told (no cache directory reported, no LLVM target known): a wrong "this will be slow" is worse than none.
 */
export async function isFirstBuildForChip(
  exec: ExecFn, tinygo: string, chip: { llvmTarget?: string; cpu?: string } | undefined,
  readdir: (dir: string) => string[] = (d) => fs.readdirSync(d),
): Promise<boolean> {
  if (!chip?.llvmTarget) return false;
  const dir = await tinygoCacheDir(exec, tinygo);
  if (!dir || !path.isAbsolute(dir)) return false;
  let entries: string[];
  try {
    entries = readdir(dir);
  } catch (e) {
    // No cache directory at all is the very first build of this TinyGo.
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
  return !hasChipLibraries(entries, chip.llvmTarget, chip.cpu);
}

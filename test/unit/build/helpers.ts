import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Tests run from out/test/unit/build; fixtures are read from the source tree.
export const ROOT = path.resolve(__dirname, '../../../..');
export const FAKE_DIR = path.join(ROOT, 'test/fixtures/fake-tinygo-build');
/** The scripted stand-in for tinygo (not a compiler: see its header). */
export const FAKE_TINYGO = path.join(FAKE_DIR, 'tinygo');
export const REAL = path.join(ROOT, 'test/fixtures/tinygo-real');

export function real(version: string, name: string, stream: 'stdout' | 'stderr' | 'exit'): string {
  const f = path.join(REAL, version, `${name}.${stream}`);
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
}

/** A temp dir whose name has spaces, quotes, `$` and non-ASCII in it, as users' folders do. */
export function oddTempDir(prefix = 'tgw build'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix} "odd" $(x) ü 'q' `));
}

/** Copies a fake-tinygo project into a fresh odd directory; returns the package dir. */
export function project(name: string, into = oddTempDir()): string {
  const dst = path.join(into, `${name} pkg & co`);
  fs.cpSync(path.join(FAKE_DIR, 'projects', name), dst, { recursive: true });
  return dst;
}

export function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

export async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (cond()) return true; await new Promise((r) => setTimeout(r, 10)); }
  return cond();
}

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The committed real ELFs (see test/fixtures/elf/README.md). */
export const FIXTURE_DIR = path.resolve(__dirname, '../../../../test/fixtures/elf');

export function fixtures(): string[] {
  return fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.elf')).sort().map((f) => path.join(FIXTURE_DIR, f));
}

/**
 * Debian's LLVM 19 tools are the yardstick (`apt-get install llvm-19`). Returns undefined when `tool` is missing, so
 * the caller skips with a message instead of passing without comparing anything.
 */
export function llvmTool(tool: 'readelf' | 'nm' | 'addr2line' | 'objdump'): string | undefined {
  const exe = `llvm-${tool}-19`;
  const r = spawnSync(exe, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? exe : undefined;
}

export const MISSING = (tool: string) => `llvm-${tool}-19 is not installed (apt-get install llvm-19): nothing to compare against`;

export function run(exe: string, args: readonly string[], input?: string): string {
  return execFileSync(exe, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...(input !== undefined ? { input } : {}) });
}

export function hex(n: number): string {
  return '0x' + n.toString(16);
}

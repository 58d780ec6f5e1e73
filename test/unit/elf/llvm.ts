import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDebugLine, parseElf, symbolAddress } from '../../../src/core/elf';

/** The committed real ELFs (see test/fixtures/elf/README.md). */
export const FIXTURE_DIR = path.resolve(__dirname, '../../../../test/fixtures/elf');

export function fixtures(): string[] {
  return fs.readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.elf')).sort().map((f) => path.join(FIXTURE_DIR, f));
}

/**
 * Debian's LLVM 19 tools are the yardstick (`apt-get install llvm-19`). Returns undefined when `tool` is missing, so
 * the caller skips with a message instead of passing without comparing anything.
 */
export function llvmTool(tool: 'readelf' | 'nm' | 'addr2line' | 'objdump' | 'size'): string | undefined {
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

const SHF_EXECINSTR = 4;

/** Addresses worth asking about: every 97th byte of code, every function symbol (with and without the Thumb bit),
 * every row's address and the byte after it (odd, like a Thumb return address), and both edges of every
 * line-table sequence (the first byte, the last byte, the first byte after). */
export function probeAddresses(file: string): number[] {
  const elf = parseElf(fs.readFileSync(file));
  const set = new Set<number>([0, 1]);
  for (const s of elf.sections) {
    if (!(s.flags & SHF_EXECINSTR) || s.size === 0) continue;
    for (let a = s.address; a < s.address + s.size; a += 97) set.add(a);
  }
  for (const sym of elf.symbols) {
    if (sym.type !== 'func' || sym.shndx === 0) continue;
    set.add(sym.value);
    set.add(symbolAddress(elf, sym));
  }
  for (const t of parseDebugLine(elf)) {
    let first = true;
    for (const r of t.rows) {
      if (first) set.add(r.address);
      set.add(r.address);
      set.add(r.address + 1);
      first = r.endSequence;
      if (r.endSequence && r.address > 0) { set.add(r.address); set.add(r.address - 1); }
    }
  }
  return [...set].filter((a) => a >= 0 && a < 2 ** 48).sort((a, b) => a - b);
}

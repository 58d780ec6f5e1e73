/**
 * tinygo-workbench addr2line FIRMWARE.elf ADDRESS...
 * Prints `file:line:col` for each address (hex, with or without 0x, as addr2line reads them), `??:0:0` when no line
 * table covers it: the same lookup the serial monitor uses to link a panic address. Exit status: 0, or 2 for a usage
 * error or a file that is not a readable ELF.
 */
import * as fs from 'node:fs';
import { ElfError, LineLookup, parseElf } from './core/elf';

export const ADDR2LINE_USAGE = 'usage: tinygo-workbench addr2line FIRMWARE.elf ADDRESS...';

export interface Addr2lineIo { out: (s: string) => void; err: (s: string) => void }

export function addr2lineMain(args: readonly string[], io: Addr2lineIo): number {
  if (args.includes('-h') || args.includes('--help')) { io.out(ADDR2LINE_USAGE); return 0; }
  const [file, ...rest] = args;
  if (!file || rest.length === 0) { io.err(ADDR2LINE_USAGE); return 2; }
  const addresses: number[] = [];
  for (const a of rest) {
    const m = /^(?:0x)?([0-9a-f]{1,13})$/i.exec(a);
    if (!m) { io.err(`tinygo-workbench addr2line: ${a} is not a hexadecimal address\n${ADDR2LINE_USAGE}`); return 2; }
    addresses.push(Number.parseInt(m[1]!, 16));
  }
  let lookup: LineLookup;
  try {
    lookup = new LineLookup(parseElf(fs.readFileSync(file)));
  } catch (e) {
    const why = e instanceof ElfError ? e.message : (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    io.err(`tinygo-workbench addr2line: ${file}: ${why}`);
    return 2;
  }
  for (const address of addresses) {
    const loc = lookup.lookup(address);
    io.out(loc ? `${loc.file}:${loc.line}:${loc.column}` : '??:0:0');
  }
  return 0;
}

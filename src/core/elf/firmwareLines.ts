import { promises as fsp } from 'node:fs';
import { LineLookup } from './addr2line';
import { parseElf } from './elf';
import { ElfError } from './error';

export type FirmwareLines =
  | { readonly ok: true; readonly file: string; readonly lookup: LineLookup }
  | { readonly ok: false; readonly file: string; readonly reason: string };

/**
 * The line table of the last built firmware, read once per version of the file (path, size and mtime), so the
 * serial monitor can resolve panic addresses synchronously line by line (`analyzeLine(text, r.lookup.lookup…)`).
 * Never throws: an unreadable or non-ELF file gives a reason to show instead.
 */
export class FirmwareLineCache {
  private key?: string;
  private value?: Promise<FirmwareLines>;

  load(file: string): Promise<FirmwareLines> {
    return this.stamp(file).then((key) => {
      if (key !== undefined && key === this.key && this.value) return this.value;
      this.key = key;
      this.value = key === undefined ? Promise.resolve({ ok: false, file, reason: 'no such file' }) : read(file);
      return this.value;
    });
  }

  private async stamp(file: string): Promise<string | undefined> {
    try {
      const st = await fsp.stat(file);
      return `${file}\0${st.size}\0${st.mtimeMs}`;
    } catch {
      return undefined;
    }
  }
}

async function read(file: string): Promise<FirmwareLines> {
  try {
    const lookup = new LineLookup(parseElf(await fsp.readFile(file)));
    return { ok: true, file, lookup };
  } catch (e) {
    return { ok: false, file, reason: e instanceof ElfError ? e.message : (e as Error).message };
  }
}

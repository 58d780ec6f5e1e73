/**
 * The chip's capacity for the program, from the target's own linker script in the TinyGo installation:
 * TINYGOROOT/targets/<linkerscript of `tinygo info -json`>, with INCLUDEs resolved relative to TINYGOROOT. The
 * MEMORY regions there already leave out the SoftDevice and the bootloader. TINYGOROOT itself comes from
 * core/tinygo/root.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { capacityFromLinkerScript, type Capacity } from './model';
import { parseLinkerScript } from './linkerScript';

export interface CapacityResult {
  capacity?: Capacity;
  /** Why there is none (for the log). */
  error?: string;
  /** The script read, for the log. */
  script?: string;
}

/** Reads and evaluates the linker script. `linkerscript` is as in the target JSON, relative to TINYGOROOT. */
export function capacityFromRoot(root: string, linkerscript: string): CapacityResult {
  const file = path.isAbsolute(linkerscript) ? linkerscript : path.join(root, linkerscript);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { error: `cannot read the linker script ${file}: ${(e as Error).message}`, script: file };
  }
  const script = parseLinkerScript(text, {
    readFile: (name) => {
      try {
        return fs.readFileSync(path.isAbsolute(name) ? name : path.join(root, name), 'utf8');
      } catch {
        return undefined;
      }
    },
  }, file);
  const capacity = capacityFromLinkerScript(script);
  if (!capacity) return { error: `no FLASH_TEXT/RAM memory regions in ${file}${script.errors.length ? ` (${script.errors.join('; ')})` : ''}`, script: file };
  return { capacity, script: file };
}

/**
 * TINYGOROOT: where an installation keeps targets/*.json and the linker scripts. Asked with `tinygo env TINYGOROOT`
 * once per tinygo executable and shared by everything that reads those files (the target picker, the size panel).
 */
import type { ExecFn } from '../process/exec';
import { outputLines } from './lines';

/**
 * The root from `tinygo env TINYGOROOT` output: the last non-empty line, also in the `TINYGOROOT="..."` form that
 * `tinygo env` prints for all variables. Undefined for empty output.
 */
export function rootFromEnvOutput(stdout: string): string | undefined {
  const lines = outputLines(stdout).map((l) => l.trim()).filter((l) => l !== '');
  const last = lines[lines.length - 1];
  if (!last) return undefined;
  const m = /^TINYGOROOT=(["']?)(.*)\1$/.exec(last);
  return (m ? m[2] : last) || undefined;
}

const roots = new Map<string, Promise<string | undefined>>();

/** `tinygo env TINYGOROOT`, once per tinygo path; a failure is not remembered (the next call asks again). */
export function tinygoRoot(exec: ExecFn, tinygo: string): Promise<string | undefined> {
  let p = roots.get(tinygo);
  if (!p) {
    p = exec(tinygo, ['env', 'TINYGOROOT'], { timeoutMs: 15_000 }).then(
      (r) => (r.exitCode === 0 ? rootFromEnvOutput(r.stdout) : undefined),
      () => undefined,
    );
    roots.set(tinygo, p);
    void p.then((root) => { if (!root && roots.get(tinygo) === p) roots.delete(tinygo); });
  }
  return p;
}

import type { ChildProcess, SpawnOptions } from 'node:child_process';
import * as path from 'node:path';

/** `child_process.spawn`, passed in so that core code never starts processes on its own. */
export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

/**
 * Two linked pseudo-terminals made by socat: bytes written to one end are read at the other. A stand-in for a
 * board's USB serial port in tests and benchmarks, exercising the same tty code paths.
 */
export interface PtyPair {
  /** Symlinks to the two /dev/pts nodes. */
  readonly a: string;
  readonly b: string;
  readonly pid: number | undefined;
  /** Ends socat and waits for it to exit. Closing makes readers of either end see a hang-up. */
  close(): Promise<void>;
}

export type PtyPairResult = { readonly ok: true; readonly pair: PtyPair } | { readonly ok: false; readonly reason: string };

export function openPtyPair(spawn: SpawnFn, dir: string, names: { a?: string; b?: string } = {}, timeoutMs = 5000): Promise<PtyPairResult> {
  const a = path.join(dir, names.a ?? 'a');
  const b = path.join(dir, names.b ?? 'b');
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      resolve({ ok: false, reason: `cannot start socat: ${(e as Error).message}` });
      return;
    }
    let settled = false;
    let stderr = '';
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const close = async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    };
    const finish = (result: PtyPairResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer = setTimeout(() => {
      void close();
      finish({ ok: false, reason: `socat did not start within ${timeoutMs} ms: ${stderr.trim()}` });
    }, timeoutMs);
    child.once('error', (e: NodeJS.ErrnoException) => {
      finish({ ok: false, reason: e.code === 'ENOENT' ? 'socat is not installed' : `socat failed: ${e.message}` });
    });
    child.once('exit', (code) => finish({ ok: false, reason: `socat exited with ${code}: ${stderr.trim()}` }));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => {
      stderr += s;
      // socat creates both links before it logs this; waiting for it avoids polling the file system.
      if (stderr.includes('starting data transfer loop')) finish({ ok: true, pair: { a, b, pid: child.pid, close } });
    });
  });
}

import { execa } from 'execa';

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the whole process tree after this many milliseconds (0: never). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with each chunk of stdout / stderr as it arrives (progress, live output channels). */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
  /** Keep at most this many characters of each stream in the result (the rest is dropped from the middle). */
  maxOutput?: number;
}

export interface ExecResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when the program could not be started at all (ENOENT, EACCES...). */
  spawnError?: string;
  durationMs: number;
}

/**
 * How core code runs a program: always an argument array, never a shell string. Tests pass a scripted stand-in;
 * the extension passes `runProcess`.
 */
export type ExecFn = (file: string, args: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

function keep(s: string, max: number): string {
  if (s.length <= max) return s;
  const half = Math.floor(max / 2);
  return `${s.slice(0, half)}\n… ${s.length - max} characters dropped …\n${s.slice(-half)}`;
}

/**
 * execa in its own process group, so that cancel and time-out end the whole tree (tinygo runs clang, ld.lld,
 * openocd...), not only the direct child. Never rejects: every outcome is in the result.
 */
export const runProcess: ExecFn = async (file, args, options = {}) => {
  const t0 = Date.now();
  const max = options.maxOutput ?? 8 << 20;
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  let cancelled = false;
  const child = execa(file, [...args], {
    cwd: options.cwd, env: options.env, extendEnv: options.env === undefined, reject: false, stdin: 'ignore',
    detached: process.platform !== 'win32', buffer: false, encoding: 'utf8', cleanup: true,
  });
  const killTree = (sig: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      if (process.platform !== 'win32') process.kill(-child.pid, sig); else child.kill(sig);
    } catch { /* already gone */ }
  };
  let hardKill: NodeJS.Timeout | undefined;
  const stop = () => { killTree('SIGTERM'); hardKill = setTimeout(() => killTree('SIGKILL'), 2000); };
  const timer = options.timeoutMs ? setTimeout(() => { timedOut = true; stop(); }, options.timeoutMs) : undefined;
  const onAbort = () => { cancelled = true; stop(); };
  if (options.signal?.aborted) onAbort(); else options.signal?.addEventListener('abort', onAbort, { once: true });
  // The streams give Buffers unless told otherwise (execa's `encoding` is about its own result, not these events);
  // setEncoding also keeps a character split across two chunks whole.
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (c: string) => { stdout = keep(stdout + c, max); options.onStdout?.(c); });
  child.stderr?.on('data', (c: string) => { stderr = keep(stderr + c, max); options.onStderr?.(c); });
  try {
    const r = await child;
    const spawnError = r.failed && r.exitCode === undefined && !r.isTerminated ? (r.code ?? r.shortMessage) : undefined;
    return { exitCode: r.exitCode, stdout, stderr, timedOut, cancelled, spawnError, durationMs: Date.now() - t0 };
  } catch (e) {
    return { exitCode: undefined, stdout, stderr, timedOut, cancelled, spawnError: e instanceof Error ? e.message : String(e), durationMs: Date.now() - t0 };
  } finally {
    clearTimeout(timer);
    clearTimeout(hardKill);
    options.signal?.removeEventListener('abort', onAbort);
    // Whatever happened to the direct child, leave no grandchild behind.
    killTree('SIGKILL');
  }
};

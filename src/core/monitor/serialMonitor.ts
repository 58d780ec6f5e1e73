import { EventEmitter } from 'node:events';
import { close as fsClose, constants as fsc, open as fsOpen, promises as fsp, createWriteStream, WriteStream } from 'node:fs';
import * as tty from 'node:tty';
import { LineSplitter, analyzeLine, flashMarker, formatTimestamp, LineLink } from './lines';
import type { PanicResolver, ResolvedPanic } from './panicNote';
import { serialPermissionHelp } from '../ports/permission';
import { RememberedBoard, waitForBoard } from '../ports/follow';
import type { UsbSerialPort } from '../ports/sysfs';

/** Runs a program with an argument array (never a shell string) and reports how it ended. */
export type ExecFn = (file: string, args: readonly string[]) => Promise<{ code: number | null; stdout: string; stderr: string }>;

export interface SerialMonitorOptions {
  readonly path: string;
  readonly baud?: number;
  /** Used for `stty`; tests and the extension pass their own runner. */
  readonly exec: ExecFn;
  readonly platform?: NodeJS.Platform;
  readonly timestamps?: boolean;
  /** Every line (and marker) is appended here. */
  readonly logFile?: string;
  /** How to find the board again after it re-enumerates. Without it, `reopen()` waits for the same path. */
  readonly follow?: {
    readonly board: RememberedBoard;
    readonly list: () => Promise<readonly UsbSerialPort[]>;
    readonly intervalMs?: number;
    readonly timeoutMs?: number;
  };
  /** Reopen by itself when the port goes away (board reset, reflashed, replugged). */
  readonly autoReopen?: boolean;
  readonly now?: () => Date;
  /**
   * Looks up the address of a `panic: runtime error at 0x…` line in the running firmware (the last built ELF): the
   * address becomes a link, and a note naming the source line is appended to the shown line.
   */
  readonly resolvePanic?: PanicResolver;
}

export interface MonitorLine {
  readonly text: string;
  readonly time: Date;
  /** What to display: the text, behind a timestamp when enabled. */
  readonly formatted: string;
  readonly panic: boolean;
  /** Relative to `formatted`. */
  readonly links: readonly LineLink[];
  readonly marker?: boolean;
}

export interface MonitorError {
  readonly code: 'gone' | 'permission' | 'busy' | 'stty-failed' | 'unsupported' | 'io';
  readonly port: string;
  readonly message: string;
}

export type OpenResult = { readonly ok: true; readonly path: string; readonly waitedMs?: number } | { readonly ok: false; readonly error: MonitorError };

export interface SerialMonitorEvents {
  data: [MonitorLine];
  /** Decoded text as it arrives, for terminals that show partial lines (prompts). */
  raw: [string];
  opened: [{ path: string; waitedMs?: number }];
  error: [MonitorError];
  closed: [{ reason: 'requested' | 'disconnected' }];
}

/** Linux takes `-F`, macOS and the BSDs `-f`. */
export function sttyArgs(platform: NodeJS.Platform, device: string, baud: number): string[] {
  return [platform === 'linux' ? '-F' : '-f', device, String(baud), 'raw', '-echo'];
}

export function describeOpenError(err: unknown, port: string, platform: NodeJS.Platform): MonitorError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
      return { code: 'gone', port, message: `${port} is not there: the board is unplugged, resetting, or came back under another name.` };
    case 'EACCES':
    case 'EPERM':
      return { code: 'permission', port, message: serialPermissionHelp(port, platform) };
    case 'EBUSY':
      return { code: 'busy', port, message: `${port} is busy: another program holds it (another monitor, or ModemManager probing a new device for a few seconds).` };
    default:
      return { code: 'io', port, message: `Cannot use ${port}: ${(err as Error | undefined)?.message ?? String(err)}` };
  }
}

/**
 * A serial monitor without native modules. The device is configured with `stty` and then read and written
 * through a `tty.ReadStream`: a tty fd is polled by libuv like a socket (no thread-pool read stuck on the
 * device), it is a duplex stream, and destroying it closes the fd at once, which frees the port for flashing.
 * Not for Windows (no stty, and COM ports are not ttys).
 */
export class SerialMonitor extends EventEmitter<SerialMonitorEvents> {
  private stream: tty.ReadStream | undefined;
  private splitter = new LineSplitter();
  private log: WriteStream | undefined;
  private closing = false;
  private currentPath: string;
  private readonly platform: NodeJS.Platform;
  private reopening: Promise<OpenResult> | undefined;
  private reopenAbort: AbortController | undefined;
  /** Set while reopen retries, so that only the final failure is reported. */
  private quiet = false;

  constructor(private readonly options: SerialMonitorOptions) {
    super();
    this.currentPath = options.path;
    this.platform = options.platform ?? process.platform;
    if (options.logFile) {
      this.log = createWriteStream(options.logFile, { flags: 'a' });
      this.log.on('error', (e) => this.fail({ code: 'io', port: options.logFile!, message: `Cannot write the monitor log: ${e.message}` }));
    }
  }

  get path(): string {
    return this.currentPath;
  }

  get isOpen(): boolean {
    return this.stream !== undefined;
  }

  open(): Promise<OpenResult> {
    return this.openAt(undefined);
  }

  private async openAt(waitedMs: number | undefined): Promise<OpenResult> {
    if (this.stream) return { ok: true, path: this.currentPath };
    if (this.platform === 'win32') {
      return this.failed({ code: 'unsupported', port: this.currentPath, message: 'The built-in monitor needs stty (Linux, macOS); on Windows use `tinygo monitor` in a terminal.' });
    }
    const port = this.currentPath;
    let fd: number;
    try {
      // O_NOCTTY: the board must never become the extension host's controlling terminal.
      // O_NONBLOCK: opening must not wait for carrier detect.
      // A plain fd, not a FileHandle: the tty stream owns and closes it, and a FileHandle would close it again
      // when garbage-collected.
      fd = await new Promise<number>((resolve, reject) => fsOpen(port, fsc.O_RDWR | fsc.O_NOCTTY | fsc.O_NONBLOCK, (err, f) => (err ? reject(err) : resolve(f))));
    } catch (e) {
      return this.failed(describeOpenError(e, port, this.platform));
    }
    if (!tty.isatty(fd)) {
      await closeFd(fd);
      return this.failed({ code: 'io', port, message: `${port} is not a serial port (not a tty).` });
    }
    // stty after open: macOS resets the line settings when the last descriptor closes, so they are applied while
    // we hold one.
    let stty: { code: number | null; stderr: string };
    try {
      stty = await this.options.exec('stty', sttyArgs(this.platform, port, this.options.baud ?? 115200));
    } catch (e) {
      stty = { code: -1, stderr: (e as Error).message };
    }
    if (stty.code !== 0) {
      await closeFd(fd);
      const denied = /permission denied/i.test(stty.stderr);
      return this.failed(denied ? describeOpenError({ code: 'EACCES' }, port, this.platform) : { code: 'stty-failed', port, message: `stty could not configure ${port}: ${stty.stderr.trim() || `exit ${stty.code}`}` });
    }
    let stream: tty.ReadStream;
    try {
      stream = new tty.ReadStream(fd);
    } catch (e) {
      await closeFd(fd);
      return this.failed(describeOpenError(e, port, this.platform));
    }
    this.stream = stream;
    this.closing = false;
    this.splitter = new LineSplitter();
    stream.on('data', (chunk: Buffer | string) => this.onChunk(chunk));
    stream.on('error', (e: NodeJS.ErrnoException) => {
      // EIO is how Linux reports a USB device that went away under an open tty.
      if (e.code !== 'EIO') this.fail(describeOpenError(e, port, this.platform));
    });
    stream.on('close', () => this.onStreamClosed(stream));
    this.emit('opened', waitedMs === undefined ? { path: port } : { path: port, waitedMs });
    return waitedMs === undefined ? { ok: true, path: port } : { ok: true, path: port, waitedMs };
  }

  /** Sends text or bytes to the board. False when the port is not open. */
  write(data: string | Uint8Array): Promise<boolean> {
    const stream = this.stream;
    if (!stream) return Promise.resolve(false);
    return new Promise((resolve) => {
      stream.write(data, (err) => resolve(!err));
    });
  }

  /** Releases the port (flashing needs it) and stops any pending reopen. Resolves once the fd is closed. */
  close(): Promise<void> {
    this.reopenAbort?.abort();
    const stream = this.stream;
    if (!stream) return Promise.resolve();
    this.closing = true;
    return new Promise((resolve) => {
      stream.once('close', () => resolve());
      stream.destroy();
    });
  }

  /**
   * Waits for the board to come back (by USB serial number when `follow` is configured, else at the same path)
   * and opens it again. Concurrent calls share one attempt.
   */
  reopen(options: { mustDisappearFirst?: boolean; signal?: AbortSignal } = {}): Promise<OpenResult> {
    if (this.reopening) return this.reopening;
    const attempt = this.doReopen(options).finally(() => {
      this.reopening = undefined;
    });
    this.reopening = attempt;
    return attempt;
  }

  private async doReopen(options: { mustDisappearFirst?: boolean; signal?: AbortSignal }): Promise<OpenResult> {
    await this.close();
    const abort = new AbortController();
    this.reopenAbort = abort;
    options.signal?.addEventListener('abort', () => abort.abort(), { once: true });
    const follow = this.options.follow;
    const list = follow?.list ?? (async () => ((await exists(this.options.path)) ? [samePathPort(this.options.path)] : []));
    const board: RememberedBoard = follow?.board ?? { vid: '', serialNumber: SAME_PATH };
    const found = await waitForBoard(board, {
      list,
      intervalMs: follow?.intervalMs ?? 100,
      timeoutMs: follow?.timeoutMs ?? 15_000,
      signal: abort.signal,
      mustDisappearFirst: options.mustDisappearFirst,
    });
    if (!found.found) {
      const message = found.reason === 'aborted' ? 'Reconnecting was cancelled.' : `The board did not come back within ${Math.round(found.elapsedMs / 1000)} s.`;
      return this.failed({ code: 'gone', port: this.currentPath, message });
    }
    this.currentPath = found.port.path;
    // The tty node can appear a moment before udev has applied its group and mode: retry EACCES/ENOENT briefly.
    this.quiet = true;
    let result: OpenResult;
    try {
      result = await this.openAt(found.elapsedMs);
      for (let i = 0; !result.ok && (result.error.code === 'permission' || result.error.code === 'gone' || result.error.code === 'busy') && i < 20 && !abort.signal.aborted; i++) {
        await new Promise((r) => setTimeout(r, 50));
        result = await this.openAt(found.elapsedMs);
      }
    } finally {
      this.quiet = false;
    }
    if (!result.ok) this.fail(result.error);
    return result;
  }

  /** Writes a line of our own (e.g. the flash marker) into the output and the log. */
  mark(text: string): void {
    this.emitLine(text, true);
  }

  markFlashed(firmware: string): void {
    this.mark(flashMarker(firmware, this.now()));
  }

  /** Closes the port and the log file. */
  async dispose(): Promise<void> {
    await this.close();
    const log = this.log;
    this.log = undefined;
    if (log) await new Promise<void>((resolve) => log.end(() => resolve()));
    this.removeAllListeners();
  }

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }

  private onChunk(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.emit('raw', buf.toString('utf8'));
    for (const line of this.splitter.push(buf)) this.emitLine(line, false);
  }

  private emitLine(text: string, marker: boolean): void {
    const time = this.now();
    const prefix = this.options.timestamps ? `[${formatTimestamp(time)}] ` : '';
    let resolved: ResolvedPanic | undefined;
    const resolve = this.options.resolvePanic;
    const analyzed = analyzeLine(text, !marker && resolve ? (a) => (resolved = resolve(a))?.at : undefined);
    const links = [...analyzed.links];
    let shown = text;
    const note = (resolved as ResolvedPanic | undefined)?.note;
    if (note) {
      const at = text.length + 2;
      shown = `${text}  ${note.text}`;
      links.push(...note.links.map((l) => ({ ...l, start: l.start + at, end: l.end + at })));
    }
    const formatted = prefix + shown;
    for (let i = 0; i < links.length; i++) links[i] = { ...links[i]!, start: links[i]!.start + prefix.length, end: links[i]!.end + prefix.length };
    this.log?.write(formatted + '\n');
    const line: MonitorLine = marker ? { text, time, formatted, panic: false, links: [], marker: true } : { text, time, formatted, panic: analyzed.panic, links };
    this.emit('data', line);
  }

  private onStreamClosed(stream: tty.ReadStream): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    const rest = this.splitter.flush();
    if (rest !== undefined) this.emitLine(rest, false);
    const reason = this.closing ? 'requested' : 'disconnected';
    this.emit('closed', { reason });
    if (reason === 'disconnected' && this.options.autoReopen) {
      void this.reopen();
    }
  }

  private failed(error: MonitorError): OpenResult {
    this.fail(error);
    return { ok: false, error };
  }

  // An 'error' event with no listener would throw from EventEmitter; a monitor must never take the host down.
  private fail(error: MonitorError): void {
    if (!this.quiet && this.listenerCount('error') > 0) this.emit('error', error);
  }
}

// Without a board to follow, reopening waits for the same path: a stand-in port list holds that path under a
// serial number no real device has, so the same waitForBoard loop serves both cases.
const SAME_PATH = '\0same-path';

function samePathPort(p: string): UsbSerialPort {
  return { path: p, name: p, vid: '', pid: '', serialNumber: SAME_PATH };
}

async function exists(p: string): Promise<boolean> {
  try {
    await fsp.access(p);
    return true;
  } catch {
    return false;
  }
}

function closeFd(fd: number): Promise<void> {
  return new Promise<void>((resolve) => fsClose(fd, () => resolve()));
}

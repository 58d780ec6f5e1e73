/**
 * One serial monitor in a VS Code terminal: a Pseudoterminal around the core SerialMonitor (stty + the tty
 * device, no native module). Lines are shown as they complete; a partial line (a prompt) shows after a short
 * pause. Panics are red, flash markers cyan, our own notes dim. Typed keys go to the board (Enter sends CR LF).
 */
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import { findBoard, waitForBoard, type RememberedBoard } from '../../core/ports/follow';
import type { UsbSerialPort } from '../../core/ports/sysfs';
import { SerialMonitor, type MonitorError, type MonitorLine } from '../../core/monitor/serialMonitor';
import type { LineLink } from '../../core/monitor/lines';
import type { PanicResolver } from '../../core/monitor/panicNote';

const RED = '\x1b[1;31m';
const CYAN = '\x1b[36m';
const DIM = '\x1b[2m';
const YELLOW = '\x1b[33m';
const RESET = '\x1b[0m';
const PARTIAL_LINE_MS = 150;
const TRANSCRIPT_LINES = 5000;
/** Resolved panic lines whose links are remembered for the terminal's link provider. */
const RESOLVED_LINES = 200;

export interface SessionOptions {
  readonly path: string;
  readonly baud: number;
  readonly timestamps: boolean;
  readonly logFile?: string;
  readonly exec: (file: string, args: readonly string[]) => Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Set when the port is a USB device with a serial number (or a fixed socket): reconnect follows it. */
  readonly follow?: { board: RememberedBoard; list: () => Promise<readonly UsbSerialPort[]> };
  readonly folder?: vscode.WorkspaceFolder;
  readonly onPermissionDenied?: (message: string) => void;
  /** Resolves panic addresses against the last built firmware. */
  readonly resolvePanic?: PanicResolver;
}

/** What the tests (and the flash feature) see of a session. */
export interface MonitorSessionApi {
  readonly name: string;
  readonly path: string;
  readonly isOpen: boolean;
  readonly terminal: vscode.Terminal | undefined;
  /** Every line written to the terminal, without colours. */
  transcript(): readonly string[];
  readonly onDidWriteLine: vscode.Event<string>;
  readonly onDidChangeState: vscode.Event<'opened' | 'closed'>;
  /** Sends text as if typed. */
  send(text: string): Promise<boolean>;
}

export class MonitorSession implements vscode.Pseudoterminal, MonitorSessionApi {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number | void>();
  private readonly lineWritten = new vscode.EventEmitter<string>();
  private readonly stateChanged = new vscode.EventEmitter<'opened' | 'closed'>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  readonly onDidWriteLine = this.lineWritten.event;
  readonly onDidChangeState = this.stateChanged.event;
  readonly monitor: SerialMonitor;
  terminal: vscode.Terminal | undefined;
  private readonly lines: string[] = [];
  private readonly resolvedLinks = new Map<string, readonly LineLink[]>();
  private tail = '';
  private partialShown = false;
  private partialTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** While a flash holds the port: disconnects are expected, and typing does not reconnect. */
  suspended = false;
  readonly onDidDispose: vscode.Event<void>;
  private readonly disposedEmitter = new vscode.EventEmitter<void>();

  constructor(readonly name: string, private readonly options: SessionOptions) {
    this.onDidDispose = this.disposedEmitter.event;
    this.monitor = new SerialMonitor({
      path: options.path,
      baud: options.baud,
      exec: options.exec,
      timestamps: options.timestamps,
      logFile: options.logFile || undefined,
      autoReopen: true,
      resolvePanic: options.resolvePanic,
      follow: options.follow ? { ...options.follow, intervalMs: 100, timeoutMs: 30_000 } : undefined,
    });
    this.monitor.on('data', (l) => this.onLine(l));
    this.monitor.on('raw', (s) => this.onRaw(s));
    this.monitor.on('opened', (e) => {
      this.note(e.waitedMs === undefined ? `Connected to ${e.path} at ${options.baud} baud. Type to send; close the terminal to stop.` : `Reconnected to ${e.path} after ${Math.round(e.waitedMs)} ms.`);
      this.stateChanged.fire('opened');
    });
    this.monitor.on('closed', (e) => {
      if (e.reason === 'disconnected' && !this.suspended) this.note(`${this.monitor.path} went away; waiting for the board to come back…`);
      this.stateChanged.fire('closed');
    });
    this.monitor.on('error', (e) => this.onError(e));
  }

  get path(): string { return this.monitor.path; }
  get isOpen(): boolean { return this.monitor.isOpen; }
  transcript(): readonly string[] { return this.lines; }

  /**
   * The links of a panic line this session resolved against the firmware, as shown (a later build may not know the
   * address any more); undefined for other lines.
   */
  linksOf(line: string): readonly LineLink[] | undefined {
    return this.resolvedLinks.get(line);
  }

  open(): void {
    void this.monitor.open();
  }

  close(): void {
    void this.dispose();
  }

  handleInput(data: string): void {
    if (!this.monitor.isOpen) {
      if (!this.suspended) {
        this.note('Reconnecting…');
        void this.monitor.reopen();
      }
      return;
    }
    void this.monitor.write(data.replace(/\r/g, '\r\n'));
  }

  send(text: string): Promise<boolean> {
    return this.monitor.write(text);
  }

  /** A line of our own (not from the board), dimmed. */
  note(text: string, colour = DIM): void {
    this.emitText(`[monitor] ${text}`, colour);
  }

  /** Before a flash: release the port and watch whether the board leaves (it resets after flashing). */
  async suspend(): Promise<{ sawGone: () => boolean; stop: () => void }> {
    this.suspended = true;
    await this.monitor.close();
    this.note('Closed for flashing.');
    const follow = this.options.follow;
    let gone = false;
    let stopped = false;
    const probe = async () => {
      while (!stopped && !gone) {
        const ports = follow ? await follow.list().catch(() => []) : [];
        if (follow ? findBoard(follow.board, ports) === undefined : !(await exists(this.monitor.path))) gone = true;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    void probe();
    return { sawGone: () => gone, stop: () => { stopped = true; } };
  }

  /**
   * After a flash: mark it, then reconnect. A board that has not left yet is given a few seconds to reset, so that
   * we do not attach to a tty about to vanish; one that never leaves (a UART bridge) is reopened where it is.
   */
  async resume(result: { ok: boolean; firmware: string; sawGone: boolean }): Promise<void> {
    if (this.disposed) return;
    if (result.ok) this.monitor.markFlashed(result.firmware);
    else this.note('The flash did not succeed; reconnecting to whatever is there.', YELLOW);
    if (result.ok && !result.sawGone) {
      const follow = this.options.follow;
      const path = this.monitor.path;
      const list = follow?.list ?? (async () => ((await exists(path)) ? [{ path, name: path, vid: '', pid: '', serialNumber: '\0same' }] : []));
      const board = follow?.board ?? { vid: '', serialNumber: '\0same' };
      await waitForBoard(board, { list, mustDisappearFirst: true, timeoutMs: 3000, intervalMs: 100 });
    }
    this.suspended = false;
    if (this.disposed) return;
    const r = await this.monitor.reopen();
    if (!r.ok && !this.disposed) this.note(`${r.error.message} Press any key to retry.`, YELLOW);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.partialTimer);
    await this.monitor.dispose();
    this.closer.fire();
    this.disposedEmitter.fire();
    for (const e of [this.writer, this.closer, this.lineWritten, this.stateChanged, this.disposedEmitter]) e.dispose();
  }

  private onRaw(s: string): void {
    const parts = (this.tail + s).split('\n');
    this.tail = parts[parts.length - 1]!.replace(/\r$/, '');
    clearTimeout(this.partialTimer);
    if (this.tail !== '') {
      this.partialTimer = setTimeout(() => {
        if (this.disposed || this.tail === '') return;
        this.writer.fire(`\r\x1b[2K${this.tail}`);
        this.partialShown = true;
      }, PARTIAL_LINE_MS);
    }
  }

  private onLine(l: MonitorLine): void {
    if (!l.marker) this.tail = '';
    if (l.panic) this.rememberLinks(l);
    const colour = l.marker ? CYAN : l.panic ? RED : '';
    this.emitText(l.formatted, colour);
  }

  private rememberLinks(l: MonitorLine): void {
    if (!l.links.length) return;
    this.resolvedLinks.delete(l.formatted);
    this.resolvedLinks.set(l.formatted, l.links);
    if (this.resolvedLinks.size > RESOLVED_LINES) this.resolvedLinks.delete(this.resolvedLinks.keys().next().value!);
  }

  private emitText(text: string, colour: string): void {
    if (this.disposed) return;
    const clear = this.partialShown ? '\r\x1b[2K' : '';
    this.partialShown = false;
    // A lone \n would leave the cursor in its column: terminals need CR LF.
    this.writer.fire(`${clear}${colour}${text}${colour ? RESET : ''}\r\n`);
    this.lines.push(text);
    if (this.lines.length > TRANSCRIPT_LINES) this.lines.splice(0, this.lines.length - TRANSCRIPT_LINES);
    this.lineWritten.fire(text);
  }

  private onError(e: MonitorError): void {
    this.note(e.message, YELLOW);
    if (e.code === 'permission') this.options.onPermissionDenied?.(e.message);
  }
}

async function exists(p: string): Promise<boolean> {
  try { await fsp.access(p); return true; } catch { return false; }
}

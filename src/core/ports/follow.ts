import type { UsbSerialPort } from './sysfs';

/**
 * What identifies a board across a reset: the tty name and the PID change (bootloader 0x00NN ↔ application
 * 0x80NN, ttyACM0 → ttyACM1), the USB serial number and the vendor do not. Without a serial number, the physical
 * socket (bus + port chain) is the best remaining clue.
 */
export interface RememberedBoard {
  readonly serialNumber?: string;
  readonly vid: string;
  readonly busnum?: number;
  readonly devpath?: string;
  /** Where it was last seen, for messages only. */
  readonly lastPath?: string;
}

export function rememberBoard(port: UsbSerialPort): RememberedBoard {
  return { serialNumber: port.serialNumber, vid: port.vid, busnum: port.busnum, devpath: port.devpath, lastPath: port.path };
}

/** The port of the remembered board in a fresh list, whatever its tty name and PID are now. */
export function findBoard(board: RememberedBoard, ports: readonly UsbSerialPort[]): UsbSerialPort | undefined {
  const vid = board.vid.toLowerCase();
  if (board.serialNumber) {
    const serial = board.serialNumber.toLowerCase();
    const hits = ports.filter((p) => p.serialNumber?.toLowerCase() === serial && (!vid || p.vid === vid));
    // A composite device has several ports with one serial: keep the lowest interface, which is the console.
    return hits.sort((a, b) => (a.interfaceNumber ?? 0) - (b.interfaceNumber ?? 0))[0];
  }
  if (board.busnum !== undefined && board.devpath) {
    return ports.find((p) => p.busnum === board.busnum && p.devpath === board.devpath && (!vid || p.vid === vid));
  }
  return undefined;
}

export interface WaitForBoardOptions {
  /** Lists the ports now (sysfs on Linux; a stand-in in tests). Errors count as an empty list. */
  readonly list: () => Promise<readonly UsbSerialPort[]>;
  readonly intervalMs?: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /**
   * Wait until the board has gone before waiting for it to come back. After a flash the old tty can linger for
   * a moment before the reset, and reopening it then would attach to a port that is about to vanish.
   */
  readonly mustDisappearFirst?: boolean;
  readonly now?: () => number;
}

export type WaitForBoardResult =
  | { readonly found: true; readonly port: UsbSerialPort; readonly elapsedMs: number; readonly attempts: number }
  | { readonly found: false; readonly reason: 'timeout' | 'aborted'; readonly elapsedMs: number; readonly attempts: number };

/** Polls until the board is back (by serial number), the time-out passes or the signal aborts. Never rejects. */
export async function waitForBoard(board: RememberedBoard, options: WaitForBoardOptions): Promise<WaitForBoardResult> {
  const now = options.now ?? (() => performance.now());
  const interval = Math.max(1, options.intervalMs ?? 100);
  const timeout = options.timeoutMs ?? 10_000;
  const start = now();
  let attempts = 0;
  let seenGone = !options.mustDisappearFirst;
  for (;;) {
    if (options.signal?.aborted) return { found: false, reason: 'aborted', elapsedMs: now() - start, attempts };
    attempts++;
    let ports: readonly UsbSerialPort[];
    try {
      ports = await options.list();
    } catch {
      ports = [];
    }
    const hit = findBoard(board, ports);
    if (hit === undefined) seenGone = true;
    else if (seenGone) return { found: true, port: hit, elapsedMs: now() - start, attempts };
    const elapsed = now() - start;
    if (elapsed >= timeout) return { found: false, reason: 'timeout', elapsedMs: elapsed, attempts };
    await delay(Math.min(interval, timeout - elapsed), options.signal);
  }
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

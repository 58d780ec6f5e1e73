import { constants as fsc, openSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tty from 'node:tty';
import { ExecFn, SerialMonitor } from '../../src/core/monitor/serialMonitor';
import { SpawnFn, openPtyPair } from '../../test/support/ptyPair';
import { listUsbSerialPorts } from '../../src/core/ports/sysfs';
import { addUsbSerialDevice, removeUsbSerialDevice, writeSysfsTree, FakeUsbSerialDevice } from '../../test/support/sysfsTree';
import { rememberBoard, waitForBoard } from '../../src/core/ports/follow';

export interface SerialBenchOptions {
  readonly spawn: SpawnFn;
  readonly exec: ExecFn;
  /** Bytes for the throughput run; default 1 MiB. */
  readonly bytes?: number;
  /** Round trips for the latency run; default 200. */
  readonly pings?: number;
  /** When the simulated board re-enumerates in the reconnect run; default 300 ms. */
  readonly reenumerateAfterMs?: number;
  readonly pollIntervalMs?: number;
}

export interface SerialBenchResult {
  readonly throughput?: { readonly bytes: number; readonly ms: number; readonly bytesPerSecond: number };
  readonly latency?: { readonly samples: number; readonly p50Ms: number; readonly p95Ms: number; readonly maxMs: number };
  readonly reconnect: { readonly reenumerateAfterMs: number; readonly foundAfterMs: number; readonly overheadMs: number; readonly polls: number };
  /** Why the PTY parts did not run (no socat), if they did not. */
  readonly skipped?: string;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Measures the monitor over a socat PTY pair (throughput of board → monitor output through line splitting, and
 * write → echo → line round trips) and the time to find a re-enumerated board in a stand-in sysfs tree. For
 * `npm run bench`; a PTY has no baud-rate limit, so these are the monitor's own costs, not a USB link's.
 */
export async function runSerialBench(options: SerialBenchOptions): Promise<SerialBenchResult> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tinygo-bench-'));
  try {
    const reconnect = await benchReconnect(dir, options.reenumerateAfterMs ?? 300, options.pollIntervalMs ?? 20);
    const res = await openPtyPair(options.spawn, dir);
    if (!res.ok) return { reconnect, skipped: res.reason };
    const pair = res.pair;
    const mon = new SerialMonitor({ path: pair.a, exec: options.exec });
    const peer = new tty.ReadStream(openSync(pair.b, fsc.O_RDWR | fsc.O_NOCTTY | fsc.O_NONBLOCK));
    try {
      const opened = await mon.open();
      if (!opened.ok) return { reconnect, skipped: opened.error.message };
      const throughput = await benchThroughput(mon, peer, options.bytes ?? 1024 * 1024);
      const latency = await benchLatency(mon, peer, options.pings ?? 200);
      return { throughput, latency, reconnect };
    } finally {
      peer.destroy();
      await mon.dispose();
      await pair.close();
    }
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

function benchThroughput(mon: SerialMonitor, peer: tty.ReadStream, bytes: number): Promise<NonNullable<SerialBenchResult['throughput']>> {
  // 63 characters and a newline: typical println output, so line splitting is part of the cost.
  const line = 'x'.repeat(63) + '\n';
  const payload = Buffer.from(line.repeat(Math.max(1, Math.ceil(bytes / line.length))).slice(0, bytes));
  return new Promise((resolve) => {
    let received = 0;
    const start = performance.now();
    const onRaw = (s: string): void => {
      received += Buffer.byteLength(s);
      if (received >= payload.length) {
        mon.off('raw', onRaw);
        const ms = performance.now() - start;
        resolve({ bytes: payload.length, ms, bytesPerSecond: payload.length / (ms / 1000) });
      }
    };
    mon.on('raw', onRaw);
    peer.write(payload);
  });
}

async function benchLatency(mon: SerialMonitor, peer: tty.ReadStream, pings: number): Promise<NonNullable<SerialBenchResult['latency']>> {
  // The peer plays a board that echoes each line back.
  const echo = (d: Buffer): void => {
    peer.write(d);
  };
  peer.on('data', echo);
  const samples: number[] = [];
  try {
    for (let i = 0; i < pings; i++) {
      const text = `ping ${i}`;
      const back = new Promise<void>((resolve) => {
        const onLine = (l: { text: string }): void => {
          if (l.text !== text) return;
          mon.off('data', onLine);
          resolve();
        };
        mon.on('data', onLine);
      });
      const t0 = performance.now();
      await mon.write(text + '\n');
      await back;
      samples.push(performance.now() - t0);
    }
  } finally {
    peer.off('data', echo);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { samples: sorted.length, p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), maxMs: sorted[sorted.length - 1] ?? NaN };
}

async function benchReconnect(dir: string, afterMs: number, intervalMs: number): Promise<SerialBenchResult['reconnect']> {
  const sysRoot = path.join(dir, 'sys');
  const app: FakeUsbSerialDevice = { tty: 'ttyACM0', busnum: 1, devpath: '2', vid: '239a', pid: '8029', serial: 'E2A3B1C4D5F60718' };
  const boot: FakeUsbSerialDevice = { ...app, tty: 'ttyACM1', pid: '0029' };
  await writeSysfsTree(sysRoot, [app]);
  const [port] = await listUsbSerialPorts({ sysRoot });
  const board = rememberBoard(port!);
  // The board drops off the bus at once (reset) and comes back under a new name and PID after `afterMs`.
  await removeUsbSerialDevice(sysRoot, app);
  const start = performance.now();
  const timer = setTimeout(() => void addUsbSerialDevice(sysRoot, boot), afterMs);
  try {
    const found = await waitForBoard(board, { list: () => listUsbSerialPorts({ sysRoot }), intervalMs, timeoutMs: afterMs + 10_000 });
    const foundAfterMs = performance.now() - start;
    return { reenumerateAfterMs: afterMs, foundAfterMs, overheadMs: foundAfterMs - afterMs, polls: found.attempts };
  } finally {
    clearTimeout(timer);
  }
}

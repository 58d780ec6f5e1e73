import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { promises as fsp, constants as fsc, openSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tty from 'node:tty';
import { ExecFn, MonitorLine, SerialMonitor, describeOpenError, sttyArgs } from '../../../src/core/monitor/serialMonitor';
import { openPtyPair, PtyPair } from '../../support/ptyPair';

const exec: ExecFn = (file, args) =>
  new Promise((resolve) => {
    execFile(file, [...args], (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });

const hasSocat = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
const skip = hasSocat ? false : 'socat is not installed (apt-get install socat): the PTY tests need a real pseudo-terminal pair';

/** Resolves with the first event value that satisfies `pred`, or rejects after `ms`. */
function waitFor<T>(emitter: { on(e: string, f: (v: T) => void): unknown; off(e: string, f: (v: T) => void): unknown }, event: string, pred: (v: T) => boolean, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, handler);
      reject(new Error(`timed out waiting for ${event}`));
    }, ms);
    const handler = (v: T): void => {
      if (!pred(v)) return;
      clearTimeout(timer);
      emitter.off(event, handler);
      resolve(v);
    };
    emitter.on(event, handler);
  });
}

async function setup(t: { after(fn: () => Promise<void> | void): void }): Promise<{ dir: string; pair: PtyPair; peer: tty.ReadStream }> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'mon-'));
  const res = await openPtyPair(spawn, dir);
  if (!res.ok) throw new Error(res.reason);
  const peer = new tty.ReadStream(openSync(res.pair.b, fsc.O_RDWR | fsc.O_NOCTTY | fsc.O_NONBLOCK));
  t.after(async () => {
    peer.destroy();
    await res.pair.close();
    await fsp.rm(dir, { recursive: true, force: true });
  });
  return { dir, pair: res.pair, peer };
}

void test('stty arguments: -F on Linux, -f on macOS, always an array', () => {
  assert.deepEqual(sttyArgs('linux', '/dev/ttyACM0', 115200), ['-F', '/dev/ttyACM0', '115200', 'raw', '-echo']);
  assert.deepEqual(sttyArgs('darwin', '/dev/cu.usbmodem1101', 9600), ['-f', '/dev/cu.usbmodem1101', '9600', 'raw', '-echo']);
});

void test('open errors are explained: gone, permission (dialout), busy', () => {
  assert.equal(describeOpenError({ code: 'ENOENT' }, '/dev/ttyACM0', 'linux').code, 'gone');
  const perm = describeOpenError({ code: 'EACCES' }, '/dev/ttyACM0', 'linux');
  assert.equal(perm.code, 'permission');
  assert.match(perm.message, /dialout/);
  assert.equal(describeOpenError({ code: 'EBUSY' }, '/dev/ttyACM0', 'linux').code, 'busy');
  assert.equal(describeOpenError(new Error('odd'), '/dev/ttyACM0', 'linux').code, 'io');
});

void test('a missing device reports "gone" as an error event, not an exception; Windows is declined', async () => {
  const mon = new SerialMonitor({ path: path.join(os.tmpdir(), 'no-such-tty-here'), exec });
  const errors: string[] = [];
  mon.on('error', (e) => errors.push(e.code));
  const r = await mon.open();
  assert.equal(r.ok, false);
  assert.deepEqual(errors, ['gone']);
  // No 'error' listener: still no throw.
  const quiet = new SerialMonitor({ path: '/dev/ttyACM0', exec, platform: 'win32' });
  const w = await quiet.open();
  assert.equal(!w.ok && w.error.code, 'unsupported');
});

void test('a regular file is refused as not a tty', async (t) => {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'mon-file-'));
  t.after(() => fsp.rm(dir, { recursive: true, force: true }));
  const f = path.join(dir, 'plain');
  await fsp.writeFile(f, 'x');
  const r = await new SerialMonitor({ path: f, exec }).open();
  assert.equal(!r.ok && r.error.code, 'io');
});

void test('reads lines from and writes to a real PTY, turns a panic into a link, logs with the flash marker', { skip }, async (t) => {
  const { dir, pair, peer } = await setup(t);
  const logFile = path.join(dir, 'monitor.log');
  const sttyCalls: string[][] = [];
  const mon = new SerialMonitor({
    path: pair.a,
    exec: (f, a) => {
      sttyCalls.push([f, ...a]);
      return exec(f, a);
    },
    timestamps: true,
    logFile,
    now: () => new Date(2024, 0, 2, 9, 5, 7, 42),
  });
  const opened = await mon.open();
  assert.deepEqual(opened, { ok: true, path: pair.a });
  assert.deepEqual(sttyCalls, [['stty', '-F', pair.a, '115200', 'raw', '-echo']]);

  // board → monitor
  const hello = waitFor<MonitorLine>(mon, 'data', (l) => l.text === 'hello from the board');
  peer.write('hello from the board\r\n');
  assert.equal((await hello).formatted, '[09:05:07.042] hello from the board');

  // monitor → board
  const got = new Promise<string>((resolve) => {
    let acc = '';
    peer.on('data', (d: Buffer) => {
      acc += d.toString();
      if (acc.includes('\n')) resolve(acc);
    });
  });
  assert.equal(await mon.write('led on\n'), true);
  assert.equal(await got, 'led on\n');

  // a panic, as tinygo's runtime and monitor print it
  const link = waitFor<MonitorLine>(mon, 'data', (l) => l.links.length > 0);
  const panic = waitFor<MonitorLine>(mon, 'data', (l) => l.text.startsWith('panic:'));
  peer.write('panic: runtime error at 0x0000a3c0: index out of range\r\n[tinygo: panic at /home/u/blinky/main.go:12:3]\r\n');
  assert.equal((await panic).panic, true);
  const l = await link;
  assert.deepEqual(l.links, [{ start: 33, end: 60, file: '/home/u/blinky/main.go', line: 12, col: 3 }]);
  assert.equal(l.formatted.slice(l.links[0]!.start, l.links[0]!.end), '/home/u/blinky/main.go:12:3');

  mon.markFlashed('/tmp/x/blinky.uf2');
  const closed = waitFor<{ reason: string }>(mon, 'closed', () => true);
  await mon.close();
  assert.equal((await closed).reason, 'requested');
  assert.equal(mon.isOpen, false);
  assert.equal(await mon.write('x'), false);
  await mon.dispose();
  const log = await fsp.readFile(logFile, 'utf8');
  assert.match(log, /^\[09:05:07\.042\] hello from the board\n/);
  assert.match(log, /\[tinygo: panic at \/home\/u\/blinky\/main\.go:12:3\]\n/);
  assert.match(log, /── flashed blinky\.uf2 at 09:05:07 ──\n$/);
});

void test('close() releases the port: it can be opened again at once', { skip }, async (t) => {
  const { pair, peer } = await setup(t);
  const first = new SerialMonitor({ path: pair.a, exec });
  assert.equal((await first.open()).ok, true);
  await first.close();
  const second = new SerialMonitor({ path: pair.a, exec });
  assert.equal((await second.open()).ok, true);
  const line = waitFor<MonitorLine>(second, 'data', () => true);
  peer.write('again\n');
  assert.equal((await line).text, 'again');
  await second.close();
});

void test('the board going away is reported as a disconnect, and reopen() follows it to its new port', { skip }, async (t) => {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'mon-follow-'));
  t.after(() => fsp.rm(dir, { recursive: true, force: true }));
  const first = await openPtyPair(spawn, dir, { a: 'ttyACM0', b: 'peer0' });
  assert.ok(first.ok);
  let current: PtyPair | undefined = first.pair;
  const later: PtyPair[] = [];
  t.after(async () => {
    await first.pair.close();
    for (const p of later) await p.close();
  });
  const serial = 'E2A3B1C4D5F60718';
  // The "USB bus": the board under its serial number at whatever pty it currently has.
  const list = async () => (current ? [{ path: current.a, name: path.basename(current.a), vid: '239a', pid: current === first.pair ? '8029' : '0029', serialNumber: serial }] : []);
  const mon = new SerialMonitor({ path: first.pair.a, exec, follow: { board: { vid: '239a', serialNumber: serial }, list, intervalMs: 5, timeoutMs: 5000 } });
  assert.equal((await mon.open()).ok, true);

  const disconnected = waitFor<{ reason: string }>(mon, 'closed', () => true);
  current = undefined;
  await first.pair.close();
  assert.equal((await disconnected).reason, 'disconnected');

  const reopened = mon.reopen();
  const next = await openPtyPair(spawn, dir, { a: 'ttyACM1', b: 'peer1' });
  assert.ok(next.ok);
  later.push(next.pair);
  current = next.pair;
  const r = await reopened;
  assert.equal(r.ok, true);
  assert.equal(r.ok && r.path, path.join(dir, 'ttyACM1'));
  assert.equal(mon.path, path.join(dir, 'ttyACM1'));
  assert.ok(r.ok && typeof r.waitedMs === 'number');

  const peer = new tty.ReadStream(openSync(next.pair.b, fsc.O_RDWR | fsc.O_NOCTTY | fsc.O_NONBLOCK));
  t.after(() => {
    peer.destroy();
  });
  const line = waitFor<MonitorLine>(mon, 'data', () => true);
  peer.write('back\n');
  assert.equal((await line).text, 'back');
  await mon.dispose();
});

void test('a failing stty closes the port and says why', { skip }, async (t) => {
  const { pair } = await setup(t);
  const mon = new SerialMonitor({ path: pair.a, exec: async () => ({ code: 1, stdout: '', stderr: 'stty: invalid argument' }) });
  const r = await mon.open();
  assert.equal(!r.ok && r.error.code, 'stty-failed');
  assert.match(!r.ok ? r.error.message : '', /invalid argument/);
  assert.equal(mon.isOpen, false);
  const denied = await new SerialMonitor({ path: pair.a, exec: async () => ({ code: 1, stdout: '', stderr: "stty: /dev/ttyACM0: Permission denied" }), platform: 'linux' }).open();
  assert.equal(!denied.ok && denied.error.code, 'permission');
});

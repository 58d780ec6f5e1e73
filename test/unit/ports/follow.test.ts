import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findBoard, rememberBoard, waitForBoard } from '../../../src/core/ports/follow';
import { listUsbSerialPorts, UsbSerialPort } from '../../../src/core/ports/sysfs';
import { addUsbSerialDevice, removeUsbSerialDevice, writeSysfsTree, FakeUsbSerialDevice } from '../../support/sysfsTree';

const app: UsbSerialPort = { path: '/dev/ttyACM0', name: 'ttyACM0', vid: '239a', pid: '8029', serialNumber: 'E2A3B1C4D5F60718', busnum: 1, devpath: '2' };
const bootloader: UsbSerialPort = { ...app, path: '/dev/ttyACM1', name: 'ttyACM1', pid: '0029' };
const stranger: UsbSerialPort = { path: '/dev/ttyACM2', name: 'ttyACM2', vid: '239a', pid: '8029', serialNumber: 'FFFF', busnum: 1, devpath: '3' };

void test('finds the board by serial number after the tty name and PID changed', () => {
  const board = rememberBoard(app);
  assert.equal(findBoard(board, [stranger, bootloader]), bootloader);
  assert.equal(findBoard(board, [stranger]), undefined);
  // Serial numbers compare case-insensitively; a different vendor with the same serial is not the board.
  assert.equal(findBoard(board, [{ ...bootloader, serialNumber: 'e2a3b1c4d5f60718' }])?.path, '/dev/ttyACM1');
  assert.equal(findBoard(board, [{ ...bootloader, vid: '2886' }]), undefined);
});

void test('without a serial number the physical socket identifies the board; with neither nothing matches', () => {
  const noSerial = rememberBoard({ ...app, serialNumber: undefined });
  assert.equal(findBoard(noSerial, [stranger, { ...bootloader, serialNumber: undefined }])?.path, '/dev/ttyACM1');
  assert.equal(findBoard({ vid: '239a' }, [app, stranger]), undefined);
});

void test('a composite device resolves to its lowest interface', () => {
  const if2 = { ...app, path: '/dev/ttyACM4', name: 'ttyACM4', interfaceNumber: 2 };
  const if0 = { ...app, path: '/dev/ttyACM3', name: 'ttyACM3', interfaceNumber: 0 };
  assert.equal(findBoard(rememberBoard(app), [if2, if0])?.path, '/dev/ttyACM3');
});

void test('waitForBoard waits for the board to go and come back, and counts the polls', async () => {
  const script: UsbSerialPort[][] = [[app], [app], [], [stranger], [stranger, bootloader]];
  let call = 0;
  const result = await waitForBoard(rememberBoard(app), {
    list: async () => script[Math.min(call++, script.length - 1)]!,
    intervalMs: 1,
    timeoutMs: 5000,
    mustDisappearFirst: true,
  });
  assert.equal(result.found, true);
  assert.equal(result.found && result.port.path, '/dev/ttyACM1');
  assert.equal(result.attempts, 5);
  assert.ok(result.elapsedMs >= 0);
});

void test('waitForBoard reports a time-out and an abort instead of rejecting, and survives a failing list', async () => {
  let t = 0;
  const timedOut = await waitForBoard(rememberBoard(app), {
    list: async () => {
      throw new Error('EACCES');
    },
    intervalMs: 1,
    timeoutMs: 30,
    now: () => (t += 10),
  });
  assert.deepEqual({ found: timedOut.found, reason: !timedOut.found && timedOut.reason }, { found: false, reason: 'timeout' });

  const ac = new AbortController();
  const aborted = await waitForBoard(rememberBoard(app), {
    list: async () => {
      ac.abort();
      return [];
    },
    intervalMs: 60_000,
    timeoutMs: 120_000,
    signal: ac.signal,
  });
  assert.equal(aborted.found, false);
  assert.equal(!aborted.found && aborted.reason, 'aborted');
  assert.equal(aborted.attempts, 1);
});

void test('follows a re-enumeration in a real sysfs tree: tty renamed, PID changed', async (t) => {
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'sysfs-follow-'));
  t.after(() => fsp.rm(root, { recursive: true, force: true }));
  const before: FakeUsbSerialDevice = { tty: 'ttyACM0', busnum: 1, devpath: '2', vid: '239a', pid: '8029', serial: 'E2A3B1C4D5F60718' };
  const after: FakeUsbSerialDevice = { ...before, tty: 'ttyACM1', pid: '0029' };
  await writeSysfsTree(root, [before]);
  const [first] = await listUsbSerialPorts({ sysRoot: root });
  assert.ok(first);
  let call = 0;
  const result = await waitForBoard(rememberBoard(first), {
    list: async () => {
      call++;
      if (call === 2) await removeUsbSerialDevice(root, before);
      if (call === 4) await addUsbSerialDevice(root, after);
      return listUsbSerialPorts({ sysRoot: root });
    },
    intervalMs: 1,
    timeoutMs: 5000,
    mustDisappearFirst: true,
  });
  assert.equal(result.found, true);
  assert.equal(result.found && result.port.path, '/dev/ttyACM1');
  assert.equal(result.found && result.port.pid, '0029');
  assert.equal(result.attempts, 4);
});

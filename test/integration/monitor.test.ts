// The serial monitor in a real VS Code terminal, on a real pseudo-terminal pair made by socat (the same tty code
// paths as a board's USB CDC port), and its survival across a flash with a simulated USB re-enumeration.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { constants as fsc, openSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tty from 'node:tty';
import * as vscode from 'vscode';
import { openPtyPair, type PtyPair } from '../support/ptyPair';
import { addUsbSerialDevice, removeUsbSerialDevice, writeSysfsTree, type FakeUsbSerialDevice } from '../support/sysfsTree';
import type { FlashOutcome, MonitorService } from '../../src/vscode/services';
import type { WorkbenchApi } from '../../src/vscode/testing';
import type { MonitorSessionApi } from '../../src/vscode/monitor/session';
import { devicesOf, useStubToolchain } from './devices.test';
import { until, within } from './helpers';

const hasSocat = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;

interface Peer { pair: PtyPair; peer: tty.ReadStream; received: () => string }

async function peerPair(dir: string, names: { a: string; b: string }): Promise<Peer> {
  const r = await openPtyPair(spawn, dir, names);
  if (!r.ok) throw new Error(r.reason);
  const peer = new tty.ReadStream(openSync(r.pair.b, fsc.O_RDWR | fsc.O_NOCTTY | fsc.O_NONBLOCK));
  let got = '';
  peer.on('data', (d: Buffer) => { got += d.toString('utf8'); });
  return { pair: r.pair, peer, received: () => got };
}

function monitorOf(): MonitorService {
  const ext = vscode.extensions.getExtension<WorkbenchApi>('tinygo-workbench.tinygo-workbench')!;
  const m = ext.exports.testing.monitor();
  assert.ok(m, 'the monitor feature did not start (see the "TinyGo Workbench" output)');
  return m;
}

async function openOn(port: string): Promise<MonitorSessionApi> {
  const s = await vscode.commands.executeCommand<MonitorSessionApi | { refused: string }>('tinygo.openSerialMonitor', { port, preserveFocus: true });
  assert.ok(s && !('refused' in s), `the monitor refused: ${s && 'refused' in s ? s.refused : 'no answer'}`);
  return s;
}

function seen(s: MonitorSessionApi, what: string | RegExp, ms?: number): Promise<string> {
  return until(`the monitor shows ${what}; it has:\n${s.transcript().slice(-8).join('\n')}`, () => s.transcript().find((l) => (typeof what === 'string' ? l.includes(what) : what.test(l))), ms);
}

async function closeTerminal(s: MonitorSessionApi): Promise<void> {
  const closed = new Promise<void>((r) => { const d = vscode.window.onDidCloseTerminal((t) => { if (t === s.terminal) { d.dispose(); r(); } }); });
  s.terminal?.dispose();
  await within('the monitor terminal to close', closed);
  await until('the session to end', () => !monitorOf().sessions().includes(s));
}

(hasSocat ? suite : suite.skip)('serial monitor', () => {
  const env = useStubToolchain(() => 'feather-nrf52840');
  let dir: string;
  const peers: Peer[] = [];
  suiteSetup(async () => { dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tgw-mon-')); });
  suiteTeardown(async () => {
    for (const s of [...monitorOf().sessions()]) s.terminal?.dispose();
    for (const p of peers) { p.peer.destroy(); await p.pair.close(); }
    await env.api().testing.setDeviceRoots(undefined);
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('shows board output in a terminal, highlights panics and links them to the source', async () => {
    const p = await peerPair(dir, { a: 'a1', b: 'b1' });
    peers.push(p);
    const s = await openOn(p.pair.a);
    await seen(s, `Connected to ${p.pair.a} at 115200 baud`);
    assert.ok(s.terminal, 'a VS Code terminal was created');
    assert.equal(s.terminal.name, 'TinyGo Monitor (a1)');
    p.peer.write('hello from the board\r\npanic: runtime error at 0x0000a3c0: index out of range\r\n[tinygo: panic at main.go:5:2]\r\n');
    await seen(s, 'hello from the board');
    await seen(s, 'panic: runtime error');
    const at = await seen(s, '[tinygo: panic at main.go:5:2]');
    const links = monitorOf().linksFor(at, vscode.workspace.workspaceFolders?.[0]);
    assert.equal(links.length, 1);
    assert.equal(at.slice(links[0]!.startIndex, links[0]!.startIndex + links[0]!.length), 'main.go:5:2');
    await monitorOf().openLink(links[0]!);
    const editor = await until('main.go opened at the panic', () => {
      const e = vscode.window.activeTextEditor;
      return e && path.basename(e.document.fileName) === 'main.go' ? e : undefined;
    });
    assert.equal(editor.selection.active.line, 4, 'LINE 5 → 0-based 4');
    assert.equal(editor.selection.active.character, 1, 'COL 2 → 0-based 1');
    await closeTerminal(s);
  });

  test('typed input goes to the board (Enter sends CR LF); a partial line (a prompt) shows without a newline', async () => {
    const p = await peerPair(dir, { a: 'a2', b: 'b2' });
    peers.push(p);
    const s = await openOn(p.pair.a);
    await seen(s, 'Connected to');
    s.terminal!.sendText('led on', true);
    await until(`the board received "led on\\r\\n"; it has ${JSON.stringify(p.received())}`, () => p.received().includes('led on\r\n'));
    const ok = await s.send('raw');
    assert.ok(ok);
    await until('the board received "raw"', () => p.received().includes('raw'));
    await closeTerminal(s);
  });

  test('timestamps and a log file, from the settings', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!;
    const cfg = vscode.workspace.getConfiguration('tinygo', folder.uri);
    const log = path.join(dir, 'monitor.log');
    await cfg.update('monitor.timestamps', true, vscode.ConfigurationTarget.Workspace);
    await cfg.update('monitor.logFile', log, vscode.ConfigurationTarget.Workspace);
    try {
      const p = await peerPair(dir, { a: 'a3', b: 'b3' });
      peers.push(p);
      const s = await openOn(p.pair.a);
      await seen(s, 'Connected to');
      p.peer.write('tick 1\r\ntick 2\r\n');
      const line = await seen(s, 'tick 2');
      assert.match(line, /^\[\d\d:\d\d:\d\d\.\d{3}\] tick 2$/);
      await closeTerminal(s);
      const text = await fsp.readFile(log, 'utf8');
      assert.match(text, /^\[\d\d:\d\d:\d\d\.\d{3}\] tick 1\n\[\d\d:\d\d:\d\d\.\d{3}\] tick 2\n/m);
    } finally {
      await cfg.update('monitor.timestamps', undefined, vscode.ConfigurationTarget.Workspace);
      await cfg.update('monitor.logFile', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('survives flashing: closes before the flash, follows the board by serial number to its new tty and PID, marks the flash', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!;
    const sysRoot = path.join(dir, 'sys');
    const devRoot = path.join(dir, 'dev');
    await fsp.mkdir(devRoot, { recursive: true });
    const app: FakeUsbSerialDevice = { tty: 'ttyACM0', busnum: 1, devpath: '2', vid: '239a', pid: '8029', serial: 'E2A3B1C4D5F60718', manufacturer: 'Adafruit', product: 'Feather nRF52840 Express' };
    const back: FakeUsbSerialDevice = { ...app, tty: 'ttyACM1', pid: '802a' };
    await writeSysfsTree(sysRoot, [app]);
    const p = await peerPair(dir, { a: 'a4', b: 'b4' });
    peers.push(p);
    await fsp.symlink(p.pair.a, path.join(devRoot, 'ttyACM0'));
    const devices = devicesOf(env.api());
    await env.api().testing.setDeviceRoots({ sysRoot, devRoot });
    await devices.select(folder, 'auto');

    // Auto: the one port with the Feather's VID:PID.
    const opened = await vscode.commands.executeCommand<MonitorSessionApi | { refused: string }>('tinygo.openSerialMonitor', { preserveFocus: true });
    assert.ok(opened && !('refused' in opened), `the monitor refused: ${opened && 'refused' in opened ? opened.refused : 'no answer'}`);
    const s = opened;
    await seen(s, `Connected to ${path.join(devRoot, 'ttyACM0')}`);
    p.peer.write('before the flash\r\n');
    await seen(s, 'before the flash');

    const scenario = path.join(folder.uri.fsPath, '.fake-tinygo-flash');
    const argsLog = path.join(folder.uri.fsPath, '.fake-tinygo-flash.args');
    await fsp.writeFile(scenario, 'ok 1200\n');
    await fsp.rm(argsLog, { force: true });
    try {
      const flashing = vscode.commands.executeCommand<FlashOutcome>('tinygo.flash', { quiet: true });
      await until('the monitor let go of the port before flashing', () => !s.isOpen && s.transcript().some((l) => l.includes('Closed for flashing')));
      // The board resets: it leaves the bus, then comes back under another tty name and PID, same serial number.
      await removeUsbSerialDevice(sysRoot, app);
      await fsp.rm(path.join(devRoot, 'ttyACM0'));
      await new Promise((r) => setTimeout(r, 300));
      await addUsbSerialDevice(sysRoot, back);
      await fsp.symlink(p.pair.a, path.join(devRoot, 'ttyACM1'));
      const outcome = await within('the flash', Promise.resolve(flashing));
      assert.equal(outcome.kind, 'flashed', JSON.stringify(outcome));
      assert.equal(outcome.kind === 'flashed' && outcome.monitorsResumed, 1);
      const args = (await fsp.readFile(argsLog, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as string[]);
      assert.deepEqual(args.at(-1), ['flash', '-target=feather-nrf52840', `-port=${path.join(devRoot, 'ttyACM0')}`, '.']);
      const marker = await seen(s, /^── flashed workspace\.uf2 at \d\d:\d\d:\d\d ──$/);
      const reconnected = await seen(s, `Reconnected to ${path.join(devRoot, 'ttyACM1')}`);
      assert.ok(s.transcript().indexOf(marker) < s.transcript().indexOf(reconnected), 'the marker comes before the new output');
      assert.ok(s.isOpen);
      p.peer.write('after the flash\r\n');
      await seen(s, 'after the flash');
      console.log(`    ${reconnected.replace('[monitor] ', '')}`);
    } finally {
      await fsp.rm(scenario, { force: true });
      await fsp.rm(argsLog, { force: true });
      await closeTerminal(s);
    }
  });

  test('a port that does not exist is explained, and the terminal stays for a retry', async () => {
    const s = await openOn(path.join(dir, 'no-such-tty'));
    await seen(s, /is not there: the board is unplugged/);
    assert.equal(s.isOpen, false);
    await closeTerminal(s);
  });
});

// Connected Devices, the port picker and port resolution, in a real VS Code, against a stand-in sysfs tree with
// the same links and attribute files Linux creates (test/support/sysfsTree.ts, test/fixtures/sysfs/desk.json).
import * as assert from 'node:assert/strict';
import { promises as fsp, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeSysfsTree, type FakeUsbSerialDevice } from '../support/sysfsTree';
import { parseInfoJson } from '../../src/core/tinygo/info';
import type { DevicesService, ToolchainApi, ToolchainState } from '../../src/vscode/services';
import type { WorkbenchApi } from '../../src/vscode/testing';
import { api, until } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');
export const FAKE_FLASH_TINYGO = path.join(ROOT, 'test/fixtures/fake-tinygo-flash/tinygo');

/** A toolchain that answers like a working tinygo 0.33 with `target` chosen (the toolchain feature's contract). */
export function stubToolchain(target: () => string | undefined, tinygoPath = FAKE_FLASH_TINYGO): ToolchainApi {
  const changed = new vscode.EventEmitter<{ folder: vscode.WorkspaceFolder | undefined; target: string | undefined }>();
  const info = parseInfoJson(readFileSync(path.join(ROOT, 'test/fixtures/fake-tinygo-build/info-feather-nrf52840.json'), 'utf8')).info;
  return {
    state: async () => ({ kind: 'ok', install: { path: tinygoPath, version: { version: { major: 0, minor: 33, patch: 0, raw: '0.33.0' } } as never } }),
    currentTarget: () => target(),
    setTarget: async () => undefined,
    pickTarget: async () => target(),
    // Only the Feather's info is captured; for another target the feature falls back to its built-in table.
    targetInfo: async () => (target() === 'feather-nrf52840' ? info : undefined),
    useTinygo: async () => { throw new Error('this test does not pick a tinygo'); },
    onDidChangeTarget: changed.event,
    onDidChangeState: new vscode.EventEmitter<ToolchainState>().event,
  };
}

/** Swaps in the stub for a suite (through the test API) and puts the real toolchain back. */
export function useStubToolchain(target: () => string | undefined): { api: () => WorkbenchApi } {
  let a: WorkbenchApi | undefined;
  suiteSetup(async () => {
    a = await api();
    a.testing.useToolchain(stubToolchain(target));
  });
  suiteTeardown(() => {
    a?.testing.useToolchain(undefined);
  });
  return { api: () => a! };
}

export function devicesOf(a: WorkbenchApi): DevicesService {
  const d = a.testing.devices();
  assert.ok(d, 'the devices feature did not start (see the "TinyGo Workbench" output)');
  return d;
}

suite('devices', () => {
  const env = useStubToolchain(() => 'feather-nrf52840');
  let dir: string;
  const desk = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/sysfs/desk.json'), 'utf8')) as { devices: FakeUsbSerialDevice[] };

  suiteSetup(async () => {
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tgw-devices-'));
    await writeSysfsTree(path.join(dir, 'sys'), desk.devices);
    await env.api().testing.setDeviceRoots({ sysRoot: path.join(dir, 'sys'), devRoot: path.join(dir, 'dev') });
  });
  suiteTeardown(async () => {
    const d = devicesOf(env.api());
    await env.api().testing.setDeviceRoots(undefined);
    await d.select(vscode.workspace.workspaceFolders?.[0], 'auto');
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('the view lists every USB serial port with the board it matches (application, bootloader, unknown)', async () => {
    const ids = await vscode.commands.executeCommand<readonly { port: { name: string; path: string }; mode: string; boards: string[]; label: string }[]>('tinygo.refreshDevices');
    assert.deepEqual(ids.map((i) => i.port.name), ['ttyACM0', 'ttyACM1', 'ttyUSB0'], 'ttyS0 and tty0 are not USB ports');
    const [feather, itsy, ftdi] = ids;
    assert.equal(feather!.mode, 'application');
    assert.ok(feather!.boards.includes('feather-nrf52840'), `Feather's 239a:8029 → ${feather!.boards.join(',')}`);
    assert.equal(feather!.port.path, path.join(dir, 'dev', 'ttyACM0'));
    assert.equal(itsy!.mode, 'bootloader', 'the ItsyBitsy enumerates with its bootloader PID 0x0051');
    assert.match(itsy!.label, /ItsyBitsy.*bootloader/);
    assert.ok(itsy!.boards.includes('itsybitsy-nrf52840'));
    assert.equal(ftdi!.mode, 'unknown');
    assert.deepEqual(ftdi!.boards, []);
    // The view itself can be shown and polls while visible.
    await vscode.commands.executeCommand('tinygoDevices.focus');
    await until('the view refreshed while visible', () => devicesOf(env.api()).identities().length === 3);
  });

  test('Auto picks the one port with the target\'s USB id; the picker\'s path wins and is remembered', async () => {
    const d = devicesOf(env.api());
    const folder = vscode.workspace.workspaceFolders?.[0];
    await d.select(folder, 'auto');
    const spec = { 'serial-port': ['239a:8029', '239a:802a'] };
    const auto = await d.resolve(folder, spec);
    assert.equal(auto.port?.path, path.join(dir, 'dev', 'ttyACM0'));
    assert.equal(auto.port?.how, 'target-match');
    assert.equal(auto.port?.usb?.serialNumber, 'E2A3B1C4D5F60718', 'the sysfs record travels along, so the monitor can follow the board');
    const picked = await vscode.commands.executeCommand<string>('tinygo.selectPort', '/dev/ttyUSB7');
    assert.equal(picked, '/dev/ttyUSB7');
    assert.deepEqual(d.selection(folder), { kind: 'path', path: '/dev/ttyUSB7', from: 'picker' });
    const explicit = await d.resolve(folder, spec);
    assert.equal(explicit.port?.path, '/dev/ttyUSB7', 'an explicit port is used as is, like tinygo -port');
    await d.select(folder, 'auto');
    const none = await d.resolve(folder, { 'serial-port': ['1915:521f'] });
    assert.equal(none.port, undefined);
    assert.equal(none.choice?.kind, 'none');
  });

  test('the setting tinygo.monitor.port is the default until the picker chooses', async () => {
    const d = devicesOf(env.api());
    const folder = vscode.workspace.workspaceFolders?.[0];
    const cfg = vscode.workspace.getConfiguration('tinygo', folder?.uri);
    // The picker's choice forgotten, so it does not shadow the setting.
    await d.select(folder, undefined);
    await cfg.update('monitor.port', '/tmp/some-pty', vscode.ConfigurationTarget.Workspace);
    try {
      await until('the setting is read', () => { const s = d.selection(folder); return s.kind === 'path' && s.path === '/tmp/some-pty' && s.from === 'setting'; });
      await d.select(folder, 'auto');
      assert.deepEqual(d.selection(folder), { kind: 'auto' }, 'picking Auto overrides the setting for this workspace');
    } finally {
      await cfg.update('monitor.port', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});

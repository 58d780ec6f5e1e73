// TinyGo: Flash in a real VS Code, against the scripted tinygo stand-in (test/fixtures/fake-tinygo-flash/tinygo),
// since nRF52 firmware cannot be linked or flashed on a machine without a board: the exact argument array, progress,
// cancel and time-out ending the whole process tree, the UF2 drive wait, flasher errors, refusals, the UF2 preflight.
import * as assert from 'node:assert/strict';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeSysfsTree } from '../support/sysfsTree';
import type { FlashOutcome } from '../../src/vscode/services';
import { devicesOf, useStubToolchain } from './devices.test';
import { until, within } from './helpers';

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

suite('flash', () => {
  let target = 'feather-nrf52840';
  const env = useStubToolchain(() => target);
  let dir: string;
  let folder: vscode.WorkspaceFolder;
  const scenario = (): string => path.join(folder.uri.fsPath, '.fake-tinygo-flash');
  const argsLog = (): string => path.join(folder.uri.fsPath, '.fake-tinygo-flash.args');
  const flash = (req: Record<string, unknown> = {}) => vscode.commands.executeCommand<FlashOutcome>('tinygo.flash', { quiet: true, ...req });
  const lastArgs = async () => (await fsp.readFile(argsLog(), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as string[]).at(-1);
  const busy = () => env.api().testing.busy;

  suiteSetup(async () => {
    folder = vscode.workspace.workspaceFolders![0]!;
    dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tgw-flash-'));
    // No USB ports at all: tinygo is left to find the board, and no -port is passed.
    await writeSysfsTree(path.join(dir, 'sys'), []);
    await env.api().testing.setDeviceRoots({ sysRoot: path.join(dir, 'sys'), devRoot: path.join(dir, 'dev') });
    await devicesOf(env.api()).select(folder, 'auto');
  });
  setup(async () => {
    target = 'feather-nrf52840';
    await fsp.rm(argsLog(), { force: true });
  });
  suiteTeardown(async () => {
    await env.api().testing.setDeviceRoots(undefined);
    env.api().testing.setVolumeRoots(undefined);
    await fsp.rm(scenario(), { force: true });
    await fsp.rm(argsLog(), { force: true });
    await fsp.rm(path.join(folder.uri.fsPath, '.fake-pids'), { force: true });
    await fsp.rm(dir, { recursive: true, force: true });
  });

  test('runs `tinygo flash -target=X` in the package folder and reports the flasher\'s progress', async () => {
    await fsp.writeFile(scenario(), 'ok 300\n');
    const o = await flash();
    assert.equal(o.kind, 'flashed', JSON.stringify(o));
    assert.deepEqual(await lastArgs(), ['flash', '-target=feather-nrf52840', '.']);
    assert.deepEqual(o.kind === 'flashed' && o.args, ['flash', '-target=feather-nrf52840', '.']);
    const stages = o.kind === 'flashed' ? o.events.map((e) => (e.kind === 'progress' ? e.stage : e.kind)) : [];
    assert.deepEqual(stages, ['programming', 'programmed', 'verified', 'reset']);
    assert.deepEqual(o.kind === 'flashed' && o.progress.slice(0, 2), ['building…', 'programming']);
  });

  test('the picker\'s port is passed as -port', async () => {
    await fsp.writeFile(scenario(), 'ok 100\n');
    await vscode.commands.executeCommand('tinygo.selectPort', '/dev/ttyACM9');
    try {
      const o = await flash();
      assert.equal(o.kind, 'flashed', JSON.stringify(o));
      assert.deepEqual(await lastArgs(), ['flash', '-target=feather-nrf52840', '-port=/dev/ttyACM9', '.']);
    } finally {
      await devicesOf(env.api()).select(folder, 'auto');
    }
  });

  test('the tinygo.build.* settings reach tinygo flash exactly as Build passes them (issue 14 item 12)', async () => {
    await fsp.writeFile(scenario(), 'ok 100\n');
    const cfg = vscode.workspace.getConfiguration('tinygo', folder.uri);
    const settings: [string, unknown][] = [['build.opt', 's'], ['build.gc', 'precise'], ['build.scheduler', 'tasks'], ['build.stackSize', '8KB'], ['build.tags', 'a, b'], ['build.extraArgs', ['-no-debug']]];
    for (const [k, v] of settings) await cfg.update(k, v, vscode.ConfigurationTarget.Workspace);
    try {
      const planned = await env.api().testing.build()!.plan({ folder, quiet: true });
      assert.ok(planned && !('refused' in planned), JSON.stringify(planned));
      const o = await flash();
      assert.equal(o.kind, 'flashed', JSON.stringify(o));
      const flags = ['-opt=s', '-gc=precise', '-scheduler=tasks', '-stack-size=8KB', '-tags=a b', '-no-debug'];
      assert.deepEqual(await lastArgs(), ['flash', '-target=feather-nrf52840', ...flags, '.']);
      // The same flags, in the same order, as the build's own command line.
      assert.deepEqual(planned.plan.args.filter((a) => flags.includes(a)), flags);
    } finally {
      for (const [k] of settings) await cfg.update(k, undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('a UF2 board whose drive never appears: the wait is explained, then "double-tap reset"', async () => {
    await fsp.writeFile(scenario(), 'uf2-wait 3500\n');
    const o = await flash();
    assert.equal(o.kind, 'failed', JSON.stringify(o));
    if (o.kind !== 'failed') return;
    assert.ok(o.progress.some((m) => /waiting for the drive FTHR840BOOT: double-tap reset/.test(m)), `progress: ${o.progress.join(' | ')}`);
    const ev = o.events.find((e) => e.kind === 'no-volume');
    assert.ok(ev && ev.kind === 'no-volume');
    assert.deepEqual(ev.volumes, ['FTHR840BOOT']);
    assert.match(o.message, /No drive named FTHR840BOOT appeared\. Double-tap the reset button/);
  });

  test('cancel ends tinygo and everything it started', async () => {
    await fsp.writeFile(scenario(), 'hang\n');
    const pidsFile = path.join(folder.uri.fsPath, '.fake-pids');
    await fsp.rm(pidsFile, { force: true });
    const running = flash();
    const pids = await until('the stand-in to start', async () => { try { return (await fsp.readFile(pidsFile, 'utf8')).trim().split(' ').map(Number); } catch { return undefined; } });
    assert.equal(busy().current(folder), 'flash', 'the flash holds the folder\'s busy slot');
    assert.ok(busy().cancel(folder));
    const o = await within('the cancelled flash', Promise.resolve(running));
    assert.equal(o.kind === 'failed' && o.cancelled, true, JSON.stringify(o));
    await until('tinygo and its grandchild to be gone', () => pids.every((p) => !alive(p)), 15_000);
    assert.equal(busy().current(folder), undefined, 'the busy slot is released');
  });

  test('a time-out ends the flash too ("tinygo.flash.timeoutSeconds")', async () => {
    await fsp.writeFile(scenario(), 'hang\n');
    const cfg = vscode.workspace.getConfiguration('tinygo', folder.uri);
    await cfg.update('flash.timeoutSeconds', 1, vscode.ConfigurationTarget.Workspace);
    try {
      const t0 = Date.now();
      const o = await flash();
      assert.equal(o.kind === 'failed' && o.timedOut, true, JSON.stringify(o));
      assert.match(o.kind === 'failed' ? o.message : '', /did not finish within 1 s/);
      assert.ok(Date.now() - t0 < 8000);
      const pids = (await fsp.readFile(path.join(folder.uri.fsPath, '.fake-pids'), 'utf8')).trim().split(' ').map(Number);
      await until('tinygo and its grandchild to be gone', () => pids.every((p) => !alive(p)), 15_000);
    } finally {
      await cfg.update('flash.timeoutSeconds', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('never beside a build or another flash', async () => {
    await fsp.writeFile(scenario(), 'ok 100\n');
    const release = busy().tryAcquire(folder, 'build', () => undefined);
    assert.ok(release);
    try {
      const o = await flash();
      assert.equal(o.kind, 'refused');
      assert.match(o.kind === 'refused' ? o.message : '', /A build is running/);
      await assert.rejects(fsp.access(argsLog()), 'tinygo was not started');
    } finally {
      release();
    }
  });

  test('flasher errors become advice: nrfjprog missing, permission denied on the port, a failed flash', async () => {
    await fsp.writeFile(scenario(), 'no-tool\n');
    let o = await flash();
    assert.equal(o.kind, 'failed');
    assert.match(o.kind === 'failed' ? o.message : '', /nRF Command Line Tools/);
    await fsp.writeFile(scenario(), 'denied\n');
    o = await flash();
    assert.match(o.kind === 'failed' ? o.message : '', process.platform === 'linux' ? /dialout/ : /Permission denied|Access denied/);
    await fsp.writeFile(scenario(), 'fail\n');
    o = await flash();
    // openocd's own line names the missing probe; it wins over tinygo's bare "exit status 1".
    assert.match(o.kind === 'failed' ? o.message : '', /No CMSIS-DAP probe answered .*Connect the debug probe/);
    assert.deepEqual(o.kind === 'failed' && o.events.map((e) => e.kind), ['probe-missing', 'flash-failed']);
  });

  test('a target flashed with a tool that is not installed is stopped before tinygo runs, with the tool named', async () => {
    target = 'pca10056-s140v7';
    const o = await flash();
    if (o.kind === 'flashed') assert.fail('flashed although nrfjprog is missing');
    assert.equal(o.kind, 'tool-missing', JSON.stringify(o));
    assert.equal(o.kind === 'tool-missing' && o.tool, 'nrfjprog');
    assert.match(o.kind === 'tool-missing' ? o.message : '', /nrfjprog is not installed or on PATH.*J-Link/);
    await assert.rejects(fsp.access(argsLog()), 'tinygo was not started');
  });

  test('UF2 preflight: INFO_UF2.TXT of a mounted bootloader drive that does not fit the target stops the flash', async () => {
    const drive = path.join(dir, 'media', 'FTHR840BOOT');
    await fsp.mkdir(drive, { recursive: true });
    await fsp.writeFile(path.join(drive, 'INFO_UF2.TXT'), 'UF2 Bootloader 0.6.0 lib/nrfx (v2.0.0) lib/tinyusb (0.10.1-41-gdf0cda2d) lib/uf2 (remotes/origin/configupdate-9-gadbb8c7)\r\nModel: Adafruit ItsyBitsy nRF52840 Express\r\nBoard-ID: nRF52840-ItsyBitsy-revA\r\nSoftDevice: S140 version 7.3.0\r\nDate: Jun 21 2021\r\n');
    const mounts = path.join(dir, 'mounts');
    await fsp.writeFile(mounts, `/dev/sda1 / ext4 rw 0 0\n/dev/sdb ${drive} vfat rw,nosuid 0 0\n`);
    env.api().testing.setVolumeRoots({ platform: 'linux', procMounts: mounts });
    await fsp.writeFile(scenario(), 'ok 100\n');
    try {
      const o = await flash({ acceptWarnings: false });
      assert.equal(o.kind, 'preflight-stopped', JSON.stringify(o));
      const codes = o.kind === 'preflight-stopped' ? o.warnings.map((w) => w.code).sort() : [];
      assert.deepEqual(codes, ['board-mismatch', 'softdevice-mismatch']);
      await assert.rejects(fsp.access(argsLog()), 'tinygo was not started');
      const anyway = await flash({ acceptWarnings: true });
      assert.equal(anyway.kind, 'flashed', 'the user may flash anyway');
    } finally {
      env.api().testing.setVolumeRoots(undefined);
    }
  });

  test('Flash is a command only: the manifest gates it on workspace trust, and nothing else starts it', async () => {
    const pkg = vscode.extensions.getExtension('tinygo-workbench.tinygo-workbench')!.packageJSON as { contributes: { commands: { command: string; enablement?: string }[] }; activationEvents?: string[] };
    const cmd = pkg.contributes.commands.find((c) => c.command === 'tinygo.flash');
    assert.equal(cmd?.enablement, 'isWorkspaceTrusted');
    assert.ok(!(pkg.activationEvents ?? []).some((e) => /flash/i.test(e)));
  });
});

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TargetFileResolver } from '../../../src/core/tinygo/targetFiles';
import { launchConfigurations, nrfChip, taskExecutable, type LaunchRequest } from '../../../src/core/debug';

// TinyGo 0.39.0's own target files: the probe each board names is what the configurations must follow.
const TARGETS = path.resolve(__dirname, '../../../../test/fixtures/tinygo-real/0.39.0/targets');
const resolver = new TargetFileResolver((name) => {
  try { return fs.readFileSync(path.join(TARGETS, `${name}.json`), 'utf8'); } catch { return undefined; }
});
const ROOT = '/opt/tinygo';
const SVDS = new Set(['nrf51.svd', 'nrf52.svd', 'nrf52833.svd', 'nrf52840.svd'].map((f) => path.join(ROOT, 'lib/nrfx/mdk', f)));

function request(target: string, over: Partial<LaunchRequest> = {}): LaunchRequest {
  const spec = over.spec ?? resolver.spec(target);
  assert.ok(spec, target);
  return {
    target, spec, executable: taskExecutable(target), tinygoRoot: ROOT, buildTask: 'TinyGo: build',
    findProgram: (n) => (n === 'gdb-multiarch' ? '/usr/bin/gdb-multiarch' : undefined),
    fileExists: (f) => SVDS.has(f),
    ...over,
  };
}

void test('pca10040 (J-Link OB): OpenOCD with interface/jlink, SWD selected before target/nrf51, the nRF52832 SVD; SEGGER\'s server second', () => {
  const plan = launchConfigurations(request('pca10040'));
  assert.deepEqual(plan.notes, []);
  assert.deepEqual(plan.configurations[0], {
    name: 'TinyGo: debug pca10040 (OpenOCD, jlink)',
    type: 'cortex-debug', request: 'launch', cwd: '${workspaceFolder}',
    executable: '${workspaceFolder}/build/program-pca10040.elf',
    device: 'nRF52832_xxAA', svdFile: '/opt/tinygo/lib/nrfx/mdk/nrf52.svd',
    runToEntryPoint: 'main.main', preLaunchTask: 'TinyGo: build', gdbPath: '/usr/bin/gdb-multiarch',
    servertype: 'openocd',
    openOCDPreConfigLaunchCommands: ['source [find interface/jlink.cfg]', 'transport select swd'],
    configFiles: ['target/nrf51.cfg'],
  });
  const jlink = plan.configurations[1];
  assert.equal(plan.configurations.length, 2);
  assert.deepEqual([jlink.servertype, jlink.device, jlink.interface, jlink.configFiles], ['jlink', 'nRF52832_xxAA', 'swd', undefined]);
});

void test('microbit-v2 (CMSIS-DAP, DAPLink): OpenOCD cmsis-dap + target/nrf52, the nRF52833 SVD, no J-Link variant', () => {
  const plan = launchConfigurations(request('microbit-v2'));
  assert.deepEqual(plan.notes, []);
  assert.equal(plan.configurations.length, 1);
  const c = plan.configurations[0];
  assert.deepEqual([c.servertype, c.openOCDPreConfigLaunchCommands, c.configFiles, c.device, c.svdFile],
    ['openocd', ['source [find interface/cmsis-dap.cfg]', 'transport select swd'], ['target/nrf52.cfg'], 'nRF52833_xxAA', '/opt/tinygo/lib/nrfx/mdk/nrf52833.svd']);
});

void test('feather-nrf52840 (UF2 bootloader, no probe named): an assumed CMSIS-DAP probe on SWD, said in a note', () => {
  const plan = launchConfigurations(request('feather-nrf52840'));
  assert.equal(plan.configurations.length, 1);
  const c = plan.configurations[0];
  assert.deepEqual([c.servertype, c.openOCDPreConfigLaunchCommands, c.configFiles, c.device, c.svdFile, c.executable],
    ['openocd', ['source [find interface/cmsis-dap.cfg]', 'transport select swd'], ['target/nrf51.cfg'], 'nRF52840_xxAA',
      '/opt/tinygo/lib/nrfx/mdk/nrf52840.svd', '${workspaceFolder}/build/program-feather-nrf52840.elf']);
  assert.equal(plan.notes.length, 1);
  assert.match(plan.notes[0], /names no debug probe \(it flashes with msd\).*cmsis-dap/);
});

void test('pca10056 and the micro:bit v1 follow their files too (J-Link pair; nRF51 SVD)', () => {
  const p = launchConfigurations(request('pca10056'));
  assert.deepEqual(p.configurations.map((c) => [c.servertype, c.device]), [['openocd', 'nRF52840_xxAA'], ['jlink', 'nRF52840_xxAA']]);
  const m = launchConfigurations(request('microbit'));
  assert.deepEqual(m.configurations.map((c) => [c.servertype, c.configFiles, c.svdFile]), [['openocd', ['target/nrf51.cfg'], '/opt/tinygo/lib/nrfx/mdk/nrf51.svd']]);
});

void test('gdb: the target file\'s order, the first on PATH; none found or no SVD/TINYGOROOT is a note, not a broken config', () => {
  const arm = launchConfigurations(request('microbit-v2', { findProgram: (n) => (n === 'arm-none-eabi-gdb' || n === 'gdb' ? `/x/${n}` : undefined) }));
  assert.equal(arm.configurations[0].gdbPath, '/x/arm-none-eabi-gdb');
  const none = launchConfigurations(request('microbit-v2', { findProgram: () => undefined, fileExists: () => false }));
  assert.equal(none.configurations[0].gdbPath, undefined);
  assert.equal(none.configurations[0].svdFile, undefined);
  assert.equal(none.notes.length, 2);
  assert.match(none.notes.join('\n'), /gdb-multiarch, arm-none-eabi-gdb, gdb is on PATH/);
  assert.match(none.notes.join('\n'), /nrf52833\.svd does not exist/);
  const noRoot = launchConfigurations(request('microbit-v2', { tinygoRoot: undefined, buildTask: undefined }));
  assert.equal(noRoot.configurations[0].preLaunchTask, undefined);
  assert.match(noRoot.notes.join('\n'), /TINYGOROOT is unknown/);
});

void test('odd target files: no openocd-target, a script name that would escape interface/, an unknown chip', () => {
  const base = resolver.spec('microbit-v2');
  assert.ok(base);
  const noTarget = launchConfigurations(request('x', { spec: { ...base, openocdTarget: undefined } }));
  assert.deepEqual(noTarget.configurations, []);
  assert.match(noTarget.notes.join('\n'), /names no openocd-target/);
  const evil = launchConfigurations(request('x', { spec: { ...base, openocdInterface: '../../evil' } }));
  assert.deepEqual(evil.configurations, []);
  assert.match(evil.notes.join('\n'), /not script names/);
  const stm = launchConfigurations(request('x', { spec: { ...base, buildTags: ['stm32'], openocdInterface: 'stlink' } }));
  assert.equal(stm.configurations[0].svdFile, undefined);
  assert.equal(stm.configurations[0].device, undefined);
  assert.equal(nrfChip(['nrf', 'nrf52833'])?.segger, 'nRF52833_xxAA');
});

void test('the executable is where the tinygo task writes it', () => {
  assert.equal(taskExecutable('pca10040'), '${workspaceFolder}/build/program-pca10040.elf');
  assert.equal(taskExecutable('pca10040', 'out/fw/'), '${workspaceFolder}/out/fw/program-pca10040.elf');
  assert.equal(taskExecutable('pca10040', '/abs/o'), '/abs/o/program-pca10040.elf');
  assert.equal(taskExecutable('pca10040', '  '), '${workspaceFolder}/build/program-pca10040.elf');
});

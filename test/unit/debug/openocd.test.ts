import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TargetFileResolver } from '../../../src/core/tinygo/targetFiles';
import { launchConfigurations, taskExecutable } from '../../../src/core/debug';
import { onPath } from './hostTools';

// The OpenOCD half of each configuration, run by the real OpenOCD the way Cortex-Debug composes its command line
// (src/openocd.ts serverArguments: `-c gdb_port N`, `-s cwd`, the pre-config commands as -c, the config files as
// -f). No probe is attached here, so a good configuration gets as far as looking for the probe; a bad one stops
// earlier with a script error (e.g. J-Link without `transport select swd`: "newtap: nrf51.cpu missing IR length").
const TARGETS = path.resolve(__dirname, '../../../../test/fixtures/tinygo-real/0.39.0/targets');
const resolver = new TargetFileResolver((name) => {
  try { return fs.readFileSync(path.join(TARGETS, `${name}.json`), 'utf8'); } catch { return undefined; }
});
const openocd = onPath('openocd');

void test('the real OpenOCD accepts each generated configuration up to looking for the probe', { skip: openocd ? false : 'openocd is not on PATH' }, () => {
  const NO_PROBE = /No J-Link device found|unable to find a matching CMSIS-DAP device|unable to find a CMSIS-DAP device/;
  for (const target of ['feather-nrf52840', 'pca10040', 'microbit-v2', 'pca10056', 'microbit']) {
    const spec = resolver.spec(target);
    assert.ok(spec);
    const c = launchConfigurations({ target, spec, executable: taskExecutable(target), findProgram: () => undefined, fileExists: () => false })
      .configurations.find((x) => x.servertype === 'openocd');
    assert.ok(c?.configFiles, target);
    const args = ['-c', 'gdb_port disabled', '-c', 'tcl_port disabled', '-c', 'telnet_port disabled',
      ...(c.openOCDPreConfigLaunchCommands ?? []).flatMap((cmd) => ['-c', cmd]), ...c.configFiles.flatMap((f) => ['-f', f])];
    const r = spawnSync(openocd as string, args, { encoding: 'utf8', timeout: 30_000 });
    const out = `${r.stdout}${r.stderr}`;
    if (r.status === 0 || r.signal) continue; // a probe is attached and answered (or OpenOCD kept serving it)
    assert.match(out, NO_PROBE, `${target}: openocd ${args.join(' ')}\n${out}`);
    assert.doesNotMatch(out, /missing IR length|couldn't open|Can't find|invalid command/, `${target}\n${out}`);
  }
});

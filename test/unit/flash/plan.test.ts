import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseFlashLine, planFlash } from '../../../src/core/flash/plan';
import type { TargetSpecLike } from '../../../src/core/flash/targetSpec';

const TARGETS = JSON.parse(
  readFileSync(path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'tinygo', 'targets-resolved-0.33.json'), 'utf8'),
) as Record<string, TargetSpecLike>;

void test('UF2 boards: msd, no tool, the drive names, double-tap guidance, 1200-baud reset', () => {
  const plan = planFlash(TARGETS['feather-nrf52840'], { target: 'feather-nrf52840', port: '/dev/ttyACM0' });
  assert.equal(plan.method, 'msd');
  assert.equal(plan.fileFormat, 'uf2');
  assert.deepEqual(plan.tools, []);
  assert.deepEqual(plan.volumes, ['FTHR840BOOT']);
  assert.equal(plan.reset1200Baud, true);
  assert.equal(plan.usesPort, true);
  assert.match(plan.guidance[0]!, /FTHR840BOOT/);
  assert.match(plan.guidance[0]!, /double-tap the reset button/);
  assert.deepEqual(plan.args, ['flash', '-target=feather-nrf52840', '-port=/dev/ttyACM0']);
  const microbit = planFlash(TARGETS['microbit-v2'], { target: 'microbit-v2' });
  assert.equal(microbit.fileFormat, 'hex');
  assert.equal(microbit.reset1200Baud, false);
});

void test('command targets name their tool and file type; {port} means the port is used', () => {
  const pca = planFlash(TARGETS['pca10056'], { target: 'pca10056' });
  assert.equal(pca.method, 'command');
  assert.deepEqual(pca.tools, ['nrfjprog']);
  assert.equal(pca.fileFormat, 'hex');
  assert.equal(pca.usesPort, false);
  assert.match(pca.guidance[0]!, /J-Link/);
  // No flash-method but a flash-command: TinyGo treats it as "command".
  const dongle = planFlash(TARGETS['pca10059'], { target: 'pca10059' });
  assert.equal(dongle.method, 'command');
  assert.deepEqual(dongle.tools, ['nrfutil']);
  assert.equal(dongle.fileFormat, 'zip');
  assert.equal(dongle.usesPort, true);
  const nano = planFlash(TARGETS['nano-33-ble'], { target: 'nano-33-ble' });
  assert.deepEqual(nano.tools, ['bossac_arduino2']);
  assert.equal(nano.fileFormat, 'bin');
});

void test('openocd targets and the -programmer override follow Config.Programmer', () => {
  const mdk = planFlash(TARGETS['nrf52840-mdk'], { target: 'nrf52840-mdk' });
  assert.equal(mdk.method, 'openocd');
  assert.deepEqual(mdk.tools, ['openocd']);
  assert.match(mdk.guidance[0]!, /cmsis-dap/);
  // pca10040 is openocd by default; -programmer=command selects its nrfjprog flash-command.
  assert.deepEqual(planFlash(TARGETS['pca10040'], { target: 'pca10040', programmer: 'command' }).tools, ['nrfjprog']);
  const jlink = planFlash(TARGETS['feather-nrf52840'], { target: 'feather-nrf52840', programmer: 'jlink' });
  assert.equal(jlink.method, 'openocd');
  assert.equal(jlink.reset1200Baud, false);
  assert.match(jlink.guidance[0]!, /interface jlink/);
  assert.deepEqual(jlink.args, ['flash', '-target=feather-nrf52840', '-programmer=jlink']);
});

void test('arguments are an array with extras before the package; unknown specs do not throw', () => {
  const plan = planFlash(TARGETS['xiao-ble'], { target: 'xiao-ble', extraArgs: ['-size=short', '-opt=z'], pkg: './cmd/blinky' });
  assert.deepEqual(plan.args, ['flash', '-target=xiao-ble', '-size=short', '-opt=z', './cmd/blinky']);
  const none = planFlash(TARGETS['nrf52840'], { target: 'nrf52840' });
  assert.equal(none.method, 'unknown');
  assert.match(none.guidance[0]!, /no flash method/);
  assert.equal(planFlash(undefined, { target: 'x' }).method, 'unknown');
  assert.equal(planFlash({ 'flash-method': 42 as unknown as string }, { target: 'x' }).method, 'unknown');
});

void test('recognises tinygo flash failures', () => {
  const vol = parseFlashLine('unable to locate any volume: [FTHR840BOOT]');
  assert.deepEqual(vol && vol.kind === 'no-volume' && vol.volumes, ['FTHR840BOOT']);
  const two = parseFlashLine('error: failed to flash /tmp/tinygo123/main.uf2: unable to locate any volume: [NANO33BOOT XIAO-SENSE]');
  // The volume list is the useful part; it wins over the generic wrapper.
  assert.deepEqual(two && two.kind === 'no-volume' && two.volumes, ['NANO33BOOT', 'XIAO-SENSE']);
  const failed = parseFlashLine('failed to flash /tmp/tinygo123/main.hex: exit status 1');
  assert.deepEqual(failed && failed.kind === 'flash-failed' && [failed.file, failed.error], ['/tmp/tinygo123/main.hex', 'exit status 1']);
  const many = parseFlashLine('multiple serial ports available - use -port flag, available ports are /dev/ttyACM0, /dev/ttyACM1');
  assert.deepEqual(many && many.kind === 'multiple-ports' && many.ports, ['/dev/ttyACM0', '/dev/ttyACM1']);
  const nomatch = parseFlashLine('unable to search for a default USB device - use -port flag, available ports are /dev/ttyUSB0');
  assert.deepEqual(nomatch && nomatch.kind === 'no-matching-port' && nomatch.ports, ['/dev/ttyUSB0']);
  assert.equal(parseFlashLine('no serial ports available')?.kind, 'no-ports');
  const missing = parseFlashLine('failed to flash /tmp/x/main.hex: exec: "nrfjprog": executable file not found in $PATH');
  assert.deepEqual(missing && missing.kind === 'tool-missing' && missing.tool, 'nrfjprog');
});

void test('permission denied on a port explains dialout (and uucp on Arch) on Linux', () => {
  const ev = parseFlashLine('failed to reset port /dev/ttyACM0: Permission denied', 'linux');
  assert.equal(ev?.kind, 'permission-denied');
  assert.equal(ev && ev.kind === 'permission-denied' && ev.port, '/dev/ttyACM0');
  assert.match(ev!.message, /dialout/);
  assert.match(ev!.message, /uucp/);
  assert.doesNotMatch(parseFlashLine('open /dev/cu.usbmodem1101: permission denied', 'darwin')!.message, /dialout/);
  assert.equal(parseFlashLine('mkdir /root/x: permission denied'), undefined);
});

void test('progress from openocd and percentage bars; other lines are ignored', () => {
  assert.equal(parseFlashLine('** Programming Started **')?.kind, 'progress');
  const verified = parseFlashLine('** Verified OK **');
  assert.equal(verified && verified.kind === 'progress' && verified.stage, 'verified');
  const pct = parseFlashLine('[=====               ] 25% (64/256 pages)');
  assert.equal(pct && pct.kind === 'progress' && pct.percent, 25);
  assert.equal(parseFlashLine('   code    data     bss |   flash     ram'), undefined);
  assert.equal(parseFlashLine(''), undefined);
  assert.equal(parseFlashLine(undefined as unknown as string), undefined);
});

void test('a missing probe: the real lines of Debian\'s openocd 0.12 (no J-Link attached) become advice, before tinygo\'s "exit status 1"', () => {
  // Captured from `tinygo flash -target=pca10040` with /usr/bin/openocd and no probe (tinygo 0.39.0).
  const real = [
    'Open On-Chip Debugger 0.12.0', 'Licensed under GNU GPL v2', 'For bug reports, read', '\thttp://openocd.org/doc/doxygen/bugs.html', 'swd',
    'Error: No J-Link device found', '** OpenOCD init failed **', 'shutdown command invoked', '',
    'failed to flash /tmp/tinygo548803230/main.hex: exit status 1',
  ];
  const events = real.map((l) => parseFlashLine(l)).filter((e) => e !== undefined);
  assert.deepEqual(events.map((e) => e.kind), ['probe-missing', 'flash-failed']);
  const probe = events[0]!;
  assert.ok(probe.kind === 'probe-missing');
  assert.equal(probe.probe, 'J-Link');
  assert.match(probe.message, /No J-Link probe answered .*No J-Link device found.*SWD pins/);
  assert.equal(parseFlashLine('Error: unable to find a matching CMSIS-DAP device')?.kind, 'probe-missing');
  // Not every openocd error is a missing probe.
  assert.equal(parseFlashLine('Error: Target not examined yet'), undefined);
  assert.equal(parseFlashLine('Error: No J-Link'), undefined);
});

void test('the build\'s firmware flags and -o go to tinygo flash; a second -target is not repeated', () => {
  const plan = planFlash(TARGETS['pca10040'], { target: 'pca10040', extraArgs: ['-target=pca10040', '-opt=s', '-gc=precise', '-tags=a b'], output: '/w/build/x-pca10040.hex', pkg: '.' });
  assert.deepEqual(plan.args, ['flash', '-target=pca10040', '-opt=s', '-gc=precise', '-tags=a b', '-o', '/w/build/x-pca10040.hex', '.']);
});

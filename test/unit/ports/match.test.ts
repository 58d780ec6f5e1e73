import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { UsbSerialPort } from '../../../src/core/ports/sysfs';
import { buildVidPidIndex, identifyPort, pickAutoPort, portMatchesTarget, targetVidPids, findBootloader, KNOWN_BOOTLOADERS } from '../../../src/core/ports/match';
import type { TargetSpecLike } from '../../../src/core/flash/targetSpec';
import { fromParsedTargetSpec } from '../../../src/core/flash/targetSpec';
import { parseTargetSpec } from '../../../src/core/tinygo/info';

const TARGETS = JSON.parse(
  readFileSync(path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'tinygo', 'targets-resolved-0.33.json'), 'utf8'),
) as Record<string, TargetSpecLike>;

function port(name: string, vid: string, pid: string, extra: Partial<UsbSerialPort> = {}): UsbSerialPort {
  return { path: `/dev/${name}`, name, vid, pid, ...extra };
}

void test('target VID:PID lists are normalised: 0x prefixes and upper case from the real 0.33 data', () => {
  assert.deepEqual(targetVidPids(TARGETS['pca10056-s140v6-uf2']), ['239a:0029']);
  assert.deepEqual(targetVidPids(TARGETS['itsybitsy-nrf52840']), ['239a:8052', '239a:8051']);
  assert.ok(portMatchesTarget(port('ttyACM0', '239a', '0029'), TARGETS['pca10056-s140v6-uf2']));
  assert.ok(portMatchesTarget(port('ttyACM0', '239a', '8051'), TARGETS['itsybitsy-nrf52840']));
  assert.ok(!portMatchesTarget(port('ttyACM0', '239a', '8051'), TARGETS['feather-nrf52840']));
  assert.deepEqual(targetVidPids({ 'serial-port': ['nonsense', 42 as unknown as string, '1209:9090'] }), ['1209:9090']);
  assert.deepEqual(targetVidPids(undefined), []);
});

void test('the index built from the resolved targets maps each VID:PID to every target listing it, sorted', () => {
  const index = buildVidPidIndex(TARGETS);
  assert.deepEqual(index.get('239a:8029'), ['feather-nrf52840']);
  assert.deepEqual(index.get('239a:8045'), ['circuitplay-bluefruit', 'gopherbot2']);
  assert.deepEqual(index.get('239a:0029'), ['pca10056-s140v6-uf2']);
  assert.deepEqual(index.get('2886:8045'), ['xiao-ble']);
  assert.equal(index.get('239a:0x0029'), undefined);
  // Same result from name/spec pairs, and malformed entries are skipped.
  const pairs = buildVidPidIndex([['a', { 'serial-port': ['239A:8052'] }], ['b', null as unknown as TargetSpecLike]]);
  assert.deepEqual([...pairs.entries()], [['239a:8052', ['a']]]);
});

void test('a port is named application, bootloader or unknown', () => {
  const index = buildVidPidIndex(TARGETS);
  const app = identifyPort(port('ttyACM0', '239a', '8029', { product: 'Feather nRF52840 Express' }), index);
  assert.equal(app.mode, 'application');
  assert.deepEqual(app.boards, ['feather-nrf52840']);
  assert.equal(app.label, 'Feather nRF52840 Express');

  const boot = identifyPort(port('ttyACM0', '239a', '0051'), index);
  assert.equal(boot.mode, 'bootloader');
  assert.deepEqual(boot.boards, ['itsybitsy-nrf52840']);
  assert.equal(boot.bootloader?.volume, 'ITSY840BOOT');

  // nano-33-ble-*-uf2 list the bootloader PID among their serial ports: still the bootloader.
  const nano = identifyPort(port('ttyACM0', '239a', '0063'), index);
  assert.equal(nano.mode, 'bootloader');
  assert.deepEqual(nano.boards, ['nano-33-ble-s140v6-uf2', 'nano-33-ble-s140v7-uf2']);

  // A CH340 adapter (1a86:7523) is listed by no 0.33 target.
  const ch340 = identifyPort(port('ttyUSB0', '1a86', '7523'), index);
  assert.equal(ch340.mode, 'unknown');
  assert.deepEqual(ch340.boards, []);
  assert.equal(ch340.label, 'USB device 1a86:7523');
  assert.equal(identifyPort(port('ttyACM5', '', ''), index).label, 'ttyACM5');
});

void test('every known bootloader uses a 0x00NN PID and names real 0.33 targets', () => {
  for (const b of KNOWN_BOOTLOADERS) {
    assert.match(b.pid, /^00[0-9a-f]{2}$/, `${b.board}: bootloader PIDs are 0x00NN`);
    for (const t of b.targets) assert.ok(TARGETS[t], `${t} is a 0.33 target`);
  }
  assert.equal(findBootloader(port('x', '239a', '8029')), undefined);
});

void test('auto port: one match wins, several ask, none lists, explicit is taken as is', () => {
  const feather = TARGETS['feather-nrf52840'];
  const a = port('ttyACM0', '239a', '8029');
  const b = port('ttyACM1', '239a', '802a');
  const other = port('ttyUSB0', '0403', '6001');
  assert.deepEqual(pickAutoPort([other, a], feather), { kind: 'one', port: '/dev/ttyACM0', reason: 'target-match' });
  assert.deepEqual(pickAutoPort([a, other, b], feather), { kind: 'ask', candidates: ['/dev/ttyACM0', '/dev/ttyACM1'], reason: 'several-matches' });
  assert.deepEqual(pickAutoPort([other], feather), { kind: 'none', available: ['/dev/ttyUSB0'], reason: 'no-match' });
  assert.deepEqual(pickAutoPort([], feather), { kind: 'none', available: [], reason: 'no-ports' });
  assert.deepEqual(pickAutoPort([a, b], feather, ' /dev/ttyS9 '), { kind: 'one', port: '/dev/ttyS9', reason: 'explicit' });
  // nicenano has no serial-port list: the only port is used, two are a question.
  assert.deepEqual(pickAutoPort([other], TARGETS['nicenano']), { kind: 'one', port: '/dev/ttyUSB0', reason: 'only-port' });
  assert.equal(pickAutoPort([other, a], TARGETS['nicenano']).kind, 'ask');
});

void test('the camel-case spec from tinygo/info.ts gives the same matches', () => {
  const spec = fromParsedTargetSpec(parseTargetSpec(TARGETS['pca10056-s140v6-uf2']), ['s140v6']);
  assert.deepEqual(targetVidPids(spec), ['239a:0029']);
  assert.deepEqual(spec['build-tags'], ['s140v6']);
  assert.equal(spec['flash-1200-bps-reset'], 'true');
});

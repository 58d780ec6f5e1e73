import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  deriveGoplsEnv,
  mergeGoflags,
  normaliseUsbId,
  parseInfo,
  parseInfoJson,
  parseInfoText,
  parseTargetSpec,
} from '../../../src/core/tinygo/info';
import { fixture } from './fixtures';

const FEATHER_TAGS = 'cortexm baremetal linux arm nrf52840 nrf nrf52840_reset_uf2 softdevice s140v6 feather_nrf52840 tinygo purego osusergo math_big_pure_go gc.conservative scheduler.tasks serial.usb'.split(' ');

void test('parses tinygo info -json for feather-nrf52840 (0.33)', () => {
  const r = parseInfoJson(fixture('info-0.33-feather-nrf52840.json'));
  assert.deepEqual(r.errors, []);
  const info = r.info;
  assert.ok(info);
  assert.equal(info.goroot, '/home/user/.cache/tinygo/goroot-<hash>');
  assert.equal(info.goos, 'linux');
  assert.equal(info.goarch, 'arm');
  assert.equal(info.goarm, undefined, 'an empty goarm is left out');
  assert.deepEqual(info.buildTags, FEATHER_TAGS);
  assert.equal(info.gc, 'conservative');
  assert.equal(info.scheduler, 'tasks');
  assert.equal(info.llvmTriple, 'thumbv7em-unknown-unknown-eabi');
  const t = info.target;
  assert.ok(t);
  assert.deepEqual(t.inherits, ['cortex-m', 'cortex-m4', 'nrf52840', 'nrf52840-s140v6-uf2']);
  assert.equal(t.cpu, 'cortex-m4');
  assert.equal(t.flashMethod, 'msd');
  assert.deepEqual(t.serialPorts, ['239a:8029', '239a:802a']);
  assert.deepEqual(t.msdVolumeNames, ['FTHR840BOOT']);
  assert.equal(t.msdFirmwareName, 'firmware.uf2');
  assert.equal(t.linkerscript, 'targets/nrf52840-s140v6-uf2.ld');
  assert.equal(t.defaultStackSize, 2048);
  assert.equal(t.automaticStackSize, true);
  assert.equal(t.serial, 'usb');
  assert.equal(t.binaryFormat, 'uf2');
  assert.equal(t.openocdTarget, 'nrf51');
  assert.equal(t.openocdInterface, undefined);
  assert.equal(t.flash1200BpsReset, true);
  assert.equal(t.flashCommand, undefined);
});

void test('parses the text format into the same model as -json (minus target)', () => {
  const r = parseInfoText(fixture('info-0.33-feather-nrf52840.txt'));
  assert.deepEqual(r.errors, []);
  assert.ok(r.info);
  assert.match(r.info.goroot, /^\/home\/u\/\.cache\/tinygo\/goroot-[0-9a-f]{64}$/);
  assert.equal(r.info.goos, 'linux');
  assert.equal(r.info.goarch, 'arm');
  assert.deepEqual(r.info.buildTags, FEATHER_TAGS);
  assert.equal(r.info.gc, 'conservative');
  assert.equal(r.info.scheduler, 'tasks');
  assert.equal(r.info.llvmTriple, 'thumbv7em-unknown-unknown-eabi');
  assert.equal(r.info.target, undefined);
  const viaJson = parseInfoJson(fixture('info-0.33-feather-nrf52840.json')).info;
  assert.ok(viaJson);
  const { target: _target, ...jsonWithoutTarget } = viaJson;
  assert.deepEqual({ ...r.info, goroot: '' }, { ...jsonWithoutTarget, goroot: '' });
});

void test('parseInfo picks the format itself', () => {
  assert.ok(parseInfo(fixture('info-0.33-feather-nrf52840.json')).info?.target);
  assert.ok(parseInfo(fixture('info-0.33-feather-nrf52840.txt')).info);
  assert.equal(parseInfo('').info, undefined);
});

void test('target specs of every nRF52 board in 0.33 normalise their VID:PIDs', () => {
  const all = JSON.parse(fixture('targets-resolved-0.33.json')) as Record<string, unknown>;
  const errors: string[] = [];
  const itsy = parseTargetSpec(all['itsybitsy-nrf52840'], errors);
  assert.deepEqual(itsy.serialPorts, ['239a:8052', '239a:8051']);
  const pca = parseTargetSpec(all['pca10056-s140v6-uf2'], errors);
  assert.deepEqual(pca.serialPorts, ['239a:0029']);
  const pca10056 = parseTargetSpec(all['pca10056'], errors);
  assert.equal(pca10056.flashMethod, 'command');
  assert.match(pca10056.flashCommand ?? '', /^nrfjprog /);
  assert.equal(pca10056.openocdInterface, 'jlink');
  for (const [name, spec] of Object.entries(all)) {
    for (const id of parseTargetSpec(spec, errors).serialPorts) {
      assert.match(id, /^[0-9a-f]{4}:[0-9a-f]{4}$/, name);
    }
  }
  assert.deepEqual(errors, []);
});

void test('normaliseUsbId', () => {
  assert.equal(normaliseUsbId('239a:0x0029'), '239a:0029');
  assert.equal(normaliseUsbId('239A:8052'), '239a:8052');
  assert.equal(normaliseUsbId('0x239A:0X63'), '239a:0063');
  assert.equal(normaliseUsbId('239a'), undefined);
  assert.equal(normaliseUsbId('239a:80529'), undefined);
  assert.equal(normaliseUsbId('zz:11'), undefined);
});

void test('malformed info input gives errors, never a throw', () => {
  const bad = ['', '{', '[]', 'null', '{"goroot": 3}', '{"goroot":"/g","goos":"linux","goarch":"arm","build_tags":"notalist","target":[]}', 'garbage without colon', 'GOOS: linux\n', '\u0000'.repeat(1000)];
  for (const input of bad) {
    const r = parseInfo(input);
    if (r.info === undefined) {
      assert.ok(r.errors.length > 0, JSON.stringify(input.slice(0, 30)));
    } else {
      assert.deepEqual(r.info.buildTags, []);
    }
  }
  const spec = parseTargetSpec({ 'serial-port': ['nope', 5, '1234:abcd'], 'default-stack-size': 'big' });
  assert.deepEqual(spec.serialPorts, ['1234:abcd']);
  assert.equal(spec.defaultStackSize, undefined);
  const text = parseInfoText('GOOS: linux\nGOARCH: arm\ncached GOROOT: /x\nwhat is this\n');
  assert.ok(text.info);
  assert.deepEqual(text.errors, ['unrecognised line in tinygo info output: what is this']);
});

void test('deriveGoplsEnv gives gopls the target GOROOT, GOOS/GOARCH and tags', () => {
  const info = parseInfoJson(fixture('info-0.33-feather-nrf52840.json')).info;
  assert.ok(info);
  const g = deriveGoplsEnv(info);
  assert.equal(g.env.GOROOT, info.goroot);
  assert.equal(g.env.GOOS, 'linux');
  assert.equal(g.env.GOARCH, 'arm');
  assert.equal('GOARM' in g.env, false);
  assert.equal(g.env.GOFLAGS, `-tags=${FEATHER_TAGS.join(',')}`);
  assert.deepEqual(g.buildFlags, [`-tags=${FEATHER_TAGS.join(',')}`]);
  const withArm = deriveGoplsEnv({ ...info, goarm: '7' }, '-mod=mod');
  assert.equal(withArm.env.GOARM, '7');
  assert.equal(withArm.env.GOFLAGS, `-tags=${FEATHER_TAGS.join(',')} -mod=mod`);
});

void test('mergeGoflags keeps user flags and never repeats -tags', () => {
  assert.equal(mergeGoflags(undefined, ['a', 'b']), '-tags=a,b');
  assert.equal(mergeGoflags('', ['a']), '-tags=a');
  assert.equal(mergeGoflags('-mod=vendor -trimpath', ['a']), '-tags=a -mod=vendor -trimpath');
  assert.equal(mergeGoflags('-tags=x,a -mod=mod', ['a', 'b']), '-tags=a,b,x -mod=mod');
  assert.equal(mergeGoflags('--tags=x -tags y', ['a']), '-tags=a,x,y');
  assert.equal(mergeGoflags("-tags='p q' -v", ['a']), '-tags=a,p,q -v');
  assert.equal(mergeGoflags('-mod=mod', []), '-mod=mod');
  const twice = mergeGoflags(mergeGoflags('-tags=u', ['a', 'b']), ['a', 'b']);
  assert.equal(twice, '-tags=a,b,u', 'merging is idempotent');
  assert.equal(twice.split('-tags').length - 1, 1);
});

void test('the debug fields of a target file: transport, J-Link device, gdb list, build tags (malformed ones dropped)', () => {
  const spec = parseTargetSpec({
    'openocd-transport': 'swd', 'jlink-device': 'fe310', gdb: ['gdb-multiarch', 7, 'arm-none-eabi-gdb'], 'build-tags': ['nrf52840', 'nrf'],
  });
  assert.deepEqual([spec.openocdTransport, spec.jlinkDevice, spec.gdb, spec.buildTags], ['swd', 'fe310', ['gdb-multiarch', 'arm-none-eabi-gdb'], ['nrf52840', 'nrf']]);
  const bad = parseTargetSpec({ 'openocd-transport': 3, 'jlink-device': '', gdb: 'gdb', 'build-tags': { a: 1 } });
  assert.deepEqual([bad.openocdTransport, bad.jlinkDevice, bad.gdb, bad.buildTags], [undefined, undefined, undefined, undefined]);
});

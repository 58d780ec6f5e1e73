import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkUf2Target, findUf2Volumes, parseInfoUf2, readInfoUf2, targetSoftDevice } from '../../../src/core/flash/uf2';
import type { TargetSpecLike } from '../../../src/core/flash/targetSpec';

const TARGETS = JSON.parse(
  readFileSync(path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'tinygo', 'targets-resolved-0.33.json'), 'utf8'),
) as Record<string, TargetSpecLike>;

// As the Adafruit nRF52 bootloader writes it: CRLF line ends, the SoftDevice and Date lines added at boot.
const FEATHER =
  'UF2 Bootloader 0.6.0 lib/nrfx (v2.0.0) lib/tinyusb (0.10.1-293-gaf8e5a90) lib/uf2 (remotes/origin/configupdate-9-gadbb8c7)\r\n' +
  'Model: Adafruit Feather nRF52840 Express\r\nBoard-ID: nRF52840-Feather-revD\r\nSoftDevice: S140 version 6.1.1\r\nDate: Dec 21 2020\r\n';
const XIAO_S140V7 =
  'UF2 Bootloader 0.6.2-12-g459adc9-dirty lib/nrfx (v2.0.0) lib/tinyusb (0.10.1-293-gaf8e5a90) lib/uf2 (remotes/origin/configupdate-9-gadbb8c7)\r\n' +
  'Model: Seeed XIAO nRF52840\r\nBoard-ID: Seeed_XIAO_nRF52840_Sense\r\nSoftDevice: S140 version 7.3.0\r\nDate: Nov 12 2021\r\n';
const NO_SD = 'UF2 Bootloader 0.6.0\r\nModel: Adafruit Feather nRF52840 Express\r\nBoard-ID: nRF52840-Feather-revD\r\nSoftDevice: not found\r\nDate: Dec 21 2020\r\n';
const SAMD = 'UF2 Bootloader v3.4.0 SFHWRO\r\nModel: PyBadge\r\nBoard-ID: SAMD51J19A-PyBadge-M4\r\n';

void test('parses the Adafruit nRF52 INFO_UF2.TXT', () => {
  const info = parseInfoUf2(FEATHER);
  assert.equal(info.bootloaderVersion, '0.6.0');
  assert.equal(info.model, 'Adafruit Feather nRF52840 Express');
  assert.equal(info.boardId, 'nRF52840-Feather-revD');
  assert.deepEqual(info.softDevice, { name: 'S140', version: '6.1.1', major: 6 });
  assert.equal(info.date, 'Dec 21 2020');
  assert.match(info.bootloaderLine ?? '', /lib\/tinyusb/);
});

void test('other bootloaders, "not found" and garbage', () => {
  const samd = parseInfoUf2(SAMD);
  assert.equal(samd.bootloaderVersion, '3.4.0');
  assert.equal(samd.boardId, 'SAMD51J19A-PyBadge-M4');
  assert.equal(samd.softDevice, undefined);
  assert.equal(parseInfoUf2(NO_SD).softDevice, null);
  assert.equal(parseInfoUf2('Model: X\nSoftDevice: weird').softDevice, undefined);
  assert.equal(parseInfoUf2('\0\0\0').bootloaderVersion, undefined);
  assert.deepEqual(parseInfoUf2(undefined as unknown as string).fields, {});
});

void test('the SoftDevice a target expects comes from tags, inherits or the linker script', () => {
  assert.deepEqual(targetSoftDevice(TARGETS['feather-nrf52840']), { name: 'S140', major: 6 });
  assert.deepEqual(targetSoftDevice(TARGETS['xiao-ble']), { name: 'S140', major: 7 });
  assert.deepEqual(targetSoftDevice(TARGETS['pca10040-s132v6']), { name: 'S132', major: 6 });
  assert.deepEqual(targetSoftDevice({ linkerscript: 'targets/nrf52840-s140v7-uf2.ld' }), { name: 'S140', major: 7 });
  assert.deepEqual(targetSoftDevice({ inherits: ['nrf52840', 'nrf52840-s140v7-uf2'] }), { name: 'S140', major: 7 });
  assert.equal(targetSoftDevice(TARGETS['pca10056']), undefined);
  assert.equal(targetSoftDevice(undefined), undefined);
});

void test('no warning when the drive fits the target', () => {
  assert.deepEqual(checkUf2Target(parseInfoUf2(FEATHER), TARGETS['feather-nrf52840'], 'feather-nrf52840'), []);
  assert.deepEqual(checkUf2Target(parseInfoUf2(XIAO_S140V7), TARGETS['xiao-ble'], 'xiao-ble'), []);
});

void test('s140v6 target on an S140 7.3.0 board, and a missing SoftDevice, are errors', () => {
  const w = checkUf2Target(parseInfoUf2(XIAO_S140V7), TARGETS['nano-33-ble-s140v6-uf2'], 'nano-33-ble-s140v6-uf2');
  const sd = w.find((x) => x.code === 'softdevice-mismatch');
  assert.ok(sd);
  assert.equal(sd.severity, 'error');
  assert.match(sd.message, /S140 7\.3\.0/);
  assert.match(sd.message, /0x26000 for v6 but 0x27000 for v7/);
  assert.deepEqual(checkUf2Target(parseInfoUf2(NO_SD), TARGETS['feather-nrf52840'], 'feather-nrf52840').map((x) => x.code), ['softdevice-missing']);
  assert.deepEqual(checkUf2Target(parseInfoUf2(FEATHER), TARGETS['pca10040-s132v6'], 'pca10040-s132v6').map((x) => x.code).includes('softdevice-mismatch'), true);
});

void test('a drive of another board is flagged by its Board-ID', () => {
  const w = checkUf2Target(parseInfoUf2(FEATHER), TARGETS['itsybitsy-nrf52840'], 'itsybitsy-nrf52840');
  assert.deepEqual(w.map((x) => x.code), ['board-mismatch']);
  assert.match(w[0]!.message, /feather-nrf52840/);
  // Unknown board: only a chip contradiction is reported.
  const other = parseInfoUf2('UF2 Bootloader 0.7.0\r\nBoard-ID: nRF52833-acme-v1\r\n');
  assert.deepEqual(checkUf2Target(other, TARGETS['feather-nrf52840'], 'feather-nrf52840').map((x) => x.code), ['chip-mismatch']);
  assert.deepEqual(checkUf2Target(parseInfoUf2('Board-ID: nRF52840-acme-v1'), TARGETS['feather-nrf52840'], 'feather-nrf52840'), []);
});

void test('finds UF2 drives in /proc/mounts by basename (vfat only, octal escapes) and in /Volumes', async (t) => {
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'uf2-'));
  t.after(() => fsp.rm(root, { recursive: true, force: true }));
  const drive = path.join(root, 'media', 'me', 'FTHR840BOOT');
  const spaced = path.join(root, 'media', 'me', 'MY BOOT');
  await fsp.mkdir(drive, { recursive: true });
  await fsp.mkdir(spaced, { recursive: true });
  await fsp.writeFile(path.join(drive, 'INFO_UF2.TXT'), FEATHER);
  await fsp.writeFile(path.join(spaced, 'INFO_UF2.TXT'), NO_SD);
  const mounts = path.join(root, 'mounts');
  await fsp.writeFile(
    mounts,
    [
      'sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0',
      `/dev/sda1 ${drive} vfat rw,nosuid,nodev,relatime,uid=1000,gid=1000,fmask=0022,dmask=0022,codepage=437,iocharset=ascii,shortname=mixed,showexec,utf8,flush,errors=remount-ro 0 0`,
      `/dev/sdb1 ${spaced.replace(' ', '\\040')} vfat rw 0 0`,
      `/dev/sdc1 ${path.join(root, 'ext', 'FTHR840BOOT')} ext4 rw 0 0`,
      '',
    ].join('\n'),
  );
  assert.deepEqual(await findUf2Volumes(['FTHR840BOOT'], { platform: 'linux', procMounts: mounts }), [{ path: drive, name: 'FTHR840BOOT' }]);
  // No names (nrf52840-s140v6-uf2-generic): any FAT drive with INFO_UF2.TXT.
  assert.deepEqual((await findUf2Volumes([], { platform: 'linux', procMounts: mounts })).map((v) => v.name), ['FTHR840BOOT', 'MY BOOT']);
  assert.deepEqual(await findUf2Volumes(['FTHR840BOOT'], { platform: 'linux', procMounts: path.join(root, 'missing') }), []);
  assert.deepEqual(await findUf2Volumes(['FTHR840BOOT'], { platform: 'win32' }), []);

  const volumes = path.join(root, 'Volumes');
  await fsp.mkdir(path.join(volumes, 'Macintosh HD'), { recursive: true });
  await fsp.mkdir(path.join(volumes, 'XIAO-SENSE'), { recursive: true });
  assert.deepEqual(await findUf2Volumes(['XIAO-SENSE'], { platform: 'darwin', volumesDir: volumes }), [{ path: path.join(volumes, 'XIAO-SENSE'), name: 'XIAO-SENSE' }]);

  assert.equal((await readInfoUf2(drive))?.boardId, 'nRF52840-Feather-revD');
  assert.equal(await readInfoUf2(path.join(volumes, 'XIAO-SENSE')), undefined);
});

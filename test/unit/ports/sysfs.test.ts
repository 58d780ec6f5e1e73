import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listUsbSerialPorts } from '../../../src/core/ports/sysfs';
import { writeSysfsTree, removeUsbSerialDevice, FakeUsbSerialDevice } from '../../support/sysfsTree';

const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'sysfs');
const desk = (JSON.parse(readFileSync(path.join(FIXTURES, 'desk.json'), 'utf8')) as { devices: FakeUsbSerialDevice[] }).devices;

async function tempSys(devices: readonly FakeUsbSerialDevice[]): Promise<string> {
  const root = await fsp.mkdtemp(path.join(os.tmpdir(), 'sysfs-'));
  await writeSysfsTree(root, devices);
  return root;
}

void test('the fixture tree has the real Linux link layout', async (t) => {
  const root = await tempSys(desk);
  t.after(() => fsp.rm(root, { recursive: true, force: true }));
  assert.equal(
    await fsp.readlink(path.join(root, 'class/tty/ttyACM0')),
    '../../devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/tty/ttyACM0',
  );
  assert.equal(await fsp.readlink(path.join(root, 'devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/tty/ttyACM0/device')), '../../../1-2:1.0');
});

void test('lists USB ttys with their USB device attributes and skips non-USB ttys', async (t) => {
  const root = await tempSys(desk);
  t.after(() => fsp.rm(root, { recursive: true, force: true }));
  const ports = await listUsbSerialPorts({ sysRoot: root });
  assert.deepEqual(ports.map((p) => p.name), ['ttyACM0', 'ttyACM1', 'ttyUSB0']);
  assert.deepEqual(ports[0], {
    path: '/dev/ttyACM0',
    name: 'ttyACM0',
    vid: '239a',
    pid: '8029',
    serialNumber: 'E2A3B1C4D5F60718',
    manufacturer: 'Adafruit',
    product: 'Feather nRF52840 Express',
    busnum: 1,
    devpath: '2',
    location: '1-2',
    interfaceNumber: 0,
  });
  // Upper-case sysfs hex (seen on some kernels' fixtures) is normalised.
  assert.equal(ports[1]!.vid, '239a');
  assert.equal(ports[1]!.location, '3-1.2');
  assert.equal(ports[1]!.devpath, '1.2');
});

void test('usb-serial adapters (ttyUSB, one level deeper) are found and missing attributes are tolerated', async (t) => {
  const root = await tempSys(desk);
  t.after(() => fsp.rm(root, { recursive: true, force: true }));
  const ftdi = (await listUsbSerialPorts({ sysRoot: root, devRoot: '/devx' })).find((p) => p.name === 'ttyUSB0');
  assert.ok(ftdi);
  assert.equal(ftdi.path, '/devx/ttyUSB0');
  assert.equal(ftdi.vid, '0403');
  assert.equal(ftdi.serialNumber, undefined);
  assert.equal(ftdi.manufacturer, undefined);
  assert.equal(ftdi.location, '1-1.4');
});

void test('a device without idVendor is still listed, with empty ids', async (t) => {
  const root = await tempSys([{ tty: 'ttyACM3', busnum: 2, devpath: '5' }]);
  t.after(() => fsp.rm(root, { recursive: true, force: true }));
  const ports = await listUsbSerialPorts({ sysRoot: root });
  assert.equal(ports.length, 1);
  assert.equal(ports[0]!.vid, '');
  assert.equal(ports[0]!.pid, '');
});

void test('an unplugged device disappears, a dangling link is skipped, a missing root gives no ports', async (t) => {
  const root = await tempSys(desk);
  t.after(() => fsp.rm(root, { recursive: true, force: true }));
  await removeUsbSerialDevice(root, desk[0]!);
  // Half-removed: the class link survives its target for a moment during a real unplug.
  await fsp.rm(path.join(root, 'devices/pci0000:00/0000:00:14.0/usb3'), { recursive: true });
  const ports = await listUsbSerialPorts({ sysRoot: root });
  assert.deepEqual(ports.map((p) => p.name), ['ttyUSB0']);
  assert.deepEqual(await listUsbSerialPorts({ sysRoot: path.join(root, 'nope') }), []);
});

void test('ttyACM10 sorts after ttyACM2', async (t) => {
  const root = await tempSys([
    { tty: 'ttyACM10', busnum: 1, devpath: '3', vid: '1209', pid: '9090' },
    { tty: 'ttyACM2', busnum: 1, devpath: '4', vid: '1209', pid: '9090' },
  ]);
  t.after(() => fsp.rm(root, { recursive: true, force: true }));
  assert.deepEqual((await listUsbSerialPorts({ sysRoot: root })).map((p) => p.name), ['ttyACM2', 'ttyACM10']);
});

import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** A serial port backed by a USB device, as Linux sysfs describes it. */
export interface UsbSerialPort {
  /** Device node, e.g. `/dev/ttyACM0`. */
  readonly path: string;
  /** Kernel name, e.g. `ttyACM0`. */
  readonly name: string;
  /** Lower-case, four hex digits (`239a`); empty when sysfs had no `idVendor`. */
  readonly vid: string;
  /** Lower-case, four hex digits (`8029`); empty when sysfs had no `idProduct`. */
  readonly pid: string;
  readonly serialNumber?: string;
  readonly manufacturer?: string;
  readonly product?: string;
  readonly busnum?: number;
  /** Port chain below the root hub (`2`, `1.4`): with busnum it names the physical socket. */
  readonly devpath?: string;
  /** USB device directory name (`1-2`, `3-1.4`). */
  readonly location?: string;
  /** From `bInterfaceNumber`: tells apart the ports of a composite device (J-Link: two CDC ports). */
  readonly interfaceNumber?: number;
}

export interface SysfsRoots {
  /** Defaults to `/sys`; tests point it at a fixture tree. */
  readonly sysRoot?: string;
  /** Defaults to `/dev`. */
  readonly devRoot?: string;
}

// USB interface directories are named `<bus>-<port chain>:<config>.<interface>` by the kernel
// (drivers/usb/core/message.c); a tty below one of them is a USB serial port.
const USB_INTERFACE_DIR = /^\d+-[\d.]+:\d+\.\d+$/;
const USB_DEVICE_DIR = /^\d+-[\d.]+$/;
// ttyUSB devices sit one level deeper (interface/ttyUSB0/tty/ttyUSB0), so a few levels suffice.
const MAX_WALK_UP = 4;

/**
 * Lists USB serial ports by reading sysfs, as go.bug.st/serial does for `tinygo ports`, but with no
 * native module. Never throws: a missing or unreadable tree yields fewer ports.
 */
export async function listUsbSerialPorts(roots: SysfsRoots = {}): Promise<UsbSerialPort[]> {
  const sysRoot = roots.sysRoot ?? '/sys';
  const devRoot = roots.devRoot ?? '/dev';
  const classDir = path.join(sysRoot, 'class', 'tty');
  let names: string[];
  try {
    names = await fsp.readdir(classDir);
  } catch {
    return [];
  }
  const found = await Promise.all(names.map((name) => describeTty(classDir, name, devRoot)));
  return found
    .filter((p): p is UsbSerialPort => p !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}

async function describeTty(classDir: string, name: string, devRoot: string): Promise<UsbSerialPort | undefined> {
  let devicePath: string;
  try {
    // Virtual terminals and ptys have no `device` link; that is how they are left out.
    devicePath = await fsp.realpath(path.join(classDir, name, 'device'));
  } catch {
    return undefined;
  }
  let dir = devicePath;
  for (let i = 0; i <= MAX_WALK_UP; i++) {
    const base = path.basename(dir);
    if (USB_INTERFACE_DIR.test(base)) {
      const usbDevice = path.dirname(dir);
      if (!USB_DEVICE_DIR.test(path.basename(usbDevice))) return undefined;
      return readUsbDevice(usbDevice, dir, name, devRoot);
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

async function readUsbDevice(usbDevice: string, usbInterface: string, name: string, devRoot: string): Promise<UsbSerialPort> {
  const [vid, pid, serial, manufacturer, product, busnum, devpath, ifnum] = await Promise.all([
    readAttr(usbDevice, 'idVendor'),
    readAttr(usbDevice, 'idProduct'),
    readAttr(usbDevice, 'serial'),
    readAttr(usbDevice, 'manufacturer'),
    readAttr(usbDevice, 'product'),
    readAttr(usbDevice, 'busnum'),
    readAttr(usbDevice, 'devpath'),
    readAttr(usbInterface, 'bInterfaceNumber'),
  ]);
  const port: {
    -readonly [K in keyof UsbSerialPort]: UsbSerialPort[K];
  } = {
    path: path.join(devRoot, name),
    name,
    vid: hex4(vid),
    pid: hex4(pid),
    location: path.basename(usbDevice),
  };
  if (serial) port.serialNumber = serial;
  if (manufacturer) port.manufacturer = manufacturer;
  if (product) port.product = product;
  const bus = busnum !== undefined ? Number.parseInt(busnum, 10) : NaN;
  if (Number.isFinite(bus)) port.busnum = bus;
  if (devpath) port.devpath = devpath;
  const iface = ifnum !== undefined ? Number.parseInt(ifnum, 16) : NaN;
  if (Number.isFinite(iface)) port.interfaceNumber = iface;
  return port;
}

async function readAttr(dir: string, attr: string): Promise<string | undefined> {
  try {
    const text = (await fsp.readFile(path.join(dir, attr), 'utf8')).split('\n')[0]!.trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}

function hex4(raw: string | undefined): string {
  if (raw === undefined) return '';
  const t = raw.trim().toLowerCase().replace(/^0x/, '');
  return /^[0-9a-f]{1,4}$/.test(t) ? t.padStart(4, '0') : '';
}

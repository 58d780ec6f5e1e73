import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/**
 * A USB serial device to place in a stand-in sysfs tree. Used by the tests and by the benchmark to
 * simulate plugging, unplugging and re-enumeration without hardware.
 */
export interface FakeUsbSerialDevice {
  /** `ttyACM0` (CDC ACM layout) or `ttyUSB0` (usb-serial layout, e.g. FTDI/CP210x). */
  readonly tty: string;
  readonly busnum: number;
  /** Port chain below the root hub: `2`, or `1.4` behind a hub. */
  readonly devpath: string;
  readonly vid?: string;
  readonly pid?: string;
  readonly serial?: string;
  readonly manufacturer?: string;
  readonly product?: string;
  readonly interfaceNumber?: number;
}

const PCI = ['devices', 'pci0000:00', '0000:00:14.0'];

/** The USB device directory of `dev`, relative to the sysfs root, nested under its hubs as Linux does. */
export function usbDeviceDir(dev: FakeUsbSerialDevice): string {
  const parts = dev.devpath.split('.');
  const chain: string[] = [];
  for (let i = 1; i <= parts.length; i++) chain.push(`${dev.busnum}-${parts.slice(0, i).join('.')}`);
  return path.join(...PCI, `usb${dev.busnum}`, ...chain);
}

async function link(linkPath: string, target: string): Promise<void> {
  await fsp.mkdir(path.dirname(linkPath), { recursive: true });
  // Real sysfs links are relative; keeping them relative lets a test move or copy the tree. Like the
  // kernel, a link to an ancestor goes one level above it and back down (`../../../1-2:1.0`).
  let rel = path.relative(path.dirname(linkPath), target);
  if (rel.split(path.sep).every((s) => s === '..')) rel = path.join(rel, '..', path.basename(target));
  await fsp.symlink(rel, linkPath);
}

async function attr(dir: string, name: string, value: string | number | undefined): Promise<void> {
  if (value === undefined) return;
  await fsp.writeFile(path.join(dir, name), `${value}\n`);
}

/** Adds one device, with the same links and attribute files the kernel creates. */
export async function addUsbSerialDevice(sysRoot: string, dev: FakeUsbSerialDevice): Promise<void> {
  const usbDev = path.join(sysRoot, usbDeviceDir(dev));
  const ifNum = dev.interfaceNumber ?? 0;
  const iface = path.join(usbDev, `${path.basename(usbDev)}:1.${ifNum}`);
  await fsp.mkdir(iface, { recursive: true });
  await attr(usbDev, 'idVendor', dev.vid);
  await attr(usbDev, 'idProduct', dev.pid);
  await attr(usbDev, 'serial', dev.serial);
  await attr(usbDev, 'manufacturer', dev.manufacturer);
  await attr(usbDev, 'product', dev.product);
  await attr(usbDev, 'busnum', dev.busnum);
  await attr(usbDev, 'devpath', dev.devpath);
  await attr(iface, 'bInterfaceNumber', ifNum.toString(16).padStart(2, '0'));
  await link(path.join(iface, 'subsystem'), path.join(sysRoot, 'bus', 'usb'));

  let ttyDir: string;
  let deviceTarget: string;
  if (dev.tty.startsWith('ttyUSB')) {
    const usbSerial = path.join(iface, dev.tty);
    await fsp.mkdir(usbSerial, { recursive: true });
    await link(path.join(usbSerial, 'subsystem'), path.join(sysRoot, 'bus', 'usb-serial'));
    ttyDir = path.join(usbSerial, 'tty', dev.tty);
    deviceTarget = usbSerial;
  } else {
    ttyDir = path.join(iface, 'tty', dev.tty);
    deviceTarget = iface;
  }
  await fsp.mkdir(ttyDir, { recursive: true });
  await attr(ttyDir, 'dev', '166:0');
  await link(path.join(ttyDir, 'device'), deviceTarget);
  await link(path.join(ttyDir, 'subsystem'), path.join(sysRoot, 'class', 'tty'));
  await link(path.join(sysRoot, 'class', 'tty', dev.tty), ttyDir);
}

/** Removes the device as an unplug (or a reset into the bootloader) does: the tty link first. */
export async function removeUsbSerialDevice(sysRoot: string, dev: FakeUsbSerialDevice): Promise<void> {
  await fsp.rm(path.join(sysRoot, 'class', 'tty', dev.tty), { force: true });
  await fsp.rm(path.join(sysRoot, usbDeviceDir(dev)), { recursive: true, force: true });
}

/**
 * Writes a tree with the given devices plus the non-USB ttys every Linux machine has (a virtual console
 * without a `device` link, and a platform 8250 UART), so discovery is tested against what it must skip.
 */
export async function writeSysfsTree(sysRoot: string, devices: readonly FakeUsbSerialDevice[]): Promise<void> {
  await fsp.mkdir(path.join(sysRoot, 'class', 'tty'), { recursive: true });
  await fsp.mkdir(path.join(sysRoot, 'bus', 'usb'), { recursive: true });
  await fsp.mkdir(path.join(sysRoot, 'bus', 'usb-serial'), { recursive: true });
  const vt = path.join(sysRoot, 'devices', 'virtual', 'tty', 'tty0');
  await fsp.mkdir(vt, { recursive: true });
  await link(path.join(sysRoot, 'class', 'tty', 'tty0'), vt);
  const uart = path.join(sysRoot, 'devices', 'platform', 'serial8250');
  const uartTty = path.join(uart, 'tty', 'ttyS0');
  await fsp.mkdir(uartTty, { recursive: true });
  await link(path.join(uartTty, 'device'), uart);
  await link(path.join(sysRoot, 'class', 'tty', 'ttyS0'), uartTty);
  for (const dev of devices) await addUsbSerialDevice(sysRoot, dev);
}

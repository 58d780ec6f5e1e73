/**
 * Port discovery where there is no sysfs (macOS, Windows): `tinygo ports` (0.23+) prints `"%-20s %-9s %s"` rows
 * under a `Port ID Boards` header. Pure of VS Code, so it can be unit-tested; no native modules either way.
 */
import type { UsbSerialPort } from '../../core/ports/sysfs';

const USB_ID = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;

/** Parses `tinygo ports` output; lines it does not understand are skipped, never fatal. */
export function parseTinygoPorts(text: string): UsbSerialPort[] {
  const out: UsbSerialPort[] = [];
  for (const raw of String(text ?? '').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || /^Port\s+ID\b/i.test(line) || /^no serial ports/i.test(line)) continue;
    const [port, second, ...rest] = line.split(/\s+/);
    if (!port) continue;
    const id = second ? USB_ID.exec(second) : null;
    const name = port.replace(/^.*[\\/]/, '');
    const p: { -readonly [K in keyof UsbSerialPort]: UsbSerialPort[K] } = {
      path: port,
      name,
      vid: id ? id[1]!.toLowerCase().padStart(4, '0') : '',
      pid: id ? id[2]!.toLowerCase().padStart(4, '0') : '',
    };
    const boards = (id ? rest : [second, ...rest]).filter((s): s is string => !!s).join(' ');
    if (boards) p.product = boards;
    out.push(p);
  }
  return out;
}

/** macOS without tinygo: the call-out devices USB CDC and FTDI-style adapters create. VID:PID unknown. */
export function macCallOutPorts(devEntries: readonly string[], devRoot = '/dev'): UsbSerialPort[] {
  return devEntries
    .filter((n) => /^cu\.(usbmodem|usbserial|SLAB_USBtoUART|wchusbserial)/.test(n))
    .sort()
    .map((n) => ({ path: `${devRoot}/${n}`, name: n, vid: '', pid: '' }));
}

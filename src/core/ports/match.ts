import { normaliseUsbId } from '../tinygo/info';
import { TargetSpecLike, specStrings } from '../flash/targetSpec';
import type { UsbSerialPort } from './sysfs';

/** `vvvv:pppp`, lower-case hex, as `normaliseUsbId` returns it. */
export type VidPidKey = string;

export function portKey(port: Pick<UsbSerialPort, 'vid' | 'pid'>): VidPidKey | undefined {
  return port.vid && port.pid ? normaliseUsbId(`${port.vid}:${port.pid}`) : undefined;
}

/**
 * The target's `serial-port` list, normalised. TinyGo itself parses these with `strconv.ParseUint(s, 16, 16)`,
 * which rejects the `0x0029` of pca10056-s140v6-uf2; we accept it, since the intent is plain.
 */
export function targetVidPids(spec: TargetSpecLike | undefined): VidPidKey[] {
  const out: VidPidKey[] = [];
  for (const raw of specStrings(spec, 'serial-port')) {
    const k = normaliseUsbId(raw);
    if (k !== undefined && !out.includes(k)) out.push(k);
  }
  return out;
}

export function portMatchesTarget(port: Pick<UsbSerialPort, 'vid' | 'pid'>, spec: TargetSpecLike | undefined): boolean {
  const k = portKey(port);
  return k !== undefined && targetVidPids(spec).includes(k);
}

/** Either the resolved-targets JSON object (name → spec) or name/spec pairs. */
export type TargetTable = Readonly<Record<string, TargetSpecLike>> | ReadonlyArray<readonly [string, TargetSpecLike]>;

/** VID:PID → target names that list it (sorted, so the board shown is stable, unlike `tinygo ports`). */
export function buildVidPidIndex(targets: TargetTable): Map<VidPidKey, string[]> {
  const entries = Array.isArray(targets) ? targets : Object.entries(targets as Record<string, TargetSpecLike>);
  const index = new Map<VidPidKey, string[]>();
  for (const [name, spec] of entries as ReadonlyArray<readonly [string, TargetSpecLike]>) {
    if (spec === null || typeof spec !== 'object') continue;
    for (const k of targetVidPids(spec)) {
      const list = index.get(k) ?? [];
      if (!list.includes(name)) list.push(name);
      index.set(k, list);
    }
  }
  for (const list of index.values()) list.sort();
  return index;
}

/** A UF2 bootloader as it enumerates on USB (values from the boards' `board.h` in Adafruit_nRF52_Bootloader). */
export interface KnownBootloader {
  readonly vid: string;
  readonly pid: string;
  /** Human name of the boards that ship it. */
  readonly board: string;
  /** TinyGo targets for those boards. */
  readonly targets: readonly string[];
  /** `UF2_VOLUME_LABEL`, the drive name. */
  readonly volume: string;
  /** Prefixes of `UF2_BOARD_ID` as INFO_UF2.TXT shows it (revisions vary: revD, revE). */
  readonly boardIds: readonly string[];
}

// Adafruit's convention: the bootloader uses PID 0x00NN and the application 0x80NN on VID 0x239a, so the same
// board shows up under two PIDs depending on its mode. Several third-party boards reuse the Feather's 0x0029.
export const KNOWN_BOOTLOADERS: readonly KnownBootloader[] = [
  { vid: '239a', pid: '0029', board: 'Feather nRF52840 Express (or a board reusing its bootloader)', targets: ['feather-nrf52840', 'mdbt50qrx-uf2'], volume: 'FTHR840BOOT', boardIds: ['nRF52840-Feather-', 'nRF52840-MDBT50Q_RX'] },
  { vid: '239a', pid: '002a', board: 'Feather nRF52840 Express (or a board reusing its bootloader)', targets: ['feather-nrf52840', 'mdbt50qrx-uf2'], volume: 'FTHR840BOOT', boardIds: ['nRF52840-Feather-', 'nRF52840-MDBT50Q_RX'] },
  { vid: '239a', pid: '0045', board: 'Circuit Playground Bluefruit', targets: ['circuitplay-bluefruit', 'gopherbot2'], volume: 'CPLAYBTBOOT', boardIds: ['nRF52840-CircuitPlayground'] },
  { vid: '239a', pid: '0051', board: 'ItsyBitsy nRF52840 Express', targets: ['itsybitsy-nrf52840'], volume: 'ITSY840BOOT', boardIds: ['nRF52840-ItsyBitsy'] },
  { vid: '239a', pid: '0052', board: 'ItsyBitsy nRF52840 Express', targets: ['itsybitsy-nrf52840'], volume: 'ITSY840BOOT', boardIds: ['nRF52840-ItsyBitsy'] },
  { vid: '239a', pid: '0063', board: 'Arduino Nano 33 BLE (UF2 bootloader)', targets: ['nano-33-ble-s140v6-uf2', 'nano-33-ble-s140v7-uf2'], volume: 'NANO33BOOT', boardIds: ['nRF52840-Nano-33'] },
  { vid: '239a', pid: '0064', board: 'Arduino Nano 33 BLE (UF2 bootloader)', targets: ['nano-33-ble-s140v6-uf2', 'nano-33-ble-s140v7-uf2'], volume: 'NANO33BOOT', boardIds: ['nRF52840-Nano-33'] },
  { vid: '239a', pid: '0071', board: 'CLUE', targets: ['clue', 'clue-alpha'], volume: 'CLUEBOOT', boardIds: ['nRF52840-CLUE'] },
  { vid: '239a', pid: '0087', board: 'Feather nRF52840 Sense', targets: ['feather-nrf52840-sense'], volume: 'FTHRSNSBOOT', boardIds: ['nRF52840-Feather-Sense'] },
  { vid: '239a', pid: '0088', board: 'Feather nRF52840 Sense', targets: ['feather-nrf52840-sense'], volume: 'FTHRSNSBOOT', boardIds: ['nRF52840-Feather-Sense'] },
  { vid: '239a', pid: '00b3', board: 'nice!nano', targets: ['nicenano'], volume: 'NICENANO', boardIds: ['nRF52840-nicenano'] },
  { vid: '2886', pid: '0045', board: 'Seeed XIAO nRF52840 (Sense)', targets: ['xiao-ble'], volume: 'XIAO-SENSE', boardIds: ['Seeed_XIAO_nRF52840'] },
];

export function findBootloader(port: Pick<UsbSerialPort, 'vid' | 'pid'>, table: readonly KnownBootloader[] = KNOWN_BOOTLOADERS): KnownBootloader | undefined {
  const k = portKey(port);
  return k === undefined ? undefined : table.find((b) => `${b.vid}:${b.pid}` === k);
}

export type PortMode = 'application' | 'bootloader' | 'unknown';

/** What the "Connected Devices" view shows for one port. */
export interface PortIdentity {
  readonly port: UsbSerialPort;
  readonly mode: PortMode;
  /** Target names that fit this VID:PID, most specific first; empty when nothing is known. */
  readonly boards: readonly string[];
  /** A display name: the bootloader's board name, else the USB product string, else the first target. */
  readonly label: string;
  readonly bootloader?: KnownBootloader;
}

export function identifyPort(port: UsbSerialPort, index: ReadonlyMap<VidPidKey, readonly string[]>, table: readonly KnownBootloader[] = KNOWN_BOOTLOADERS): PortIdentity {
  const k = portKey(port);
  const fromTargets = k !== undefined ? [...(index.get(k) ?? [])] : [];
  const bootloader = findBootloader(port, table);
  if (bootloader) {
    // Some targets list the bootloader PID too (nano-33-ble-*-uf2 has 239a:0063); the table decides the mode.
    const boards = [...new Set([...fromTargets, ...bootloader.targets])];
    return { port, mode: 'bootloader', boards, label: `${bootloader.board} (bootloader)`, bootloader };
  }
  if (fromTargets.length > 0) {
    return { port, mode: 'application', boards: fromTargets, label: port.product ?? fromTargets[0]! };
  }
  return { port, mode: 'unknown', boards: [], label: port.product ?? (k ? `USB device ${k}` : port.name) };
}

/** The outcome of picking a port automatically, modelled on TinyGo's `getDefaultPort`. */
export type AutoPortChoice =
  | { readonly kind: 'one'; readonly port: string; readonly reason: 'explicit' | 'target-match' | 'only-port' }
  | { readonly kind: 'ask'; readonly candidates: readonly string[]; readonly reason: 'several-matches' | 'several-ports' }
  | { readonly kind: 'none'; readonly available: readonly string[]; readonly reason: 'no-match' | 'no-ports' };

/**
 * Exactly one port with one of the target's VID:PIDs → that port. Several → ask among them. None → list all
 * USB ports. A target without a `serial-port` list falls back, like TinyGo, to the only port if there is one.
 * An explicit `-port` value is used as is, unchecked, again like TinyGo.
 */
export function pickAutoPort(ports: readonly UsbSerialPort[], spec: TargetSpecLike | undefined, explicit?: string): AutoPortChoice {
  if (explicit !== undefined && explicit.trim() !== '') return { kind: 'one', port: explicit.trim(), reason: 'explicit' };
  const all = ports.map((p) => p.path);
  if (all.length === 0) return { kind: 'none', available: [], reason: 'no-ports' };
  const wanted = targetVidPids(spec);
  const matches = ports.filter((p) => {
    const k = portKey(p);
    return k !== undefined && wanted.includes(k);
  }).map((p) => p.path);
  if (matches.length === 1) return { kind: 'one', port: matches[0]!, reason: 'target-match' };
  if (matches.length > 1) return { kind: 'ask', candidates: matches, reason: 'several-matches' };
  if (wanted.length === 0) {
    return all.length === 1 ? { kind: 'one', port: all[0]!, reason: 'only-port' } : { kind: 'ask', candidates: all, reason: 'several-ports' };
  }
  return { kind: 'none', available: all, reason: 'no-match' };
}

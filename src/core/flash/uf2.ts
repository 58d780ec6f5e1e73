import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { TargetSpecLike, specString, specStrings } from './targetSpec';
import { KNOWN_BOOTLOADERS, KnownBootloader } from '../ports/match';

/**
 * INFO_UF2.TXT as UF2 bootloaders write it (microsoft/uf2 README; Adafruit_nRF52_Bootloader ghostfat.c):
 * `UF2 Bootloader <version> [extra]`, then `Key: value` lines, CRLF. The nRF52 bootloader adds
 * `SoftDevice: S140 version 6.1.1` (or `SoftDevice: not found`) and `Date: <__DATE__>`.
 */
export interface Uf2Info {
  /** `0.6.0` from `UF2 Bootloader 0.6.0 lib/nrfx (v2.0.0) ...`; a leading `v` (SAMD, RP2040) is dropped. */
  readonly bootloaderVersion?: string;
  /** The whole first line, for display. */
  readonly bootloaderLine?: string;
  readonly model?: string;
  readonly boardId?: string;
  /** Undefined: the file has no SoftDevice line. Null: the bootloader reported `not found`. */
  readonly softDevice?: { readonly name: string; readonly version: string; readonly major: number } | null;
  readonly date?: string;
  /** Every `Key: value` line, including the ones above, keyed as written. */
  readonly fields: Readonly<Record<string, string>>;
}

export function parseInfoUf2(text: string): Uf2Info {
  const fields: Record<string, string> = {};
  let bootloaderLine: string | undefined;
  let bootloaderVersion: string | undefined;
  for (const raw of String(text ?? '').split(/\r?\n/)) {
    const line = raw.replace(/\0+$/, '').trim();
    if (line === '') continue;
    const head = /^UF2 Bootloader\b\s*(\S*)/i.exec(line);
    if (head && bootloaderLine === undefined) {
      bootloaderLine = line;
      if (head[1]) bootloaderVersion = head[1].replace(/^v(?=\d)/i, '');
      continue;
    }
    const kv = /^([A-Za-z][\w -]*?)\s*:\s*(.*)$/.exec(line);
    if (kv && !(kv[1]! in fields)) fields[kv[1]!] = kv[2]!;
  }
  const info: { -readonly [K in keyof Uf2Info]: Uf2Info[K] } = { fields };
  if (bootloaderLine !== undefined) info.bootloaderLine = bootloaderLine;
  if (bootloaderVersion !== undefined) info.bootloaderVersion = bootloaderVersion;
  if (fields['Model']) info.model = fields['Model'];
  if (fields['Board-ID']) info.boardId = fields['Board-ID'];
  if (fields['Date']) info.date = fields['Date'];
  const sd = fields['SoftDevice'];
  if (sd !== undefined) {
    const m = /^(S\d{3})\s+version\s+(\d+)\.(\d+)\.(\d+)/i.exec(sd);
    if (m) info.softDevice = { name: m[1]!.toUpperCase(), version: `${m[2]}.${m[3]}.${m[4]}`, major: Number(m[2]) };
    else if (/not found/i.test(sd)) info.softDevice = null;
  }
  return info;
}

/** The SoftDevice a target is linked for, from `s140v6`-style build tags, then inherits, then the linker script. */
export function targetSoftDevice(spec: TargetSpecLike | undefined): { name: string; major: number } | undefined {
  const candidates = [...specStrings(spec, 'build-tags'), ...specStrings(spec, 'inherits'), specString(spec, 'linkerscript') ?? ''];
  for (const c of candidates) {
    const m = /(?:^|[-/_])(s\d{3})v(\d+)(?:$|[-._])/i.exec(c);
    if (m) return { name: m[1]!.toUpperCase(), major: Number(m[2]) };
  }
  return undefined;
}

// Application start addresses in TinyGo 0.33's targets/nrf52840-s140v{6,7}-uf2.ld.
const S140_APP_START: Readonly<Record<number, string>> = { 6: '0x26000', 7: '0x27000' };

export interface Uf2Warning {
  readonly code: 'softdevice-missing' | 'softdevice-mismatch' | 'softdevice-unexpected' | 'board-mismatch' | 'chip-mismatch';
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

/**
 * Preflight before copying a UF2: does the bootloader on this drive fit the target? Everything here is a
 * warning the user may override (a board can be relabelled, a SoftDevice updated), never a refusal.
 */
export function checkUf2Target(info: Uf2Info, spec: TargetSpecLike | undefined, targetName?: string, table: readonly KnownBootloader[] = KNOWN_BOOTLOADERS): Uf2Warning[] {
  const warnings: Uf2Warning[] = [];
  const target = targetName ?? 'the selected target';
  const want = targetSoftDevice(spec);
  const have = info.softDevice;
  if (want && have === null) {
    warnings.push({
      code: 'softdevice-missing',
      severity: 'error',
      message: `The bootloader reports no SoftDevice, but ${target} is linked for ${want.name} v${want.major}: the program would not start. Reinstall the bootloader with its SoftDevice.`,
    });
  } else if (want && have) {
    if (have.name !== want.name) {
      warnings.push({
        code: 'softdevice-mismatch',
        severity: 'error',
        message: `The board has SoftDevice ${have.name} ${have.version}, but ${target} is linked for ${want.name} v${want.major}.`,
      });
    } else if (have.major !== want.major) {
      const starts = want.name === 'S140' && S140_APP_START[have.major] && S140_APP_START[want.major] ? ` (the application starts at ${S140_APP_START[want.major]} for v${want.major} but ${S140_APP_START[have.major]} for v${have.major})` : '';
      warnings.push({
        code: 'softdevice-mismatch',
        severity: 'error',
        message: `The board has SoftDevice ${have.name} ${have.version}, but ${target} is linked for ${want.name} v${want.major}${starts}. Pick a target variant for ${have.name.toLowerCase()}v${have.major}, or update the bootloader and SoftDevice.`,
      });
    }
  } else if (!want && have && specString(spec, 'binary-format') === 'uf2') {
    warnings.push({
      code: 'softdevice-unexpected',
      severity: 'warning',
      message: `${target} is linked without a SoftDevice, but the board has ${have.name} ${have.version}; the UF2 bootloader does not overwrite it.`,
    });
  }

  const boardId = info.boardId;
  if (boardId) {
    const known = table.filter((b) => b.boardIds.some((p) => boardId.toLowerCase().startsWith(p.toLowerCase())));
    if (known.length > 0 && targetName) {
      const targets = new Set(known.flatMap((b) => b.targets));
      if (!targets.has(targetName)) {
        warnings.push({
          code: 'board-mismatch',
          severity: 'warning',
          message: `This drive belongs to a ${known[0]!.board} (Board-ID ${boardId}), which TinyGo targets as ${[...targets].join(' or ')}, not ${targetName}.`,
        });
      }
    } else if (known.length === 0) {
      const chip = /nrf(528\d\d)/i.exec(boardId)?.[1];
      const tags = specStrings(spec, 'build-tags').map((t) => t.toLowerCase());
      const targetChips = tags.filter((t) => /^nrf528\d\d$/.test(t));
      if (chip && targetChips.length > 0 && !targetChips.includes(`nrf${chip}`)) {
        warnings.push({
          code: 'chip-mismatch',
          severity: 'error',
          message: `The board is an nRF${chip} (Board-ID ${boardId}), but ${target} is built for ${targetChips.map((c) => c.replace(/^nrf/, 'nRF')).join(', ')}.`,
        });
      }
    }
  }
  return warnings;
}

export interface Uf2Volume {
  /** Mount point. */
  readonly path: string;
  /** Its basename, which is the FAT volume label TinyGo matches. */
  readonly name: string;
}

export interface VolumeRoots {
  readonly platform?: NodeJS.Platform;
  /** Linux mount table; defaults to `/proc/mounts`. */
  readonly procMounts?: string;
  /** macOS mount directory; defaults to `/Volumes`. */
  readonly volumesDir?: string;
}

// The kernel escapes space, tab, newline and backslash in /proc/mounts as octal (`\040`).
function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/**
 * Mounted drives whose name is one of `names` (the target's `msd-volume-name`), as TinyGo's flash does:
 * Linux reads vfat (and 9p, for WSL) mounts, macOS lists `/Volumes`. With no names (a target such as
 * nrf52840-s140v6-uf2-generic) any FAT drive holding INFO_UF2.TXT is returned, where TinyGo would find none.
 * Windows is not handled here (TinyGo asks wmic for removable FAT drives). Never throws.
 */
export async function findUf2Volumes(names: readonly string[], roots: VolumeRoots = {}): Promise<Uf2Volume[]> {
  const platform = roots.platform ?? process.platform;
  let mounts: string[] = [];
  if (platform === 'linux') {
    let table = '';
    try {
      table = await fsp.readFile(roots.procMounts ?? '/proc/mounts', 'utf8');
    } catch {
      return [];
    }
    for (const line of table.split('\n')) {
      const f = line.split(' ');
      if (f.length >= 3 && (f[2] === 'vfat' || f[2] === '9p')) mounts.push(unescapeMount(f[1]!));
    }
  } else if (platform === 'darwin') {
    const dir = roots.volumesDir ?? '/Volumes';
    try {
      mounts = (await fsp.readdir(dir)).map((n) => path.join(dir, n));
    } catch {
      return [];
    }
  } else {
    return [];
  }
  const wanted = new Set(names);
  const out: Uf2Volume[] = [];
  for (const m of mounts) {
    const name = path.basename(m);
    if (wanted.size > 0 ? wanted.has(name) : await hasInfoUf2(m)) out.push({ path: m, name });
  }
  return out;
}

async function hasInfoUf2(dir: string): Promise<boolean> {
  return (await readInfoUf2(dir)) !== undefined;
}

/** Reads and parses INFO_UF2.TXT on a mounted drive; undefined when absent (not a UF2 bootloader drive). */
export async function readInfoUf2(volumePath: string): Promise<Uf2Info | undefined> {
  try {
    return parseInfoUf2(await fsp.readFile(path.join(volumePath, 'INFO_UF2.TXT'), 'utf8'));
  } catch {
    return undefined;
  }
}

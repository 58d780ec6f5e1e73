/**
 * `tinygo targets` and the board picker's view of it: which names are real boards, which are nRF52 (and which
 * chip), in what order to offer them, and a one-line description.
 */

import type { TargetSpec } from './info';

export interface TargetsParseResult {
  targets: string[];
  unparsed: string[];
}

const TARGET_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** One name per line on stdout; anything else (warnings, blank lines) is returned, not silently dropped. */
export function parseTargetsOutput(text: string): TargetsParseResult {
  const targets: string[] = [];
  const unparsed: string[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') {
      continue;
    }
    if (TARGET_NAME_RE.test(line) && line.length <= 200) {
      if (!seen.has(line)) {
        seen.add(line);
        targets.push(line);
      }
    } else {
      unparsed.push(raw);
    }
  }
  return { targets, unparsed };
}

/**
 * Targets that `tinygo targets` may list (they set a flash method) but that have no CPU once resolved: they only
 * add a SoftDevice/bootloader layout to a board. Building for them fails. The first two are listed by 0.33; the
 * rest are the other CPU-less target files of 0.33, kept in case a later release lists them.
 */
export const KNOWN_MIXINS: ReadonlySet<string> = new Set([
  'nrf52840-s140v6-uf2',
  'nrf52840-s140v7-uf2',
  'nrf52840-s140v7',
  'nrf52833-s113v7',
  'nrf52-s132v6',
  'nrf51-s110v8',
  'cortex-m',
  'riscv',
  'xtensa',
  'avr',
  'avrtiny',
]);

/** A mixin is a known one, or (when the resolved spec is at hand) any target without a CPU. */
export function isMixin(name: string, spec?: Pick<TargetSpec, 'cpu'>): boolean {
  return KNOWN_MIXINS.has(name) || (spec !== undefined && !spec.cpu);
}

export function filterBoards(names: readonly string[], specs?: Readonly<Record<string, Pick<TargetSpec, 'cpu'> | undefined>>): string[] {
  return names.filter((n) => !isMixin(n, specs?.[n]));
}

export type Nrf52Chip = 'nRF52832' | 'nRF52833' | 'nRF52840';

/**
 * nRF52 boards of TinyGo 0.33 whose name alone does not always say the chip; `tinygo targets` gives only names, so
 * the picker needs this before any `tinygo info` has run.
 */
const KNOWN_NRF52_BOARDS: Readonly<Record<string, Nrf52Chip>> = {
  bluemicro840: 'nRF52840',
  'circuitplay-bluefruit': 'nRF52840',
  'clue-alpha': 'nRF52840',
  clue: 'nRF52840',
  gopherbot2: 'nRF52840',
  'mdbt50qrx-uf2': 'nRF52840',
  'microbit-v2-s113v7': 'nRF52833',
  'microbit-v2': 'nRF52833',
  'nano-33-ble-s140v6-uf2': 'nRF52840',
  'nano-33-ble-s140v7-uf2': 'nRF52840',
  'nano-33-ble-s140v7': 'nRF52840',
  'nano-33-ble': 'nRF52840',
  nicenano: 'nRF52840',
  'particle-3rd-gen': 'nRF52840',
  'particle-argon': 'nRF52840',
  'particle-boron': 'nRF52840',
  'particle-xenon': 'nRF52840',
  'pca10040-s132v6': 'nRF52832',
  pca10040: 'nRF52832',
  'pca10056-s140v6-uf2': 'nRF52840',
  'pca10056-s140v7': 'nRF52840',
  pca10056: 'nRF52840',
  'pca10059-s140v7': 'nRF52840',
  pca10059: 'nRF52840',
  pinetime: 'nRF52832',
  'reelboard-s140v7': 'nRF52840',
  reelboard: 'nRF52840',
  x9pro: 'nRF52832',
  'xiao-ble': 'nRF52840',
};

export interface TargetClass {
  nrf52: boolean;
  chip?: Nrf52Chip;
}

/** Inheritance decides when known (it is exact); otherwise the board table, then the name. */
export function classifyTarget(name: string, spec?: Pick<TargetSpec, 'inherits'>): TargetClass {
  const inherits = spec?.inherits ?? [];
  if (inherits.includes('nrf52840')) {
    return { nrf52: true, chip: 'nRF52840' };
  }
  if (inherits.includes('nrf52833')) {
    return { nrf52: true, chip: 'nRF52833' };
  }
  if (inherits.includes('nrf52')) {
    return { nrf52: true, chip: 'nRF52832' };
  }
  if (inherits.length > 0) {
    return { nrf52: false };
  }
  const known = KNOWN_NRF52_BOARDS[name];
  if (known) {
    return { nrf52: true, chip: known };
  }
  const lower = name.toLowerCase();
  if (lower.includes('nrf52840')) {
    return { nrf52: true, chip: 'nRF52840' };
  }
  if (lower.includes('nrf52833')) {
    return { nrf52: true, chip: 'nRF52833' };
  }
  if (/nrf52(?!\d)/.test(lower) || lower.includes('nrf52832')) {
    return { nrf52: true, chip: 'nRF52832' };
  }
  return { nrf52: false };
}

export interface OrderOptions {
  /** Most recent first. */
  recent?: readonly string[];
  specs?: Readonly<Record<string, Pick<TargetSpec, 'inherits'> | undefined>>;
}

/** nRF52 boards first (what this extension is for); within each group, recently used first, then by name. */
export function orderTargets(names: readonly string[], options: OrderOptions = {}): string[] {
  const recentRank = new Map<string, number>();
  (options.recent ?? []).forEach((n, i) => {
    if (!recentRank.has(n)) {
      recentRank.set(n, i);
    }
  });
  const keyed = names.map((name) => ({
    name,
    nrf: classifyTarget(name, options.specs?.[name]).nrf52 ? 0 : 1,
    recent: recentRank.get(name) ?? Number.MAX_SAFE_INTEGER,
  }));
  keyed.sort((a, b) => a.nrf - b.nrf || a.recent - b.recent || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return keyed.map((k) => k.name);
}

/** Whole-chip memory, used when the linker script (which subtracts SoftDevice and bootloader) is not known. */
const CHIP_MEMORY: Readonly<Record<Nrf52Chip, { flash: number; ram: number }>> = {
  nRF52832: { flash: 512 * 1024, ram: 64 * 1024 },
  nRF52833: { flash: 512 * 1024, ram: 128 * 1024 },
  nRF52840: { flash: 1024 * 1024, ram: 256 * 1024 },
};

function formatKiB(bytes: number): string {
  const k = bytes / 1024;
  return `${Number.isInteger(k) ? k : k.toFixed(1)} KB`;
}

function describeFlash(spec: Partial<TargetSpec>): string | undefined {
  switch (spec.flashMethod) {
    case 'msd': {
      const vol = spec.msdVolumeNames?.[0];
      const kind = spec.msdFirmwareName?.endsWith('.hex') ? 'HEX' : 'UF2';
      return vol ? `${kind} drive ${vol}` : `${kind} drive`;
    }
    case 'openocd':
      return spec.openocdInterface ? `OpenOCD (${spec.openocdInterface})` : 'OpenOCD';
    case 'command':
    case undefined:
    case '': {
      const tool = spec.flashCommand?.trim().split(/\s+/)[0];
      return tool ? tool : undefined;
    }
    default:
      return spec.flashMethod;
  }
}

export interface MemorySize {
  flash: number;
  ram: number;
}

/**
 * One line for the board picker, e.g. `nRF52840 · UF2 drive FTHR840BOOT · 796 KB flash, 239.6 KB RAM`.
 * `memory` should be the application's share from the linker script; without it the chip's total is shown.
 */
export function describeTarget(name: string, spec?: Partial<TargetSpec>, memory?: MemorySize): string {
  const parts: string[] = [];
  const cls = classifyTarget(name, spec?.inherits ? { inherits: spec.inherits } : undefined);
  if (cls.chip) {
    parts.push(cls.chip);
  } else if (spec?.cpu) {
    parts.push(spec.cpu);
  }
  const flash = spec ? describeFlash(spec) : undefined;
  if (flash) {
    parts.push(flash);
  }
  const mem = memory ?? (cls.chip ? CHIP_MEMORY[cls.chip] : undefined);
  if (mem) {
    parts.push(`${formatKiB(mem.flash)} flash, ${formatKiB(mem.ram)} RAM`);
  }
  return parts.join(' · ');
}

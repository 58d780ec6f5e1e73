/**
 * A launch configuration for the Cortex-Debug extension (marus25.cortex-debug) from what TinyGo's target file says
 * about the board's probe, the last build's ELF and the TINYGOROOT (for the chip's SVD file).
 *
 * The probe follows the target file, because that is what `tinygo flash` and `tinygo gdb` use on the same board:
 * `openocd-interface` / `openocd-transport` / `openocd-target` give OpenOCD's scripts, `jlink-device` SEGGER's name.
 * TinyGo runs `openocd -f interface/I.cfg -c "transport select T" -f target/C.cfg`: the transport must be chosen
 * after the adapter driver and before the target script (a J-Link otherwise auto-selects JTAG, which no nRF chip
 * has, and the target script fails). Cortex-Debug passes `openOCDPreConfigLaunchCommands` as `-c` before the
 * `configFiles` as `-f`, so the interface is sourced there, the transport selected, and only the target script is
 * a config file.
 */

import * as path from 'node:path';
import { outputFileName } from '../build/args';
import type { TargetSpec } from '../tinygo/info';

/**
 * Where a `tinygo` build task of the folder's package puts the ELF (src/vscode/build/tasks.ts taskArgs: the output
 * folder, `program-TARGET.elf`), as a launch.json path.
 */
export function taskExecutable(target: string, outputDir = 'build'): string {
  const dir = outputDir.trim() || 'build';
  const base = path.isAbsolute(dir) ? dir : `\${workspaceFolder}/${dir.replace(/\\/g, '/').replace(/\/+$/, '')}`;
  return `${base}/${outputFileName('program', target)}`;
}

/** The extension the configurations are for; without it VS Code reports an unknown debug type "cortex-debug". */
export const CORTEX_DEBUG_EXTENSION = 'marus25.cortex-debug';

export const CORTEX_DEBUG_MISSING =
  'Debugging a board needs the Cortex-Debug extension (marus25.cortex-debug), which runs OpenOCD or J-Link and gdb ' +
  'for VS Code. Install it, then start debugging again.';

export interface CortexDebugLaunch {
  name: string;
  type: 'cortex-debug';
  request: 'launch';
  cwd: string;
  executable: string;
  servertype: 'openocd' | 'jlink';
  /** OpenOCD only: `-f` scripts, found in OpenOCD's own script directory. */
  configFiles?: string[];
  /** OpenOCD only: `-c` commands before the config files. */
  openOCDPreConfigLaunchCommands?: string[];
  /** J-Link only: the wire protocol. */
  interface?: 'swd' | 'jtag';
  device?: string;
  svdFile?: string;
  runToEntryPoint: string;
  preLaunchTask?: string;
  gdbPath?: string;
}

export interface LaunchRequest {
  /** The folder's TinyGo target, e.g. feather-nrf52840. */
  target: string;
  /** Its resolved target file (TargetFileResolver.spec or `tinygo info -json`'s `target`). */
  spec: TargetSpec;
  /** The ELF the build task writes (absolute, or with `${workspaceFolder}`). */
  executable: string;
  /** TINYGOROOT, for lib/nrfx/mdk/CHIP.svd; undefined leaves the peripheral view without registers. */
  tinygoRoot?: string;
  /** The label of the tasks.json task that builds `executable`; Cortex-Debug runs it before each launch. */
  buildTask?: string;
  /** Absolute path of a program on PATH, or undefined (injected so tests need not depend on the host). */
  findProgram: (name: string) => string | undefined;
  fileExists: (file: string) => boolean;
}

export interface LaunchPlan {
  /** The first is the one to use; a J-Link board also gets SEGGER's own GDB server as a second choice. */
  configurations: CortexDebugLaunch[];
  /** What the user should know (a probe the target file does not name, a missing SVD or gdb). */
  notes: string[];
}

/** The nRF chip a target builds for, from its build tags (the chip's target file adds its own name as a tag). */
export interface NrfChip {
  tag: string;
  /** File name under TINYGOROOT/lib/nrfx/mdk. */
  svd: string;
  /** SEGGER's device name (J-Link GDB server's `-device`, Cortex-Debug's `device`). */
  segger: string;
}

const CHIPS: readonly NrfChip[] = [
  { tag: 'nrf52840', svd: 'nrf52840.svd', segger: 'nRF52840_xxAA' },
  { tag: 'nrf52833', svd: 'nrf52833.svd', segger: 'nRF52833_xxAA' },
  // nrf52.json is the nRF52832 (its cflags define NRF52832_XXAA); the nRF52833/40 files inherit cortex-m4, not it.
  { tag: 'nrf52', svd: 'nrf52.svd', segger: 'nRF52832_xxAA' },
  { tag: 'nrf51', svd: 'nrf51.svd', segger: 'nRF51822_xxAA' },
];

export function nrfChip(buildTags: readonly string[]): NrfChip | undefined {
  return CHIPS.find((c) => buildTags.includes(c.tag));
}

/** OpenOCD script names are plain words; anything else would escape `interface/` or `target/`. */
const SCRIPT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The probe to assume when the target file names none. Boards flashed over USB (UF2 or mass storage, like the
 * Feather nRF52840) have SWD pads but no probe on board; a CMSIS-DAP probe (DAPLink, Raspberry Pi Debug Probe,
 * a Pico running debugprobe) is the cheapest and needs no vendor software, and OpenOCD drives it over SWD.
 */
export const ASSUMED_INTERFACE = 'cmsis-dap';

const GDB_FALLBACK = ['gdb-multiarch', 'arm-none-eabi-gdb'];

export function launchConfigurations(req: LaunchRequest): LaunchPlan {
  const notes: string[] = [];
  const spec = req.spec;
  const chip = nrfChip(spec.buildTags ?? []);

  let iface = spec.openocdInterface;
  if (iface === undefined) {
    iface = ASSUMED_INTERFACE;
    notes.push(`The ${req.target} target file names no debug probe (it flashes with ${spec.flashMethod ?? 'no method'}): ` +
      `this configuration assumes a ${ASSUMED_INTERFACE} probe (DAPLink, Raspberry Pi Debug Probe) wired to the board's ` +
      'SWD pads; for a J-Link change interface/cmsis-dap.cfg to interface/jlink.cfg.');
  }
  // TinyGo's nRF chip files all say "swd"; for an assumed probe on an nRF chip SWD is the only wire there is.
  const transport = spec.openocdTransport ?? (spec.openocdInterface === undefined && chip ? 'swd' : undefined);
  const ocdTarget = spec.openocdTarget;

  const svdFile = svdFor(req, chip, notes);
  const gdbPath = gdbFor(req, spec, notes);
  const common = {
    type: 'cortex-debug' as const,
    request: 'launch' as const,
    cwd: '${workspaceFolder}',
    executable: req.executable,
    ...(chip ? { device: spec.jlinkDevice ?? chip.segger } : spec.jlinkDevice ? { device: spec.jlinkDevice } : {}),
    ...(svdFile ? { svdFile } : {}),
    // TinyGo names the program's entry main.main; the runtime's init (clocks, heap, package vars) has run by then.
    runToEntryPoint: 'main.main',
    ...(req.buildTask ? { preLaunchTask: req.buildTask } : {}),
    ...(gdbPath ? { gdbPath } : {}),
  };

  const configurations: CortexDebugLaunch[] = [];
  if (!SCRIPT_NAME.test(iface) || (ocdTarget !== undefined && !SCRIPT_NAME.test(ocdTarget))) {
    notes.push(`The target file's OpenOCD names (${iface}, ${ocdTarget ?? '-'}) are not script names: no OpenOCD configuration.`);
  } else if (ocdTarget === undefined) {
    notes.push(`The ${req.target} target file names no openocd-target, so OpenOCD cannot be configured for its chip.`);
  } else {
    const pre = transport ? [`source [find interface/${iface}.cfg]`, `transport select ${transport}`] : [];
    configurations.push({
      name: `TinyGo: debug ${req.target} (OpenOCD, ${iface})`,
      ...common,
      servertype: 'openocd',
      ...(pre.length ? { openOCDPreConfigLaunchCommands: pre } : {}),
      configFiles: pre.length ? [`target/${ocdTarget}.cfg`] : [`interface/${iface}.cfg`, `target/${ocdTarget}.cfg`],
    });
  }
  // A Nordic DK's on-board probe is a J-Link: SEGGER's server (installed with nrfjprog) is the other way to reach it.
  if ((iface === 'jlink' || spec.jlinkDevice) && common.device) {
    configurations.push({
      name: `TinyGo: debug ${req.target} (J-Link GDB server)`,
      ...common,
      servertype: 'jlink',
      interface: transport === 'jtag' ? 'jtag' : 'swd',
    });
  }
  return { configurations, notes };
}

function svdFor(req: LaunchRequest, chip: NrfChip | undefined, notes: string[]): string | undefined {
  if (!chip) {
    notes.push(`No SVD file is known for ${req.target}'s chip: the peripheral view will be empty.`);
    return undefined;
  }
  if (!req.tinygoRoot) {
    notes.push('TINYGOROOT is unknown, so the SVD file for the peripheral view was not set.');
    return undefined;
  }
  const file = path.join(req.tinygoRoot, 'lib', 'nrfx', 'mdk', chip.svd);
  if (!req.fileExists(file)) {
    notes.push(`${file} does not exist (an incomplete TINYGOROOT?): the peripheral view will be empty.`);
    return undefined;
  }
  return file;
}

function gdbFor(req: LaunchRequest, spec: TargetSpec, notes: string[]): string | undefined {
  const candidates = [...(spec.gdb ?? []), ...GDB_FALLBACK].filter((g, i, all) => all.indexOf(g) === i);
  // Plain `gdb` is the host's: only a multiarch build of it understands ARM, so it is tried last and only when named.
  for (const name of candidates) {
    const found = req.findProgram(name);
    if (found) return found;
  }
  notes.push(`None of ${candidates.join(', ')} is on PATH: install gdb-multiarch (Debian/Ubuntu) or the Arm GNU toolchain's arm-none-eabi-gdb.`);
  return undefined;
}

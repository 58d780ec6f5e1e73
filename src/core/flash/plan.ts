import { TargetSpecLike, specString, specStrings } from './targetSpec';
import { serialPermissionHelp } from '../ports/permission';

export type FlashMethod = 'msd' | 'openocd' | 'command' | 'bmp';

export interface FlashPlan {
  readonly method: FlashMethod | 'unknown';
  /** What the flasher is fed, as `tinygo flash` picks it (from `msd-firmware-name` or the command's `{hex}` token). */
  readonly fileFormat?: 'uf2' | 'hex' | 'bin' | 'elf' | 'zip';
  /** Executables of which one must be on PATH; empty for a plain copy to a drive. */
  readonly tools: readonly string[];
  /** The drive names TinyGo waits for (msd). */
  readonly volumes: readonly string[];
  /** The flasher talks to a serial port: `{port}` in the command, or a 1200-baud reset first. */
  readonly usesPort: boolean;
  readonly reset1200Baud: boolean;
  /** Short sentences for the user, most useful first. */
  readonly guidance: readonly string[];
  /** `tinygo` arguments; never a shell string. */
  readonly args: readonly string[];
}

export interface FlashPlanOptions {
  readonly target: string;
  readonly port?: string;
  /** `-programmer`: openocd, msd, command, bmp, or an openocd interface name. */
  readonly programmer?: string;
  /** Extra flags, placed before the package: the build's firmware flags (opt, gc, scheduler, tags, extra arguments). */
  readonly extraArgs?: readonly string[];
  /** `-o FILE` (TinyGo 0.39+): keep a copy of exactly what was flashed; its extension must be the flasher's format. */
  readonly output?: string;
  /** Package to flash; omitted means the current directory. */
  readonly pkg?: string;
}

// tinygo's compileopts Config.Programmer: an explicit programmer wins; any name that is not a method is an openocd
// interface. Without one, the target's flash-method; an empty method means "command".
function resolveMethod(spec: TargetSpecLike | undefined, programmer: string | undefined): { method: FlashMethod | 'unknown'; ocdInterface?: string } {
  const p = programmer?.trim();
  if (p) {
    if (p === 'openocd' || p === 'msd' || p === 'command' || p === 'bmp') return { method: p, ocdInterface: specString(spec, 'openocd-interface') };
    return { method: 'openocd', ocdInterface: p };
  }
  const m = specString(spec, 'flash-method');
  if (m === undefined || m === 'command') return { method: specString(spec, 'flash-command') ? 'command' : 'unknown' };
  if (m === 'openocd' || m === 'msd' || m === 'bmp') return { method: m, ocdInterface: specString(spec, 'openocd-interface') };
  return { method: 'unknown' };
}

const TOOL_GUIDANCE: Readonly<Record<string, string>> = {
  nrfjprog: "nrfjprog comes with Nordic's nRF Command Line Tools and needs a SEGGER J-Link (on-board on Nordic DKs) and its J-Link software.",
  nrfutil: "nrfutil is Nordic's DFU tool. Put the dongle into DFU mode first: press its side reset button until the red LED pulses.",
  bossac_arduino2: 'bossac_arduino2 is the bossac shipped with the Arduino mbed nRF52 core (Arduino IDE → Boards Manager → "Arduino Mbed OS Nano Boards"); put its folder on PATH. Double-tap reset if the upload cannot find the board.',
  bossac: 'bossac is the BOSSA flasher. Double-tap reset if the upload cannot find the board.',
};

export function planFlash(spec: TargetSpecLike | undefined, options: FlashPlanOptions): FlashPlan {
  const { method, ocdInterface } = resolveMethod(spec, options.programmer);
  const reset1200 = specString(spec, 'flash-1200-bps-reset') === 'true' && method !== 'openocd';
  const volumes = specStrings(spec, 'msd-volume-name');
  const guidance: string[] = [];
  let tools: string[] = [];
  let fileFormat: FlashPlan['fileFormat'];
  let usesPort = reset1200;

  switch (method) {
    case 'msd': {
      const ext = /\.(uf2|hex)$/i.exec(specString(spec, 'msd-firmware-name') ?? '')?.[1]?.toLowerCase();
      fileFormat = ext === 'hex' ? 'hex' : 'uf2';
      const names = volumes.length ? volumes.join(', ') : '(none: this target names no drive, so tinygo cannot find one)';
      guidance.push(
        fileFormat === 'uf2'
          ? `TinyGo copies the program to the bootloader drive ${names}.${reset1200 ? ' It first resets the board into the bootloader with a 1200-baud touch on its serial port.' : ''} If the drive does not appear, double-tap the reset button (the LED pulses) and flash again.`
          : `TinyGo copies the program to the drive ${names} of the on-board debug probe. If it does not appear, check the USB cable and the probe firmware.`,
      );
      guidance.push('TinyGo waits up to 20 s for the drive (change it with -timeout).');
      break;
    }
    case 'openocd':
      tools = ['openocd'];
      guidance.push(`OpenOCD programs the chip through a debug probe${ocdInterface ? ` (interface ${ocdInterface})` : ''} on the SWD pins; the probe must be connected and powered.`);
      break;
    case 'bmp':
      tools = specStrings(spec, 'gdb');
      if (tools.length === 0) tools = ['gdb-multiarch', 'arm-none-eabi-gdb', 'gdb'];
      guidance.push('A Black Magic Probe is driven through GDB; one of the listed GDB builds must be installed.');
      break;
    case 'command': {
      const command = specString(spec, 'flash-command') ?? '';
      const words = command.split(/\s+/).filter(Boolean);
      if (words[0]) tools = [words[0]];
      const token = /\{(hex|elf|bin|uf2|zip)\}/.exec(command)?.[1] as FlashPlan['fileFormat'] | undefined;
      fileFormat = token;
      if (command.includes('{port}')) usesPort = true;
      const help = words[0] ? TOOL_GUIDANCE[words[0]] : undefined;
      if (help) guidance.push(help);
      else if (words[0]) guidance.push(`TinyGo runs ${words[0]} to flash this board; it must be installed and on PATH.`);
      break;
    }
    case 'unknown':
      guidance.push(`Target ${options.target} has no flash method: TinyGo can build for it but not flash it.`);
      break;
  }

  const args = ['flash', `-target=${options.target}`];
  if (options.port) args.push(`-port=${options.port}`);
  if (options.programmer) args.push(`-programmer=${options.programmer}`);
  // -target comes first above; a -target among the build's flags is the same target and is not repeated.
  if (options.extraArgs) args.push(...options.extraArgs.filter((a) => !a.startsWith('-target=')));
  if (options.output) args.push('-o', options.output);
  if (options.pkg) args.push(options.pkg);
  return { method, fileFormat, tools, volumes, usesPort, reset1200Baud: reset1200, guidance, args };
}

/** One recognised line of `tinygo flash` output (stdout and stderr are both fed in). */
export type FlashEvent =
  | { readonly kind: 'no-volume'; readonly volumes: readonly string[]; readonly message: string }
  | { readonly kind: 'flash-failed'; readonly file: string; readonly error: string; readonly message: string }
  | { readonly kind: 'multiple-ports'; readonly ports: readonly string[]; readonly message: string }
  | { readonly kind: 'no-matching-port'; readonly ports: readonly string[]; readonly message: string }
  | { readonly kind: 'no-ports'; readonly message: string }
  | { readonly kind: 'permission-denied'; readonly port: string; readonly message: string }
  | { readonly kind: 'tool-missing'; readonly tool: string; readonly message: string }
  | { readonly kind: 'probe-missing'; readonly probe: string; readonly message: string }
  | { readonly kind: 'progress'; readonly stage: 'programming' | 'programmed' | 'verified' | 'reset' | 'percent'; readonly percent?: number; readonly message: string };

function splitPorts(list: string): string[] {
  return list.split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * Recognises a line of `tinygo flash` output. The error texts are TinyGo's own (main.go Flash, getDefaultPort,
 * flashUF2UsingMSD); progress lines come from the flashers it runs (openocd, nrfjprog, bossac, nrfutil).
 */
export function parseFlashLine(rawLine: string, platform: NodeJS.Platform = process.platform): FlashEvent | undefined {
  const line = String(rawLine ?? '').replace(/\r$/, '').trim();
  if (line === '') return undefined;
  let m: RegExpExecArray | null;

  if ((m = /permission denied/i.exec(line))) {
    const port = /(\/dev\/[\w.\-/]+|\bCOM\d+\b)/.exec(line)?.[1];
    if (port) return { kind: 'permission-denied', port, message: serialPermissionHelp(port, platform) };
  }
  if ((m = /unable to locate any volume: \[(.*)\]/.exec(line))) {
    const volumes = m[1]!.split(/\s+/).filter(Boolean);
    return { kind: 'no-volume', volumes, message: `No drive named ${volumes.join(' or ') || '(none)'} appeared. Double-tap the reset button so the board shows its bootloader drive, then flash again.` };
  }
  if ((m = /multiple serial ports available - use -port flag, available ports are (.*)$/.exec(line))) {
    return { kind: 'multiple-ports', ports: splitPorts(m[1]!), message: 'Several serial ports could be the board: pick one.' };
  }
  if ((m = /unable to search for a default USB device - use -port flag, available ports are (.*)$/.exec(line))) {
    return { kind: 'no-matching-port', ports: splitPorts(m[1]!), message: 'No port has the USB ids of this target: pick the port, or check that the board runs a TinyGo program with USB serial.' };
  }
  if (/no serial ports available/.test(line)) {
    return { kind: 'no-ports', message: 'No serial port found: plug the board in (a data cable, not a charge-only one), or double-tap reset to enter the bootloader.' };
  }
  if ((m = /exec: "([^"]+)": executable file not found/.exec(line))) {
    return { kind: 'tool-missing', tool: m[1]!, message: TOOL_GUIDANCE[m[1]!] ?? `${m[1]} is not installed or not on PATH.` };
  }
  // OpenOCD (Debian's 0.12, no probe attached) prints "Error: No J-Link device found" then "** OpenOCD init failed **";
  // tinygo then only says "exit status 1". The probe line is what the user can act on.
  if ((m = /^Error: (?:No (J-Link|CMSIS-DAP|ST-Link|STLINK) device found|unable to find (?:a matching )?(CMSIS-DAP|ST-Link|STLINK) device)/i.exec(line))) {
    const probe = m[1] ?? m[2] ?? 'debug';
    return {
      kind: 'probe-missing', probe,
      message: `No ${probe} probe answered (OpenOCD: "${line.replace(/^Error: /, '')}"). Connect the debug probe by USB and to the board's SWD pins, power the board, then flash again.`,
    };
  }
  if ((m = /^(?:error: )?failed to flash (.+?): (.+)$/.exec(line))) {
    return { kind: 'flash-failed', file: m[1]!, error: m[2]!, message: `Flashing failed: ${m[2]}` };
  }
  if (/\*\* Programming Started \*\*|^Programming device/.test(line)) return { kind: 'progress', stage: 'programming', message: line };
  if (/\*\* Programming Finished \*\*/.test(line)) return { kind: 'progress', stage: 'programmed', message: line };
  if (/\*\* Verified OK \*\*|^Verify successful/.test(line)) return { kind: 'progress', stage: 'verified', message: line };
  if (/\*\* Resetting Target \*\*|^Applying system reset/.test(line)) return { kind: 'progress', stage: 'reset', message: line };
  if ((m = /\[[=#\s-]*\]\s*(\d{1,3})%/.exec(line))) {
    const percent = Math.min(100, Number(m[1]));
    return { kind: 'progress', stage: 'percent', percent, message: line };
  }
  return undefined;
}

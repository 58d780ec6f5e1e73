/**
 * `tinygo info [-json] <target>`: the build environment of one target, in one typed model whatever format the
 * installed TinyGo printed. gopls needs it (GOROOT, GOOS/GOARCH, build tags) to see the code as TinyGo does.
 */

/** Fields of the resolved target spec (`target` in `info -json`, 0.29+) that the extension uses. */
export interface TargetSpec {
  inherits: string[];
  llvmTarget?: string;
  cpu?: string;
  flashMethod?: string;
  flashCommand?: string;
  /** USB VID:PID pairs, lowercase 4-digit hex without `0x` (`239a:8029`). */
  serialPorts: string[];
  msdVolumeNames: string[];
  msdFirmwareName?: string;
  linkerscript?: string;
  defaultStackSize?: number;
  automaticStackSize?: boolean;
  serial?: string;
  binaryFormat?: string;
  openocdInterface?: string;
  openocdTarget?: string;
  /** `swd` or `jtag`: OpenOCD must select it between the interface and the target script. */
  openocdTransport?: string;
  /** SEGGER's device name, for J-Link's own GDB server (only some targets name it). */
  jlinkDevice?: string;
  /** Debuggers TinyGo tries in order for `tinygo gdb` (from cortex-m.json: gdb-multiarch, arm-none-eabi-gdb, gdb). */
  gdb?: string[];
  /** The target file's own `build-tags` (the chip's, e.g. nrf52840, and the board's). */
  buildTags?: string[];
  flash1200BpsReset?: boolean;
  emulator?: string;
}

export interface TargetInfo {
  goroot: string;
  goos: string;
  goarch: string;
  /** Empty or absent for non-ARM and for ARM targets that leave it unset. */
  goarm?: string;
  buildTags: string[];
  gc?: string;
  scheduler?: string;
  llvmTriple?: string;
  /** Only with `-json` on 0.29 and newer. */
  target?: TargetSpec;
}

export interface InfoParseResult {
  info?: TargetInfo;
  errors: string[];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function strList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * `239a:0x0029` and `239A:8052` both occur in TinyGo 0.33 target files; matching a port's VID:PID needs one form.
 * Returns undefined for anything that is not two hex numbers of at most 4 digits.
 */
export function normaliseUsbId(id: string): string | undefined {
  const m = /^\s*(?:0x)?([0-9a-f]{1,4})\s*:\s*(?:0x)?([0-9a-f]{1,4})\s*$/i.exec(id);
  if (!m) {
    return undefined;
  }
  return `${m[1].toLowerCase().padStart(4, '0')}:${m[2].toLowerCase().padStart(4, '0')}`;
}

/** Converts one target-JSON object (resolved, as in `info -json` or a targets dump) into a TargetSpec. */
export function parseTargetSpec(raw: unknown, errors: string[] = []): TargetSpec {
  const o = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const serialPorts: string[] = [];
  for (const id of strList(o['serial-port'])) {
    const n = normaliseUsbId(id);
    if (n === undefined) {
      errors.push(`ignored malformed serial-port entry "${id}"`);
    } else if (!serialPorts.includes(n)) {
      serialPorts.push(n);
    }
  }
  const spec: TargetSpec = {
    inherits: strList(o['inherits']),
    serialPorts,
    msdVolumeNames: strList(o['msd-volume-name']),
  };
  const setStr = (key: keyof TargetSpec, jsonKey: string): void => {
    const v = str(o[jsonKey]);
    if (v !== undefined && v !== '') {
      (spec as unknown as Record<string, unknown>)[key] = v;
    }
  };
  setStr('llvmTarget', 'llvm-target');
  setStr('cpu', 'cpu');
  setStr('flashMethod', 'flash-method');
  setStr('flashCommand', 'flash-command');
  setStr('msdFirmwareName', 'msd-firmware-name');
  setStr('linkerscript', 'linkerscript');
  setStr('serial', 'serial');
  setStr('binaryFormat', 'binary-format');
  setStr('openocdInterface', 'openocd-interface');
  setStr('openocdTarget', 'openocd-target');
  setStr('emulator', 'emulator');
  setStr('openocdTransport', 'openocd-transport');
  setStr('jlinkDevice', 'jlink-device');
  if (Array.isArray(o['gdb'])) {
    spec.gdb = strList(o['gdb']);
  }
  if (Array.isArray(o['build-tags'])) {
    spec.buildTags = strList(o['build-tags']);
  }
  const stack = o['default-stack-size'];
  if (typeof stack === 'number' && Number.isFinite(stack)) {
    spec.defaultStackSize = stack;
  }
  if (typeof o['automatic-stack-size'] === 'boolean') {
    spec.automaticStackSize = o['automatic-stack-size'];
  }
  // TinyGo stores this flag as the string "true"/"false" in target JSON; accept a real boolean too.
  const reset = o['flash-1200-bps-reset'];
  if (reset === 'true' || reset === true) {
    spec.flash1200BpsReset = true;
  } else if (reset === 'false' || reset === false) {
    spec.flash1200BpsReset = false;
  }
  return spec;
}

export function parseInfoJson(text: string): InfoParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { errors: [`tinygo info -json did not print valid JSON: ${(e as Error).message}`] };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return { errors: ['tinygo info -json did not print a JSON object'] };
  }
  const o = doc as Record<string, unknown>;
  const errors: string[] = [];
  const goroot = str(o.goroot);
  const goos = str(o.goos);
  const goarch = str(o.goarch);
  if (goroot === undefined || goos === undefined || goarch === undefined) {
    return { errors: ['tinygo info -json output lacks goroot, goos or goarch'] };
  }
  const info: TargetInfo = { goroot, goos, goarch, buildTags: strList(o.build_tags) };
  const goarm = str(o.goarm);
  if (goarm) {
    info.goarm = goarm;
  }
  const gc = str(o.garbage_collector);
  if (gc) {
    info.gc = gc;
  }
  const scheduler = str(o.scheduler);
  if (scheduler) {
    info.scheduler = scheduler;
  }
  const triple = str(o.llvm_triple);
  if (triple) {
    info.llvmTriple = triple;
  }
  if (o.target !== undefined) {
    info.target = parseTargetSpec(o.target, errors);
  }
  return { info, errors };
}

const TEXT_KEYS: Record<string, (info: TargetInfo, value: string) => void> = {
  'llvm triple': (i, v) => (i.llvmTriple = v),
  goos: (i, v) => (i.goos = v),
  goarch: (i, v) => (i.goarch = v),
  goarm: (i, v) => (i.goarm = v),
  'build tags': (i, v) => (i.buildTags = v.split(/\s+/).filter((t) => t !== '')),
  'garbage collector': (i, v) => (i.gc = v),
  scheduler: (i, v) => (i.scheduler = v),
  'cached goroot': (i, v) => (i.goroot = v),
};

/** The text form (`LLVM triple:       …`), split at the first `:` as the official extension does. */
export function parseInfoText(text: string): InfoParseResult {
  const info: TargetInfo = { goroot: '', goos: '', goarch: '', buildTags: [] };
  const errors: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      continue;
    }
    const colon = line.indexOf(':');
    const setter = colon > 0 ? TEXT_KEYS[line.slice(0, colon).trim().toLowerCase()] : undefined;
    if (setter) {
      const value = line.slice(colon + 1).trim();
      if (value !== '') {
        setter(info, value);
      }
    } else {
      errors.push(`unrecognised line in tinygo info output: ${line.slice(0, 200)}`);
    }
  }
  if (info.goroot === '' || info.goos === '' || info.goarch === '') {
    errors.unshift('tinygo info output lacks cached GOROOT, GOOS or GOARCH');
    return { errors };
  }
  return { info, errors };
}

/** Accepts either format, so callers need not track which flag an older TinyGo honoured. */
export function parseInfo(text: string): InfoParseResult {
  return text.trimStart().startsWith('{') ? parseInfoJson(text) : parseInfoText(text);
}

export interface GoplsEnv {
  env: { GOROOT: string; GOOS: string; GOARCH: string; GOARM?: string; GOFLAGS: string };
  buildFlags: string[];
}

/** Splits GOFLAGS the way the go command does: on spaces, with `'…'`/`"…"` quoting (go1.19+). */
function splitGoflags(goflags: string): string[] {
  const out: string[] = [];
  const re = /(?:[^\s'"]+|'[^']*'|"[^"]*")+/g;
  for (const m of goflags.matchAll(re)) {
    out.push(m[0]);
  }
  return out;
}

function isTagsFlag(flag: string): boolean {
  return /^--?tags(=|$)/.test(flag.replace(/^['"]/, ''));
}

/**
 * Puts the target's build tags into a user's GOFLAGS. The go command rejects a repeated `-tags` flag in GOFLAGS,
 * so any existing `-tags` is replaced (its tags kept after the target's, without duplicates) instead of added.
 */
export function mergeGoflags(existing: string | undefined, tags: readonly string[]): string {
  const flags = splitGoflags(existing ?? '');
  const merged: string[] = [...tags];
  const rest: string[] = [];
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i];
    if (!isTagsFlag(f)) {
      rest.push(f);
      continue;
    }
    let value: string;
    const eq = f.indexOf('=');
    if (eq >= 0) {
      value = f.slice(eq + 1);
    } else {
      value = flags[i + 1] ?? '';
      i++;
    }
    for (const t of value.replace(/^['"]|['"]$/g, '').split(/[,\s]+/)) {
      if (t !== '' && !merged.includes(t)) {
        merged.push(t);
      }
    }
  }
  const parts = merged.length > 0 ? [`-tags=${merged.join(',')}`, ...rest] : rest;
  return parts.join(' ');
}

/** Environment and build flags that make gopls type-check with the target's GOROOT, GOOS/GOARCH and tags. */
export function deriveGoplsEnv(info: TargetInfo, userGoflags?: string): GoplsEnv {
  const tags = [...new Set(info.buildTags)];
  const env: GoplsEnv['env'] = {
    GOROOT: info.goroot,
    GOOS: info.goos,
    GOARCH: info.goarch,
    GOFLAGS: mergeGoflags(userGoflags, tags),
  };
  if (info.goarm) {
    env.GOARM = info.goarm;
  }
  return { env, buildFlags: tags.length > 0 ? [`-tags=${tags.join(',')}`] : [] };
}

/**
 * The `tinygo build` argument array and the output path. Every value is one array element, never shell text, so a
 * folder called `my "odd" $(dir)` is passed as it is. Settings are checked here, before tinygo runs, because
 * tinygo's own answer to a bad flag is a one-line error followed by 80 lines of usage text.
 */
import * as path from 'node:path';
import { escapeRegExp } from '../regexp';

export const OPT_LEVELS = ['none', '0', '1', '2', 's', 'z'] as const;
/** `boehm` is newer than 0.33; tinygo itself rejects it on older releases. */
export const GC_KINDS = ['none', 'leaking', 'conservative', 'custom', 'precise', 'boehm'] as const;
/** `threads` and `cores` are newer than 0.33. */
export const SCHEDULERS = ['none', 'tasks', 'asyncify', 'threads', 'cores'] as const;
export const OPTIMIZATION_GUIDE = 'https://tinygo.org/docs/guides/optimizing-binaries/';

/** The build settings as the user wrote them (empty string / undefined: the target's default). */
export interface BuildSettings {
  outputDir?: string;
  opt?: string;
  gc?: string;
  scheduler?: string;
  stackSize?: string;
  tags?: string | string[];
  extraArgs?: string[];
  printAllocs?: boolean;
  /** Firmware files wanted beside the ELF (`hex`, `uf2`, `bin`): each is one more `tinygo build` with the same flags. */
  formats?: string[];
}

/** What `tinygo.build.formats` may ask for: the formats `tinygo build -o` writes from the file name's extension. */
export const EXTRA_FORMATS = ['hex', 'uf2', 'bin'] as const;

/** One more firmware file of the same program: `tinygo build` with the firmware's flags into another format. */
export interface ExtraOutput {
  format: (typeof EXTRA_FORMATS)[number];
  path: string;
  args: string[];
}

export interface BuildPlanInput {
  /** undefined: no `-target`, a host build. */
  target?: string;
  /** Absolute workspace folder (or package dir when there is no folder): relative `outputDir`s start here. */
  baseDir: string;
  /** Absolute package directory; its name names the output file. */
  packageDir: string;
  pkgArg: string;
  /** Module path from go.mod, for the `-print-allocs` regexp. */
  modulePath?: string;
  /**
   * Ask for `-print-stacks` (goroutine stack sizes for the size panel). tinygo supports it only for ARM ELF
   * targets with the tasks scheduler (it needs tinygo_startTask), so the caller decides from `tinygo info`.
   */
  printStacks?: boolean;
  settings: BuildSettings;
  platform?: NodeJS.Platform;
}

export interface BuildPlan {
  args: string[];
  outputPath: string;
  /**
   * The flags that decide the firmware's bytes (`-target`, `-opt`, `-gc`, `-scheduler`, `-stack-size`, `-tags`,
   * the extra arguments), without the reports (`-size`, `-print-*`) and the output: `tinygo flash` gets exactly
   * these, so the board runs the program Build measured.
   */
  firmwareFlags: string[];
  /** The files `tinygo.build.formats` asks for beside the ELF, built after it succeeded. */
  extraOutputs: ExtraOutput[];
  pkgArg: string;
  /** The `-print-allocs` regexp in use, if any. */
  printAllocs?: string;
  /** Things the user should know (e.g. print-allocs skipped at -opt=0). */
  notes: string[];
}

export type BuildPlanResult = { ok: true; plan: BuildPlan } | { ok: false; errors: string[] };

const BYTE_UNITS: Record<string, number> = {
  B: 1, BYTE: 1, BYTES: 1,
  KB: 1024, KILOBYTE: 1024, KILOBYTES: 1024,
  MB: 1024 ** 2, MEGABYTE: 1024 ** 2, MEGABYTES: 1024 ** 2,
  GB: 1024 ** 3, GIGABYTE: 1024 ** 3, GIGABYTES: 1024 ** 3,
};

/**
 * `-stack-size` as tinygo parses it (inhies/go-bytesize): a number *with a unit* (`8KB`, `4096B`, `1.5 kb`;
 * 1KB = 1024). A bare `4096` makes tinygo fail with "Unrecognized size suffix", so it is refused here with a hint.
 */
export function parseStackSize(text: string): { ok: true; bytes: number; normalized: string } | { ok: false; error: string } {
  const s = text.trim();
  const m = /^(\d+(?:\.\d*)?|\.\d+)\s*([A-Za-z]+)$/.exec(s);
  if (!m) {
    if (/^\d+$/.test(s)) return { ok: false, error: `tinygo.build.stackSize "${text}" needs a unit: write "${s}B" or, for kilobytes, "${Math.max(1, Math.round(Number(s) / 1024))}KB".` };
    return { ok: false, error: `tinygo.build.stackSize "${text}" is not a size: use a number with a unit, e.g. "8KB" or "4096B".` };
  }
  const unit = BYTE_UNITS[m[2].toUpperCase()];
  if (!unit) return { ok: false, error: `tinygo.build.stackSize "${text}": unknown unit "${m[2]}" (use B, KB, MB or GB).` };
  const bytes = Math.floor(Number(m[1]) * unit);
  if (!(bytes > 0)) return { ok: false, error: `tinygo.build.stackSize "${text}" must be more than 0 bytes.` };
  if (bytes > 1024 ** 3) return { ok: false, error: `tinygo.build.stackSize "${text}" is more than 1GB.` };
  return { ok: true, bytes, normalized: `${m[1]}${m[2].toUpperCase()}` };
}


/**
 * A `-print-allocs` regexp that matches only the user's own functions. TinyGo tests it (a substring match) against
 * the LLVM function name: `main.main`, `main.main$1`, `(*main.T).M`, `example.com/m/drivers.Init`,
 * `(*example.com/m/drivers.Dev).Read`. The main package's functions are named `main.*` whatever the module is.
 */
export function printAllocsRegexp(modulePath?: string): string {
  const mod = modulePath?.trim();
  const alts = ['main'];
  if (mod && mod !== 'main') alts.push(`${escapeRegExp(mod)}(/[^.()*\\s]+)*`);
  return `^\\(?\\*?(${alts.join('|')})\\.`;
}

/** A file-name-safe piece: path separators, NUL and control characters go; spaces and the rest stay. */
function fileSafe(s: string): string {
  const r = s.replace(/[\\/:\u0000-\u001f<>|"?*]/g, '_').replace(/^\.+/, '_');
  return r === '' ? 'program' : r;
}

export function outputFileName(packageDir: string, target: string | undefined, platform: NodeJS.Platform = process.platform): string {
  const base = fileSafe(path.basename(packageDir));
  if (!target) return platform === 'win32' ? `${base}.exe` : base;
  const ext = /^(wasm|wasi)/.test(target) ? '.wasm' : '.elf';
  return `${base}-${fileSafe(target)}${ext}`;
}

/**
 * Where Flash keeps the file it flashed (`tinygo flash -o`, TinyGo 0.39 and later): beside the build's ELF, same
 * name, the flasher's format (`.uf2`, `.hex`, …), so the flashed bytes can be found and compared afterwards.
 */
export function flashedFilePath(elfPath: string, format: string): string {
  return elfPath.replace(/\.(elf|wasm)$/, '') + `.${format}`;
}

export function outputPathFor(baseDir: string, outputDir: string | undefined, packageDir: string, target: string | undefined, platform?: NodeJS.Platform): string {
  const dir = outputDir?.trim() ? outputDir.trim() : 'build';
  return path.resolve(baseDir, dir, outputFileName(packageDir, target, platform));
}

function splitTags(tags: string | string[] | undefined): string[] {
  const list = Array.isArray(tags) ? tags : (tags ?? '').split(/[\s,]+/);
  return list.map((t) => t.trim()).filter(Boolean);
}

function checkEnum(name: string, value: string | undefined, allowed: readonly string[], errors: string[]): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (!allowed.includes(v)) {
    errors.push(`tinygo.build.${name} "${value}" is not one of ${allowed.join(', ')} (leave it empty for the target's default).`);
    return undefined;
  }
  return v;
}

/**
 * `['build', '-target=X', '-o', out, '-size=full', '-print-allocs=RE', '-opt=..', '-gc=..', '-scheduler=..',
 * '-stack-size=..', '-tags=..', ...extra, pkg]`. The size table is always asked for: the size panel reads it.
 */
export function planBuild(input: BuildPlanInput): BuildPlanResult {
  const s = input.settings;
  const errors: string[] = [];
  const notes: string[] = [];
  const opt = checkEnum('opt', s.opt, OPT_LEVELS, errors);
  const gc = checkEnum('gc', s.gc, GC_KINDS, errors);
  const scheduler = checkEnum('scheduler', s.scheduler, SCHEDULERS, errors);
  let stack: string | undefined;
  if (s.stackSize?.trim()) {
    const r = parseStackSize(s.stackSize);
    if (r.ok) stack = r.normalized; else errors.push(r.error);
  }
  const target = input.target?.trim();
  if (target !== undefined && target !== '' && (/\s/.test(target) || target.startsWith('-'))) {
    errors.push(`The target "${input.target}" is not a target name.`);
  }
  const extra = (s.extraArgs ?? []).filter((a) => typeof a === 'string' && a !== '');
  for (const a of extra) {
    if (/^--?o(=|$)/.test(a)) errors.push(`tinygo.build.extraArgs must not set the output ("${a}"): use tinygo.build.outputDir.`);
  }
  const formats = [...new Set((s.formats ?? []).map((f) => String(f).trim().toLowerCase().replace(/^\./, '')).filter((f) => f !== '' && f !== 'elf'))];
  for (const f of formats) {
    if (!(EXTRA_FORMATS as readonly string[]).includes(f)) errors.push(`tinygo.build.formats: "${f}" is not one of ${EXTRA_FORMATS.join(', ')}.`);
  }
  if (errors.length) return { ok: false, errors };

  const outputPath = outputPathFor(input.baseDir, s.outputDir, input.packageDir, target || undefined, input.platform);
  const args = ['build'];
  if (target) args.push(`-target=${target}`);
  args.push('-o', outputPath, '-size=full');
  let printAllocs: string | undefined;
  if (s.printAllocs !== false) {
    if (opt === '0' || opt === 'none') {
      notes.push(`-print-allocs is left out: tinygo reports heap allocations only when optimizing (tinygo.build.opt is "${opt}").`);
    } else {
      printAllocs = printAllocsRegexp(input.modulePath);
      args.push(`-print-allocs=${printAllocs}`);
    }
  }
  if (input.printStacks && (!scheduler || scheduler === 'tasks')) args.push('-print-stacks');
  const firmware: string[] = [];
  if (opt) firmware.push(`-opt=${opt}`);
  if (gc) firmware.push(`-gc=${gc}`);
  if (scheduler) firmware.push(`-scheduler=${scheduler}`);
  if (stack) firmware.push(`-stack-size=${stack}`);
  const tags = splitTags(s.tags);
  // tinygo reads -tags as a space-separated list (strings.Fields), in 0.33 and later alike.
  if (tags.length) firmware.push(`-tags=${tags.join(' ')}`);
  firmware.push(...extra);
  args.push(...firmware, input.pkgArg);
  const firmwareFlags = [...(target ? [`-target=${target}`] : []), ...firmware];
  const stem = outputPath.replace(/\.elf$/, '');
  const extraOutputs = formats.map((f): ExtraOutput => {
    const out = `${stem}.${f}`;
    return { format: f as ExtraOutput['format'], path: out, args: ['build', ...firmwareFlags, '-o', out, input.pkgArg] };
  });
  return { ok: true, plan: { args, outputPath, firmwareFlags, extraOutputs, pkgArg: input.pkgArg, printAllocs, notes } };
}

/** How the command line is shown in the output channel: copy-pasteable into a POSIX shell. */
export function shellQuote(args: readonly string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

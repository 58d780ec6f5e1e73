import { DEFAULT_TARGET_FACTS, type TargetFacts } from './model';

/** The parts of `tinygo info -json` the analysers need (a subset of the toolchain's TargetInfo). */
export interface TargetInfoLike {
  target?: string;
  tinygoVersion?: string;
  goos?: string;
  goarch?: string;
  gc?: string;
  scheduler?: string;
  buildTags?: readonly string[];
  defaultStackSize?: number;
}

const HOST_OS = new Set(['linux', 'darwin', 'windows', 'freebsd']);

function kindOf(name: string, info: TargetInfoLike): TargetFacts['kind'] {
  const tags = new Set(info.buildTags ?? []);
  if (tags.has('baremetal')) return 'baremetal';
  if (info.goarch === 'wasm' || /^(wasm|wasip\d|wasi)/.test(name)) return 'wasm';
  if (!name || HOST_OS.has(name) || (info.buildTags && !tags.has('baremetal') && HOST_OS.has(info.goos ?? ''))) return 'host';
  return 'baremetal';
}

function pick<T extends string>(v: string | undefined, allowed: readonly T[], fallback: T): T {
  return (allowed as readonly string[]).includes(v ?? '') ? (v as T) : fallback;
}

/**
 * TargetFacts from what is known: `tinygo info` when the toolchain ran, otherwise the target name alone with
 * TinyGo's per-architecture defaults (tinygo-cli.md section 3), otherwise the documented default board.
 */
export function targetFactsFor(name: string | undefined, info: TargetInfoLike = {}): TargetFacts {
  const target = name ?? info.target ?? DEFAULT_TARGET_FACTS.target;
  const kind = kindOf(target, info);
  const goarch = info.goarch ?? (kind === 'wasm' ? 'wasm' : kind === 'host' ? 'amd64' : 'arm');
  const gcDefault = kind === 'host' ? 'precise' : target === 'wasm-unknown' ? 'leaking' : 'conservative';
  const schedDefault = kind === 'wasm' ? (target === 'wasm-unknown' ? 'none' : 'asyncify') : kind === 'host' ? 'tasks'
    : /^(arduino|atmega|attiny|digispark|esp32|esp8266|nodemcu|d1mini)/.test(target) ? 'none' : 'tasks';
  const stack = info.defaultStackSize ?? (kind === 'baremetal' ? 2048 : 65536);
  return {
    tinygoVersion: info.tinygoVersion ?? DEFAULT_TARGET_FACTS.tinygoVersion,
    target,
    kind,
    gc: pick(info.gc, ['conservative', 'precise', 'leaking', 'none', 'custom', 'boehm'] as const, gcDefault),
    scheduler: pick(info.scheduler, ['tasks', 'asyncify', 'none', 'threads', 'cores'] as const, schedDefault),
    goarch,
    maxStackAlloc: stack > 32 * 1024 ? 1024 : 256,
    pointerSize: ['amd64', 'arm64', 'riscv64', 'wasm64'].includes(goarch) ? 8 : 4,
  };
}

/**
 * The fields of a resolved TinyGo target spec (the `target` object of `tinygo info -json`, or one entry of
 * the resolved targets table) that port matching and flashing read. Structural and partial on purpose: the
 * document comes from an external tool, so every field may be missing or of the wrong type, and readers
 * below go through the guarded accessors instead of trusting the shape.
 */
export interface TargetSpecLike {
  readonly inherits?: readonly string[];
  readonly 'build-tags'?: readonly string[];
  readonly linkerscript?: string;
  readonly 'flash-method'?: string;
  readonly 'flash-command'?: string;
  readonly 'flash-1200-bps-reset'?: string;
  readonly 'serial-port'?: readonly string[];
  readonly 'msd-volume-name'?: readonly string[];
  readonly 'msd-firmware-name'?: string;
  readonly 'binary-format'?: string;
  readonly 'openocd-interface'?: string;
  readonly 'openocd-target'?: string;
  readonly 'openocd-transport'?: string;
  readonly serial?: string;
  readonly [key: string]: unknown;
}

export function specString(spec: TargetSpecLike | undefined, key: string): string | undefined {
  const v = spec?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function specStrings(spec: TargetSpecLike | undefined, key: string): string[] {
  const v = spec?.[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : [];
}

/**
 * The same data in the camel-case model `src/core/tinygo/info.ts` parses `info -json` into, so callers holding
 * that model can use ports and flash code. Build tags live beside the spec there (`TargetInfo.buildTags`).
 */
export interface ParsedTargetSpecLike {
  inherits?: readonly string[];
  flashMethod?: string;
  flashCommand?: string;
  serialPorts?: readonly string[];
  msdVolumeNames?: readonly string[];
  msdFirmwareName?: string;
  linkerscript?: string;
  serial?: string;
  binaryFormat?: string;
  openocdInterface?: string;
  openocdTarget?: string;
  flash1200BpsReset?: boolean;
}

export function fromParsedTargetSpec(spec: ParsedTargetSpecLike, buildTags: readonly string[] = []): TargetSpecLike {
  const out: Record<string, unknown> = {
    inherits: spec.inherits ?? [],
    'build-tags': buildTags,
    'serial-port': spec.serialPorts ?? [],
    'msd-volume-name': spec.msdVolumeNames ?? [],
  };
  const copy = (from: keyof ParsedTargetSpecLike, to: string): void => {
    const v = spec[from];
    if (typeof v === 'string' && v !== '') out[to] = v;
  };
  copy('flashMethod', 'flash-method');
  copy('flashCommand', 'flash-command');
  copy('msdFirmwareName', 'msd-firmware-name');
  copy('linkerscript', 'linkerscript');
  copy('serial', 'serial');
  copy('binaryFormat', 'binary-format');
  copy('openocdInterface', 'openocd-interface');
  copy('openocdTarget', 'openocd-target');
  if (spec.flash1200BpsReset !== undefined) out['flash-1200-bps-reset'] = String(spec.flash1200BpsReset);
  return out as TargetSpecLike;
}

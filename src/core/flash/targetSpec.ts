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

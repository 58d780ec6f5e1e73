/**
 * What TinyGo cannot run, keyed by TinyGo version. Every entry names its source so that a table row can be checked
 * and updated when a release changes it. Versions compare as semver; `since`/`until` bound the releases an entry
 * holds for (`until` exclusive). Keep every such table in this file.
 */

export function parseVersion(v: string): [number, number, number] {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : [0, 0, 0];
}

export function versionAtLeast(v: string, min: string): boolean {
  const a = parseVersion(v); const b = parseVersion(min);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

export function inVersionRange(v: string, since?: string, until?: string): boolean {
  return (!since || versionAtLeast(v, since)) && (!until || !versionAtLeast(v, until));
}

export type ReflectReceiver = 'Value' | 'Type' | 'package';

export interface ReflectEntry {
  receiver: ReflectReceiver;
  name: string;
  /** unimplemented: compiles, panics at run time; missing: does not compile. */
  status: 'unimplemented' | 'missing';
  since?: string;
  until?: string;
  source: string;
}

const R033 = 'tinygo v0.33.0 src/reflect/*.go (shared/docs/tinygo-cli.md section 7)';

const unimplementedValue = ['Call', 'CallSlice', 'Method', 'MethodByName', 'Recv', 'Send', 'Close', 'Slice3', 'SetCap', 'CanConvert'];
const unimplementedType = ['Method', 'MethodByName', 'NumIn', 'NumOut', 'In', 'Out', 'IsVariadic', 'ConvertibleTo'];
const unimplementedFuncs = ['Select', 'MakeFunc', 'NewAt', 'SliceOf', 'ArrayOf', 'StructOf', 'MapOf', 'FuncOf'];

export const REFLECT_TABLE: readonly ReflectEntry[] = [
  ...unimplementedValue.map((name): ReflectEntry => ({ receiver: 'Value', name, status: 'unimplemented', source: R033,
    ...(name === 'CallSlice' ? { since: '0.31.0' } : {}) })),
  { receiver: 'Value', name: 'CallSlice', status: 'missing', until: '0.31.0', source: 'tinygo 0.31 changelog: stubbed CallSlice' },
  ...unimplementedType.map((name): ReflectEntry => ({ receiver: 'Type', name, status: 'unimplemented', source: R033 })),
  ...unimplementedFuncs.map((name): ReflectEntry => ({ receiver: 'package', name, status: 'unimplemented', source: R033,
    ...(name === 'FuncOf' ? { since: '0.31.0' } : {}) })),
  { receiver: 'package', name: 'FuncOf', status: 'missing', until: '0.31.0', source: 'tinygo 0.31 changelog: stubbed FuncOf' },
  { receiver: 'package', name: 'MakeChan', status: 'missing', source: R033 },
  { receiver: 'package', name: 'ChanOf', status: 'missing', source: R033 },
  { receiver: 'Value', name: 'Equal', status: 'missing', source: R033 },
  { receiver: 'Value', name: 'Clear', status: 'missing', source: R033 },
];

export function reflectStatus(receiver: ReflectReceiver, name: string, version: string): ReflectEntry | undefined {
  return REFLECT_TABLE.find((e) => e.receiver === receiver && e.name === name && inVersionRange(version, e.since, e.until));
}

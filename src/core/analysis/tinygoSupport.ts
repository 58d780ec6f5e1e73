/**
 * What TinyGo cannot run, keyed by TinyGo version. Every entry names its source so that a table row can be checked
 * and updated when a release changes it. Versions compare as semver; `since`/`until` bound the releases an entry
 * holds for (`until` exclusive). Keep every such table in this file.
 */

import { atLeast } from '../tinygo/version';

/**
 * The version token in `v` (`0.39.0`, `v0.34.0-dev-abc123`, `tinygo 0.33`), or undefined. Ordering is the toolchain's
 * (src/core/tinygo/version.ts): semver, so a `0.34.0-dev` build counts as older than 0.34.0 — it may lack what
 * 0.34.0 shipped, and a table entry `since: '0.34.0'` does not yet hold for it. An unreadable version counts as
 * older than every release.
 */
function versionToken(v: string): string | undefined {
  return /\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.+-]+)?/.exec(v)?.[0];
}

export function versionAtLeast(v: string, min: string): boolean {
  const t = versionToken(v);
  return t !== undefined && atLeast(t, min);
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

// ---------------------------------------------------------------------------------------------------------------
// Standard packages that do not build, or do not work, with TinyGo (rule unsupported-package).

export type TargetKind = 'baremetal' | 'wasm' | 'host';

export interface PackageEntry {
  path: string;
  /** The entry also covers every package below `path` (net/http covers net/http/httptest). */
  tree?: boolean;
  /** no-build: the import fails the build; panics: it builds, common uses panic at run time; limited: it builds but does not do its job on the target. */
  status: 'no-build' | 'panics' | 'limited';
  /** Target kinds the entry holds for; all when absent. */
  kinds?: readonly TargetKind[];
  since?: string;
  until?: string;
  /** What happens, quoted from the source where there is a message. */
  detail: string;
  source: string;
  /** Severity of a 'limited' entry's finding (default warning). */
  severity?: 'warning' | 'information';
  /**
   * No finding when the file imports one of these packages (or a package below one): it brings what the entry says
   * is missing (for net: a netdev driver, or the code that registers one).
   */
  unlessImports?: readonly string[];
}

/**
 * Packages that implement TinyGo's netdev (the `netdever` interface of tinygo-org/net, mirrored as
 * tinygo.org/x/drivers/netdev.Netdever) or register one (`netdev.UseNetdev`, go:linkname'd to `net.useNetdev`;
 * `netlink/probe.Probe()` does both for the board's network chip). Same API in the net of TinyGo 0.33 (a237059)
 * and 0.39 (983d88d).
 */
export const NETDEV_PACKAGES: readonly string[] = ['tinygo.org/x/drivers/netdev', 'tinygo.org/x/drivers/netlink', 'tinygo.org/x/drivers/wifinina',
  'tinygo.org/x/drivers/espat', 'tinygo.org/x/drivers/rtl8720dn'];
export const NETDEV_DOCS = 'https://github.com/tinygo-org/drivers/tree/release/netdev';

const STDLIB_2024_03 = 'tinygo.org docs reference/lang-support/stdlib, table as of 2024-03 (TinyGo 0.31, Go 1.20; shared/docs/tinygo-cli.md section 7)';
const STDLIB_2024_10 = 'tinygo-site content/docs/reference/lang-support/stdlib.md regenerated 2024-10 (Go 1.23)';

/** Checked with the real compiler (supportTable.real.test.ts), building for feather-nrf52840 on 2026-12-06. */
const REAL = (versions: string) => `real tinygo ${versions}, feather-nrf52840 (test/unit/analysis/supportTable.real.test.ts)`;

export const PACKAGE_TABLE: readonly PackageEntry[] = [
  { path: 'archive/tar', status: 'no-build', kinds: ['baremetal'], detail: 'undefined: syscall.Stat_t (archive/tar/stat_actime1.go)',
    source: `${REAL('0.33.0 and 0.39.0')}: both fail; ${STDLIB_2024_10} lists it importable (not on nRF52)` },
  { path: 'archive/tar', status: 'no-build', kinds: ['host', 'wasm'], until: '0.34.0', detail: 'it depends on os/user, which did not build',
    source: `${STDLIB_2024_03}: not importable; ${STDLIB_2024_10}: importable (host; not checkable on the test host)` },
  // os/user, expvar and time/tzdata build for feather-nrf52840 with 0.33.0 (the 2024-03 table's failures were
  // host builds, which the test host cannot check): kept for host targets only, from the table.
  { path: 'os/user', status: 'no-build', kinds: ['host'], until: '0.34.0', detail: 'not implemented: build constraints in #cgo line',
    source: `${STDLIB_2024_03}: not importable; ${STDLIB_2024_10}: importable; ${REAL('0.33.0 and 0.39.0')}: builds` },
  { path: 'go/importer', status: 'no-build', until: '0.34.0', detail: 'undefined: syscall.BytePtrFromString (internal/syscall/unix)',
    source: `${REAL('0.33.0')}: fails; ${REAL('0.39.0')}: builds; ${STDLIB_2024_10}: importable` },
  ...['crypto/ed25519', 'crypto/tls', 'crypto/x509'].map((path): PackageEntry => ({
    path, status: 'no-build', until: '0.32.0',
    detail: path === 'crypto/ed25519' ? 'ld.lld: error: undefined symbol … feSquare' : 'it depends on crypto/ed25519 (ld.lld: error: undefined symbol … feSquare)',
    source: `${STDLIB_2024_03}; fixed in TinyGo 0.32.0 (changelog: "fix ed25519 build errors by adjusting the alias names"); ${REAL('0.33.0')}: builds`,
  })),
  // net/http builds with TinyGo's own net (a237059 for 0.33.0, 983d88d for 0.39.0): like net, it needs a netdev.
  { path: 'net/http', status: 'limited', kinds: ['baremetal'], since: '0.31.0', severity: 'information', unlessImports: NETDEV_PACKAGES,
    detail: `net/http builds, but TinyGo's net sends every connection to the netdev driver the program registers (netdev.UseNetdev, or ` +
      `netlink/probe.Probe), e.g. an ESP32 co-processor over SPI or UART; until one is registered requests fail with "Netdev not set". See ${NETDEV_DOCS}`,
    source: `${REAL('0.33.0 and 0.39.0')}: http.Get builds (331 KB flash with 0.39.0; TinyGo's src/net submodule installed); earlier tables said not importable` },
  { path: 'net/rpc', tree: true, status: 'no-build', until: '0.39.0', detail: 'reflect.Method has no field or method IsExported (net/rpc/server.go)',
    source: `${REAL('0.33.0')}: fails; ${REAL('0.39.0')}: builds (releases in between not checked); ${STDLIB_2024_03} and ${STDLIB_2024_10}` },
  { path: 'net/smtp', status: 'no-build', detail: 'undefined: tls.Conn', source: `${REAL('0.33.0 and 0.39.0')}: fails; ${STDLIB_2024_03} and ${STDLIB_2024_10}` },
  { path: 'expvar', status: 'no-build', kinds: ['host'], detail: 'it depends on net/http',
    source: `${STDLIB_2024_03} and ${STDLIB_2024_10}; ${REAL('0.33.0 and 0.39.0')}: builds` },
  { path: 'debug/buildinfo', status: 'no-build', detail: 'undefined: debug.ParseBuildInfo', source: `${REAL('0.33.0 and 0.39.0')}: fails; ${STDLIB_2024_03} and ${STDLIB_2024_10}` },
  { path: 'plugin', status: 'no-build', detail: 'not implemented: build constraints in #cgo line', source: `${REAL('0.33.0 and 0.39.0')}: fails; ${STDLIB_2024_03} and ${STDLIB_2024_10}` },
  { path: 'time/tzdata', status: 'no-build', kinds: ['host'], detail: 'linker could not find symbol time.registerLoadFromEmbeddedTZData',
    source: `${STDLIB_2024_03} and ${STDLIB_2024_10}; ${REAL('0.33.0 and 0.39.0')}: builds` },
  { path: 'encoding/gob', status: 'panics', detail: 'panic: reflect: unimplemented: AssignableTo with interface',
    source: `${STDLIB_2024_03} and ${STDLIB_2024_10} (tests fail on reflect panics); reflect table above; ${REAL('0.33.0')}: builds` },
  ...['text/template', 'html/template'].map((path): PackageEntry => ({
    path, status: 'panics',
    detail: 'executing a template that reads a field ({{.Name}}) panics: unimplemented: (reflect.Value).MethodByName(), and one that calls a ' +
      'function ({{len .}}, {{index .M .K}}) panics: unimplemented: (reflect.Type).NumOut(); only {{.}} and plain text work',
    // The field case is what real templates hit first (text/template looks a method of that name up before the field).
    source: `${STDLIB_2024_03} and ${STDLIB_2024_10} (tests fail on reflect panics); reflect table above; ${REAL('0.33.0')}: builds; ` +
      'real tinygo 0.33.0 and 0.39.0 run on cortex-m-qemu (2026-12-07): {{.}} prints, {{.Name}} and {{len .}} panic with those messages',
  })),
  // The first entry that holds wins: on 0.33 os/exec does not even build for nRF52.
  { path: 'os/exec', status: 'no-build', kinds: ['baremetal'], until: '0.39.0', detail: 'undefined: syscall.BytePtrFromString (internal/syscall/unix)',
    source: `${REAL('0.33.0')}: fails; ${REAL('0.39.0')}: builds (releases in between not checked)` },
  { path: 'os/exec', status: 'limited', kinds: ['baremetal', 'wasm'], detail: 'there are no processes to start: Run/Start/Output return "operation not implemented"',
    source: `${STDLIB_2024_10} (os/exec and go/build tests: "fork/exec …: operation not implemented"); ${REAL('0.39.0')}: builds` },
  { path: 'net', status: 'limited', kinds: ['baremetal'], since: '0.31.0', severity: 'information', unlessImports: NETDEV_PACKAGES,
    detail: 'TinyGo\'s net sends every Dial and Listen to the netdev driver the program registers (netdev.UseNetdev, or netlink/probe.Probe), ' +
      'e.g. an ESP32 co-processor over SPI or UART (tinygo.org/x/drivers/wifinina, espat); until one is registered they return "Netdev not set". ' +
      `See ${NETDEV_DOCS}`,
    source: 'TinyGo 0.31 replaced net with tinygo-org/net (README: "modified to use netdev, TinyGo\'s network device driver interface"); ' +
      `src/net/netdev.go of 0.33.0 and 0.39.0: nopNetdev returns ErrNetdevNotSet ("Netdev not set") until useNetdev; ${REAL('0.33.0')}: builds` },
];

/**
 * The TinyGo releases the package table has been checked against with the real compiler
 * (test/unit/analysis/supportTable.real.test.ts builds a program per row for each of them). Add a release here
 * and the check runs for it too.
 */
export const CHECKED_VERSIONS: readonly string[] = ['0.33.0', '0.39.0'];

export function packageStatus(path: string, version: string, kind: TargetKind): PackageEntry | undefined {
  return PACKAGE_TABLE.find((e) => (e.path === path || (e.tree === true && path.startsWith(`${e.path}/`))) &&
    (!e.kinds || e.kinds.includes(kind)) && inVersionRange(version, e.since, e.until));
}

// ---------------------------------------------------------------------------------------------------------------
// recover(), SetFinalizer, runtime stubs, scheduler=none (rules unsupported-*).

export interface RecoverFacts { tinygoVersion: string; kind: TargetKind; goarch: string; target: string }

/** Xtensa boards (ESP32, ESP8266 and boards built on them); esp32c3/esp32c6 are RISC-V. */
const XTENSA_TARGET = /^(esp32(?!-?c\d)|esp8266|nodemcu|d1mini|m5stack|m5stamp|xiao-esp32s3|mch2022)/;

export const RECOVER_SOURCE = 'tinygo src/runtime/panic.go (supportsRecover(), runtimePanic) as of 0.33; shared/docs/analysis-background.md section 5';
/** TinyGo release that added recover() (setjmp/longjmp defer frames); before it, every panic aborted the program. */
export const RECOVER_SINCE = '0.28.0';

/**
 * Whether recover() can return a panic value: 'never' where TinyGo aborts on every panic, 'explicit' where only
 * values passed to panic() are recoverable (runtime errors such as index out of range or nil dereference abort).
 */
export function recoverSupport(t: RecoverFacts): { level: 'never' | 'explicit'; why: string; source: string } {
  if (!versionAtLeast(t.tinygoVersion, RECOVER_SINCE)) {
    return { level: 'never', why: `TinyGo before ${RECOVER_SINCE} does not implement recover`, source: `TinyGo ${RECOVER_SINCE} changelog (recover support)` };
  }
  if (t.kind === 'wasm' || t.goarch === 'wasm') return { level: 'never', why: 'recover is not supported on WebAssembly', source: RECOVER_SOURCE };
  if (t.goarch === 'riscv64') return { level: 'never', why: 'recover is not supported on riscv64', source: RECOVER_SOURCE };
  if (XTENSA_TARGET.test(t.target)) return { level: 'never', why: 'recover is not supported on Xtensa (ESP32/ESP8266)', source: RECOVER_SOURCE };
  return { level: 'explicit', why: 'runtime panics abort the program', source: RECOVER_SOURCE };
}

/** GCs whose runtime.SetFinalizer does nothing: none and leaking have no collector; conservative and precise are the block-based GC (gc_blocks.go). */
export const FINALIZER_NOOP_GCS: ReadonlySet<string> = new Set(['none', 'leaking', 'conservative', 'precise']);
export const FINALIZER_SOURCE = 'tinygo src/runtime/gc_none.go, gc_leaking.go, gc_blocks.go: SetFinalizer is a no-op (0.33; shared/docs/tinygo-cli.md section 7)';

export interface RuntimeStub { name: string; detail: string; /** Schedulers under which the stub does not apply. */ exceptSchedulers?: readonly string[]; source: string }

const STUB_SOURCE = 'tinygo src/runtime (0.33; shared/docs/tinygo-cli.md section 7); log output "???:0" in the stdlib table 2024-10';
export const RUNTIME_STUBS: readonly RuntimeStub[] = [
  { name: 'NumGoroutine', detail: 'always returns 1', exceptSchedulers: ['threads', 'cores'], source: STUB_SOURCE },
  { name: 'GOMAXPROCS', detail: 'always returns 1 and changes nothing (goroutines are cooperative and run on one core)', exceptSchedulers: ['threads', 'cores'], source: STUB_SOURCE },
  { name: 'Caller', detail: 'is a stub: it reports ok == false, so file and line are unknown (log.Lshortfile prints "???:0")', source: STUB_SOURCE },
  { name: 'Callers', detail: 'is a stub: it fills in no program counters and returns 0', source: STUB_SOURCE },
  { name: 'Stack', detail: 'is a stub: it writes no stack trace and returns 0', source: STUB_SOURCE },
];

export const NO_SCHEDULER_SOURCE = 'tinygo compiler (0.33): "attempted to start a goroutine without a scheduler" (shared/docs/tinygo-cli.md section 7)';

/** #cgo directive names TinyGo accepts (cgo/cgo.go); anything else is "invalid #cgo line: <name>". */
export const CGO_DIRECTIVES: ReadonlySet<string> = new Set(['CFLAGS', 'LDFLAGS']);
export const CGO_SOURCE = 'tinygo cgo/cgo.go (0.33; shared/docs/tinygo-cli.md section 7): only CFLAGS/LDFLAGS, no build constraints';

/**
 * The package table (tinygoSupport.ts PACKAGE_TABLE) checked against the real compiler: for every row and every
 * release in CHECKED_VERSIONS, a tiny program that imports and uses the package is built for feather-nrf52840 (and
 * for wasip1 where the row holds for wasm), and the table's verdict must match what tinygo did: "no-build" rows fail
 * to build, every other row (and a row outside its version range) builds.
 *
 * Needs a real tinygo per release with an nRF-complete TINYGOROOT (lib/nrfx, the generated src/device/nrf and
 * TinyGo's src/net: see shared/toolchain/README.md): TGW_TINYGO for the release it reports, or TGW_TINYGO_0_33_0
 * style variables for the others. A release without one is skipped with the reason printed.
 *
 * What the compiler did is cached per (the tinygo's `version` line, its TINYGOROOT, target, program text) under the
 * project cache, as a build cache would: a warm run re-judges the table in a second, and a new TinyGo release, a
 * changed program or another root is built for real again. TGW_SUPPORT_CHECK_FRESH=1 ignores the cache.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { CHECKED_VERSIONS, PACKAGE_TABLE, packageStatus, type TargetKind } from '../../../src/core/analysis/tinygoSupport';
import { runProcess } from '../../../src/core/process/exec';

/** A use of each package that the compiler cannot drop before type-checking and linking it. */
const PROGRAMS: Record<string, { imports: string[]; body: string }> = {
  'archive/tar': { imports: ['archive/tar', 'bytes'], body: '_, err := tar.NewReader(bytes.NewReader(nil)).Next()\n\tprintln(err != nil)' },
  'os/user': { imports: ['os/user'], body: 'u, err := user.Current()\n\tprintln(u != nil, err != nil)' },
  'go/importer': { imports: ['go/importer'], body: 'println(importer.Default() != nil)' },
  'crypto/ed25519': { imports: ['crypto/ed25519'], body: 'pub, _, err := ed25519.GenerateKey(nil)\n\tprintln(len(pub), err != nil)' },
  'crypto/tls': { imports: ['crypto/tls'], body: 'c, err := tls.Dial("tcp", "example.com:443", nil)\n\tprintln(c != nil, err != nil)' },
  'crypto/x509': { imports: ['crypto/x509'], body: 'c, err := x509.ParseCertificate(nil)\n\tprintln(c != nil, err != nil)' },
  'net/http': { imports: ['net/http'], body: 'r, err := http.Get("http://example.com/")\n\tprintln(r != nil, err != nil)' },
  'net/rpc': { imports: ['net/rpc'], body: 'c, err := rpc.Dial("tcp", "example.com:1234")\n\tprintln(c != nil, err != nil)' },
  'net/smtp': { imports: ['net/smtp'], body: 'c, err := smtp.Dial("example.com:25")\n\tprintln(c != nil, err != nil)' },
  'expvar': { imports: ['expvar'], body: 'expvar.NewInt("n").Add(1)' },
  'debug/buildinfo': { imports: ['debug/buildinfo'], body: 'i, err := buildinfo.ReadFile("x")\n\tprintln(i != nil, err != nil)' },
  'plugin': { imports: ['plugin'], body: 'p, err := plugin.Open("x.so")\n\tprintln(p != nil, err != nil)' },
  'time/tzdata': { imports: ['time', '_ time/tzdata'], body: 'l, err := time.LoadLocation("Europe/Paris")\n\tprintln(l != nil, err != nil)' },
  'encoding/gob': { imports: ['bytes', 'encoding/gob'], body: 'var b bytes.Buffer\n\tprintln(gob.NewEncoder(&b).Encode(1) != nil)' },
  'text/template': { imports: ['os', 'text/template'], body: 'println(template.Must(template.New("x").Parse("{{.}}")).Execute(os.Stdout, 1) != nil)' },
  'html/template': { imports: ['os', 'html/template'], body: 'println(template.Must(template.New("x").Parse("{{.}}")).Execute(os.Stdout, 1) != nil)' },
  'os/exec': { imports: ['os/exec'], body: 'println(exec.Command("ls").Run() != nil)' },
  'net': { imports: ['net'], body: 'c, err := net.Dial("tcp", "example.com:80")\n\tprintln(c != nil, err != nil)' },
};

const TARGET_OF: Record<Exclude<TargetKind, 'host'>, string> = { baremetal: 'feather-nrf52840', wasm: 'wasip1' };

function programText(p: { imports: string[]; body: string }): string {
  const imports = p.imports.map((i) => (i.startsWith('_ ') ? `\t_ "${i.slice(2)}"` : `\t"${i}"`)).join('\n');
  return `package main\n\nimport (\n${imports}\n)\n\nfunc main() {\n\t${p.body}\n}\n`;
}

/** The tinygo for `version`, or why there is none. */
async function toolchainFor(version: string): Promise<{ tinygo: string; key: string } | { skip: string }> {
  const specific = process.env[`TGW_TINYGO_${version.replace(/\./g, '_')}`];
  const candidates = [specific, process.env.TGW_TINYGO].filter((c): c is string => !!c);
  if (candidates.length === 0) return { skip: `no tinygo ${version}: set TGW_TINYGO or TGW_TINYGO_${version.replace(/\./g, '_')}` };
  for (const tinygo of candidates) {
    const v = await runProcess(tinygo, ['version'], { timeoutMs: 60_000 });
    if (!new RegExp(`\\b${version.replace(/\./g, '\\.')}\\b`).test(v.stdout)) continue;
    const r = await runProcess(tinygo, ['env', 'TINYGOROOT'], { timeoutMs: 60_000 });
    const root = r.stdout.trim();
    const missing = ['lib/nrfx/mdk/nrf52840.svd', 'src/device/nrf/nrf52840.go', 'src/net/net.go'].filter((f) => !fs.existsSync(path.join(root, f)));
    if (missing.length > 0) return { skip: `tinygo ${version} at ${tinygo}: TINYGOROOT ${root} is not nRF-complete (missing ${missing.join(', ')})` };
    // The root's nRF stamp (scripts/install-tinygo.sh) changes when its support files do.
    let stamp = '';
    try { stamp = fs.readFileSync(path.join(root, '..', '.nrf-stamp'), 'utf8'); } catch { /* a root completed by hand */ }
    return { tinygo, key: `${v.stdout.trim()}\0${root}\0${stamp}` };
  }
  return { skip: `no tinygo ${version} among ${candidates.join(', ')}` };
}

const CACHE_DIR = path.join(process.env.TGW_CACHE ?? path.join(os.homedir(), '.cache', 'tinygo-workbench'), 'support-check');

interface Outcome { built: boolean; said: string; inconclusive: boolean }

/** The real build's outcome, from the cache when this exact tinygo, root, target and program were built before. */
async function buildOutcome(tc: { tinygo: string; key: string }, target: string, text: string, mod: string, out: string): Promise<Outcome> {
  const key = createHash('sha256').update(`${tc.key}\0${target}\0${text}`).digest('hex');
  const file = path.join(CACHE_DIR, `${key}.json`);
  if (process.env.TGW_SUPPORT_CHECK_FRESH !== '1') {
    try { return JSON.parse(fs.readFileSync(file, 'utf8')) as Outcome; } catch { /* not built yet */ }
  }
  const r = await runProcess(tc.tinygo, ['build', `-target=${target}`, '-size=short', '-o', out, '.'], { cwd: mod, timeoutMs: 900_000 });
  const built = r.exitCode === 0 && fs.existsSync(out);
  const said = firstLine(`${r.stderr}\n${r.stdout}`, built);
  // Not a verdict on the package: the toolchain itself is incomplete (no wasi-libc for wasip1), or TinyGo's
  // interpreter gave up on package initialisation after its wall-clock limit (3 min; load-dependent). Not cached.
  const inconclusive = !built && (/could not find wasi-libc|failed to build .*lib\/wasi-libc|interp: running for more than/.test(`${r.stderr}\n${r.stdout}`));
  const outcome = { built, said, inconclusive };
  if (!inconclusive) {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(outcome));
    fs.renameSync(`${file}.tmp`, file);
  }
  return outcome;
}

/** What a build printed, as one line for the record: the first error line, or the size line of `-size=short`. */
function firstLine(out: string, built: boolean): string {
  const lines = out.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (built) return lines.find((l) => /^\d+\s+\d+\s+\d+\s*\|/.test(l)) ?? lines[0] ?? '';
  return (lines.find((l) => /error|undefined|not |cannot|panic/i.test(l)) ?? lines[0] ?? '').slice(0, 200);
}

for (const version of CHECKED_VERSIONS) {
  void test(`the package table agrees with the real tinygo ${version}`, { timeout: 3_600_000 }, async (t) => {
    const tc = await toolchainFor(version);
    if ('skip' in tc) { t.diagnostic(tc.skip); t.skip(tc.skip); return; }
    const rows = [...new Set(PACKAGE_TABLE.map((e) => e.path))];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tgw-support-${version}-`));
    try {
      for (const pkg of rows) {
        const program = PROGRAMS[pkg];
        await t.test(pkg, async () => {
          assert.ok(program, `no test program for the table row ${pkg}: add one to PROGRAMS`);
          // Every row is checked for nRF52 (a host-only row must then build there); wasm too where a row holds for it.
          const kinds = new Set<TargetKind>(['baremetal', ...PACKAGE_TABLE.filter((e) => e.path === pkg).flatMap((e): readonly TargetKind[] => e.kinds ?? [])]);
          const mod = path.join(dir, pkg.replace(/\//g, '_'));
          fs.mkdirSync(mod, { recursive: true });
          fs.writeFileSync(path.join(mod, 'go.mod'), 'module example.com/supportcheck\n\ngo 1.21\n');
          fs.writeFileSync(path.join(mod, 'main.go'), programText(program));
          const wrong: string[] = [];
          for (const kind of ['baremetal', 'wasm'] as const) {
            if (!kinds.has(kind)) continue;
            const target = TARGET_OF[kind];
            const out = path.join(mod, kind === 'wasm' ? 'out.wasm' : 'out.elf');
            const { built, said, inconclusive } = await buildOutcome(tc, target, programText(program), mod, out);
            if (inconclusive) { t.diagnostic(`${pkg} | ${version} | ${target} | inconclusive | ${said}`); continue; }
            const entry = packageStatus(pkg, version, kind);
            t.diagnostic(`${pkg} | ${version} | ${target} | ${built ? 'builds' : 'fails'} | ${said} | table: ${entry?.status ?? '(no finding)'}`);
            if (!built !== (entry?.status === 'no-build')) {
              wrong.push(`tinygo ${version} ${built ? 'builds' : 'does not build'} ${pkg} for ${target} (${said}), the table says ${entry?.status ?? 'nothing'}`);
            }
          }
          assert.deepEqual(wrong, []);
        });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

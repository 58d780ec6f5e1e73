import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExecFn, ExecResult } from '../../../src/core/process/exec';
import { runProcess } from '../../../src/core/process/exec';
import {
  analysisFactsFor, detectTinygo, goCompatMessage, goplsEnvFor, listTargets, NONE_LABEL, pickerModel, pushRecent, queryTargetInfo,
  TargetInfoCache, targetInfoCached, type ToolchainDeps,
} from '../../../src/core/tinygo/toolchain';
import { parseGoCompatError, parseVersionOutput } from '../../../src/core/tinygo/version';
import { fixture, FIXTURES } from './fixtures';

const REAL = path.resolve(FIXTURES, '../tinygo-real');
// The shared data file, copied into the fixtures so the test does not depend on where shared/ is.
const SHARED_INFO = path.join(FIXTURES, 'info-0.33-feather-nrf52840.json');

function real(version: string, name: string, stream: 'stdout' | 'stderr'): string {
  const f = path.join(REAL, version, `${name}.${stream}`);
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
}

function result(stdout: string, stderr = '', exitCode = 0): ExecResult {
  return { exitCode, stdout, stderr, timedOut: false, cancelled: false, durationMs: 1 };
}

/** A scripted tinygo: answers by argument list, records every call. */
function scripted(answers: Record<string, ExecResult>): ExecFn & { calls: string[] } {
  const calls: string[] = [];
  const fn = (async (_file: string, args: readonly string[]) => {
    const key = args.join(' ');
    calls.push(key);
    return answers[key] ?? result('', `unexpected call: tinygo ${key}`, 2);
  }) as ExecFn & { calls: string[] };
  fn.calls = calls;
  return fn;
}

function deps(exec: ExecFn, files = ['/usr/local/bin/tinygo']): ToolchainDeps {
  return { exec, env: { PATH: '/usr/local/bin' }, platform: 'linux', homedir: '/h', isExecutable: async (p) => files.includes(p) };
}

const GO_COMPAT_039 = 'requires go version 1.19 through 1.25, got go1.26\nTinyGo is a Go compiler for small places.\nversion: 0.39.0\nusage: tinygo <command> [arguments]\n';

void test('detect: a working 0.33 (real version and info output)', async () => {
  const exec = scripted({ version: result(real('0.33.0', 'version', 'stdout')), info: result(real('0.33.0', 'info-host-text', 'stdout')) });
  const r = await detectTinygo('', deps(exec));
  assert.equal(r.kind, 'ok');
  assert.ok(r.kind === 'ok');
  assert.equal(r.install.path, '/usr/local/bin/tinygo');
  assert.equal(r.install.source, 'PATH');
  assert.equal(r.install.version.version.raw, '0.33.0');
  assert.equal(r.install.version.goVersion, '1.23.12');
  assert.deepEqual(r.warnings, []);
});

void test('detect: the Go-compat error becomes ONE actionable message (install Go N, the PATH, the setting)', async () => {
  // `tinygo version` succeeds with any Go; `tinygo info` runs the check (real 0.39 behaviour with go1.26 on PATH).
  const exec = scripted({
    version: result('tinygo version 0.39.0 linux/amd64 (using go version go1.26.8 and LLVM version 19.1.7)\n'),
    info: result('', GO_COMPAT_039, 1),
  });
  const r = await detectTinygo(undefined, deps(exec));
  assert.equal(r.kind, 'broken');
  assert.ok(r.kind === 'broken');
  assert.equal(r.message.split('\n').length, 1);
  assert.match(r.message, /^TinyGo 0\.39\.0 \(\/usr\/local\/bin\/tinygo\) needs Go 1\.19 through 1\.25, but the "go" on PATH is go1\.26\./);
  assert.match(r.message, /Install Go 1\.25/);
  assert.match(r.message, /upgrade TinyGo to a release that supports Go 1\.26/);
  assert.match(r.message, /"tinygo\.path"/);
  // The message of the doc's sample (older Go than required is the other direction).
  const older = goCompatMessage(parseGoCompatError(fixture('go-compat-error.txt'))!, '/t');
  assert.match(older, /needs Go 1\.19 through 1\.23, but the "go" on PATH is go1\.24/);
  const tooOld = goCompatMessage({ min: '1.19', max: '1.23', got: '1.18.2' }, '/t');
  assert.match(tooOld, /use a TinyGo release that supports Go 1\.18/);
});

void test('detect: missing says how to install and names the setting; a broken binary is "broken"', async () => {
  const r = await detectTinygo('', { ...deps(scripted({}), []), platform: 'darwin' });
  assert.equal(r.kind, 'missing');
  assert.ok(r.kind === 'missing');
  assert.match(r.message, /brew install tinygo/);
  assert.match(r.message, /"tinygo\.path"/);
  assert.ok(r.searched.includes('/opt/homebrew/bin/tinygo'));
  const bad = await detectTinygo('/usr/local/bin/tinygo', deps(async () => ({ ...result(''), exitCode: undefined, spawnError: 'EACCES' })));
  assert.equal(bad.kind, 'broken');
  const notTinygo = await detectTinygo('', deps(scripted({ version: result('go version go1.22 linux/amd64'), info: result('') })));
  assert.equal(notTinygo.kind, 'broken');
});

void test('targets: real 0.33 and 0.39 lists, mixins dropped', async () => {
  for (const v of ['0.33.0', '0.39.0']) {
    const r = await listTargets('/t', { exec: scripted({ targets: result(real(v, 'targets', 'stdout')) }) });
    assert.equal(r.error, undefined);
    assert.ok(r.targets.includes('feather-nrf52840'));
    assert.ok(!r.targets.includes('nrf52840-s140v6-uf2'), `${v}: mixin listed`);
  }
  const broken = await listTargets('/t', { exec: scripted({ targets: result('', GO_COMPAT_039, 1) }) });
  assert.match(broken.error ?? '', /needs Go 1\.19 through 1\.25/);
});

void test('info: -json on the shared 0.33 sample and real 0.39 output; text fallback for old releases and bad JSON', async () => {
  const v033 = parseVersionOutput(fixture('version-0.33.txt'));
  assert.ok(v033.ok);
  const json = await queryTargetInfo('/t', v033.info, 'feather-nrf52840',
    { exec: scripted({ 'info -json -target=feather-nrf52840': result(fs.readFileSync(SHARED_INFO, 'utf8')) }) });
  assert.equal(json.format, 'json');
  assert.equal(json.info?.target?.msdVolumeNames[0], 'FTHR840BOOT');
  const j039 = await queryTargetInfo('/t', v033.info, 'feather-nrf52840',
    { exec: scripted({ 'info -json -target=feather-nrf52840': result(real('0.39.0', 'info-feather-nrf52840-json', 'stdout')) }) });
  assert.equal(j039.info?.goarm, '6');
  assert.ok(j039.info?.buildTags.includes('tinygo.unicore'));
  // 0.21 and older: no -json flag at all, so it goes straight to the text form.
  const old = parseVersionOutput('tinygo version 0.21.0 linux/amd64 (using go version go1.17 and LLVM version 11.0.0)');
  assert.ok(old.ok);
  const exec = scripted({ 'info -target=feather-nrf52840': result(real('0.33.0', 'info-feather-nrf52840-text', 'stdout')) });
  const text = await queryTargetInfo('/t', old.info, 'feather-nrf52840', { exec });
  assert.deepEqual(exec.calls, ['info -target=feather-nrf52840']);
  assert.equal(text.format, 'text');
  assert.match(text.info?.goroot ?? '', /goroot-971cc7f6/);
  // A release that rejects -json (flag error) or prints something unreadable falls back too.
  const rejects = scripted({
    'info -json -target=x': result('', 'flag provided but not defined: -json\nusage: …', 1),
    'info -target=x': result(real('0.33.0', 'info-feather-nrf52840-text', 'stdout')),
  });
  assert.equal((await queryTargetInfo('/t', undefined, 'x', { exec: rejects })).format, 'text');
  const garbage = scripted({ 'info -json -target=x': result('{"goroot": 1}'), 'info -target=x': result(real('0.33.0', 'info-feather-nrf52840-text', 'stdout')) });
  assert.equal((await queryTargetInfo('/t', undefined, 'x', { exec: garbage })).format, 'text');
});

void test('info: unknown target (real 0.33 stderr) and the Go-compat error are explained', async () => {
  const v = parseVersionOutput(fixture('version-0.33.txt'));
  assert.ok(v.ok);
  const unknown = await queryTargetInfo('/t', v.info, 'no-such-board',
    { exec: scripted({ 'info -json -target=no-such-board': result('', real('0.33.0', 'info-bogus-target', 'stderr'), 1) }) });
  assert.equal(unknown.error, 'TinyGo 0.33.0 does not know the target "no-such-board" (see "tinygo targets").');
  const compat = await queryTargetInfo('/t', v.info, 'pca10040', { exec: scripted({ 'info -json -target=pca10040': result('', GO_COMPAT_039, 1) }) });
  assert.match(compat.error ?? '', /needs Go 1\.19 through 1\.25/);
});

void test('cache: keyed by (version, target); an entry whose cached GOROOT vanished is dropped and re-queried', async () => {
  const store = new Map<string, unknown>();
  const kv = { get: <T>(k: string) => store.get(k) as T | undefined, update: (k: string, v: unknown) => { store.set(k, v); } };
  const goroot = fs.mkdtempSync(path.join(os.tmpdir(), 'goroot-'));
  const info = JSON.parse(fs.readFileSync(SHARED_INFO, 'utf8')) as Record<string, unknown>;
  info.goroot = goroot;
  const v = parseVersionOutput(fixture('version-0.33.txt'));
  assert.ok(v.ok);
  const exec = scripted({ 'info -json -target=feather-nrf52840': result(JSON.stringify(info)) });
  const exists = async (p: string) => fs.existsSync(p);
  const cache = new TargetInfoCache(kv, exists);
  const first = await targetInfoCached(cache, '/t', v.info, 'feather-nrf52840', { exec });
  assert.equal(first.cached, false);
  const second = await targetInfoCached(cache, '/t', v.info, 'feather-nrf52840', { exec });
  assert.equal(second.cached, true);
  assert.equal(exec.calls.length, 1, 'the second lookup ran tinygo');
  // Another TinyGo version is another key.
  assert.equal(await cache.get('0.34.0', 'feather-nrf52840'), undefined);
  // `tinygo clean` removes the cached GOROOT: the entry must not be handed to gopls again.
  fs.rmSync(goroot, { recursive: true });
  assert.equal(await new TargetInfoCache(kv, exists).get('0.33.0', 'feather-nrf52840'), undefined);
  assert.equal(new TargetInfoCache(kv, exists).peek('0.33.0', 'feather-nrf52840'), undefined, 'the stale entry was not removed');
  const third = await targetInfoCached(cache, '/t', v.info, 'feather-nrf52840', { exec });
  assert.equal(third.cached, false);
  assert.equal(exec.calls.length, 2);
});

void test('gopls environment of the 0.33 feather: GOROOT, GOOS, GOARCH, GOFLAGS=-tags=..., user GOFLAGS kept', async () => {
  const r = await queryTargetInfo('/t', undefined, 'feather-nrf52840', { exec: scripted({ 'info -json -target=feather-nrf52840': result(fs.readFileSync(SHARED_INFO, 'utf8')) }) });
  assert.ok(r.info);
  const env = goplsEnvFor(r.info, '-mod=mod');
  assert.equal(env.env.GOROOT, '/home/user/.cache/tinygo/goroot-<hash>');
  assert.equal(env.env.GOOS, 'linux');
  assert.equal(env.env.GOARCH, 'arm');
  assert.equal(env.env.GOARM, undefined);
  assert.match(env.env.GOFLAGS, /^-tags=cortexm,baremetal,linux,arm,nrf52840,.*serial\.usb -mod=mod$/);
  assert.deepEqual(env.buildFlags, [`-tags=${r.info.buildTags.join(',')}`]);
  const facts = analysisFactsFor('feather-nrf52840', r.info);
  assert.equal(facts.kind, 'baremetal');
  assert.equal(facts.gc, 'conservative');
  assert.equal(facts.pointerSize, 4);
});

void test('picker: nRF52 boards first under a heading, recent first, None (plain Go) last, current marked', async () => {
  const targets = (await listTargets('/t', { exec: scripted({ targets: result(real('0.33.0', 'targets', 'stdout')) }) })).targets;
  const m = pickerModel(targets, { recent: ['pico', 'xiao-ble'], current: 'xiao-ble' });
  assert.deepEqual(m[0], { kind: 'separator', label: 'nRF52 boards' });
  assert.equal(m[1].kind === 'target' && m[1].name, 'xiao-ble');
  assert.ok(m[1].kind === 'target' && m[1].current && m[1].recent);
  assert.match(m[1].kind === 'target' ? m[1].description : '', /^nRF52840 · 1024 KB flash, 256 KB RAM$/);
  const other = m.findIndex((e) => e.kind === 'separator' && e.label === 'Other targets');
  assert.ok(other > 1);
  assert.ok(m.slice(1, other).every((e) => e.kind === 'target' && e.nrf52));
  assert.equal(m[other + 1].kind === 'target' && m[other + 1].kind === 'target' ? (m[other + 1] as { name: string }).name : '', 'pico');
  assert.deepEqual(m[m.length - 1], { kind: 'none', label: NONE_LABEL, description: 'host Go: no TinyGo target, gopls sees the code as plain Go', current: false });
  const only = pickerModel(targets, { nrf52Only: true });
  assert.ok(only.every((e) => e.kind !== 'target' || e.nrf52));
  assert.ok(!only.some((e) => e.kind === 'separator' && e.label === 'Other targets'));
  // With the cached spec the description names the flash method.
  const spec = (await queryTargetInfo('/t', undefined, 'feather-nrf52840', { exec: scripted({ 'info -json -target=feather-nrf52840': result(fs.readFileSync(SHARED_INFO, 'utf8')) }) })).info?.target;
  const known = pickerModel(['feather-nrf52840'], { known: () => ({ spec, memory: { flash: 796 * 1024, ram: 239.6 * 1024 } }) });
  assert.equal(known[1].kind === 'target' && known[1].description, 'nRF52840 · UF2 drive FTHR840BOOT · 796 KB flash, 239.6 KB RAM');
  // known() may resolve a target file: it is asked once per target, not once for the order and again for the line.
  const asked: string[] = [];
  pickerModel(targets, { known: (n) => { asked.push(n); return undefined; } });
  assert.deepEqual(asked, targets);
  assert.deepEqual(pushRecent(['a', 'b', 'c'], 'b'), ['b', 'a', 'c']);
});

// The real tinygo when there is one (TGW_TINYGO): its answers go through the same functions.
void test('real tinygo (TGW_TINYGO), when set', { skip: !process.env.TGW_TINYGO && 'TGW_TINYGO is not set' }, async () => {
  const tinygo = process.env.TGW_TINYGO!;
  const d: ToolchainDeps = { exec: runProcess, env: process.env, platform: process.platform, homedir: os.homedir(), isExecutable: async (p) => fs.existsSync(p) };
  const r = await detectTinygo(tinygo, d);
  if (r.kind === 'broken') {
    // Seen here with 0.39 and go1.26 on PATH: the message must be the actionable one.
    assert.match(r.message, /needs Go \d+\.\d+ through \d+\.\d+, but the "go" on PATH is go/);
    console.log(`real tinygo is broken on this machine: ${r.message}`);
    return;
  }
  assert.equal(r.kind, 'ok');
  assert.ok(r.kind === 'ok');
  const t = await listTargets(tinygo, d);
  assert.ok(t.targets.includes('feather-nrf52840'));
  const info = await queryTargetInfo(tinygo, r.install.version, 'feather-nrf52840', d);
  assert.ok(info.info?.buildTags.includes('nrf52840'), info.error);
  assert.ok(fs.existsSync(info.info?.goroot ?? ''));
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { main } from '../../../src/cli';
import { assetsFromSource } from '../../../src/core/analysis';
import type { ExecFn } from '../../../src/core/process/exec';
import { REPO_ROOT } from './harness';

const REAL = path.join(REPO_ROOT, 'test', 'fixtures', 'tinygo-real', '0.39.0');
const real = (name: string) => fs.readFileSync(path.join(REAL, name), 'utf8');

/** tinygo as the CLI runs it, answering from real 0.39.0 captures; records the calls. */
function scriptedTinygo(calls: string[][]): ExecFn {
  return (file, args) => {
    calls.push([file, ...args]);
    const ok = (stdout: string) => Promise.resolve({ exitCode: 0, stdout, stderr: '', timedOut: false, cancelled: false, durationMs: 1 });
    if (args[0] === 'version') return ok(real('version.stdout'));
    if (args[0] === 'info' && args.includes('-json') && args.includes('-target=feather-nrf52840')) return ok(real('info-feather-nrf52840-json.stdout'));
    return Promise.resolve({ exitCode: 1, stdout: '', stderr: 'unexpected call', timedOut: false, cancelled: false, durationMs: 1 });
  };
}

const noTinygo: ExecFn = () => Promise.resolve({ exitCode: undefined, stdout: '', stderr: '', timedOut: false, cancelled: false, durationMs: 0,
  spawnError: 'spawn tinygo ENOENT' });

function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-cli-'));
  const reflect = 'package app\n\nimport "reflect"\n\nfunc Call(v any, name string) { reflect.ValueOf(v).MethodByName(name).Call(nil) }\n';
  fs.writeFileSync(path.join(dir, 'host.go'), `//go:build !tinygo\n\n${reflect}`);
  fs.writeFileSync(path.join(dir, 'fast_amd64.go'), reflect);
  fs.writeFileSync(path.join(dir, 'board.go'), reflect);
  return dir;
}

async function run(argv: string[], exec: ExecFn): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => { out += s + '\n'; }, err: (s) => { err += s + '\n'; } }, assetsFromSource(REPO_ROOT), exec);
  return { code, out, err };
}

void test('check --target asks tinygo for the build context and skips the files the target does not compile', async () => {
  const dir = project();
  try {
    const calls: string[][] = [];
    const r = await run(['check', '--target', 'feather-nrf52840', '--tinygo', '/opt/tinygo/bin/tinygo', dir], scriptedTinygo(calls));
    assert.deepEqual(calls.map((c) => c.slice(0, 2)), [['/opt/tinygo/bin/tinygo', 'version'], ['/opt/tinygo/bin/tinygo', 'info']]);
    assert.match(r.out, /board\.go:5:.*MethodByName/);
    assert.doesNotMatch(r.out, /host\.go|fast_amd64\.go/);
    assert.match(r.err, /host\.go: excluded: not compiled for feather-nrf52840 \(reason: \/\/go:build !tinygo\)/);
    assert.match(r.err, /fast_amd64\.go: excluded: not compiled for feather-nrf52840 \(reason: file name suffix _amd64/);
    assert.match(r.err, /3 files \(2 not compiled for feather-nrf52840\)/);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

void test('check --goos/--goarch/--tags gives the context without tinygo', async () => {
  const dir = project();
  try {
    const r = await run(['check', '--goos', 'linux', '--goarch', 'amd64', '--tags', 'tinygo,baremetal', dir], noTinygo);
    assert.match(r.out, /board\.go/);
    assert.match(r.out, /fast_amd64\.go/, 'amd64 is the context\'s GOARCH');
    assert.match(r.err, /host\.go: excluded: not compiled for linux\/amd64 \(reason: \/\/go:build !tinygo\)/);
    const bad = await run(['check', '--goos', 'linux', dir], noTinygo);
    assert.equal(bad.code, 2);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

void test('check --target without a working tinygo analyses every file and says the constraints were not evaluated', async () => {
  const dir = project();
  try {
    const r = await run(['check', '--target', 'feather-nrf52840', dir], noTinygo);
    assert.match(r.err, /build constraints not evaluated: could not run "tinygo version" \(spawn tinygo ENOENT\)/);
    for (const f of ['board.go', 'host.go', 'fast_amd64.go']) assert.match(r.out, new RegExp(f.replace('.', '\\.')));
    assert.match(r.err, /^3 files, \d+ findings/m);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheDirFromEnv, hasChipLibraries, isFirstBuildForChip } from '../../../src/core/build/firstBuild';
import type { ExecFn } from '../../../src/core/process/exec';

// `tinygo env` of tinygo 0.39.0 on this project's test host (real output).
const ENV_039 = `GOOS="linux"
GOARCH="amd64"
GOROOT="/root/go/pkg/mod/golang.org/toolchain@v0.0.1-go1.25.5.linux-amd64"
GOPATH="/root/go"
GOCACHE="/root/.cache/tinygo-workbench/tinygo-0.39.0/xdg-cache/tinygo"
CGO_ENABLED="1"
TINYGOROOT="/root/.cache/tinygo-workbench/tinygo-0.39.0/root"
`;
const NRF52840 = { llvmTarget: 'thumbv7em-unknown-unknown-eabi', cpu: 'cortex-m4' };
// Names from real 0.39 and 0.33 caches after building for nRF51 (cortex-m0) and nRF52840 (cortex-m4).
const WARM = ['compiler-rt-thumbv6m-unknown-unknown-eabi-cortex-m0', 'compiler-rt-thumbv7em-unknown-unknown-eabi-cortex-m4', 'picolibc-thumbv7em-unknown-unknown-eabi-cortex-m4', 'obj-000405644cbb30a3858524e818ca697c4fadde7f60fcbbdff4354e61.bc'];

void test('the cache directory is read from real tinygo env output; missing, empty or CRLF lines are handled', () => {
  assert.equal(cacheDirFromEnv(ENV_039), '/root/.cache/tinygo-workbench/tinygo-0.39.0/xdg-cache/tinygo');
  assert.equal(cacheDirFromEnv(ENV_039.replace(/\n/g, '\r\n')), '/root/.cache/tinygo-workbench/tinygo-0.39.0/xdg-cache/tinygo');
  assert.equal(cacheDirFromEnv('GOOS="linux"\nTINYGOROOT="/x"\n'), undefined);
  assert.equal(cacheDirFromEnv('GOCACHE=""\n'), undefined);
  assert.equal(cacheDirFromEnv('\u0000garbage GOCACHE=/nope\n'), undefined);
});

void test('a chip is warm only when the cache holds its own compiler-rt (another CPU or a lock file does not count)', () => {
  assert.equal(hasChipLibraries(WARM, NRF52840.llvmTarget, NRF52840.cpu), true);
  assert.equal(hasChipLibraries(WARM.filter((e) => !e.includes('cortex-m4')), NRF52840.llvmTarget, NRF52840.cpu), false);
  assert.equal(hasChipLibraries(['compiler-rt-thumbv7em-unknown-unknown-eabi-cortex-m4.lock'], NRF52840.llvmTarget, NRF52840.cpu), false);
  assert.equal(hasChipLibraries(['compiler-rt-wasm32-unknown-wasi-generic'], 'wasm32-unknown-wasi', undefined), true);
});

void test('first build for a chip: an empty or missing cache says yes, a warm one no, an unknown cache or chip says nothing', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-first-'));
  try {
    let asked = 0;
    const exec = (out: string, code = 0): ExecFn => async () => { asked++; return { exitCode: code, stdout: out, stderr: '', timedOut: false, cancelled: false } as never; };
    const env = `GOCACHE="${dir}"\nTINYGOROOT="/x"\n`;
    assert.equal(await isFirstBuildForChip(exec(env), '/t/a', NRF52840), true, 'empty cache');
    fs.mkdirSync(path.join(dir, 'compiler-rt-thumbv7em-unknown-unknown-eabi-cortex-m4'));
    assert.equal(await isFirstBuildForChip(exec(env), '/t/a', NRF52840), false, 'warm cache');
    assert.equal(await isFirstBuildForChip(exec(env), '/t/a', { llvmTarget: 'thumbv6m-unknown-unknown-eabi', cpu: 'cortex-m0' }), true, 'another chip');
    assert.equal(asked, 1, '`tinygo env` is asked once per tinygo');
    assert.equal(await isFirstBuildForChip(exec(`GOCACHE="${path.join(dir, 'missing')}"\n`), '/t/b', NRF52840), true, 'no cache at all');
    assert.equal(await isFirstBuildForChip(exec('TINYGOROOT="/x"\n'), '/t/c', NRF52840), false, 'no GOCACHE line');
    assert.equal(await isFirstBuildForChip(exec('', 1), '/t/d', NRF52840), false, 'tinygo env failed');
    assert.equal(await isFirstBuildForChip(exec(env), '/t/a', undefined), false, 'no chip known');
    assert.equal(await isFirstBuildForChip(exec(env), '/t/a', NRF52840, () => { throw Object.assign(new Error('denied'), { code: 'EACCES' }); }), false, 'unreadable cache');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

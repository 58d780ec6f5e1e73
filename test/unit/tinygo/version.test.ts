import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atLeast, compareVersions, parseGoCompatError, parseVersion, parseVersionOutput } from '../../../src/core/tinygo/version';
import { fixture } from './fixtures';

void test('parses a release version line', () => {
  const r = parseVersionOutput(fixture('version-0.33.txt'));
  assert.ok(r.ok);
  assert.deepEqual(r.info.version, { major: 0, minor: 33, patch: 0, prerelease: '', raw: '0.33.0' });
  assert.equal(r.info.os, 'linux');
  assert.equal(r.info.arch, 'amd64');
  assert.equal(r.info.goVersion, '1.23.0');
  assert.equal(r.info.llvmVersion, '18.1.2');
});

void test('parses a dev build version line', () => {
  const r = parseVersionOutput(fixture('version-dev.txt'));
  assert.ok(r.ok);
  assert.equal(r.info.version.minor, 34);
  assert.equal(r.info.version.prerelease, 'dev-abc123');
  assert.equal(r.info.arch, 'arm64');
});

void test('a bare version line without the using-part still parses', () => {
  const r = parseVersionOutput('warning: something\ntinygo version 0.30.0 windows/amd64\n');
  assert.ok(r.ok);
  assert.equal(r.info.version.minor, 30);
  assert.equal(r.info.os, 'windows');
  assert.equal(r.info.goVersion, undefined);
});

void test('bad version output is an error, not a throw', () => {
  for (const input of ['', 'garbage\n', 'tinygo version abc linux/amd64', '\u0000\u0001', 'x'.repeat(100000)]) {
    const r = parseVersionOutput(input);
    assert.equal(r.ok, false, input.slice(0, 40));
    if (!r.ok) {
      assert.ok(r.error.length > 0 && r.error.length < 300);
    }
  }
});

void test('compareVersions orders numerically and puts dev builds before the release', () => {
  assert.equal(compareVersions('0.33.0', '0.33.0'), 0);
  assert.equal(compareVersions('0.9.0', '0.10.0'), -1);
  assert.equal(compareVersions('0.33.1', '0.33.0'), 1);
  assert.equal(compareVersions('1.0.0', '0.40.0'), 1);
  assert.equal(compareVersions('0.34.0-dev-abc', '0.34.0'), -1);
  assert.equal(compareVersions('0.34.0-dev-abc', '0.33.0'), 1);
  assert.equal(compareVersions('v0.33', '0.33.0'), 0);
  assert.equal(compareVersions('junk', '0.1.0'), -1);
});

void test('atLeast', () => {
  assert.equal(atLeast('0.33.0', '0.33.0'), true);
  assert.equal(atLeast('0.32.9', '0.33.0'), false);
  assert.equal(atLeast('0.38.0', '0.33.0'), true);
  assert.equal(atLeast('0.33.0-dev', '0.33.0'), false);
  assert.equal(atLeast('nonsense', '0.0.0'), false);
  const v = parseVersion('0.35.0');
  assert.ok(v);
  assert.equal(atLeast(v, '0.35.0'), true);
});

void test('parses the Go compatibility error from stderr with usage text after it', () => {
  assert.deepEqual(parseGoCompatError(fixture('go-compat-error.txt')), { min: '1.19', max: '1.23', got: '1.24' });
  assert.deepEqual(parseGoCompatError('requires go version 1.19 through 1.25, got go1.26.1'), { min: '1.19', max: '1.25', got: '1.26.1' });
  assert.equal(parseGoCompatError('requires go version'), undefined);
  assert.equal(parseGoCompatError(''), undefined);
});

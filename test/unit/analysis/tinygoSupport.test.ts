import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { inVersionRange, packageStatus, reflectStatus, versionAtLeast } from '../../../src/core/analysis/tinygoSupport';

void test('table versions order as the toolchain orders them: a dev build is older than its release', () => {
  assert.equal(versionAtLeast('0.39.0', '0.34.0'), true);
  assert.equal(versionAtLeast('0.34.0', '0.34.0'), true);
  assert.equal(versionAtLeast('0.34.0-dev-abc123', '0.34.0'), false);
  assert.equal(versionAtLeast('0.34.0-dev-abc123', '0.33.0'), true);
  assert.equal(versionAtLeast('v0.33', '0.33.0'), true);
  assert.equal(versionAtLeast('tinygo 0.33.1', '0.34.0'), false);
  assert.equal(versionAtLeast('0.4.0', '0.34.0'), false, 'numbers, not strings');
});

void test('an unreadable version counts as older than every release', () => {
  assert.equal(versionAtLeast('', '0.1.0'), false);
  assert.equal(versionAtLeast('latest', '0.1.0'), false);
  assert.equal(inVersionRange('latest', undefined, '0.31.0'), true);
  assert.equal(inVersionRange('latest', '0.31.0'), false);
});

void test('the tables follow that order at their edges (until exclusive, since inclusive)', () => {
  // os/user did not build on hosts until 0.34.0: a 0.34.0 dev build still gets the finding, the release does not.
  assert.equal(packageStatus('os/user', '0.33.0', 'host')?.status, 'no-build');
  assert.equal(packageStatus('os/user', '0.34.0-dev', 'host')?.status, 'no-build');
  assert.equal(packageStatus('os/user', '0.34.0', 'host'), undefined);
  // os/exec does not build for nRF52 with 0.33.0 (real compiler) and builds with 0.39.0, where running a process fails.
  assert.equal(packageStatus('os/exec', '0.33.0', 'baremetal')?.status, 'no-build');
  assert.equal(packageStatus('os/exec', '0.39.0', 'baremetal')?.status, 'limited');
  // CallSlice was missing before 0.31.0 and is a stub that panics from 0.31.0 on.
  assert.equal(reflectStatus('Value', 'CallSlice', '0.30.0')?.status, 'missing');
  assert.equal(reflectStatus('Value', 'CallSlice', '0.31.0-dev')?.status, 'missing');
  assert.equal(reflectStatus('Value', 'CallSlice', '0.31.0')?.status, 'unimplemented');
});

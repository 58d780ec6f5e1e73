import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { isUnderRoots } from '../../../src/core/gopls/toolchainFiles';

const ROOTS = ['/opt/tinygo', '/home/u/.cache/tinygo/goroot-3f2a'];

void test('files inside TINYGOROOT or the merged GOROOT are TinyGo\'s own', () => {
  assert.equal(isUnderRoots('/opt/tinygo/src/machine/machine_nrf.go', ROOTS, path.posix), true);
  assert.equal(isUnderRoots('/home/u/.cache/tinygo/goroot-3f2a/src/device/arm/arm.go', ROOTS, path.posix), true);
});

void test('the user\'s files, a root itself, and siblings whose name starts like a root are not', () => {
  assert.equal(isUnderRoots('/home/u/blinky/main.go', ROOTS, path.posix), false);
  assert.equal(isUnderRoots('/opt/tinygo', ROOTS, path.posix), false);
  assert.equal(isUnderRoots('/opt/tinygo-projects/main.go', ROOTS, path.posix), false);
  assert.equal(isUnderRoots('/home/u/.cache/tinygo/goroot-3f2a-old/src/x.go', ROOTS, path.posix), false);
});

void test('no roots known (tinygo not found yet), or empty ones: nothing is hidden', () => {
  assert.equal(isUnderRoots('/opt/tinygo/src/machine/machine_nrf.go', [], path.posix), false);
  assert.equal(isUnderRoots('/opt/tinygo/src/machine/machine_nrf.go', [''], path.posix), false);
});

void test('Windows paths compare with the Windows rules', () => {
  assert.equal(isUnderRoots('C:\\tinygo\\src\\machine\\board.go', ['C:\\tinygo'], path.win32), true);
  assert.equal(isUnderRoots('D:\\work\\main.go', ['C:\\tinygo'], path.win32), false);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { runSerialBench } from '../../../tools/bench/monitor';
import type { ExecFn } from '../../../src/core/monitor/serialMonitor';

const exec: ExecFn = (file, args) =>
  new Promise((resolve) => {
    execFile(file, [...args], (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout: String(stdout), stderr: String(stderr) }));
  });
const hasSocat = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;

void test('the serial benchmark measures throughput, round trips and reconnect time', { skip: hasSocat ? false : 'socat is not installed' }, async () => {
  const r = await runSerialBench({ spawn, exec, bytes: 64 * 1024, pings: 20, reenumerateAfterMs: 50, pollIntervalMs: 5 });
  assert.equal(r.skipped, undefined);
  assert.equal(r.throughput?.bytes, 64 * 1024);
  assert.ok(r.throughput!.bytesPerSecond > 0);
  assert.equal(r.latency?.samples, 20);
  assert.ok(r.latency!.p50Ms <= r.latency!.p95Ms && r.latency!.p95Ms <= r.latency!.maxMs);
  // The board is found no earlier than it comes back, and within a few polls after.
  assert.ok(r.reconnect.foundAfterMs >= 50, `found after ${r.reconnect.foundAfterMs} ms`);
  assert.ok(r.reconnect.overheadMs < 2000);
  assert.ok(r.reconnect.polls >= 2);
});

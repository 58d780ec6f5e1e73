import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuildQueue } from '../../../src/core/build';

/** A job that runs until aborted (or `ms`), recording when it started and ended. */
function job(log: string[], name: string, ms = 10_000) {
  return (signal: AbortSignal) => new Promise<string>((resolve) => {
    log.push(`start ${name}`);
    const t = setTimeout(() => { log.push(`end ${name}`); resolve(`${name} done`); }, ms);
    signal.addEventListener('abort', () => {
      // The process tree takes a moment to die: the next build must wait for it.
      setTimeout(() => { clearTimeout(t); log.push(`end ${name}`); resolve(`${name} cancelled`); }, 30);
    });
  });
}

void test('a second request cancels the running build and starts only after it has ended', async () => {
  const q = new BuildQueue();
  const log: string[] = [];
  const first = q.run('f', job(log, 'a'));
  await new Promise((r) => setTimeout(r, 10));
  assert.ok(q.busy('f'));
  const second = q.run('f', job(log, 'b', 20));
  assert.deepEqual(await first, { ran: true, value: 'a cancelled' });
  assert.deepEqual(await second, { ran: true, value: 'b done' });
  assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b']);
  assert.equal(q.busy('f'), false);
});

void test('a request still waiting is dropped when a newer one arrives', async () => {
  const q = new BuildQueue();
  const log: string[] = [];
  const a = q.run('f', job(log, 'a'));
  await new Promise((r) => setTimeout(r, 5));
  const b = q.run('f', job(log, 'b'));
  const c = q.run('f', job(log, 'c', 10));
  assert.deepEqual(await b, { ran: false });
  assert.equal((await a).value, 'a cancelled');
  assert.equal((await c).value, 'c done');
  assert.ok(!log.includes('start b'));
});

void test('different folders build side by side; cancel() stops everything and resolves when ended', async () => {
  const q = new BuildQueue();
  const log: string[] = [];
  const a = q.run('one', job(log, 'a'));
  const b = q.run('two', job(log, 'b'));
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(log, ['start a', 'start b']);
  assert.deepEqual(q.keys().sort(), ['one', 'two']);
  await q.cancel();
  assert.ok(log.includes('end a') && log.includes('end b'));
  assert.equal((await a).value, 'a cancelled');
  assert.equal((await b).value, 'b cancelled');
  await q.cancel('nothing');
  // A job that throws frees its folder.
  await assert.rejects(q.run('one', () => Promise.reject(new Error('boom'))));
  await new Promise((r) => setImmediate(r));
  assert.equal(q.busy('one'), false);
});

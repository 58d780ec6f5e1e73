import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExecFn } from '../../../src/core/process/exec';
import { rootFromEnvOutput, tinygoRoot } from '../../../src/core/tinygo/root';

void test('TINYGOROOT from `tinygo env TINYGOROOT`: plain, CRLF, KEY="value", after a warning line; nothing from empty output', () => {
  assert.equal(rootFromEnvOutput('/usr/local/lib/tinygo\n'), '/usr/local/lib/tinygo');
  assert.equal(rootFromEnvOutput('C:\\tinygo\r\n'), 'C:\\tinygo');
  assert.equal(rootFromEnvOutput('TINYGOROOT="/opt/tinygo"\n'), '/opt/tinygo');
  assert.equal(rootFromEnvOutput("TINYGOROOT='/opt/tinygo'\n"), '/opt/tinygo');
  assert.equal(rootFromEnvOutput('warning: GOROOT is not set\n/home/me/tinygo\n\n'), '/home/me/tinygo');
  assert.equal(rootFromEnvOutput(''), undefined);
  assert.equal(rootFromEnvOutput('\n  \n'), undefined);
  assert.equal(rootFromEnvOutput('TINYGOROOT=""\n'), undefined);
});

void test('tinygoRoot: asked once per tinygo; a failed or refused ask is not remembered', async () => {
  const calls: string[] = [];
  let answer: 'ok' | 'fail' | 'throw' = 'fail';
  const exec: ExecFn = async (file, args) => {
    calls.push(`${file} ${args.join(' ')}`);
    if (answer === 'throw') throw new Error('spawn ENOENT');
    return { exitCode: answer === 'ok' ? 0 : 1, stdout: answer === 'ok' ? `/roots${file}\n` : '', stderr: '', timedOut: false, cancelled: false, durationMs: 1 };
  };
  assert.equal(await tinygoRoot(exec, '/a/tinygo'), undefined);
  answer = 'throw';
  assert.equal(await tinygoRoot(exec, '/a/tinygo'), undefined, 'a spawn error is an undefined root, not a rejection');
  answer = 'ok';
  assert.equal(await tinygoRoot(exec, '/a/tinygo'), '/roots/a/tinygo', 'the failures were not cached');
  assert.equal(await tinygoRoot(exec, '/a/tinygo'), '/roots/a/tinygo');
  assert.equal(await tinygoRoot(exec, '/b/tinygo'), '/roots/b/tinygo', 'another tinygo is asked for its own root');
  assert.deepEqual(calls, ['/a/tinygo env TINYGOROOT', '/a/tinygo env TINYGOROOT', '/a/tinygo env TINYGOROOT', '/b/tinygo env TINYGOROOT']);
});

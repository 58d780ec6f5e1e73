import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { runProcess } from '../../../src/core/process/exec';

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (cond()) return true; await new Promise((r) => setImmediate(r)); }
  return cond();
}

void test('output, exit code and streaming callbacks', async () => {
  const chunks: string[] = [];
  const r = await runProcess('sh', ['-c', 'echo out; echo err >&2; exit 3'], { onStdout: (c) => chunks.push(c) });
  assert.equal(r.exitCode, 3);
  assert.equal(r.stdout.trim(), 'out');
  assert.equal(r.stderr.trim(), 'err');
  assert.equal(chunks.join('').trim(), 'out');
  assert.equal(r.timedOut, false);
});

void test('the streaming callbacks get strings, with a character split across two writes kept whole', async () => {
  const chunks: unknown[] = [];
  // "é" is C3 A9 in UTF-8: its two bytes arrive in separate chunks.
  const r = await runProcess('sh', ['-c', "printf '\\303'; sleep 0.1; printf '\\251 ok\\n' >&1; printf 'e\\n' >&2"],
    { onStdout: (c) => chunks.push(c), onStderr: (c) => chunks.push(c) });
  assert.equal(r.exitCode, 0);
  assert.ok(chunks.every((c) => typeof c === 'string'), `chunk types: ${chunks.map((c) => typeof c).join(', ')}`);
  assert.equal(r.stdout, 'é ok\n');
  assert.equal(chunks.filter((c) => c !== 'e\n').join(''), 'é ok\n');
});

void test('arguments are passed as they are, never through a shell', async () => {
  const r = await runProcess('printf', ['%s|', 'a b', '$(touch /tmp/tgw-pwned)', "it's"]);
  assert.equal(r.stdout, "a b|$(touch /tmp/tgw-pwned)|it's|");
  assert.equal(fs.existsSync('/tmp/tgw-pwned'), false);
});

void test('a missing program is a spawn error, not an exception', async () => {
  const r = await runProcess('/nonexistent/tinygo', ['version']);
  assert.ok(r.spawnError, 'spawnError set');
  assert.equal(r.exitCode, undefined);
});

for (const how of ['timeout', 'cancel'] as const) {
  void test(`${how} ends the whole process tree, grandchildren included`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-exec-'));
    const pidFile = path.join(dir, 'grandchild.pid');
    // The child starts a grandchild that would outlive it, writes its pid, then waits.
    const script = `sleep 60 & echo $! > ${pidFile}; wait`;
    const ac = new AbortController();
    const p = runProcess('sh', ['-c', script], how === 'timeout' ? { timeoutMs: 300 } : { signal: ac.signal });
    assert.ok(await waitFor(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '', 5000));
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    assert.ok(alive(grandchild));
    if (how === 'cancel') ac.abort();
    const r = await p;
    assert.equal(how === 'timeout' ? r.timedOut : r.cancelled, true);
    assert.ok(await waitFor(() => !alive(grandchild), 5000), 'grandchild was killed');
  });
}

void test('huge output is bounded', async () => {
  const r = await runProcess('sh', ['-c', 'yes 0123456789 | head -c 3000000'], { maxOutput: 100_000 });
  assert.ok(r.stdout.length < 110_000, `kept ${r.stdout.length}`);
  assert.match(r.stdout, /characters dropped/);
});

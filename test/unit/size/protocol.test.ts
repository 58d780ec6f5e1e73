import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateHostMessage, validatePanelData, validateWebviewMessage, type PanelData } from '../../../src/core/protocol';
import { evaluateBudgets, parseJsonReport, type SizeReport } from '../../../src/core/size/model';
import { fixture } from './fixtures';

function load(n: 1 | 2): SizeReport {
  const r = parseJsonReport(fixture(`panel/report${n}.json`));
  assert.ok(r.ok);
  return r.report;
}

function full(): PanelData {
  const report = load(2);
  return {
    report, previous: load(1),
    failure: { message: 'program too large for this chip (flash overflowed by 1234 bytes)', at: '2025-01-02T03:04:05.000Z' },
    memory: {
      gc: 'conservative', scheduler: 'tasks',
      stacks: [{ function: 'main.blink', bytes: 184 }, { function: 'main.f', note: 'recursive, main.f may call itself' }],
      allocs: [{ file: '/w/main.go', line: 3, column: 9, reason: 'escapes at line 4', function: 'main.main', user: true }, { reason: 'size is not constant', user: false }],
      hints: { lines: 5, confirmed: 1 }, goroutineStackSize: 2048,
    },
    budgets: evaluateBudgets(report, { flash: '10KB', ram: 'x' }),
    reportPath: '/w/build/feather-blinky.size.json',
    revealable: ['main'],
  };
}

void test('host messages round-trip through JSON and validate unchanged', () => {
  const data = full();
  const m = validateHostMessage(JSON.parse(JSON.stringify({ type: 'data', data })));
  assert.ok(m.ok, m.ok ? '' : m.error);
  assert.deepEqual(m.value, { type: 'data', data });
  assert.deepEqual(validateHostMessage({ type: 'building', building: true }), { ok: true, value: { type: 'building', building: true } });
  assert.deepEqual(validateHostMessage({ type: 'data', data: {} }), { ok: true, value: { type: 'data', data: {} } });
});

void test('host messages: anything malformed is refused with the field named', () => {
  const bad: [unknown, RegExp][] = [
    [null, /expected an object/],
    ['data', /expected an object/],
    [{ type: 'nope' }, /unknown message type "nope"/],
    [{ type: 'building' }, /building: expected true or false/],
    [{ type: 'data' }, /data: expected an object/],
    [{ type: 'data', data: { report: { schemaVersion: 2 } } }, /data\.report: .*schemaVersion 2 is newer/],
    [{ type: 'data', data: { report: { ...load(1), packages: [{ name: 'x', group: 'evil', code: 1, rodata: 0, data: 0, bss: 0, flash: 1, ram: 0 }] } } }, /packages\[0\]\.group/],
    [{ type: 'data', data: { memory: { allocs: [{ reason: 'r', user: 'yes' }] } } }, /data\.memory\.allocs\[0\]\.user/],
    [{ type: 'data', data: { memory: { allocs: [{ reason: 'r', user: true, line: 0 }] } } }, /allocs\[0\]\.line: expected a positive integer/],
    [{ type: 'data', data: { memory: { stacks: [{ function: 'f', bytes: -1 }] } } }, /stacks\[0\]\.bytes/],
    [{ type: 'data', data: { budgets: [{ resource: 'disk', budget: '', used: 0, exceeded: false }] } }, /budgets\[0\]\.resource/],
    [{ type: 'data', data: { budgets: [1, 2, 3] } }, /budgets: expected an array of at most 2/],
    [{ type: 'data', data: { failure: { message: 42 } } }, /failure\.message/],
    [{ type: 'data', data: { revealable: ['a', 7] } }, /revealable\[1\]/],
    [{ type: 'data', data: { reportPath: 'x'.repeat(5000) } }, /reportPath: expected a string of at most 4096/],
  ];
  for (const [msg, re] of bad) {
    const r = validateHostMessage(msg);
    assert.equal(r.ok, false, JSON.stringify(msg).slice(0, 80));
    if (!r.ok) assert.match(r.error, re);
  }
});

void test('a report in a message is judged as parseJsonReport judges the same document', () => {
  const good = [load(1), load(2), { ...load(1), format: 'short', packages: [] }, { ...load(1), capacity: undefined, target: undefined }];
  const bad = [
    { ...load(1), schemaVersion: 0 }, { ...load(1), format: 'html' }, { ...load(1), incomplete: 'no' }, { ...load(1), packages: {} },
    { ...load(1), packages: [{ name: '', group: 'user', code: 0, rodata: 0, data: 0, bss: 0, flash: 0, ram: 0 }] },
    { ...load(1), totals: { ...load(1).totals, ram: -1 } }, { ...load(1), totals: { ...load(1).totals, code: 1.5 } },
    { ...load(1), capacity: { flash: 1 } }, { ...load(1), capacity: { flash: 1, ram: 2, stack: 'x' } },
    { ...load(1), target: 7 }, { ...load(1), createdAt: 'yesterday' }, [], 'text',
  ];
  for (const doc of [...good, ...bad]) {
    const viaJson = parseJsonReport(JSON.stringify(doc));
    const viaMessage = validatePanelData({ report: JSON.parse(JSON.stringify(doc ?? null)) as unknown });
    assert.equal(viaMessage.ok, viaJson.ok, JSON.stringify(doc).slice(0, 120));
    if (viaJson.ok && viaMessage.ok) assert.deepEqual(viaMessage.value.report, viaJson.report);
  }
});

void test('validated data drops unknown fields (nothing unexpected reaches the page)', () => {
  const r = validatePanelData({ emptyMessage: 'hi', script: '<script>', memory: { gc: 'none', extra: 1 } });
  assert.ok(r.ok);
  assert.deepEqual(r.value, { emptyMessage: 'hi', memory: { gc: 'none' } });
});

void test('webview messages: the four kinds, and nothing else', () => {
  assert.deepEqual(validateWebviewMessage({ type: 'ready' }), { ok: true, value: { type: 'ready' } });
  assert.deepEqual(validateWebviewMessage({ type: 'openReport', file: '/etc/passwd' }), { ok: true, value: { type: 'openReport' } });
  assert.deepEqual(validateWebviewMessage({ type: 'reveal', package: 'main' }), { ok: true, value: { type: 'reveal', package: 'main' } });
  assert.deepEqual(validateWebviewMessage({ type: 'open', file: '/w/main.go', line: 3, column: 9 }), { ok: true, value: { type: 'open', file: '/w/main.go', line: 3, column: 9 } });
  assert.deepEqual(validateWebviewMessage({ type: 'open', file: '/w/main.go', line: 3 }), { ok: true, value: { type: 'open', file: '/w/main.go', line: 3 } });
  const bad: [unknown, RegExp][] = [
    [undefined, /expected an object/],
    [[], /expected an object/],
    [{ type: 'exec', command: 'rm -rf /' }, /unknown message type "exec"/],
    [{ type: 'reveal' }, /reveal\.package/],
    [{ type: 'reveal', package: 42 }, /reveal\.package/],
    [{ type: 'open', file: '/w/main.go', line: 0 }, /open\.line/],
    [{ type: 'open', file: '/w/main.go', line: 1.5 }, /open\.line/],
    [{ type: 'open', file: '/w/main.go', line: '3' }, /open\.line/],
    [{ type: 'open', file: '', line: 3 }, /open\.file/],
    [{ type: 'open', file: '/w/main.go', line: 3, column: -1 }, /open\.column/],
  ];
  for (const [msg, re] of bad) {
    const r = validateWebviewMessage(msg);
    assert.equal(r.ok, false, JSON.stringify(msg));
    if (!r.ok) assert.match(r.error, re);
  }
});

void test('memory hints and goroutine stack size: malformed values are refused with the field named', () => {
  const bad: [unknown, RegExp][] = [
    [{ hints: [] }, /memory\.hints: expected an object/],
    [{ hints: { lines: -1, confirmed: 0 } }, /memory\.hints\.lines/],
    [{ hints: { lines: 2, confirmed: 1.5 } }, /memory\.hints\.confirmed/],
    [{ hints: { lines: 2, confirmed: 3 } }, /memory\.hints\.confirmed: more than hints\.lines/],
    [{ goroutineStackSize: '2KB' }, /memory\.goroutineStackSize/],
  ];
  for (const [memory, why] of bad) {
    const r = validatePanelData({ memory });
    assert.ok(!r.ok && why.test(r.error), `${JSON.stringify(memory)}: ${r.ok ? 'accepted' : r.error}`);
  }
});

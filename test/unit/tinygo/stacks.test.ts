import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStacks } from '../../../src/core/tinygo/stacks';
import { fixture } from './fixtures';

void test('parses -print-stacks rows of every form', () => {
  const r = parseStacks(fixture('print-stacks-0.33.txt'));
  assert.equal(r.header, true);
  assert.deepEqual(r.unparsed, []);
  assert.deepEqual(
    r.rows.map((row) => [row.function, row.usage.kind]),
    [
      ['Reset_Handler', 'bytes'],
      ['main.blink', 'unknown'],
      ['main.readSensor', 'recursive'],
      ['(*main.Display).loop', 'unknown'],
      ['main.main$1', 'bytes'],
      ['main.averyveryveryverylongfunctionname_exceeding_width', 'bytes'],
    ],
  );
  assert.deepEqual(r.rows[0].usage, { kind: 'bytes', bytes: 316 });
  assert.deepEqual(r.rows[1].usage, {
    kind: 'unknown',
    reason: 'unknown, main.blink calls a function pointer',
    callsFunctionPointer: 'main.blink',
  });
  assert.deepEqual(r.rows[2].usage, { kind: 'recursive', reason: 'recursive, main.walk may call itself', recursiveFunction: 'main.walk' });
  const row3 = r.rows[3].usage;
  assert.equal(row3.kind === 'unknown' ? row3.missingFrameInfo : '', 'machine.I2C.Tx');
  assert.deepEqual(r.rows[5].usage, { kind: 'bytes', bytes: 1048576 });
});

void test('names with spaces and malformed rows', () => {
  const r = parseStacks(
    ['main.f[struct{a int}]            96', 'main.g', 'main.h                           lots', '99999999999999999999999 12', 'x 99999999999999999999999', ''].join('\n'),
  );
  assert.deepEqual(r.rows.map((x) => x.function), ['main.f[struct{a int}]', '99999999999999999999999']);
  assert.deepEqual(r.unparsed.map((u) => u.index), [1, 2, 4]);
  assert.equal(r.header, false);
  assert.deepEqual(parseStacks(''), { rows: [], header: false, unparsed: [] });
});

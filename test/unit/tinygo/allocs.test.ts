import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeAllocReason, parseAllocReason, parseAllocs } from '../../../src/core/tinygo/allocs';
import { fixture } from './fixtures';
import { mulberry32, mutate, randomGarbage } from './prng';

void test('parses every reason and position form of -print-allocs', () => {
  const r = parseAllocs(fixture('print-allocs-0.33.txt'));
  assert.deepEqual(r.unparsed, []);
  assert.equal(r.allocs.length, 7);
  const [big, esc, unknownLine, notConst, noPos, goroot, colonDir] = r.allocs;
  assert.deepEqual(big, {
    file: '/home/u/p/main.go',
    line: 23,
    column: 12,
    reason: { kind: 'too-large', size: 300, maxStackAlloc: 256 },
    reasonText: 'object size 300 exceeds maximum stack allocation size 256',
    index: 0,
  });
  assert.deepEqual(esc.reason, { kind: 'escapes', line: 33 });
  assert.equal(esc.column, 9);
  assert.equal(unknownLine.line, 40);
  assert.equal(unknownLine.column, undefined);
  assert.deepEqual(unknownLine.reason, { kind: 'escapes-unknown-line' });
  assert.deepEqual(notConst.reason, { kind: 'size-not-constant' });
  assert.equal(noPos.file, undefined);
  assert.equal(noPos.line, undefined);
  assert.equal(goroot.file, '/home/u/.cache/tinygo/goroot-abc/src/strings/builder.go');
  assert.equal(colonDir.file, '/home/u/my: odd dir/main.go');
  assert.equal(colonDir.line, 5);
});

void test('reason texts', () => {
  assert.equal(parseAllocReason('escapes at line'), undefined);
  assert.equal(parseAllocReason('object size x exceeds maximum stack allocation size 256'), undefined);
  assert.match(describeAllocReason({ kind: 'too-large', size: 300, maxStackAlloc: 256 }), /300 bytes.*256-byte/);
  assert.match(describeAllocReason({ kind: 'escapes', line: 7 }), /line 7/);
});

void test('other stderr lines and malformed lines are unparsed, never thrown', () => {
  const text = [
    '# command-line-arguments',
    'main.go:1:1: undefined: x',
    ': object allocated on the heap: escapes at line 3',
    '/a.go:x: object allocated on the heap: escapes at line 3',
    '/a.go:3:1: object allocated on the heap: escapes somewhere',
    '/a.go:3:1: object allocated on the heap: ',
    '',
    '/a.go:3:1: object allocated on the heap: size is not constant\r',
  ].join('\n');
  const r = parseAllocs(text);
  assert.deepEqual(r.unparsed.map((u) => u.index), [0, 1, 2, 3, 4, 5]);
  assert.equal(r.allocs.length, 1);
  assert.equal(r.allocs[0].index, 7);
  assert.deepEqual(parseAllocs(''), { allocs: [], unparsed: [] });
  const rand = mulberry32(7);
  const sample = fixture('print-allocs-0.33.txt');
  for (let i = 0; i < 500; i++) {
    const input = i % 3 === 0 ? randomGarbage(rand, 300) : mutate(rand, sample);
    const res = parseAllocs(input);
    const nonBlank = input.split('\n').filter((l, k, all) => l.trim() !== '' && !(k === all.length - 1 && l === '')).length;
    assert.equal(res.allocs.length + res.unparsed.length, nonBlank, `case ${i}`);
  }
});

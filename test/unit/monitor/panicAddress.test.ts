import { test } from 'node:test';
import assert from 'node:assert/strict';
import { panicAddress } from '../../../src/core/monitor/panicAddress';
import { analyzeLine } from '../../../src/core/monitor/lines';

// Received from a real TinyGo 0.39.0 program on QEMU's micro:bit (test/fixtures/elf/README.md).
const REAL = 'panic: runtime error at 0x00000ac5: assignment to entry in nil map';

void test('the address of a real runtime-error panic line, with its span in the line', () => {
  const p = panicAddress(REAL)!;
  assert.equal(p.address, 0xac5);
  assert.equal(p.kind, 'runtime-error');
  assert.equal(REAL.slice(p.start, p.end), '0x00000ac5');
});

void test('the other forms TinyGo prints with an address: 64-bit hosts, signals, Cortex-M hard faults (decimal pc)', () => {
  const host = panicAddress('panic: runtime error at 0x000000000027ce50: nil pointer dereference')!;
  assert.equal(host.address, 0x27ce50);
  const signal = panicAddress('panic: runtime error at 0x0000000000235be9: caught signal SIGSEGV')!;
  assert.equal(signal.address, 0x235be9);
  const line = 'fatal error: HardFault with sp=0x20003f60 pc=3543';
  const fault = panicAddress(line)!;
  assert.deepEqual([fault.address, fault.kind, line.slice(fault.start, fault.end)], [3543, 'hard-fault', '3543']);
  assert.equal(panicAddress('fatal error: stack overflow with sp=0x1fffff00')?.address, undefined);
});

void test('lines that only look like panics give no address', () => {
  for (const s of [
    'panic: runtime error: index out of range', // no return address on this target
    'panic: boom',
    'note: panic: runtime error at 0x00000ac5: x', // not at the start, as tinygo monitor's ^ anchor
    'panic: runtime error at 0x00000000: nil map', // 0 means "none" to tinygo monitor
    'panic: runtime error at 0xZZ: x',
    'panic: runtime error at 0x123456789abcdef01: too long',
    '',
  ]) assert.equal(panicAddress(s), undefined, s);
  assert.equal(panicAddress(undefined as unknown as string), undefined);
});

void test('with a resolver, the address becomes a link like [tinygo: panic at FILE:LINE:COL]; without one it stays text', () => {
  const plain = analyzeLine(REAL);
  assert.equal(plain.panic, true);
  assert.deepEqual(plain.links, []);
  assert.equal(plain.address?.address, 0xac5);

  const asked: number[] = [];
  const resolved = analyzeLine(REAL, (a) => { asked.push(a); return { file: '/src/runtime/hashmap.go', line: 512, column: 14 }; });
  assert.deepEqual(asked, [0xac5]);
  assert.deepEqual(resolved.links, [{ start: 24, end: 34, file: '/src/runtime/hashmap.go', line: 512, col: 14 }]);
  const bracketed = analyzeLine('[tinygo: panic at /src/runtime/hashmap.go:512:14]').links[0]!;
  assert.deepEqual([bracketed.file, bracketed.line, bracketed.col], ['/src/runtime/hashmap.go', 512, 14]);

  // Unknown addresses, line 0 and throwing resolvers leave the line unlinked; column 0 means "no column".
  assert.deepEqual(analyzeLine(REAL, () => undefined).links, []);
  assert.deepEqual(analyzeLine(REAL, () => ({ file: 'x.go', line: 0, column: 0 })).links, []);
  assert.deepEqual(analyzeLine(REAL, () => { throw new Error('ELF gone'); }).links, []);
  assert.equal(analyzeLine(REAL, () => ({ file: 'main.go', line: 7, column: 0 })).links[0]!.col, undefined);
  assert.equal(analyzeLine('tick 3', () => assert.fail('not asked for lines without an address')).address, undefined);
});

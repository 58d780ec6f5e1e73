import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, analyzeLine, flashMarker, formatTimestamp } from '../../../src/core/monitor/lines';

void test('[tinygo: panic at FILE:LINE:COL] becomes a link covering the position', () => {
  const text = '[tinygo: panic at /home/u/blinky/main.go:12:3]';
  const a = analyzeLine(text);
  assert.equal(a.panic, true);
  assert.deepEqual(a.links, [{ start: 18, end: 45, file: '/home/u/blinky/main.go', line: 12, col: 3 }]);
  assert.equal(text.slice(a.links[0]!.start, a.links[0]!.end), '/home/u/blinky/main.go:12:3');
});

void test('positions without a column, Windows paths, and plain .go positions in other lines', () => {
  const noCol = analyzeLine('[tinygo: panic at main.go:7]');
  assert.deepEqual(noCol.links.map((l) => [l.file, l.line, l.col]), [['main.go', 7, undefined]]);
  const win = analyzeLine('[tinygo: panic at C:\\Users\\u\\proj\\main.go:9:2]');
  assert.equal(win.links[0]!.file, 'C:\\Users\\u\\proj\\main.go');
  const other = analyzeLine('sensor.go:44: reading 12');
  assert.equal(other.panic, false);
  assert.deepEqual(other.links, [{ start: 0, end: 12, file: 'sensor.go', line: 44 }]);
});

void test('panic: lines are flagged even without a position; ordinary lines are not', () => {
  assert.equal(analyzeLine('panic: runtime error at 0x0000a3c0: index out of range').panic, true);
  assert.equal(analyzeLine('panic: unimplemented: (reflect.Value).MethodByName()').panic, true);
  assert.equal(analyzeLine('no panic: all good').panic, false);
  assert.deepEqual(analyzeLine(undefined as unknown as string), { panic: false, links: [] });
});

void test('the splitter keeps UTF-8 split across reads, handles CRLF, and flushes the rest', () => {
  const s = new LineSplitter();
  const bytes = Buffer.from('température 21°C\r\nnext', 'utf8');
  const cut = bytes.indexOf(0xc2); // first byte of "°"
  assert.deepEqual(s.push(bytes.subarray(0, cut + 1)), []);
  assert.deepEqual(s.push(bytes.subarray(cut + 1)), ['température 21°C']);
  assert.deepEqual(s.push('\n\n'), ['next', '']);
  assert.equal(s.flush(), undefined);
  s.push('partial\r');
  assert.equal(s.flush(), 'partial');
});

void test('flash marker and timestamps', () => {
  const at = new Date(2024, 0, 2, 9, 5, 7, 42);
  assert.equal(formatTimestamp(at), '09:05:07.042');
  assert.equal(flashMarker('/tmp/build/blinky.uf2', at), '── flashed blinky.uf2 at 09:05:07 ──');
  assert.equal(flashMarker('', at), '── flashed firmware at 09:05:07 ──');
});

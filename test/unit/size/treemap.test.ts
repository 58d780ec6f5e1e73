import assert from 'node:assert/strict';
import { test } from 'node:test';
import { squarify } from '../../../src/core/size/treemap';
import { mulberry32 } from '../tinygo/prng';

const EPS = 1e-6;

function check(values: number[], w: number, h: number) {
  const rects = squarify(values.map((value, i) => ({ key: i, value })), w, h);
  const kept = values.filter((v) => Number.isFinite(v) && v > 0);
  assert.equal(rects.length, kept.length);
  const total = kept.reduce((a, b) => a + b, 0);
  let area = 0;
  for (const r of rects) {
    assert.ok(r.x >= -EPS && r.y >= -EPS && r.x + r.w <= w + EPS && r.y + r.h <= h + EPS, `inside: ${JSON.stringify(r)}`);
    assert.ok(Math.abs((r.w * r.h) / (w * h) - r.value / total) < 1e-6, `area proportional: ${JSON.stringify(r)}`);
    area += r.w * r.h;
  }
  assert.ok(Math.abs(area - w * h) < 1e-3, 'the rectangles tile the box');
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i]!;
      const b = rects[j]!;
      const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
      const oy = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
      assert.ok(ox <= 1e-6 || oy <= 1e-6, `no overlap: ${JSON.stringify([a, b])}`);
    }
  }
  return rects;
}

void test('squarify: areas proportional to the values, inside the box, tiling it without overlap (random inputs)', () => {
  const rnd = mulberry32(17);
  for (let n = 0; n < 60; n++) {
    const count = 1 + Math.floor(rnd() * 40);
    const values = Array.from({ length: count }, () => Math.floor(rnd() ** 3 * 50_000) + 1);
    check(values, 200 + rnd() * 900, 100 + rnd() * 300);
  }
});

void test('squarify: largest first and closer to square than slicing (worst aspect ratio of a typical firmware split)', () => {
  const values = [36_000, 12_000, 9_000, 4_000, 2_500, 1_200, 900, 400, 120, 60];
  const rects = check(values, 800, 240);
  assert.deepEqual(rects.map((r) => r.key), values.map((_, i) => i));
  const ratio = (r: { w: number; h: number }) => Math.max(r.w / r.h, r.h / r.w);
  // Slicing the 800 px width by value gives the 60 B package a 0.08 px wide strip; squarify keeps the big ones square-ish.
  assert.ok(ratio(rects[0]!) < 3, `largest ${ratio(rects[0]!)}`);
  assert.ok(Math.max(...rects.slice(0, 5).map(ratio)) < 4);
});

void test('squarify: zero, negative and non-finite values are left out; an empty box or no values give no rectangles', () => {
  check([5, 0, -3, Number.NaN, Number.POSITIVE_INFINITY, 2], 100, 50);
  assert.deepEqual(squarify([], 100, 100), []);
  assert.deepEqual(squarify([{ key: 'a', value: 1 }], 0, 100), []);
  assert.deepEqual(squarify([{ key: 'a', value: 1 }], 100, Number.NaN), []);
  const one = squarify([{ key: 'a', value: 7 }], 30, 20);
  assert.deepEqual(one, [{ key: 'a', value: 7, x: 0, y: 0, w: 30, h: 20 }]);
});

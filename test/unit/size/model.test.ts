import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLinkerScript } from '../../../src/core/size/linkerScript';
import {
  buildSizeReport,
  capacityFromLinkerScript,
  diffReports,
  evaluateBudget,
  evaluateBudgets,
  formatBytes,
  formatStatusBar,
  groupTotals,
  parseBudget,
  parseJsonReport,
  toJsonReport,
  type SizeReport,
} from '../../../src/core/size/model';
import { parseSizeTable } from '../../../src/core/size/sizeTable';
import { FIXTURES, fixture } from './fixtures';

const FEATHER_CAPACITY = { flash: 0xed000 - 0x26000, ram: 0x20040000 - 0x20004180, stack: 2048 };

function report(name: string, capacity = FEATHER_CAPACITY): SizeReport {
  const r = buildSizeReport(parseSizeTable(fixture(name), { modulePath: 'example.com/blinky' }), {
    capacity,
    target: 'feather-nrf52840',
    tinygoVersion: '0.33.0',
    createdAt: '2025-01-02T03:04:05.000Z',
  });
  assert.ok('report' in r);
  return r.report;
}

void test('capacity comes from the feather linker script', () => {
  const dir = path.join(FIXTURES, 'linkerscripts');
  const script = parseLinkerScript(fs.readFileSync(path.join(dir, 'nrf52840-s140v6-uf2.ld'), 'utf8'), {
    readFile: (n) => fs.readFileSync(path.join(dir, path.basename(n)), 'utf8'),
  });
  assert.deepEqual(capacityFromLinkerScript(script), FEATHER_CAPACITY);
  assert.equal(capacityFromLinkerScript(parseLinkerScript('')), undefined);
});

void test('builds a report from full and short tables', () => {
  const full = report('size-full-doc.txt');
  assert.equal(full.packages.length, 10);
  assert.deepEqual(full.totals, { code: 7208, rodata: 872, data: 28, bss: 2566, flash: 8108, ram: 2594 });
  assert.equal(full.packages.find((p) => p.name === 'main')?.group, 'user');
  const g = groupTotals(full);
  assert.deepEqual(g['tinygo-runtime'], { flash: 3037 + 3132, ram: 400 + 126 });
  assert.deepEqual(g['c-library'], { flash: 226 + 512, ram: 4 });
  assert.equal(g.stdlib, undefined);
  const short = report('size-short-microbit-serial.txt');
  assert.equal(short.format, 'short');
  assert.deepEqual(short.packages, []);
  assert.equal(short.totals.flash, 3128);
  const none = buildSizeReport(parseSizeTable('hello\n'));
  assert.ok('error' in none);
  const truncated = buildSizeReport(parseSizeTable(fixture('size-full-doc.txt').split('\n').slice(0, 5).join('\n')));
  assert.ok('report' in truncated);
  assert.equal(truncated.report.totals.flash, 14 + 124 + 226);
});

void test('diff: per-package and total deltas, added and removed packages', () => {
  const before = report('size-full-doc.txt');
  const after: SizeReport = structuredClone(before);
  after.packages = after.packages.filter((p) => p.name !== 'C nrfx');
  const main = after.packages.find((p) => p.name === 'main');
  assert.ok(main);
  main.code += 1300;
  main.flash += 1300;
  after.packages.push({ name: 'strconv', group: 'stdlib', code: 900, rodata: 100, data: 0, bss: 0, flash: 1000, ram: 0 });
  after.totals.flash += 1300 + 1000 - 512;
  after.totals.ram -= 4;
  const d = diffReports(before, after);
  assert.equal(d.total.flash, 1788);
  assert.equal(d.total.ram, -4);
  assert.deepEqual(d.added, ['strconv']);
  assert.deepEqual(d.removed, ['C nrfx']);
  assert.deepEqual(
    d.packages.slice(0, 3).map((p) => [p.name, p.status, p.flash]),
    [
      ['main', 'changed', 1300],
      ['strconv', 'added', 1000],
      ['C nrfx', 'removed', -512],
    ],
  );
  assert.equal(d.packages.find((p) => p.name === 'runtime')?.status, 'unchanged');
  assert.equal(d.packages.length, 11);
  const same = diffReports(before, before);
  assert.ok(same.packages.every((p) => p.status === 'unchanged'));
  assert.equal(same.total.flash, 0);
});

void test('budgets in bytes and percent', () => {
  assert.deepEqual(parseBudget('200KB'), { ok: true, budget: { kind: 'bytes', bytes: 204800, text: '200KB' } });
  assert.deepEqual(parseBudget(' 1.5 MB '), { ok: true, budget: { kind: 'bytes', bytes: 1572864, text: '1.5 MB' } });
  assert.deepEqual(parseBudget('4096'), { ok: true, budget: { kind: 'bytes', bytes: 4096, text: '4096' } });
  assert.deepEqual(parseBudget('80%'), { ok: true, budget: { kind: 'percent', percent: 80, text: '80%' } });
  for (const bad of ['', 'lots', '-5KB', '0', '150%', '0%', '12 parsecs', '1e3', 'KB']) {
    const r = parseBudget(bad);
    assert.equal(r.ok, false, bad);
  }
  const rep = report('size-full-doc.txt');
  assert.deepEqual(evaluateBudget('flash', '8KB', 8108), { resource: 'flash', budget: '8KB', used: 8108, limit: 8192, exceeded: false });
  assert.equal(evaluateBudget('flash', '7KB', 8108).exceeded, true);
  assert.equal(evaluateBudget('flash', '1%', 8108, 815104).limit, 8151);
  assert.equal(evaluateBudget('flash', '1%', 8108, 815104).exceeded, false);
  assert.equal(evaluateBudget('ram', '1%', 2594, 245376).exceeded, true);
  const noCap = evaluateBudget('ram', '50%', 10);
  assert.equal(noCap.exceeded, false);
  assert.match(noCap.error ?? '', /capacity is unknown/);
  const all = evaluateBudgets(rep, { flash: '80%', ram: 'nonsense' });
  assert.equal(all.length, 2);
  assert.equal(all[0].exceeded, false);
  assert.ok(all[1].error);
  assert.deepEqual(evaluateBudgets(rep, {}), []);
});

void test('formatBytes and the status bar', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(23962), '23.4 KB');
  assert.equal(formatBytes(815104), '796 KB');
  assert.equal(formatBytes(245376), '240 KB');
  assert.equal(formatBytes(102348), '99.9 KB');
  assert.equal(formatBytes(1048576), '1.0 MB');
  assert.equal(formatBytes(-1331), '-1.3 KB');
  const cur = report('size-full-doc.txt');
  cur.totals.flash = 23962;
  cur.totals.ram = 4198;
  assert.equal(formatStatusBar(cur), 'Flash 23.4 KB / 796 KB · RAM 4.1 KB / 240 KB');
  const prev = structuredClone(cur);
  prev.totals.flash -= 1331;
  assert.equal(formatStatusBar(cur, prev), 'Flash 23.4 KB / 796 KB (+1.3 KB) · RAM 4.1 KB / 240 KB');
  prev.totals.ram += 200;
  assert.equal(formatStatusBar(cur, prev), 'Flash 23.4 KB / 796 KB (+1.3 KB) · RAM 4.1 KB / 240 KB (-200 B)');
  delete cur.capacity;
  assert.equal(formatStatusBar(cur), 'Flash 23.4 KB · RAM 4.1 KB');
});

void test('JSON report round-trips and is validated', () => {
  const rep = report('size-full-wide-nodebug.txt');
  const text = toJsonReport(rep);
  const back = parseJsonReport(text);
  assert.ok(back.ok);
  assert.deepEqual(back.report, rep);
  const doc = JSON.parse(text) as Record<string, unknown>;
  assert.equal(doc.schemaVersion, 1);
  assert.equal(doc.incomplete, true);
  const short = report('size-short-microbit-serial.txt');
  delete short.capacity;
  delete short.createdAt;
  const shortBack = parseJsonReport(toJsonReport(short));
  assert.ok(shortBack.ok);
  assert.deepEqual(shortBack.report, short);
});

void test('malformed JSON reports are rejected with a message naming the problem', () => {
  const good = JSON.parse(toJsonReport(report('size-full-doc.txt'))) as Record<string, unknown>;
  const mutate = (f: (d: Record<string, unknown>) => void): string => {
    const d = structuredClone(good);
    f(d);
    return JSON.stringify(d);
  };
  const cases: [string, RegExp][] = [
    ['', /not JSON/],
    ['{', /not JSON/],
    ['[]', /expected a JSON object/],
    ['null', /expected a JSON object/],
    [mutate((d) => delete d.schemaVersion), /schemaVersion/],
    [mutate((d) => (d.schemaVersion = 2)), /newer/],
    [mutate((d) => (d.format = 'html')), /format/],
    [mutate((d) => delete d.incomplete), /incomplete/],
    [mutate((d) => (d.packages = {})), /packages: expected an array/],
    [mutate((d) => ((d.packages as unknown[])[3] = 'x')), /packages\[3\]: expected an object/],
    [mutate((d) => ((d.packages as Record<string, unknown>[])[2].flash = -1)), /packages\[2\]\.flash/],
    [mutate((d) => ((d.packages as Record<string, unknown>[])[2].code = 1.5)), /packages\[2\]\.code/],
    [mutate((d) => ((d.packages as Record<string, unknown>[])[0].group = 'mine')), /packages\[0\]\.group/],
    [mutate((d) => ((d.packages as Record<string, unknown>[])[0].name = '')), /packages\[0\]\.name/],
    [mutate((d) => delete d.totals), /totals: expected an object/],
    [mutate((d) => ((d.totals as Record<string, unknown>).ram = '12')), /totals\.ram/],
    [mutate((d) => (d.capacity = { flash: 1 })), /capacity\.ram/],
    [mutate((d) => (d.target = 5)), /target/],
    [mutate((d) => (d.createdAt = 'yesterday')), /createdAt/],
  ];
  for (const [input, re] of cases) {
    const r = parseJsonReport(input);
    assert.equal(r.ok, false, input.slice(0, 60));
    if (!r.ok) {
      assert.match(r.error, re);
    }
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSizeReport, evaluateBudgets, parseJsonReport, type SizeReport } from '../../../src/core/size/model';
import { parseSizeTable } from '../../../src/core/size/sizeTable';
import {
  allocSummary, budgetProblems, buildRows, buildTable, DEFAULT_SORT, enclosingFunction, filterRows, formatDelta, groupAllocSites, memoryFacts,
  explainStack, sortRows, stackCell, usageBars, type ViewRow,
} from '../../../src/core/size/view';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExecFn } from '../../../src/core/process/exec';
import { allocSitesOf, flagValue, stacksOf } from '../../../src/vscode/size/adapter';
import { capacityFromRoot } from '../../../src/core/size/capacity';
import { tinygoRoot } from '../../../src/core/tinygo/root';
import { FIXTURES, fixture } from './fixtures';

function load(n: 1 | 2): SizeReport {
  const r = parseJsonReport(fixture(`panel/report${n}.json`));
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.report;
}

const names = (rows: readonly ViewRow[]) => rows.map((r) => r.name);

void test('the panel fixtures are what the parser makes of the matching size tables', () => {
  for (const n of [1, 2] as const) {
    const r = load(n);
    const built = buildSizeReport(parseSizeTable(fixture(`panel/build${n}.txt`), { modulePath: 'example.com/feather-blinky' }), {
      capacity: r.capacity, target: r.target, tinygoVersion: r.tinygoVersion, createdAt: r.createdAt,
    });
    assert.ok('report' in built);
    assert.deepEqual(built.report, r);
  }
});

void test('rows without a previous build carry no delta', () => {
  const rows = buildRows(load(1), undefined, ['main']);
  assert.equal(rows.length, 14);
  assert.ok(rows.every((r) => r.delta === undefined && r.status === undefined));
  assert.deepEqual(rows.filter((r) => r.revealable).map((r) => r.name), ['main']);
});

void test('rows against the previous build: changed, unchanged, added, and removed as a zero row', () => {
  const rows = buildRows(load(2), load(1));
  const by = new Map(rows.map((r) => [r.name, r]));
  assert.equal(rows.length, 15);
  assert.equal(by.get('main')!.status, 'changed');
  assert.equal(by.get('main')!.delta!.flash, 1300);
  assert.equal(by.get('main')!.delta!.code, 1300);
  assert.equal(by.get('runtime')!.delta!.ram, 40);
  assert.equal(by.get('fmt')!.status, 'unchanged');
  assert.equal(by.get('fmt')!.delta!.flash, 0);
  assert.equal(by.get('unicode/utf8')!.status, 'added');
  assert.equal(by.get('unicode/utf8')!.delta!.flash, 180);
  const gone = by.get('strconv')!;
  assert.equal(gone.status, 'removed');
  assert.equal(gone.flash, 0);
  assert.equal(gone.delta!.flash, -2430);
  assert.equal(gone.group, 'stdlib');
});

void test('sorting by every column, both ways, ties by name', () => {
  const rows = buildRows(load(2), load(1));
  assert.deepEqual(names(sortRows(rows, DEFAULT_SORT)).slice(0, 3), ['fmt', 'runtime', 'machine']);
  assert.deepEqual(names(sortRows(rows, { key: 'flash', dir: 'asc' })).slice(0, 3), ['C stack', 'strconv', '(padding)']);
  assert.deepEqual(names(sortRows(rows, { key: 'name', dir: 'asc' })).slice(0, 3), ['(padding)', 'C compiler-rt', 'C interrupt vector']);
  assert.deepEqual(names(sortRows(rows, { key: 'name', dir: 'desc' }))[0], 'unicode/utf8');
  assert.deepEqual(names(sortRows(rows, { key: 'deltaFlash', dir: 'desc' })).slice(0, 2), ['main', 'unicode/utf8']);
  assert.equal(names(sortRows(rows, { key: 'deltaFlash', dir: 'asc' }))[0], 'strconv');
  assert.equal(names(sortRows(rows, { key: 'bss', dir: 'desc' }))[0], 'C stack');
  assert.equal(names(sortRows(rows, { key: 'deltaRam', dir: 'desc' }))[0], 'runtime');
  // Equal flash (0): the zero rows come out in name order whatever the input order.
  const zeros = sortRows([...rows].reverse(), { key: 'flash', dir: 'asc' }).filter((r) => r.flash === 0);
  assert.deepEqual(names(zeros), ['C stack', 'strconv']);
  // sortRows does not touch its input.
  assert.equal(rows[0].name, '(padding)');
});

void test('filtering: words in the name, case-insensitive, and group: words', () => {
  const rows = buildRows(load(1));
  assert.deepEqual(names(filterRows(rows, 'FMT')), ['fmt']);
  assert.deepEqual(names(filterRows(rows, 'c n')).sort(), ['C interrupt vector', 'C nrfx', 'example.com/feather-blinky/led', 'machine', 'runtime', 'strconv'].filter((n) => n.toLowerCase().includes('c') && n.toLowerCase().includes('n')).sort());
  assert.deepEqual(names(filterRows(rows, 'group:std')).sort(), ['fmt', 'strconv']);
  assert.deepEqual(names(filterRows(rows, 'group:user')).sort(), ['example.com/feather-blinky/led', 'main']);
  assert.deepEqual(names(filterRows(rows, 'group:c-lib picolibc')), ['C picolibc']);
  assert.equal(filterRows(rows, '   ').length, rows.length);
  assert.equal(filterRows(rows, 'nothing-like-this').length, 0);
});

void test('the table: groups in order with sums and deltas, filtered counts, report totals', () => {
  const r2 = load(2);
  const r1 = load(1);
  const rows = buildRows(r2, r1);
  const t = buildTable(r2, rows, { sort: DEFAULT_SORT, filter: '' }, r1);
  assert.deepEqual(t.groups.map((g) => g.group), ['user', 'dependency', 'stdlib', 'tinygo-runtime', 'c-library', 'special']);
  assert.deepEqual(t.groups.map((g) => g.label), ['Your packages', 'Dependencies (modules)', 'Go standard library', 'TinyGo runtime and machine', 'C libraries', 'Special rows']);
  const user = t.groups[0];
  assert.deepEqual(names(user.rows), ['main', 'example.com/feather-blinky/led']);
  assert.equal(user.sums.flash, 1447 + 104);
  assert.equal(user.delta!.flash, 1300);
  const std = t.groups[2];
  assert.equal(std.delta!.flash, 180 - 2430);
  assert.equal(t.shown, 15);
  assert.deepEqual(t.totals, r2.totals);
  assert.equal(t.totalDelta!.flash, 14340 - 15290);
  assert.equal(t.totalDelta!.ram, 40);
  // The sum of the group deltas is the total delta: nothing is lost to removed packages.
  assert.equal(t.groups.reduce((n, g) => n + g.delta!.flash, 0), t.totalDelta!.flash);

  const f = buildTable(r2, rows, { sort: DEFAULT_SORT, filter: 'main' }, r1);
  assert.equal(f.shown, 1);
  assert.equal(f.total, 15);
  assert.equal(f.groups[0].rows.length, 1);
  assert.equal(f.groups[0].total, 2);
  assert.equal(f.groups[2].rows.length, 0, 'groups stay (with their full count) when the filter empties them');

  const single = buildTable(r1, buildRows(r1), { sort: DEFAULT_SORT, filter: '' });
  assert.equal(single.totalDelta, undefined);
  assert.equal(single.groups[0].delta, undefined);
});

void test('usage bars: used against capacity, delta, budget marks', () => {
  const r2 = load(2);
  const budgets = evaluateBudgets(r2, { flash: '10KB', ram: '50%' });
  const [flash, ram] = usageBars(r2, load(1), budgets);
  assert.equal(flash.text, '14.0 KB / 796 KB (1.8%)');
  assert.equal(flash.delta, -950);
  assert.equal(flash.budget, 10240);
  assert.equal(flash.overBudget, true);
  assert.equal(flash.overCapacity, false);
  assert.equal(ram.text, '2.6 KB / 240 KB (1.1%)');
  assert.equal(ram.budget, Math.floor(245376 / 2));
  assert.equal(ram.overBudget, false);
  const noCap = usageBars({ ...r2, capacity: undefined });
  assert.equal(noCap[0].percent, undefined);
  assert.equal(noCap[0].text, '14.0 KB');
  assert.equal(formatDelta(1331), '+1.3 KB');
  assert.equal(formatDelta(-24), '-24 B');
  assert.equal(formatDelta(0), '±0');
});

void test('memory facts: static RAM, C stack, goroutine stacks, heap left, gc=none with allocations', () => {
  const r = load(1);
  const f = memoryFacts(r, {
    gc: 'conservative', scheduler: 'tasks',
    stacks: [{ function: 'Reset_Handler', bytes: 296 }, { function: 'main.blink', bytes: 184 }, { function: 'main.loop', note: 'recursive, main.loop may call itself' }],
  });
  assert.equal(f.staticRam, 40 + 2600 - 2048);
  assert.equal(f.cStack, 2048);
  assert.equal(f.heap, 245376 - 2640);
  assert.deepEqual(f.goroutineStacks, {
    rows: [{ function: 'main.blink', bytes: 184 }, { function: 'main.loop', note: 'recursive, main.loop may call itself' }], knownTotal: 184, unknown: 1,
  });
  assert.equal(f.gcNoneWithAllocs, false);

  const none = memoryFacts(r, { gc: 'none', allocs: [{ file: '/p/main.go', line: 3, reason: 'escapes at line 4', user: true }] });
  assert.equal(none.gcNoneWithAllocs, true);
  assert.match(none.notes.join('\n'), /-gc=none.*runtime\.alloc/);
  assert.equal(memoryFacts(r, { gc: 'none', allocs: [] }).gcNoneWithAllocs, false);
  assert.match(memoryFacts(r, { scheduler: 'tasks' }).notes.join('\n'), /-print-stacks/);

  // The short format has no C stack row: the linker script's _stack_size stands in.
  const short = buildSizeReport(parseSizeTable(fixture('size-short-microbit-serial.txt')), { capacity: { flash: 256 * 1024, ram: 16 * 1024, stack: 2048 } });
  assert.ok('report' in short);
  const sf = memoryFacts(short.report);
  assert.equal(sf.cStack, 2048);
  assert.equal(sf.staticRam, short.report.totals.ram - 2048);
  assert.equal(memoryFacts({ ...r, capacity: undefined }).heap, undefined);
});

void test('allocation sites grouped by function, user code first, sites in line order', () => {
  const groups = groupAllocSites([
    { file: '/w/main.go', line: 20, reason: 'escapes at line 21', function: 'main.main', user: true },
    { file: '/w/main.go', line: 12, column: 7, reason: 'size is not constant', function: 'main.main', user: true },
    { file: '/go/src/fmt/print.go', line: 140, reason: 'escapes at unknown line', function: 'fmt.newPrinter', user: false },
    { file: '/go/src/fmt/print.go', line: 150, reason: 'escapes at unknown line', function: 'fmt.newPrinter', user: false },
    { file: '/go/src/fmt/print.go', line: 160, reason: 'escapes at unknown line', function: 'fmt.Sprint', user: false },
    { file: '/w/led/led.go', line: 5, reason: 'escapes at line 6', user: true },
    { reason: 'escapes at unknown line', user: false },
  ]);
  assert.deepEqual(groups.map((g) => g.function), ['main.main', 'led.go', 'fmt.newPrinter', '(unknown position)', 'fmt.Sprint']);
  assert.deepEqual(groups[0].sites.map((s) => s.line), [12, 20]);
  assert.equal(groups[0].file, '/w/main.go');
});

void test('the enclosing function of a line, as TinyGo names it', () => {
  const src = [
    'package main', // 1
    '', // 2
    'var buf = make([]byte, 10)', // 3
    '', // 4
    'func main() {', // 5
    '\tx := new(int)', // 6
    '\tgo func() {', // 7
    '\t\t_ = x', // 8
    '\t}()', // 9
    '}', // 10
    '', // 11
    'func (d *Device) Write(b []byte) {', // 12
    '\t_ = string(b)', // 13
    '}', // 14
    'func (p Point[T]) Len() int { return 0 }', // 15
    '', // 16
    'var late = 1', // 17
  ].join('\n');
  assert.equal(enclosingFunction(src, 6, 'main'), 'main.main');
  assert.equal(enclosingFunction(src, 8, 'main'), 'main.main');
  assert.equal(enclosingFunction(src, 13, 'main'), '(*main.Device).Write');
  assert.equal(enclosingFunction(src, 15, 'main'), '(main.Point).Len');
  assert.equal(enclosingFunction(src, 3, 'main'), undefined);
  assert.equal(enclosingFunction(src, 17, 'main'), undefined);
  assert.equal(enclosingFunction(src, 6), 'main');
});

void test('budget problems: exceeded, unreadable, percent without capacity, over capacity', () => {
  const r = load(2);
  const p = budgetProblems(evaluateBudgets(r, { flash: '10KB', ram: 'lots' }), r);
  assert.equal(p.length, 2);
  assert.equal(p[0].resource, 'flash');
  assert.equal(p[0].severity, 'warning');
  assert.equal(p[0].message, 'Flash 14.0 KB exceeds the budget of 10.0 KB (10KB) by 4.0 KB (tinygo.size.flashBudget)');
  assert.equal(p[1].resource, 'ram');
  assert.match(p[1].message, /^tinygo\.size\.ramBudget: budget "lots"/);
  assert.deepEqual(budgetProblems(evaluateBudgets(r, { flash: '90%', ram: '240KB' }), r), []);
  const noCap = { ...r, capacity: undefined };
  assert.match(budgetProblems(evaluateBudgets(noCap, { flash: '90%' }), noCap)[0].message, /capacity is unknown/);
  const over = { ...r, capacity: { flash: 10000, ram: 245376 } };
  const o = budgetProblems([], over);
  assert.equal(o.length, 1);
  assert.equal(o[0].severity, 'error');
  assert.match(o[0].message, /^Flash 14\.0 KB is more than the chip has for the program \(9\.8 KB\)$/);
});

// ---- the host's pure helpers (src/core/size/capacity.ts and src/vscode/size/adapter.ts import no vscode at run time) ----------

void test('capacity from TINYGOROOT/targets/<linkerscript>, INCLUDE resolved against TINYGOROOT', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-tinygoroot-'));
  try {
    fs.mkdirSync(path.join(root, 'targets'));
    for (const f of fs.readdirSync(path.join(FIXTURES, 'linkerscripts'))) fs.copyFileSync(path.join(FIXTURES, 'linkerscripts', f), path.join(root, 'targets', f));
    // feather-nrf52840: the S140 v6 SoftDevice and the UF2 bootloader are not the program's.
    assert.deepEqual(capacityFromRoot(root, 'targets/nrf52840-s140v6-uf2.ld').capacity, { flash: 0xed000 - 0x26000, ram: 0x20040000 - 0x20004180, stack: 2048 });
    assert.match(capacityFromRoot(root, 'targets/missing.ld').error ?? '', /cannot read the linker script/);
    fs.writeFileSync(path.join(root, 'targets', 'empty.ld'), 'SECTIONS { }\n');
    assert.match(capacityFromRoot(root, 'targets/empty.ld').error ?? '', /no FLASH_TEXT\/RAM/);
    const calls: string[][] = [];
    const exec: ExecFn = async (file, args) => {
      calls.push([file, ...args]);
      return { exitCode: 0, stdout: `${root}\n`, stderr: '', timedOut: false, cancelled: false, durationMs: 1 };
    };
    assert.equal(await tinygoRoot(exec, '/opt/tinygo-test/bin/tinygo'), root);
    assert.equal(await tinygoRoot(exec, '/opt/tinygo-test/bin/tinygo'), root);
    assert.deepEqual(calls, [['/opt/tinygo-test/bin/tinygo', 'env', 'TINYGOROOT']], 'asked once per tinygo');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

void test('build results: flags, -print-stacks text, allocation sites one per reason', () => {
  assert.equal(flagValue(['build', '-gc=none', '-o', 'x', '.'], 'gc'), 'none');
  assert.equal(flagValue(['build', '-scheduler', 'tasks', '.'], 'scheduler'), 'tasks');
  assert.equal(flagValue(['build', '.'], 'gc'), undefined);
  assert.equal(flagValue(undefined, 'gc'), undefined);
  const stacks = stacksOf({ success: true, stacks: 'function                         stack usage (in bytes)\nReset_Handler                    296\nmain.blink                       184\nmain.f                           recursive, main.f may call itself\n' });
  assert.deepEqual(stacks, [{ function: 'Reset_Handler', bytes: 296 }, { function: 'main.blink', bytes: 184 }, { function: 'main.f', note: 'recursive, main.f may call itself' }]);
  assert.equal(stacksOf({ success: true }), undefined);
  const sites = allocSitesOf(
    [{ file: '/w/main.go', line: 7, column: 3, reasons: ['escapes at line 8', 'size is not constant'] }, { reasonText: 'escapes at unknown line' }, { file: '/go/src/fmt/p.go', line: 2, reasonText: 'escapes at line 3' }],
    (f) => f.startsWith('/w/'),
    (f, line) => (f === '/w/main.go' && line === 7 ? 'main.main' : undefined),
  );
  assert.deepEqual(sites, [
    { file: '/w/main.go', line: 7, column: 3, reason: 'escapes at line 8', function: 'main.main', user: true },
    { file: '/w/main.go', line: 7, column: 3, reason: 'size is not constant', function: 'main.main', user: true },
    { reason: 'escapes at unknown line', user: false },
    { file: '/go/src/fmt/p.go', line: 2, reason: 'escapes at line 3', user: false },
  ]);
});

// ---- words for -print-stacks and -print-allocs (issue 14, items 8 and 9) -------------------------------------------

const FIXTURE_DIR = path.join(FIXTURES, '..', 'tinygo');

void test('every -print-stacks reason of real tinygo 0.39 and 0.33 output is explained with what to do, never shown raw alone', () => {
  const rows = [
    ...stacksOf({ success: true, stacks: fs.readFileSync(path.join(FIXTURE_DIR, 'print-stacks-0.39-feather-blinky.txt'), 'utf8') })!,
    ...stacksOf({ success: true, stacks: fs.readFileSync(path.join(FIXTURE_DIR, 'print-stacks-0.33.txt'), 'utf8') })!,
  ];
  const blink = rows.find((r) => r.function === 'main.blink' && r.note?.includes('nilPanic'))!;
  const text = explainStack(blink, 2048)!;
  assert.match(text, /TinyGo could not compute the most stack this goroutine needs: runtime\.nilPanic may call itself/);
  assert.match(text, /in TinyGo's runtime.*does not mean your code recurses/);
  assert.match(text, /main\.blink then gets the default goroutine stack \(2\.0 KB\)/);
  assert.match(text, /tinygo\.build\.stackSize/);
  assert.equal(stackCell(blink), 'no bound (recursion)');
  // A user function's recursion is not blamed on the runtime.
  assert.doesNotMatch(explainStack(rows.find((r) => r.function === 'main.readSensor')!)!, /runtime/);
  assert.match(explainStack(rows.find((r) => r.note?.includes('function pointer'))!)!, /main\.blink calls a function through a pointer/);
  assert.match(explainStack(rows.find((r) => r.note?.includes('frame information'))!)!, /machine\.I2C\.Tx has no stack frame information/);
  for (const r of rows) {
    if (r.bytes !== undefined) { assert.equal(explainStack(r), undefined); assert.equal(stackCell(r), `${r.bytes} B`); continue; }
    assert.match(explainStack(r)!, /stackSize/, r.function);
  }
  // Malformed or future reasons still get the advice, with TinyGo's words quoted.
  assert.match(explainStack({ function: 'main.x', note: 'unknown, something new' })!, /\("unknown, something new"\).*stackSize/);
  assert.match(explainStack({ function: 'main.x' })!, /could not compute.*stackSize/);
});

void test('allocation summary: the first-use case (no compiler allocation, five hints, goroutine stacks) says what each source knows', () => {
  const lines = allocSummary({
    allocs: [], hints: { lines: 5, confirmed: 0 },
    stacks: [{ function: 'Reset_Handler', note: 'recursive, runtime.nilPanic may call itself' }, { function: 'main.blink', note: 'recursive, runtime.nilPanic may call itself' }],
  });
  const all = lines.join(' ');
  assert.doesNotMatch(all, /kept every object|precision|recall|%/);
  assert.match(lines[0], /no heap allocation in your code that is in the firmware/);
  assert.match(lines[1], /Goroutine stacks are on the heap too.*\(1 here.*names the runtime's line for them, not your go statement/);
  assert.match(lines[2], /The editor marks 5 line\(s\) as possibly allocating; the compiler confirms 0\. The other 5 are code that is not in the firmware/);
});

void test('allocation summary: compiler allocations, all hints confirmed, library sites counted apart; nothing said without data', () => {
  const site = (user: boolean) => ({ reason: 'size is not constant', user, file: user ? '/p/main.go' : '/tinygo/src/runtime/slice.go', line: 3 });
  const lines = allocSummary({ allocs: [site(true), site(true), site(false)], hints: { lines: 2, confirmed: 2 } });
  assert.deepEqual(lines, [
    'The compiler reported 3 heap allocation(s) in the firmware (2 in your code): each one takes heap and garbage-collector time every time it runs.',
    'The compiler confirms all 2 line(s) the editor marks as allocating.',
  ]);
  assert.deepEqual(allocSummary({}), []);
  assert.match(allocSummary({ allocs: [site(true)] })[0], /^The compiler reported 1 heap allocation\(s\) in the firmware: /);
});

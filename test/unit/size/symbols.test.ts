import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { diffReports, elfSizeReport } from '../../../src/core/elf';
import { validatePanelData } from '../../../src/core/protocol';
import {
  filterSymbols, groupSymbols, largestSymbols, symbolChanges, symbolData, symbolLines, symbolRowsHtml, type PanelSymbol, type SymbolData,
} from '../../../src/core/size/symbols';
import { FIXTURE_DIR, MISSING, llvmTool, run } from '../elf/llvm';

const OLD = path.join(FIXTURE_DIR, 'feather-nrf52840-blinky-tinygo0.39.elf');
const NEW = path.join(FIXTURE_DIR, 'feather-nrf52840-blinky-echo-tinygo0.39.elf');
const read = (f: string) => elfSizeReport(f, fs.readFileSync(f));

void test('by section: each group sums to the section size llvm-size-19 -A prints; by package: flash and RAM add up to the firmware totals', (t) => {
  if (!llvmTool('size')) return t.skip(MISSING('size'));
  const r = read(NEW);
  const d = symbolData(r);
  const sysv = new Map(run('llvm-size-19', ['-A', NEW]).split('\n').flatMap((l) => {
    const m = /^(\.\S+)\s+(\d+)\s+\d+$/.exec(l);
    return m ? [[m[1]!, Number(m[2])] as const] : [];
  }));
  const bySection = groupSymbols(d, 'section');
  assert.ok(bySection.length >= 3);
  for (const g of bySection) assert.equal(g.size, sysv.get(g.key), g.key);
  const byPackage = groupSymbols(d, 'package');
  assert.equal(byPackage.reduce((n, g) => n + g.flash, 0), r.totals.flash);
  assert.equal(byPackage.reduce((n, g) => n + g.ram, 0), r.totals.ram);
  // The same numbers as the CLI's per-package table (attribution's packageTotals).
  for (const p of r.packages) {
    const g = byPackage.find((x) => x.key === p.package)!;
    assert.deepEqual([g.flash, g.ram], [p.flash, p.ram], p.package);
  }
  for (let i = 1; i < byPackage.length; i++) assert.ok(byPackage[i - 1]!.flash >= byPackage[i]!.flash, 'largest flash first');
  for (const g of byPackage) for (let i = 1; i < g.symbols.length; i++) assert.ok(g.symbols[i - 1]!.size >= g.symbols[i]!.size, `${g.key}: largest symbol first`);
});

void test('largest first: every named symbol llvm-nm-19 -S sizes (code and data), no gaps, in non-increasing size', (t) => {
  if (!llvmTool('nm')) return t.skip(MISSING('nm'));
  const d = symbolData(read(NEW));
  const largest = largestSymbols(d);
  assert.ok(!largest.some((s) => s.gap));
  for (let i = 1; i < largest.length; i++) assert.ok(largest[i - 1]!.size >= largest[i]!.size);
  const nm = new Map<string, number>();
  for (const l of run('llvm-nm-19', ['-S', NEW]).split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) [tTdDbBrR] (.*)$/.exec(l);
    if (m && Number.parseInt(m[2]!, 16) > 0) nm.set(`${Number.parseInt(m[1]!, 16)}\0${m[3]}`, Number.parseInt(m[2]!, 16));
  }
  // A symbol the panel lists is one llvm-nm lists, at the same address with the same size (aliases at one address
  // keep one name; a symbol sticking out of its section is clipped, which the fixtures do not have).
  for (const s of largest) assert.equal(nm.get(`${s.address}\0${s.name}`), s.size, s.name);
  const addresses = new Set(largest.map((s) => s.address));
  const missing = [...nm.keys()].filter((k) => !addresses.has(Number(k.split('\0')[0])));
  assert.deepEqual(missing, [], 'every llvm-nm address has a symbol in the list');
});

void test('filter: plain terms match name, package or section; pkg: and section: narrow to that field; every term must match', () => {
  const syms: PanelSymbol[] = [
    { name: 'fmt.Sprintf', package: 'fmt', section: '.text', size: 10, address: 0 },
    { name: 'main.main', package: 'main', section: '.text', size: 5, address: 10 },
    { name: 'main.buf', package: 'main', section: '.bss', size: 64, address: 0x2000 },
    { name: 'fmtish', package: 'main', section: '.data', size: 4, address: 0x2040 },
  ];
  const names = (f: string) => filterSymbols(syms, f).map((s) => s.name);
  assert.deepEqual(names(''), ['fmt.Sprintf', 'main.main', 'main.buf', 'fmtish']);
  assert.deepEqual(names('FMT'), ['fmt.Sprintf', 'fmtish']);
  assert.deepEqual(names('pkg:fmt'), ['fmt.Sprintf']);
  assert.deepEqual(names('section:.bss'), ['main.buf']);
  assert.deepEqual(names('main section:.text'), ['main.main']);
  assert.deepEqual(names('nothing-like-this'), []);
});

void test('lines: grouped views list heads, and symbols only under expanded groups (all of them while filtering); largest is flat and capped', () => {
  const d = symbolData(read(OLD));
  const collapsed = symbolLines(d, { grouping: 'package', filter: '', expanded: [] });
  assert.ok(collapsed.every((l) => l.kind === 'group'));
  const first = collapsed[0]!;
  assert.equal(first.kind, 'group');
  const key = first.kind === 'group' ? first.group.key : '';
  const open = symbolLines(d, { grouping: 'package', filter: '', expanded: [key] });
  assert.equal(open.length, collapsed.length + (first.kind === 'group' ? first.group.symbols.length : 0));
  const filtered = symbolLines(d, { grouping: 'section', filter: 'main.', expanded: [] });
  assert.ok(filtered.some((l) => l.kind === 'symbol') && filtered.every((l) => l.kind === 'group' ? l.expanded : l.symbol.name.toLowerCase().includes('main.') || l.symbol.package.includes('main.') || l.symbol.section.includes('main.')));
  const flat = symbolLines(d, { grouping: 'largest', filter: '', expanded: [] }, 50);
  assert.equal(flat.length, 50);
});

void test('changes between two real builds: the added/removed/changed symbols of the ELF diff, gaps left out, largest change first', () => {
  const oldR = read(OLD);
  const newR = read(NEW);
  const diff = diffReports(oldR, newR);
  const c = symbolChanges(diff);
  assert.equal(c.flash, newR.totals.flash - oldR.totals.flash);
  assert.equal(c.ram, newR.totals.ram - oldR.totals.ram);
  const of = (k: string) => c.changes.filter((x) => x.kind === k).map((x) => x.name).sort();
  assert.deepEqual(of('added'), diff.added.filter((s) => !s.gap).map((s) => s.name).sort());
  assert.deepEqual(of('removed'), diff.removed.filter((s) => !s.gap).map((s) => s.name).sort());
  assert.ok(of('added').length > 0, 'echo() adds symbols');
  for (const x of c.changes) {
    if (x.kind === 'added') assert.equal(x.old, 0);
    if (x.kind === 'removed') assert.equal(x.new, 0);
    if (x.kind === 'grown') assert.ok(x.new > x.old);
    if (x.kind === 'shrunk') assert.ok(x.new < x.old);
    assert.doesNotMatch(x.name, /^\((padding|unnamed|stack)\)$/);
  }
  for (let i = 1; i < c.changes.length; i++) {
    assert.ok(Math.abs(c.changes[i - 1]!.new - c.changes[i - 1]!.old) >= Math.abs(c.changes[i]!.new - c.changes[i]!.old));
  }
  assert.ok(c.changes.some((x) => x.name === 'main.main' && x.kind === 'grown'), 'main.main grew with echo()');
});

void test('panel data: a real ELF\'s symbols and diff pass the protocol\'s validation unchanged; malformed symbols are refused', () => {
  const d = symbolData(read(NEW), diffReports(read(OLD), read(NEW)));
  const v = validatePanelData({ symbols: d });
  assert.ok(v.ok, v.ok ? '' : v.error);
  assert.deepEqual(v.value.symbols, d);
  const good = d.symbols.find((s) => s.line)!;
  const bad: [string, (s: SymbolData) => unknown][] = [
    ['negative size', (s) => ({ ...s, symbols: [{ ...good, size: -1 }] })],
    ['line 0', (s) => ({ ...s, symbols: [{ ...good, line: 0 }] })],
    ['gap false', (s) => ({ ...s, symbols: [{ ...good, gap: false }] })],
    ['name not a string', (s) => ({ ...s, symbols: [{ ...good, name: 42 }] })],
    ['section class', (s) => ({ ...s, sections: [{ name: '.text', class: 'rodata', size: 1 }] })],
    ['change kind', (s) => ({ ...s, diff: { flash: 0, ram: 0, changes: [{ kind: 'moved', name: 'x', package: 'p', section: '.text', old: 1, new: 2 }] } })],
    ['diff flash not integer', (s) => ({ ...s, diff: { flash: 0.5, ram: 0, changes: [] } })],
    ['symbols not a list', (s) => ({ ...s, symbols: {} })],
    ['no elf', (s) => ({ sections: s.sections, symbols: [] })],
  ];
  for (const [what, mk] of bad) {
    const r = validatePanelData({ symbols: mk(d) });
    assert.equal(r.ok, false, what);
  }
});

void test('rows: names are escaped, only symbols with a file and a line carry them, exactly one row is in the tab order', () => {
  const syms: PanelSymbol[] = [
    { name: 'main.F[<script>]', package: 'main', section: '.text', size: 9, address: 0, file: '/w/a"b.go', line: 3 },
    { name: 'runtime.x', package: 'runtime', section: '.text', size: 8, address: 9, file: '/r/x.go' },
    { name: '(padding)', package: '(padding)', section: '.text', size: 2, address: 17, gap: true },
  ];
  const lines = symbolLines({ sections: [{ name: '.text', class: 'text', size: 19 }], symbols: syms }, { grouping: 'package', filter: '', expanded: ['main', 'runtime'] });
  const html = symbolRowsHtml(lines, 0, lines.length, 1);
  assert.ok(!html.includes('<script>'));
  assert.ok(html.includes('main.F[&lt;script&gt;]'));
  assert.equal((html.match(/data-file=/g) ?? []).length, 1);
  assert.ok(html.includes('data-file="/w/a&quot;b.go" data-line="3"'));
  assert.equal((html.match(/tabindex="0"/g) ?? []).length, 1);
  assert.equal((html.match(/<tr /g) ?? []).length, lines.length);
});

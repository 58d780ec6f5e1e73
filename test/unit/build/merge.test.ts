import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeText, assetsFromSource, createEngine, DEFAULT_TARGET_FACTS } from '../../../src/core/analysis';
import { formatAllocStats, mergeAllocs, type AllocHint } from '../../../src/core/build';
import { parseAllocs } from '../../../src/core/tinygo/allocs';
import { REAL, ROOT, real } from './helpers';

const PROG = path.join(REAL, '0.33.0', 'prog', 'main.go');

void test('real 0.33 -print-allocs against the real editing-time hints on the same file', async () => {
  // The compiler report was captured from tinygo 0.33.0 building prog/ in /tmp/cap/prog: point it at our copy.
  const report = parseAllocs(real('0.33.0', 'build-host-print-allocs-main', 'stderr').split('/tmp/cap/prog/').join(path.dirname(PROG) + '/'));
  assert.equal(report.allocs.length, 3);
  const engine = await createEngine(assetsFromSource(ROOT));
  const findings = analyzeText(engine, fs.readFileSync(PROG, 'utf8'), { target: DEFAULT_TARGET_FACTS }).filter((f) => f.family === 'alloc');
  const hints: AllocHint[] = findings.map((f) => ({ file: PROG, line: f.range.start.line + 1, ruleId: f.ruleId, message: f.message }));
  assert.ok(hints.some((h) => h.line === 18), 'the analysis hints the returned &point{} on line 18');

  const m = mergeAllocs(report.allocs, hints, [PROG]);
  const byLine = new Map(m.allocs.map((a) => [a.line, a]));
  assert.equal(byLine.get(18)?.status, 'confirmed');
  assert.equal(byLine.get(29)?.status, 'missed');
  assert.equal(byLine.get(30)?.status, 'missed');
  assert.deepEqual(byLine.get(18)?.reasons, ['escapes at line 18']);
  const hintLines = new Set(hints.map((h) => h.line)).size;
  assert.deepEqual(m.stats, { compilerLines: 3, hintLines, confirmedLines: 1, recall: 1 / 3, precision: 1 / hintLines });
  assert.ok(m.unconfirmed.every((h) => h.line !== 18));
  const line = formatAllocStats(m.stats);
  assert.match(line, new RegExp(`the compiler reported 3 line\\(s\\) in the files the editor checked, the editor marks ${hintLines} line\\(s\\), 1 on both`));
  assert.match(line, /2 compiler allocation\(s\) the editor does not mark/);
  assert.doesNotMatch(line, /precision|recall|%/);
});

void test('merge by line: several allocations and hints on a line, other files, unplaced positions', () => {
  const a = '/p/main.go';
  const b = '/p/other.go';
  const report = parseAllocs([
    `${a}:10:5: object allocated on the heap: escapes at line 11`,
    `${a}:10:2: object allocated on the heap: size is not constant`,
    `${a}:12: object allocated on the heap: object size 300 exceeds maximum stack allocation size 256`,
    `/goroot/src/fmt/print.go:3:1: object allocated on the heap: escapes at unknown line`,
    `-: object allocated on the heap: escapes at unknown line`,
  ].join('\n'));
  const hints: AllocHint[] = [
    { file: a, line: 10, ruleId: 'alloc-escape', message: '' },
    { file: '/p/./main.go', line: 10, ruleId: 'alloc-make-nonconst', message: '' },
    { file: b, line: 4, ruleId: 'alloc-map', message: '' },
  ];
  const m = mergeAllocs(report.allocs, hints, [a, b]);
  assert.equal(m.allocs.length, 3);
  const l10 = m.allocs.find((x) => x.file === a && x.line === 10);
  assert.equal(l10?.column, 2);
  assert.equal(l10?.reasons.length, 2);
  assert.equal(l10?.hints.length, 2);
  assert.equal(m.unplaced.length, 1);
  // fmt's allocation is shown but not counted: it is not in the hinted files.
  assert.deepEqual(m.stats, { compilerLines: 2, hintLines: 2, confirmedLines: 1, recall: 0.5, precision: 0.5 });
  const empty = mergeAllocs([], [], []);
  assert.equal(empty.stats.recall, undefined);
  assert.equal(empty.stats.precision, undefined);
  assert.equal(formatAllocStats(empty.stats), 'heap allocations: the compiler reported 0 line(s) in the files the editor checked, the editor marks 0 line(s), 0 on both');
  // The first-use report: five hints on code the firmware does not contain, nothing from the compiler.
  const firstUse = formatAllocStats({ compilerLines: 0, hintLines: 5, confirmedLines: 0, precision: 0 });
  assert.match(firstUse, /5 editor hint\(s\) with no allocation in this build \(code that is not in the firmware/);
  assert.doesNotMatch(firstUse, /precision|recall|n\/a|%/);
});

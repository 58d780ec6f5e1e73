/**
 * The gc half of tools/calibrate.ts on the alloc fixtures: `go build -gcflags=-m` must confirm a minimum share of the
 * hints it can observe. The figures are computed on every run and printed; only the floors are fixed, below what
 * the rules measured when this test was written (Go 1.26.8: 32 of 49 observable hints confirmed, 65%; alloc-escape and
 * alloc-closure 17 of 17). gc differs from TinyGo by design (make/large/map/conversion hints are TinyGo-only), so
 * the overall floor is loose; escape and closure hints are about the same escapes in both compilers, so theirs is
 * tight. Skipped when no `go` is on PATH. The tinygo half needs a real tinygo and minutes: `npm run calibrate`.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { calibrate, parseFile, type Judged } from '../../../tools/calibrate';
import { REPO_ROOT, testEngine } from './harness';

const OVERALL_FLOOR = 0.5;
const ESCAPE_CLOSURE_FLOOR = 0.85;

const goVersion = spawnSync('go', ['version'], { encoding: 'utf8' });
const haveGo = goVersion.status === 0;

function rate(hs: Judged[]): { confirmed: number; observable: number; share: number } {
  const confirmed = hs.filter((h) => h.status === 'confirmed').length;
  const observable = hs.filter((h) => h.status === 'confirmed' || h.status === 'not-confirmed').length;
  return { confirmed, observable, share: observable === 0 ? 0 : confirmed / observable };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

void test('gc -m confirms the alloc hints it can observe (calibration floor)', { skip: haveGo ? false : 'no go on PATH', timeout: 120_000 }, async (t) => {
  const r = await calibrate({ repoRoot: REPO_ROOT, dirs: ['alloc'], example: false, tinygo: [] });
  const hints = r.gc.hints;
  assert.ok(hints.length >= 20, `expected the alloc fixtures to produce hints, got ${hints.length}`);
  assert.deepEqual(hints.filter((h) => h.status === 'not-compiled').map((h) => `${h.file}:${h.line}`), [], 'the alloc fixtures must compile with gc');

  const all = rate(hints);
  const ec = rate(hints.filter((h) => h.ruleId === 'alloc-escape' || h.ruleId === 'alloc-closure'));
  t.diagnostic(`${r.go}`);
  t.diagnostic(`measured: ${all.confirmed}/${all.observable} observable hints confirmed by gc = ${pct(all.share)} (floor ${pct(OVERALL_FLOOR)})`);
  t.diagnostic(`measured: alloc-escape + alloc-closure ${ec.confirmed}/${ec.observable} = ${pct(ec.share)} (floor ${pct(ESCAPE_CLOSURE_FLOOR)})`);
  for (const row of r.gc.perRule.filter((x) => x.hints > 0 || x.missed > 0)) {
    t.diagnostic(`  ${row.rule}: ${row.hints} hints, ${row.confirmed} confirmed, ${row.notConfirmed} not confirmed, ${row.notObservable} not observable, ${row.missed} gc allocations missed`);
  }
  t.diagnostic(`recall: ${r.gc.allocationsPredicted}/${r.gc.allocations} gc allocations predicted`);

  assert.ok(ec.observable > 0, 'no observable escape/closure hints');
  assert.ok(all.share >= OVERALL_FLOOR, `gc confirms ${pct(all.share)} of the observable hints, below the floor ${pct(OVERALL_FLOOR)}:\n` +
    hints.filter((h) => h.status === 'not-confirmed').map((h) => `  ${h.file}:${h.line} ${h.ruleId}: ${h.reason}`).join('\n'));
  assert.ok(ec.share >= ESCAPE_CLOSURE_FLOOR, `gc confirms ${pct(ec.share)} of the escape/closure hints, below ${pct(ESCAPE_CLOSURE_FLOOR)}:\n` +
    hints.filter((h) => (h.ruleId === 'alloc-escape' || h.ruleId === 'alloc-closure') && h.status === 'not-confirmed').map((h) => `  ${h.file}:${h.line} ${h.ruleId}: ${h.reason}`).join('\n'));
  // Goroutine starts are never in gc's report: they must not be counted against the rules.
  assert.ok(hints.filter((h) => h.ruleId === 'alloc-goroutine').every((h) => h.status === 'not-observable'));
});

void test('the calibration counts a line as suppressed exactly when the extension silences an allocation hint there', async () => {
  const text = [
    'package p',
    'func f(x, y int, m map[int]int) {',
    '\tp := &x // tinygo-workbench:ignore alloc-escape',
    '\t// tinygo-workbench:ignore alloc',
    '\tq := &y',
    '\tr := &x // tinygo-workbench:ignore sync-pool-copy',
    '\tpool.Put(x) // tinygo-workbench:ignore pool -- a pool claim is an allocation claim too',
    '\ts := &y // tinygo-workbench:ignore alloc-escape!',
    '\t_, _, _, _ = p, q, r, s',
    '}',
  ].join('\n');
  const pf = parseFile(await testEngine(), text);
  try {
    // 1-based: 3 (trailing, names the rule), 4-5 (own line, the family, and the line below), 7 (the pool family).
    // Not 6 (another rule) nor 8 (not a list the extension accepts).
    assert.deepEqual([...pf.suppressed].sort((a, b) => a - b), [3, 4, 5, 7]);
  } finally {
    pf.tree.delete();
  }
});

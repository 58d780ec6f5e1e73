import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { suppressionsIn, type Finding, type Suppressible } from '../../../src/core/analysis';
import { applySuppressions } from '../../../src/core/analysis/suppress';

const escape: Suppressible = { ruleId: 'alloc-escape', family: 'alloc' };
const map: Suppressible = { ruleId: 'alloc-map', family: 'alloc' };
const put: Suppressible = { ruleId: 'pool-put-not-pointer', family: 'pool' };

/** The 0-based lines of `text` on which a finding of `f` is silenced. */
function silencedLines(text: string, f: Suppressible): number[] {
  const silenced = suppressionsIn(text);
  return text.split('\n').flatMap((_, i) => (silenced(i, f) ? [i] : []));
}

void test('a trailing comment silences its own line only, for the rules and families it names', () => {
  const text = [
    'p := &x // tinygo-workbench:ignore alloc-escape -- kept for the life of the program',
    'q := &y',
    'm := map[int]int{} // tinygo-workbench:ignore alloc',
    'pool.Put(v) // tinygo-workbench:ignore alloc-map, pool-put-not-pointer',
  ].join('\n');
  assert.deepEqual(silencedLines(text, escape), [0, 2]);
  assert.deepEqual(silencedLines(text, map), [2, 3]);
  assert.deepEqual(silencedLines(text, put), [3]);
});

void test('a comment alone on its line silences the line below; no list or "all" silences every rule', () => {
  const text = [
    '\t// tinygo-workbench:ignore',
    'p := &x',
    'q := &y',
    '// tinygo-workbench:ignore all -- generated',
    'pool.Put(v)',
    '// tinygo-workbench:ignore pool',
    'm := map[int]int{}',
  ].join('\n');
  assert.deepEqual(silencedLines(text, escape), [0, 1, 3, 4]);
  assert.deepEqual(silencedLines(text, put), [0, 1, 3, 4, 5, 6]);
});

void test('malformed or misplaced markers silence nothing', () => {
  const text = [
    's := "// tinygo-workbench:ignore alloc" + x',
    'p := &x // tinygo-workbench:ignorealloc',
    'q := &y // tinygo-workbench:ignore alloc-escape!',
    'r := &z // tinygo-workbench:ignore alloc-map',
    't := &w',
  ].join('\n');
  // Line 0: the marker is inside a string, but the regexp reads from the last `//` before it; the list is then
  // `alloc" + x`, which is not a list. Line 3 silences only alloc-map, and a trailing comment not the line below.
  assert.deepEqual(silencedLines(text, escape), []);
  assert.deepEqual(silencedLines(text, map), [3]);
  assert.equal(suppressionsIn('p := &x')(0, escape), false);
  assert.equal(suppressionsIn('// tinygo-workbench:ignore\n')(5, escape), false, 'a line past the end');
});

void test('applySuppressions drops exactly the silenced findings', () => {
  const at = (line: number, f: Suppressible): Finding => ({ ...f, message: '', severity: 'hint',
    range: { start: { line, character: 0 }, end: { line, character: 1 } } });
  const text = 'p := &x // tinygo-workbench:ignore alloc-escape\nm := map[int]int{}';
  const findings = [at(0, escape), at(0, map), at(1, map)];
  assert.deepEqual(applySuppressions(text, findings), [findings[1], findings[2]]);
});

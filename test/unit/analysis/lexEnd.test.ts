// The closer given to the parser after a document whose raw string or block comment is left open (lexEnd.ts), and
// DocumentTrees keeping its trees right while the closer comes and goes with the user's edits.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeText, DEFAULT_TARGET_FACTS, DocumentTrees, type ContentChange } from '../../../src/core/analysis';
import { closerAtEnd } from '../../../src/core/analysis/lexEnd';
import { testEngine } from './harness';

const opts = { target: DEFAULT_TARGET_FACTS };

void test('closerAtEnd: a backquote or a block comment left open at the end, as tree-sitter pairs them', () => {
  const cases: [string, string, string][] = [
    ['package p\nvar s = `a\nb`\n', '', 'closed raw strings'],
    ['package p\nvar s = `a\n', '`', 'a raw string left open'],
    ['package p\n// it`s\nvar x = 1\n', '', 'a backquote in a line comment'],
    ['package p\n/* `a */\nvar x = 1\n', '', 'a backquote in a block comment'],
    ['package p\n/* open\nvar x = 1\n', '*/', 'a block comment left open'],
    ['package p\nvar u = `http://x` + `', '`', '// inside a raw string is not a comment'],
    ['package p\nvar s = `/*`\n', '', '/* inside a raw string is not a comment'],
    ['package p\nvar q = "`"\n', '`', 'a backquote in quotes counts: tree-sitter in error recovery takes it for a raw string'],
    ['package p\n// last line without newline `', '', 'a line comment up to the end'],
    ['', '', 'an empty document'],
  ];
  for (const [text, want, why] of cases) assert.equal(closerAtEnd(text), want, why);
});

/** A VS Code-shaped change replacing [start, end) of `text` by `insert`. */
function change(text: string, start: number, end: number, insert: string): ContentChange {
  const pos = (o: number) => { const before = text.slice(0, o).split('\n'); return { line: before.length - 1, character: before[before.length - 1].length }; };
  return { range: { start: pos(start), end: pos(end) }, rangeOffset: start, rangeLength: end - start, text: insert };
}

const SRC = `package p

import "reflect"

func a(x any) {
	reflect.ValueOf(x).MethodByName("F")
}

func b() {
	x := 1
	_ = x
}

func c(x any) {
	reflect.ValueOf(x).MethodByName("G")
}
`;

void test('DocumentTrees: a backquote typed alone, the string typed on, closed and removed: each tree is a fresh parse of the text and its closer', async () => {
  const e = await testEngine();
  const trees = new DocumentTrees(e.parser);
  let text = SRC;
  let version = 1;
  let st = trees.open('d', version, text);
  assert.equal(st.closer, '');
  const baseline = JSON.stringify(analyzeText(e, text, opts));
  assert.deepEqual(JSON.parse(baseline).map((f: { range: { start: { line: number } } }) => f.range.start.line), [5, 14]);
  const at = SRC.indexOf('x := 1') + 'x := '.length;
  const steps: [number, number, string, string][] = [
    [at, at, '`', '`'], // opens a raw string to the end of the file
    [at + 1, at + 1, 'abc', '`'], // typed on inside it
    [at + 4, at + 4, '`', ''], // closed
    [at, at + 5, '', ''], // removed
  ];
  for (const [from, to, insert, closer] of steps) {
    const c = change(text, from, to, insert);
    text = text.slice(0, from) + insert + text.slice(to);
    st = trees.update('d', ++version, [c], text);
    assert.equal(st.closer, closer, `closer after inserting ${JSON.stringify(insert)} at ${from}`);
    assert.equal(st.tree.rootNode.endIndex, text.length + closer.length);
    const fresh = e.parser.parse(text + closer);
    assert.equal(st.tree.rootNode.toString(), fresh.rootNode.toString(), `tree after inserting ${JSON.stringify(insert)} at ${from}`);
    fresh.delete();
    // The memoised analysis of the incremental tree equals a fresh analysis of the text.
    assert.deepEqual(JSON.stringify(e.analyzer.analyze(st.tree, st.text, opts, st.memo)), JSON.stringify(analyzeText(e, text, opts)));
    if (closer) {
      // Read as Go reads it: the rest of the file is one raw string, so func c's finding is gone, a's stays.
      const last = st.tree.rootNode.descendantForIndex(text.length - 2);
      let inString = false;
      for (let n: typeof last = last; n; n = n.parent) if (n.type === 'raw_string_literal') inString = true;
      assert.ok(inString, 'the end of the file is inside the raw string');
      assert.deepEqual(analyzeText(e, text, opts).map((f) => f.range.start.line), [5]);
    }
  }
  assert.equal(text, SRC);
  assert.equal(JSON.stringify(analyzeText(e, text, opts)), baseline);
  trees.dispose();
});

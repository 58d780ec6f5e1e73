import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { analyzeText, DEFAULT_TARGET_FACTS, DocumentTrees, ParseTimeoutError, type ContentChange, type Finding } from '../../../src/core/analysis';
import { testEngine } from './harness';

const opts = { target: DEFAULT_TARGET_FACTS };
const SRC = `package p

import "reflect"

func a(x any) {
	reflect.ValueOf(x).MethodByName("F")
}

func b() {}
`;

function offsetAt(text: string, line: number, character: number): number {
  const lines = text.split('\n');
  let o = 0;
  for (let i = 0; i < line; i++) o += lines[i].length + 1;
  return o + character;
}

/** A VS Code-shaped change replacing [start, end) of `text` by `insert`. */
function change(text: string, start: number, end: number, insert: string): ContentChange {
  const pos = (o: number) => { const before = text.slice(0, o).split('\n'); return { line: before.length - 1, character: before[before.length - 1].length }; };
  return { range: { start: pos(start), end: pos(end) }, rangeOffset: start, rangeLength: end - start, text: insert };
}

const brief = (fs: Finding[]) => fs.map((f) => `${f.ruleId}@${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`);

void test('the reflect finding lands on the method name', async () => {
  const e = await testEngine();
  const found = analyzeText(e, SRC, opts);
  assert.deepEqual(brief(found), ['reflect-unsupported@5:20-5:32']);
  assert.match(found[0].message, /^`reflect\.Value\.MethodByName` is not implemented in TinyGo/);
  assert.equal(found[0].severity, 'error');
});

void test('rule settings turn a rule off or change its severity', async () => {
  const e = await testEngine();
  assert.equal(analyzeText(e, SRC, { ...opts, rules: { 'reflect-unsupported': { enabled: false } } }).length, 0);
  assert.equal(analyzeText(e, SRC, { ...opts, rules: { 'reflect-unsupported': { severity: 'hint' } } })[0].severity, 'hint');
});

void test('the same tree analysed for another target gets that target\'s findings (rules share results per declaration, not per tree)', async () => {
  // The unsupported rules once kept their scan of the last declaration in a module variable keyed by the tree and
  // node: a file with one function, analysed again on the same tree for a target without a scheduler, reused the scan
  // made for a target with one, and the goroutine error went missing.
  const e = await testEngine();
  const src = 'package p\n\nfunc f() {\n\tgo g()\n}\n';
  const tree = e.parser.parse(src);
  try {
    const withScheduler = e.analyzer.analyze(tree, src, { target: { ...DEFAULT_TARGET_FACTS, scheduler: 'tasks' as const } });
    assert.deepEqual(withScheduler.map((f) => f.ruleId), ['alloc-goroutine']);
    const none = { target: { ...DEFAULT_TARGET_FACTS, scheduler: 'none' as const } };
    assert.deepEqual(brief(e.analyzer.analyze(tree, src, none)), brief(analyzeText(e, src, none)));
    assert.deepEqual(e.analyzer.analyze(tree, src, none).map((f) => f.ruleId), ['unsupported-goroutine-no-scheduler']);
  } finally {
    tree.delete();
  }
});

void test('incremental edits give the same tree and findings as a fresh parse, and reuse untouched declarations', async () => {
  const e = await testEngine();
  const trees = new DocumentTrees(e.parser, 4);
  let text = SRC;
  let st = trees.open('u', 1, text);
  e.analyzer.analyze(st.tree, st.text, opts, st.memo);
  // Insert three lines above func a: the finding must move down by three lines without re-running func a.
  const at = text.indexOf('func a');
  const c1 = change(text, at, at, '// one\n// two\n// three\n');
  text = text.slice(0, at) + c1.text + text.slice(at);
  st = trees.update('u', 2, [c1], text);
  const missesBefore = st.memo.misses;
  const moved = e.analyzer.analyze(st.tree, st.text, opts, st.memo);
  assert.deepEqual(brief(moved), ['reflect-unsupported@8:20-8:32']);
  assert.equal(st.memo.misses - missesBefore, 0, 'no declaration text changed, so nothing is re-analysed');
  assert.equal(st.tree.rootNode.toString(), e.parser.parse(text).rootNode.toString());
  // Rename the method: the finding goes away, and only func a is re-analysed.
  const m = text.indexOf('MethodByName');
  const c2 = change(text, m, m + 'MethodByName'.length, 'FieldByName');
  text = text.slice(0, m) + 'FieldByName' + text.slice(m + 'MethodByName'.length);
  st = trees.update('u', 3, [c2], text);
  const misses2 = st.memo.misses;
  assert.deepEqual(e.analyzer.analyze(st.tree, st.text, opts, st.memo), []);
  assert.equal(st.memo.misses - misses2, 1);
  trees.dispose();
  assert.equal(trees.size, 0);
});

void test('a new target (or TinyGo version) re-analyses a document whose text did not change: no finding keeps the old facts (issue 14.1)', async () => {
  const e = await testEngine();
  const trees = new DocumentTrees(e.parser, 4);
  const st = trees.open('u', 1, SRC);
  const first = e.analyzer.analyze(st.tree, st.text, { target: { ...DEFAULT_TARGET_FACTS, tinygoVersion: '0.40.0' } }, st.memo);
  assert.match(first[0].message, /TinyGo 0\.40\.0/);
  // Same tree, same memo (as the editor keeps them), the toolchain now says 0.39.0.
  const second = e.analyzer.analyze(st.tree, st.text, { target: { ...DEFAULT_TARGET_FACTS, tinygoVersion: '0.39.0' } }, st.memo);
  assert.equal(second.length, first.length);
  assert.match(second[0].message, /TinyGo 0\.39\.0/);
  assert.doesNotMatch(second.map((f) => f.message).join('\n'), /0\.40\.0/);
  trees.dispose();
});

void test('several changes in one event are applied in order', async () => {
  const e = await testEngine();
  const trees = new DocumentTrees(e.parser);
  let text = SRC;
  trees.open('u', 1, text);
  const changes: ContentChange[] = [];
  for (const [from, to] of [['func b', 'func bb'], ['func a', 'func aa']]) {
    const i = text.indexOf(from);
    changes.push(change(text, i, i + from.length, to));
    text = text.slice(0, i) + to + text.slice(i + from.length);
  }
  const st = trees.update('u', 2, changes, text);
  assert.equal(st.tree.rootNode.toString(), e.parser.parse(text).rootNode.toString());
  assert.equal(st.text, text);
  trees.dispose();
});

void test('a copy that drifted from the editor is re-parsed from the editor text', async () => {
  const e = await testEngine();
  const trees = new DocumentTrees(e.parser);
  trees.open('u', 1, SRC);
  const truth = SRC.replace('MethodByName', 'FieldByName');
  // A change event that does not explain the new text (e.g. one was missed).
  const st = trees.update('u', 5, [change(SRC, 0, 0, '')], truth);
  assert.equal(st.text, truth);
  assert.deepEqual(e.analyzer.analyze(st.tree, st.text, opts, st.memo), []);
  trees.dispose();
});

void test('the tree cache is bounded and evicts the least recently used document', async () => {
  const e = await testEngine();
  const trees = new DocumentTrees(e.parser, 2);
  trees.open('a', 1, SRC); trees.open('b', 1, SRC);
  trees.update('a', 2, [], SRC); // touch a
  trees.open('c', 1, SRC);
  assert.equal(trees.size, 2);
  assert.ok(trees.get('a') && trees.get('c') && !trees.get('b'));
  trees.dispose();
});

void test('a parse that runs past its time-out is cancelled, and the parser still works afterwards', async () => {
  const e = await testEngine();
  const huge = 'package p\n' + 'func f() { x := []int{1, 2, 3}; _ = x }\n'.repeat(200_000);
  assert.throws(() => e.parser.parse(huge, null, 1), ParseTimeoutError);
  assert.deepEqual(brief(analyzeText(e, SRC, opts)), ['reflect-unsupported@5:20-5:32']);
});

void test('broken Go never throws and reports nothing inside the broken region', async () => {
  const e = await testEngine();
  const broken = `package p

import "reflect"

func a(x any) {
	reflect.ValueOf(x).MethodByName("F"
	for {
}

func ok(x any) {
	reflect.ValueOf(x).MethodByName("G")
}
`;
  const found = analyzeText(e, broken, opts);
  for (const f of found) assert.ok(f.range.start.line >= 9, `finding in the broken region: ${brief([f])}`);
  // Random truncations and garbage: no exception.
  for (let cut = 0; cut < SRC.length; cut += 7) analyzeText(e, SRC.slice(0, cut), opts);
  analyzeText(e, '\u0000\uffff}{)(func func import "', opts);
});

void test('every line of a real Go file can be deleted and retyped through incremental updates', async () => {
  const e = await testEngine();
  const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  const file = path.join(goroot, 'src', 'sort', 'sort.go');
  const original = fs.readFileSync(file, 'utf8');
  const trees = new DocumentTrees(e.parser);
  let text = original;
  let st = trees.open('s', 1, text);
  const baseline = brief(e.analyzer.analyze(st.tree, st.text, opts, st.memo));
  let version = 1;
  for (let line = 0; line < 60; line += 3) {
    const start = offsetAt(text, line, 0);
    const end = text.indexOf('\n', start) + 1;
    const removed = text.slice(start, end);
    const del = change(text, start, end, '');
    text = text.slice(0, start) + text.slice(end);
    st = trees.update('s', ++version, [del], text);
    const ins = change(text, start, start, removed);
    text = text.slice(0, start) + removed + text.slice(start);
    st = trees.update('s', ++version, [ins], text);
  }
  assert.equal(text, original);
  assert.equal(st.tree.rootNode.toString(), e.parser.parse(original).rootNode.toString());
  assert.deepEqual(brief(e.analyzer.analyze(st.tree, st.text, opts, st.memo)), baseline);
  trees.dispose();
});

/**
 * The memo must never change a result: after every edit, the incremental analysis (memoised findings, re-merged
 * file facts, dependency-tracked invalidation, top-level nodes outside the edit taken from the last analysis)
 * equals an analysis of the same tree without memo, and a fresh analysis where the text is valid Go. The edits are random
 * (seeded), half of them inside the declarations the file facts come from (types, constants, variables, imports,
 * Reset methods, `p.New =` lines), where a stale memo would show; some are analysed only every few edits, as the
 * debounced editor does.
 */
void test('memoised analysis equals a fresh analysis after random edits, including edits to the file facts', async () => {
  const e = await testEngine();
  const files = ['pool/put.go', 'pool/copy.go', 'pool/get.go', 'pool/useafter.go', 'alloc/escape.go', 'alloc/make.go', 'alloc/box.go', 'unsupported/cgo/cgo.go']
    .map((f) => path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'analysis', f)).filter((f) => fs.existsSync(f));
  assert.ok(files.length >= 7, 'fixture files are present');
  // And a large real file (fewer edits: each check re-analyses it from scratch).
  files.push(path.join(execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim(), 'src', 'net', 'http', 'server.go'));
  let seed = Number(process.env.TGW_MEMO_SEED ?? 7);
  const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  const full = (fs: Finding[]) => fs.map((f) => `${brief([f])[0]} ${f.severity} ${f.message}`);
  let checks = 0; let factEdits = 0;
  for (const file of files) {
    const original = fs.readFileSync(file, 'utf8');
    const target = { ...opts };
    const trees = new DocumentTrees(e.parser);
    let text = original;
    let st = trees.open('m', 1, text);
    e.analyzer.analyze(st.tree, st.text, target, st.memo);
    let version = 1;
    const edits = original.length > 20_000 ? 45 : 160;
    let visited = 0; let nodes = 0;
    for (let i = 0; i < edits; i++) {
      // Where: half the time inside a fact declaration (found by text), else anywhere.
      const factRe = /^(type|const|var|import)\b[\s\S]*?^\S|^func \([^)]*\) Reset\(|\w+\.New\s*=/gm;
      const spans = [...text.matchAll(factRe)].map((mm) => [mm.index, mm.index + mm[0].length] as const);
      let at: number;
      if (spans.length > 0 && rnd() < 0.5) {
        const [a, b] = spans[Math.floor(rnd() * spans.length)];
        at = a + Math.floor(rnd() * Math.max(1, b - a));
        factEdits++;
      } else {
        at = Math.floor(rnd() * text.length);
      }
      const chars = 'aZ_09*[]{} \n\n.:=&"`/';
      const del = rnd() < 0.4 && at < text.length ? 1 : 0;
      const ins = del && rnd() < 0.5 ? '' : chars[Math.floor(rnd() * chars.length)];
      const c = change(text, at, at + del, ins);
      text = text.slice(0, at) + ins + text.slice(at + del);
      st = trees.update('m', ++version, [c], text);
      if (i % 3 === 2) continue; // several edits between two analyses
      const got = full(e.analyzer.analyze(st.tree, st.text, target, st.memo));
      // Against an analysis without memo of the same tree: in broken code tree-sitter's incremental tree can differ
      // from a fresh parse of the same text (error recovery), and the memo must follow the tree it is given.
      const want = full(e.analyzer.analyze(st.tree, st.text, target));
      assert.deepEqual(got, want, `${path.basename(file)} after edit ${i} at ${at}`);
      if (!st.tree.rootNode.hasError) {
        // Where the text is valid Go, the incremental tree is the fresh one, so this is also a fresh analysis.
        assert.deepEqual(got, full(analyzeText(e, text, target)), `${path.basename(file)} after edit ${i} at ${at} (valid text)`);
      }
      checks++;
      visited += st.memo.lastVisited; nodes += st.memo.kids?.entries.length ?? 0;
    }
    trees.dispose();
    // The top-level nodes outside the edited region are taken from the last analysis, not read from the tree.
    if (original.length > 20_000) assert.ok(visited < nodes / 2, `${path.basename(file)}: read ${visited} of ${nodes} top-level nodes`);
  }
  assert.ok(checks > 800 && factEdits > 150, `${checks} checks, ${factEdits} edits in fact declarations`);
});

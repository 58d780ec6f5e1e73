import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Node, Tree } from 'web-tree-sitter';
import { analyzeText, DEFAULT_TARGET_FACTS, type AnalysisEngine } from '../../../src/core/analysis';
import { declFacts, LazyConsts, mergeFacts, type FileFacts } from '../../../src/core/analysis/fileFacts';
import { ALLOC_KINDS, allocPrefilter, scan, Scan, type CandidateKind } from '../../../src/core/analysis/rules/allocCandidates';
import { fixtureFiles, testEngine } from './harness';

/**
 * One example per kind of allocation candidate: a file whose one function has a candidate of that kind, and findings
 * only of that kind's rules. A kind added to ALLOC_KINDS without an example here fails the first test.
 */
const EXAMPLES: Record<string, string> = {
  'address-of': 'package p\ntype T struct{ a, b int }\nfunc f() *T {\n\tt := T{}\n\treturn &t\n}\n',
  'builtin call (make, new, append, string, any)': 'package p\nfunc f(n int) []int {\n\treturn make([]int, n)\n}\n',
  'fmt/log call with ...any parameters': 'package p\nimport "fmt"\ntype B struct{ a, b, c int }\nfunc f(b B) {\n\tfmt.Println(b)\n}\n',
  'conversion to []byte/[]rune or to an interface type': 'package p\nfunc f(s string) []byte {\n\treturn []byte(s)\n}\n',
  'composite literal of a map, array or slice type': 'package p\nfunc f() map[string]int {\n\treturn map[string]int{"a": 1}\n}\n',
  'local variable of an array type': 'package p\nfunc f() byte {\n\tvar buf [4096]byte\n\treturn buf[0]\n}\n',
  'go statement': 'package p\nfunc f() {\n\tgo g()\n}\nfunc g() {}\n',
  'func literal': 'package p\nfunc f(x int) func() int {\n\tg := func() int { return x }\n\treturn g\n}\n',
  'string concatenation assignment': 'package p\nfunc f(xs []string) string {\n\ts := ""\n\tfor _, x := range xs {\n\t\ts = s + x\n\t}\n\treturn s\n}\n',
};

/**
 * Bodies the hand-written pre-filter this table replaced let through to nothing: it looked for `]T{`, `[]byte(`,
 * `make(` and `.Println` written one way, and dropped the rest before the scan could find them.
 */
const ONCE_DROPPED: { src: string; rule: string }[] = [
  { src: 'package p\nfunc f(c1, c2 chan int) []chan int {\n\treturn []chan int{c1, c2}\n}\n', rule: 'alloc-escape' },
  { src: 'package p\ntype L[T any] struct{ a, b, c T }\nfunc f(x, y L[int]) []L[int] {\n\treturn []L[int]{x, y}\n}\n', rule: 'alloc-escape' },
  { src: 'package p\nfunc f(s string) []byte {\n\treturn ([]byte)(s)\n}\n', rule: 'alloc-string-conversion' },
  { src: 'package p\nfunc f(n int) []int {\n\treturn make /* n elements */ ([]int, n)\n}\n', rule: 'alloc-make-nonconst' },
  { src: 'package p\nimport "fmt"\ntype B struct{ a, b, c int }\nfunc f(b B) {\n\tfmt. /* out */ Println(b)\n}\n', rule: 'alloc-interface-box' },
];

/** The file facts of a parsed file, as the engine merges them (what the scan reads: the imports). */
function factsOf(tree: Tree): FileFacts {
  const kids = tree.rootNode.namedChildren.filter((n): n is Node => !!n);
  const merged = mergeFacts(kids.map((n) => declFacts(n, n.type, n.text)), kids.map((n) => n.text), '');
  return { ...merged.facts, packageConsts: new LazyConsts(merged.constNames, () => []) };
}

/** For each top-level function of `src`: its body's text and the kinds of candidate the scan finds in it. */
function scanFunctions(e: AnalysisEngine, src: string): { name: string; body: string; kinds: Set<CandidateKind> }[] {
  const tree = e.parser.parse(src);
  try {
    const file = factsOf(tree);
    const out: { name: string; body: string; kinds: Set<CandidateKind> }[] = [];
    for (const d of tree.rootNode.namedChildren) {
      if (!d || (d.type !== 'function_declaration' && d.type !== 'method_declaration')) continue;
      const body = d.childForFieldName('body');
      if (!body) continue;
      const s = scan(new Scan(d, d.text, d.startIndex, true, file));
      const kinds = new Set(s.sorted().flatMap((f) => (typeof f.kind === 'string' ? [] : [f.kind])));
      out.push({ name: d.childForFieldName('name')?.text ?? '?', body: body.text, kinds });
    }
    return out;
  } finally {
    tree.delete();
  }
}

void test('every kind of allocation candidate has an example: its trigger passes it, the scan finds it, its rules report it', async () => {
  const e = await testEngine();
  const names = ALLOC_KINDS.map((k) => k.name);
  assert.equal(new Set(names).size, names.length, 'two kinds with one name');
  for (const kind of ALLOC_KINDS) {
    const src = EXAMPLES[kind.name];
    assert.ok(src, `no example for the kind "${kind.name}": add one to EXAMPLES`);
    const [fn] = scanFunctions(e, src);
    assert.ok(new RegExp(kind.trigger, 'u').test(fn.body) || !!kind.slowTrigger?.test(fn.body), `${kind.name}: its trigger misses ${fn.body}`);
    assert.ok(allocPrefilter(fn.body), `${kind.name}: the pre-filter drops ${fn.body}`);
    assert.ok(fn.kinds.has(kind), `${kind.name}: the scan finds no candidate of this kind in ${fn.body}`);
    const alloc = analyzeText(e, src, { target: DEFAULT_TARGET_FACTS }).filter((f) => f.family === 'alloc');
    assert.ok(alloc.length > 0, `${kind.name}: no finding for ${src}`);
    for (const f of alloc) assert.ok((kind.rules as readonly string[]).includes(f.ruleId), `${kind.name}: ${f.ruleId} is not one of its rules`);
  }
});

void test('the pre-filter passes every body in which the scan finds a candidate (fixtures, examples, once-dropped shapes)', async () => {
  const e = await testEngine();
  const sources = [
    ...fixtureFiles().map((f) => ({ name: path.basename(f), src: fs.readFileSync(f, 'utf8') })),
    ...Object.entries(EXAMPLES).map(([name, src]) => ({ name, src })),
    ...ONCE_DROPPED.map((x, i) => ({ name: `once dropped #${i}`, src: x.src })),
  ];
  let bodies = 0;
  for (const { name, src } of sources) {
    for (const fn of scanFunctions(e, src)) {
      if (fn.kinds.size === 0) continue;
      bodies++;
      assert.ok(allocPrefilter(fn.body), `${name}: ${fn.name}: the scan finds ${[...fn.kinds].map((k) => k.name).join(', ')}, the pre-filter drops the body`);
    }
  }
  assert.ok(bodies > 50, `only ${bodies} bodies with candidates: the fixtures were not read`);
});

void test('shapes the old pre-filter dropped are reported', async () => {
  const e = await testEngine();
  for (const { src, rule } of ONCE_DROPPED) {
    const found = analyzeText(e, src, { target: DEFAULT_TARGET_FACTS }).map((f) => f.ruleId);
    assert.deepEqual(found, [rule], src);
  }
});

void test('a body without any trigger is skipped, and one with a trigger only in a comment is scanned to nothing', async () => {
  const e = await testEngine();
  const plain = 'package p\nfunc f(a []int, i int) int {\n\tif a[i] > 0 {\n\t\treturn a[i] * 2\n\t}\n\treturn 0\n}\n';
  const [fn] = scanFunctions(e, plain);
  assert.equal(allocPrefilter(fn.body), false);
  const commented = 'package p\nfunc f(n int) int {\n\t// make([]int, n) would allocate\n\treturn n\n}\n';
  const [c] = scanFunctions(e, commented);
  assert.equal(allocPrefilter(c.body), true);
  assert.equal(c.kinds.size, 0);
  assert.deepEqual(analyzeText(e, commented, { target: DEFAULT_TARGET_FACTS }), []);
});

/**
 * The bundle carries web-tree-sitter patched for cheaper node calls (scripts/patch-web-tree-sitter.cjs). These tests
 * load the patched text as a second runtime beside the original and compare them node by node on real Go: every
 * answer the analysis relies on must be the same. And a web-tree-sitter whose text is not the expected one must
 * fail the patch loudly rather than be half patched.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type * as WTS from 'web-tree-sitter';
import { REPO_ROOT } from './harness';

type Runtime = typeof WTS;
interface Patcher { patchWebTreeSitter(source: string): string; PATCHED_VERSION: string }

const WTS_DIR = path.join(REPO_ROOT, 'node_modules', 'web-tree-sitter');
const ORIGINAL = fs.readFileSync(path.join(WTS_DIR, 'web-tree-sitter.cjs'), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const patcher = require(path.join(REPO_ROOT, 'scripts', 'patch-web-tree-sitter.cjs')) as Patcher;

interface Loaded { runtime: Runtime; parser: WTS.Parser; language: WTS.Language }

async function load(runtime: Runtime): Promise<Loaded> {
  await runtime.Parser.init({ locateFile: () => path.join(WTS_DIR, 'web-tree-sitter.wasm') });
  const language = await runtime.Language.load(path.join(REPO_ROOT, 'node_modules', 'tree-sitter-go', 'tree-sitter-go.wasm'));
  const parser = new runtime.Parser();
  parser.setLanguage(language);
  return { runtime, parser, language };
}

let runtimes: Promise<[Loaded, Loaded]> | undefined;
/** The original runtime and a separate instance of the patched one. */
function bothRuntimes(): NonNullable<typeof runtimes> {
  runtimes ??= (async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-wts-')), 'web-tree-sitter.cjs');
    fs.writeFileSync(file, patcher.patchWebTreeSitter(ORIGINAL));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const patched = require(file) as Runtime;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const original = require(path.join(WTS_DIR, 'web-tree-sitter.cjs')) as Runtime;
    assert.notEqual(patched.Parser, original.Parser, 'two separate runtimes');
    return [await load(original), await load(patched)];
  })();
  return runtimes;
}

/** What a node answers, as plain data (ids are wasm addresses: each runtime has its own heap, so they are left out). */
function describe(n: WTS.Node | null): string {
  if (!n) return 'null';
  return `${n.type}#${n.typeId}@${n.startIndex}-${n.endIndex} ${n.startPosition.row}:${n.startPosition.column}-${n.endPosition.row}:${n.endPosition.column}` +
    `${n.isNamed ? ' named' : ''}${n.hasError ? ' error' : ''}${n.isMissing ? ' missing' : ''}${n.isExtra ? ' extra' : ''}`;
}

/** Walks both trees in step, comparing every answer the analysis uses; returns how many nodes were compared. */
function compareTrees(a: WTS.Node, b: WTS.Node, where: string): number {
  let count = 0;
  const visit = (x: WTS.Node, y: WTS.Node): void => {
    count++;
    const at = `${where} ${describe(x)}`;
    assert.equal(describe(y), describe(x), at);
    assert.equal(describe(y.parent), describe(x.parent), `parent of ${at}`);
    assert.equal(describe(y.nextNamedSibling), describe(x.nextNamedSibling), `next named sibling of ${at}`);
    assert.equal(describe(y.previousNamedSibling), describe(x.previousNamedSibling), `previous named sibling of ${at}`);
    assert.equal(describe(y.namedDescendantForIndex(x.startIndex, x.endIndex)), describe(x.namedDescendantForIndex(x.startIndex, x.endIndex)), `named descendant of ${at}`);
    if (x.childCount === 0) assert.equal(y.text, x.text, `text of ${at}`);
    assert.equal(y.childCount, x.childCount, `child count of ${at}`);
    assert.equal(y.namedChildren.map(describe).join('|'), x.namedChildren.map(describe).join('|'), `named children of ${at}`);
    const fields = new Set<string>();
    for (let i = 0; i < x.childCount; i++) {
      const f = x.fieldNameForChild(i);
      assert.equal(y.fieldNameForChild(i), f, `field of child ${i} of ${at}`);
      if (f) fields.add(f);
    }
    for (const f of [...fields, 'no_such_field']) {
      assert.equal(describe(y.childForFieldName(f)), describe(x.childForFieldName(f)), `field ${f} of ${at}`);
      assert.equal(y.childrenForFieldName(f).map(describe).join('|'), x.childrenForFieldName(f).map(describe).join('|'), `fields ${f} of ${at}`);
    }
    for (let i = 0; i < x.childCount; i++) visit(x.child(i) as WTS.Node, y.child(i) as WTS.Node);
  };
  visit(a, b);
  return count;
}

function goSources(): { name: string; text: string }[] {
  const fixtures = path.join(REPO_ROOT, 'test', 'fixtures', 'analysis');
  const out: { name: string; text: string }[] = [];
  for (const f of (fs.readdirSync(fixtures, { recursive: true }) as string[]).filter((f) => f.endsWith('.go')).sort()) {
    out.push({ name: f, text: fs.readFileSync(path.join(fixtures, f), 'utf8') });
  }
  const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  // A real file with generics, closures, composite literals and comments; and one with a syntax error.
  for (const rel of ['src/sync/pool.go', 'src/slices/sort.go', 'src/net/url/url.go']) out.push({ name: rel, text: fs.readFileSync(path.join(goroot, rel), 'utf8') });
  out.push({ name: 'broken.go', text: 'package p\n\nfunc f( {\n\tx := []int{1, 2\n\tgo func() { y := &x }()\n}\n\nfunc g() int { return "é" + 1 }\n' });
  return out;
}

void test('the patch applies to the installed web-tree-sitter, which is the version it was written for', () => {
  const version = (JSON.parse(fs.readFileSync(path.join(WTS_DIR, 'package.json'), 'utf8')) as { version: string }).version;
  assert.equal(version, patcher.PATCHED_VERSION);
  const patched = patcher.patchWebTreeSitter(ORIGINAL);
  assert.ok(patched.startsWith('"use strict";\nconst __tgwLittleEndian'), 'the module stays strict');
  assert.ok(patched.includes('function marshalNodeSlow(') && patched.includes('this._other = other;'));
});

void test('a web-tree-sitter text that differs fails the patch, naming what is missing (no half-patched runtime)', () => {
  assert.throws(() => patcher.patchWebTreeSitter(ORIGINAL.replace('function marshalNode(node, index = 0) {\n', 'function marshalNode(node, i = 0) {\n')),
    /marshalNode: pattern not found/);
  assert.throws(() => patcher.patchWebTreeSitter(ORIGINAL.replace('    this[0] = other;\n', '    this[0] = other | 0;\n')), /Node constructor: pattern not found/);
  assert.throws(() => patcher.patchWebTreeSitter(patcher.patchWebTreeSitter(ORIGINAL)), /already patched/);
  assert.throws(() => patcher.patchWebTreeSitter(''), /pattern not found/);
});

void test('the patched runtime answers like the original on every node of real Go (fixtures, GOROOT files, broken code)', { timeout: 120_000 }, async () => {
  const [orig, patched] = await bothRuntimes();
  let nodes = 0;
  for (const { name, text } of goSources()) {
    const a = orig.parser.parse(text) as WTS.Tree;
    const b = patched.parser.parse(text) as WTS.Tree;
    try {
      nodes += compareTrees(a.rootNode, b.rootNode, name);
      assert.deepEqual(b.rootNode.descendantsOfType('identifier').map(describe), a.rootNode.descendantsOfType('identifier').map(describe), `identifiers of ${name}`);
      // `node[0]` is still readable (the patch keeps it as a getter).
      assert.equal(typeof b.rootNode[0 as unknown as keyof WTS.Node], 'number');
    } finally { a.delete(); b.delete(); }
  }
  assert.ok(nodes > 20_000, `compared ${nodes} nodes`);
});

void test('queries and incremental parses give the same results in the patched runtime', { timeout: 60_000 }, async () => {
  const [orig, patched] = await bothRuntimes();
  const queries = fs.readdirSync(path.join(REPO_ROOT, 'src', 'core', 'analysis', 'queries')).filter((f) => f.endsWith('.scm'));
  assert.ok(queries.length > 0);
  const text = goSources().find((s) => s.name === 'src/sync/pool.go')?.text ?? '';
  const trees = [orig, patched].map((r) => r.parser.parse(text) as WTS.Tree);
  try {
    for (const q of queries) {
      const source = fs.readFileSync(path.join(REPO_ROOT, 'src', 'core', 'analysis', 'queries', q), 'utf8');
      const [ma, mb] = [orig, patched].map((r, i) => new r.runtime.Query(r.language, source).matches(trees[i].rootNode)
        .map((m) => m.captures.map((c) => `${c.name}=${describe(c.node)}`).join(',')));
      assert.deepEqual(mb, ma, q);
    }
    // An edit (insert a statement in the middle), then an incremental parse with the old tree, then the changed ranges.
    const at = text.indexOf('func (p *Pool) Put(');
    const insert = 'var Z = 1\n';
    const next = text.slice(0, at) + insert + text.slice(at);
    const row = text.slice(0, at).split('\n').length - 1;
    const edit = (r: Loaded) => new r.runtime.Edit({ startIndex: at, oldEndIndex: at, newEndIndex: at + insert.length, startPosition: { row, column: 0 }, oldEndPosition: { row, column: 0 }, newEndPosition: { row: row + 1, column: 0 } });
    const [na, nb] = [orig, patched].map((r, i) => { trees[i].edit(edit(r)); return r.parser.parse(next, trees[i]) as WTS.Tree; });
    try {
      assert.ok(compareTrees(na.rootNode, nb.rootNode, 'incremental') > 1000);
      assert.deepEqual(nb.getChangedRanges(trees[1]), na.getChangedRanges(trees[0]));
    } finally { na.delete(); nb.delete(); }
  } finally { for (const t of trees) t.delete(); }
});

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { dependencyGraph, importChain, parseListJson, removalSaving, sizeName, type DependencyGraph } from '../../../src/core/size/whyLinked';

const FIXTURE = path.resolve(__dirname, '../../../../test/fixtures/size/tinygo-list/feather-blinky-fmt-feather-nrf52840-0.39.0.json');
const text = fs.readFileSync(FIXTURE, 'utf8');

function graph(): DependencyGraph {
  const r = parseListJson(text);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return dependencyGraph(r.packages);
}

/** The fixture read the plain way (one object per `{` at the start of a line), to hold the scanner to. */
function plain(): { ImportPath: string; Imports?: string[]; DepOnly?: boolean }[] {
  return text.split(/\n(?=\{)/).map((o) => JSON.parse(o) as { ImportPath: string; Imports?: string[]; DepOnly?: boolean });
}

void test('real tinygo list -deps -json: every package with its imports; the root is the package asked for', () => {
  const r = parseListJson(text);
  assert.ok(r.ok);
  const p = plain();
  assert.deepEqual(r.packages.map((x) => [x.importPath, x.imports]), p.map((x) => [x.ImportPath, x.Imports ?? []]));
  const g = dependencyGraph(r.packages);
  assert.deepEqual([g.root], p.filter((x) => !x.DepOnly).map((x) => x.ImportPath));
  assert.equal(sizeName(g, g.root), 'main');
  assert.equal(sizeName(g, 'fmt'), 'fmt');
});

void test('import chains: shortest from the main package, every step an import the listing has; runtime-only packages say so', () => {
  const g = graph();
  for (const target of g.imports.keys()) {
    const c = importChain(g, target);
    if (!c) continue;
    assert.equal(c.chain[c.chain.length - 1], target);
    assert.equal(c.chain[0], c.viaRuntime ? 'runtime' : g.root);
    for (let i = 1; i < c.chain.length; i++) assert.ok(g.imports.get(c.chain[i - 1]!)!.includes(c.chain[i]!), `${c.chain[i - 1]} imports ${c.chain[i]}`);
  }
  const strconv = importChain(g, 'strconv')!;
  // main imports fmt, fmt imports strconv (and nothing shorter reaches it in this listing).
  assert.deepEqual(strconv, { chain: [g.root, 'fmt', 'strconv'], viaRuntime: false });
  assert.deepEqual(importChain(g, 'fmt')!.chain, [g.root, 'fmt']);
  assert.deepEqual(importChain(g, 'main')!.chain, [g.root]);
  // device/nrf: the example does not import it; the runtime and machine do.
  const dev = importChain(g, 'device/nrf')!;
  assert.equal(dev.chain[dev.chain.length - 1], 'device/nrf');
  assert.equal(importChain(g, 'no/such/package'), undefined);
});

void test('removing main\'s import of fmt: fmt and what only it pulls in go away, priced with the build\'s sizes; what others need stays', () => {
  const g = graph();
  const sizes = new Map([['fmt', { flash: 12_800, ram: 12 }], ['strconv', { flash: 9_000, ram: 0 }], ['os', { flash: 3_000, ram: 64 }], ['reflect', { flash: 7_000, ram: 0 }], ['time', { flash: 150, ram: 0 }]]);
  const s = removalSaving(g, 'strconv', sizes)!;
  assert.equal(s.import, 'fmt');
  const gone = s.packages.map((p) => p.package);
  assert.ok(gone.includes('fmt') && gone.includes('strconv') && gone.includes('os'), gone.join(' '));
  // main imports reflect and time itself, and the runtime needs machine: those stay.
  for (const stays of ['reflect', 'time', 'machine', 'runtime', 'sync']) assert.ok(!gone.includes(stays), stays);
  // Every package that goes is reachable only through fmt: no chain to it once main's import of fmt is cut.
  const cut = new Map(g.imports);
  cut.set(g.root, g.imports.get(g.root)!.filter((x) => x !== 'fmt'));
  for (const p of gone) assert.equal(importChain({ root: g.root, imports: cut }, p), undefined, p);
  assert.equal(s.flash, s.packages.reduce((n, p) => n + (sizes.get(p.package)?.flash ?? 0), 0));
  assert.equal(s.ram, 12 + 64);
  for (let i = 1; i < s.packages.length; i++) assert.ok(s.packages[i - 1]!.flash >= s.packages[i]!.flash);
  assert.equal(s.stillLinkedVia, undefined);
});

void test('removing main\'s import of time saves nothing: fmt → os → time still needs it, and the answer says through what', () => {
  const g = graph();
  const s = removalSaving(g, 'time', new Map([['time', { flash: 150, ram: 0 }]]))!;
  assert.equal(s.import, 'time');
  assert.deepEqual(s.packages, []);
  assert.equal(s.flash, 0);
  const via = s.stillLinkedVia!;
  assert.equal(via.chain[0], g.root);
  assert.equal(via.chain[via.chain.length - 1], 'time');
  assert.notEqual(via.chain[1], 'time', via.chain.join(' → '));
  assert.equal(removalSaving(g, 'main', new Map()), undefined, 'the main package is not removable');
});

void test('malformed listings: cut short, garbage between objects, bad JSON inside, no ImportPath, Imports not strings, empty', () => {
  const cases: [string, string, RegExp][] = [
    ['cut short', text.slice(0, Math.floor(text.length / 2)), /ends inside an object/],
    ['garbage', `${text}\nwarning: something`, /unexpected "w" between objects/],
    ['bad json', '{"ImportPath": "a", "Imports": [1,]}', /package 1:/],
    ['no ImportPath', '{"Name": "x"}', /no ImportPath/],
    ['imports', '{"ImportPath": "a", "Imports": [1]}', /Imports is not a list of strings/],
    ['unmatched', '}', /unmatched \}/],
    ['empty', '  \n', /no package/],
    ['string outside', '"x"', /string outside/],
  ];
  for (const [what, input, error] of cases) {
    const r = parseListJson(input);
    assert.equal(r.ok, false, what);
    if (!r.ok) assert.match(r.error, error, what);
  }
  // Braces and quotes inside strings do not confuse the scanner.
  const tricky = parseListJson('{"ImportPath": "a", "Doc": "a } { \\" brace"}\n{"ImportPath": "b", "Imports": ["a"]}');
  assert.ok(tricky.ok && tricky.packages.length === 2 && tricky.packages[1]!.imports[0] === 'a');
});

void test('protocol: the whyLinked messages both ways pass whole, and malformed ones are dropped', async () => {
  const { validateHostMessage, validateWebviewMessage } = await import('../../../src/core/protocol');
  const g = graph();
  const s = removalSaving(g, 'strconv', new Map([['fmt', { flash: 1, ram: 2 }]]))!;
  const result = { package: 'strconv', chain: importChain(g, 'strconv')!.chain, viaRuntime: false, saving: { import: s.import, flash: s.flash, ram: s.ram, packages: s.packages } };
  const ok = validateHostMessage({ type: 'whyLinked', result });
  assert.ok(ok.ok && ok.value.type === 'whyLinked');
  assert.deepEqual(ok.ok && ok.value.type === 'whyLinked' ? ok.value.result : undefined, result);
  for (const bad of [
    { type: 'whyLinked' },
    { type: 'whyLinked', result: { package: 7 } },
    { type: 'whyLinked', result: { package: 'x', pending: false } },
    { type: 'whyLinked', result: { package: 'x', chain: [1] } },
    { type: 'whyLinked', result: { package: 'x', saving: { import: 'fmt', flash: -1, ram: 0, packages: [] } } },
    { type: 'whyLinked', result: { package: 'x', saving: { import: 'fmt', flash: 1, ram: 0, packages: [{ package: 'a', flash: 1 }] } } },
  ]) assert.equal(validateHostMessage(bad).ok, false, JSON.stringify(bad));
  assert.deepEqual(validateWebviewMessage({ type: 'whyLinked', package: 'fmt' }), { ok: true, value: { type: 'whyLinked', package: 'fmt' } });
  assert.equal(validateWebviewMessage({ type: 'whyLinked' }).ok, false);
  assert.equal(validateWebviewMessage({ type: 'whyLinked', package: 'x'.repeat(5000) }).ok, false);
});

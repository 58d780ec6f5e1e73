import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { diffReports, elfSizeReport, type ElfSizeReport } from '../../../src/core/elf';
import { symbolChanges } from '../../../src/core/size/symbols';
import { decodeBaseline, encodeBaseline, MAX_BASELINES, SymbolBaselines, type KeyValueStore } from '../../../src/core/size/symbolBaseline';
import { FIXTURE_DIR } from '../elf/llvm';

const OLD = path.join(FIXTURE_DIR, 'feather-nrf52840-blinky-tinygo0.39.elf');
const NEW = path.join(FIXTURE_DIR, 'feather-nrf52840-blinky-echo-tinygo0.39.elf');
const MICROBIT = path.join(FIXTURE_DIR, 'microbit-tick-tinygo0.39.elf');
const read = (f: string, as = f) => elfSizeReport(as, fs.readFileSync(f));

/** A workspace state as VS Code keeps it: values go through JSON (the state database stores them as text). */
class JsonState implements KeyValueStore {
  readonly text = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const t = this.text.get(key);
    return t === undefined ? undefined : JSON.parse(t) as T;
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.text.delete(key);
    else this.text.set(key, JSON.stringify(value));
    return Promise.resolve();
  }
}

const withoutLines = (r: ElfSizeReport) => r.symbols.map(({ file: _f, line: _l, ...s }) => s);

void test('round trip: a real firmware\'s report comes back with every symbol (less its source line) and gives the same diff', () => {
  const old = read(OLD);
  const enc = encodeBaseline(old);
  assert.ok(enc.ok);
  const back = decodeBaseline(JSON.parse(JSON.stringify(enc.value)));
  assert.ok(back);
  assert.equal(back.file, OLD);
  assert.deepEqual(back.totals, old.totals);
  assert.deepEqual(back.sections, old.sections);
  assert.deepEqual(back.packages, old.packages);
  assert.deepEqual(back.symbols, withoutLines(old));
  assert.ok(old.symbols.some((s) => s.gap) && old.symbols.some((s) => s.file), 'the fixture has gaps and source lines to drop');
  const now = read(NEW);
  const want = symbolChanges(diffReports(old, now));
  assert.ok(want.changes.length > 0);
  assert.deepEqual(symbolChanges(diffReports(back, now)), want);
  // Smaller than the report itself: names of packages and sections once, no source files.
  assert.ok(enc.chars < JSON.stringify(old).length / 2, `${enc.chars} characters for ${JSON.stringify(old).length}`);
});

void test('the store: per folder+target, through JSON, the newest pairs kept', async () => {
  const state = new JsonState();
  const store = new SymbolBaselines(state);
  const feather = SymbolBaselines.keyOf('file:///w', 'feather-nrf52840');
  const microbit = SymbolBaselines.keyOf('file:///w', 'microbit');
  assert.equal(store.get(feather), undefined);
  assert.equal(await store.put(feather, read(OLD)), undefined);
  assert.equal(await store.put(microbit, read(MICROBIT)), undefined);
  assert.deepEqual(store.get(feather)?.symbols, withoutLines(read(OLD)));
  assert.equal(store.get(microbit)?.file, MICROBIT);
  assert.equal(store.get(SymbolBaselines.keyOf('file:///other', 'feather-nrf52840')), undefined);
  // A second store over the same state (a reloaded window) reads what the first wrote.
  assert.equal(new SymbolBaselines(state).get(feather)?.totals.flash, read(OLD).totals.flash);
  await store.put(feather, read(NEW));
  assert.equal(store.get(feather)?.totals.flash, read(NEW).totals.flash);
  await store.delete(microbit);
  assert.equal(store.get(microbit), undefined);
  assert.ok(store.get(feather));
  const small = read(MICROBIT);
  for (let i = 0; i < MAX_BASELINES + 2; i++) await store.put(SymbolBaselines.keyOf('file:///w', `t${i}`), small, 1000 + i);
  const kept = Object.keys(state.get<Record<string, unknown>>('tinygo.size.symbolBaselines') ?? {});
  assert.equal(kept.length, MAX_BASELINES);
  assert.ok(!kept.includes(SymbolBaselines.keyOf('file:///w', 't0')) && kept.includes(SymbolBaselines.keyOf('file:///w', `t${MAX_BASELINES + 1}`)), kept.join(' '));
});

void test('a corrupt, foreign or other version\'s stored report is ignored, never thrown', () => {
  const good = encodeBaseline(read(MICROBIT));
  assert.ok(good.ok);
  const v = good.value;
  const bad: unknown[] = [
    undefined, null, 'text', 42, [], {}, { ...v, v: 2 }, { ...v, file: '' }, { ...v, file: 7 },
    { ...v, totals: { ...v.totals, flash: -1 } }, { ...v, totals: null }, { ...v, sections: 'x' },
    { ...v, packages: [{ package: 'x' }] }, { ...v, sections: [{ name: '.text', class: 'text', address: 1.5, size: 0 }] },
    { ...v, symbols: [['main.main', 999, 0, 4, 0]] }, { ...v, symbols: [['main.main', 0, 999, 4, 0]] },
    { ...v, symbols: [['main.main', 0, 0, -4, 0]] }, { ...v, symbols: [['main.main', 0, 0, 4]] },
    { ...v, symbols: [['main.main', 0, 0, 4, 0, 2]] }, { ...v, symbols: [[null, 0, 0, 4, 0]] }, { ...v, symbols: [{}] },
    // Another tool's report under the key: the size panel's JSON report shape.
    { version: 1, target: 'feather-nrf52840', packages: [], totals: { flash: 1, ram: 1 } },
  ];
  for (const b of bad) assert.equal(decodeBaseline(b), undefined, JSON.stringify(b)?.slice(0, 200));
  assert.ok(decodeBaseline(v));

  const pair = SymbolBaselines.keyOf('file:///w', 'microbit');
  for (const stored of [
    'not an object', [1, 2], { [pair]: 'x' }, { [pair]: { at: 'now', baseline: v } }, { [pair]: { at: 1, baseline: { ...v, v: 0 } } },
  ]) {
    const state = new JsonState();
    void state.update('tinygo.size.symbolBaselines', stored);
    assert.equal(new SymbolBaselines(state).get(pair), undefined, JSON.stringify(stored).slice(0, 100));
  }
  const throwing: KeyValueStore = { get: () => { throw new Error('state database closed'); }, update: () => Promise.resolve() };
  assert.equal(new SymbolBaselines(throwing).get(pair), undefined);
});

void test('size limit: a report over it is not kept, and the pair\'s older report goes with it', async () => {
  const r = read(OLD);
  const enc = encodeBaseline(r);
  assert.ok(enc.ok);
  const over = encodeBaseline(r, enc.chars - 1);
  assert.ok(!over.ok);
  assert.match(over.error, new RegExp(`^${r.symbols.length} symbols take ${enc.chars} characters, more than the ${enc.chars - 1} kept$`));
  const state = new JsonState();
  const pair = SymbolBaselines.keyOf('file:///w', 'feather-nrf52840');
  await new SymbolBaselines(state).put(pair, read(MICROBIT, OLD));
  const limited = new SymbolBaselines(state, undefined, enc.chars - 1);
  assert.ok(limited.get(pair), 'the small report was kept');
  const why = await limited.put(pair, r);
  assert.match(why ?? '', /more than/);
  assert.equal(limited.get(pair), undefined, 'not the build before any more');
  assert.ok((state.text.get('tinygo.size.symbolBaselines') ?? '').length < enc.chars);
});

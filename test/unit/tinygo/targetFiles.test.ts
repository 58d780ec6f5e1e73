import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTargetSpec } from '../../../src/core/tinygo/info';
import { TargetFileResolver } from '../../../src/core/tinygo/targetFiles';
import { describeTarget } from '../../../src/core/tinygo/targets';

// TinyGo 0.39.0's own target files, and what the real 0.39.0 `tinygo info -json` printed for each (see the README).
const REAL = path.resolve(__dirname, '../../../../test/fixtures/tinygo-real/0.39.0');
const TARGETS = path.join(REAL, 'targets');
const readReal = (name: string): string | undefined => {
  try { return fs.readFileSync(path.join(TARGETS, `${name}.json`), 'utf8'); } catch { return undefined; }
};
const truth = JSON.parse(fs.readFileSync(path.join(REAL, 'info-json-all-targets.json'), 'utf8')) as Record<string, Record<string, unknown>>;
const KEYS = ['inherits', 'cpu', 'flash-method', 'flash-command', 'msd-volume-name', 'msd-firmware-name', 'linkerscript',
  'openocd-interface', 'serial-port', 'default-stack-size', 'flash-1200-bps-reset', 'binary-format', 'serial', 'emulator'];

void test('every 0.39.0 target file resolves to what the real `tinygo info -json` printed for it', () => {
  const names = fs.readdirSync(TARGETS).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  assert.equal(names.length, 208);
  assert.deepEqual(Object.keys(truth).sort(), names);
  const resolver = new TargetFileResolver(readReal);
  const wrong: string[] = [];
  for (const name of names) {
    const r = resolver.resolveRaw(name);
    if ('error' in r) { wrong.push(`${name}: ${r.error}`); continue; }
    for (const k of KEYS) {
      const ours = r.raw[k];
      const empty = ours === undefined || ours === '' || ours === 0 || (Array.isArray(ours) && ours.length === 0);
      const want = truth[name][k];
      if (want === undefined ? !empty : JSON.stringify(ours) !== JSON.stringify(want)) {
        wrong.push(`${name}.${k}: ours ${JSON.stringify(ours)}, tinygo ${JSON.stringify(want)}`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

void test('the picker line from the files equals the line from `tinygo info -json` (flash method included)', () => {
  const resolver = new TargetFileResolver(readReal);
  for (const [name, line] of [
    ['feather-nrf52840', 'nRF52840 · UF2 drive FTHR840BOOT'],
    ['microbit-v2', 'nRF52833 · HEX drive MICROBIT'],
    ['pca10040', 'nRF52832 · OpenOCD (jlink)'],
    ['xiao-ble', 'nRF52840 · UF2 drive XIAO-SENSE'],
  ] as const) {
    const spec = resolver.spec(name);
    assert.ok(spec, name);
    assert.equal(describeTarget(name, spec, { flash: 1, ram: 1 }).replace(/ · [^·]*flash.*$/, ''), line);
    assert.equal(describeTarget(name, spec), describeTarget(name, parseTargetSpec(truth[name])));
  }
});

void test('missing, malformed, cyclic and hostile target files give a reason, never a throw', () => {
  const files: Record<string, string> = {
    good: '{"inherits": ["base"], "cpu": "cortex-m4"}',
    base: '{"flash-method": "msd", "msd-volume-name": ["A"]}',
    broken: '{"inherits": ["base"], ',
    array: '[1, 2]',
    orphan: '{"inherits": ["nowhere"]}',
    loop1: '{"inherits": ["loop2"]}',
    loop2: '{"inherits": ["loop1"]}',
    numeric: '{"inherits": [42]}',
    throws: '',
  };
  const reads: string[] = [];
  const resolver = new TargetFileResolver((n) => {
    reads.push(n);
    if (n === 'throws') throw new Error('EACCES');
    return files[n];
  });
  assert.equal(resolver.spec('good')?.flashMethod, 'msd');
  assert.deepEqual(resolver.spec('good')?.inherits, ['base']);
  const reason = (n: string) => { const r = resolver.resolveRaw(n); return 'error' in r ? r.error : 'resolved'; };
  assert.match(reason('broken'), /targets\/broken\.json is not valid JSON/);
  assert.match(reason('array'), /not a JSON object/);
  assert.match(reason('orphan'), /no target file targets\/nowhere\.json/);
  assert.match(reason('loop1'), /inherits from itself \(loop1 -> loop2 -> loop1\)/);
  assert.match(reason('numeric'), /not a name/);
  assert.match(reason('throws'), /no target file/);
  assert.match(reason('../../etc/passwd'), /not a target name/);
  assert.equal(resolver.spec('orphan'), undefined);
  assert.ok(!reads.some((n) => n.includes('/')), 'a path was read');
  // Each file is read once, however many targets inherit from it.
  assert.equal(reads.filter((n) => n === 'base').length, 1);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTargetSpec, type TargetSpec } from '../../../src/core/tinygo/info';
import {
  KNOWN_MIXINS,
  classifyTarget,
  describeTarget,
  filterBoards,
  isMixin,
  orderTargets,
  parseTargetsOutput,
} from '../../../src/core/tinygo/targets';
import { fixture } from './fixtures';

function resolvedSpecs(): Record<string, TargetSpec> {
  const raw = JSON.parse(fixture('targets-resolved-0.33.json')) as Record<string, unknown>;
  const out: Record<string, TargetSpec> = {};
  for (const [k, v] of Object.entries(raw)) {
    out[k] = parseTargetSpec(v);
  }
  return out;
}

void test('parses the 0.33 targets list', () => {
  const r = parseTargetsOutput(fixture('targets-0.33.txt'));
  assert.equal(r.targets.length, 145);
  assert.deepEqual(r.unparsed, []);
  assert.ok(r.targets.includes('feather-nrf52840'));
  assert.ok(r.targets.includes('nrf52840-s140v6-uf2'));
});

void test('every listed target without a CPU after resolution is a known mixin, and only those are filtered', () => {
  const specs = resolvedSpecs();
  const listed = parseTargetsOutput(fixture('targets-0.33.txt')).targets;
  const cpuless = listed.filter((n) => !specs[n].cpu);
  assert.deepEqual(cpuless, ['nrf52840-s140v6-uf2', 'nrf52840-s140v7-uf2']);
  for (const n of cpuless) {
    assert.ok(KNOWN_MIXINS.has(n), n);
  }
  // Without specs the table alone must still catch them.
  const boards = filterBoards(listed);
  assert.equal(boards.length, 143);
  assert.ok(!boards.includes('nrf52840-s140v7-uf2'));
  assert.deepEqual(filterBoards(listed, specs), boards);
  // And every known mixin really is CPU-less in 0.33 (the table is not guessing).
  for (const m of KNOWN_MIXINS) {
    assert.ok(specs[m], m);
    assert.equal(specs[m].cpu, undefined, m);
  }
  assert.equal(isMixin('some-future-mixin', { cpu: undefined }), true);
  assert.equal(isMixin('some-board', { cpu: 'cortex-m4' }), false);
});

void test('classification by name alone agrees with inheritance for every 0.33 target', () => {
  const specs = resolvedSpecs();
  let nrf = 0;
  for (const name of filterBoards(parseTargetsOutput(fixture('targets-0.33.txt')).targets)) {
    const byInherit = classifyTarget(name, specs[name]);
    const byName = classifyTarget(name);
    assert.deepEqual(byName, byInherit, name);
    nrf += byInherit.nrf52 ? 1 : 0;
  }
  assert.equal(nrf, 35);
  assert.deepEqual(classifyTarget('feather-nrf52840'), { nrf52: true, chip: 'nRF52840' });
  assert.deepEqual(classifyTarget('microbit-v2'), { nrf52: true, chip: 'nRF52833' });
  assert.deepEqual(classifyTarget('pinetime'), { nrf52: true, chip: 'nRF52832' });
  assert.deepEqual(classifyTarget('pico'), { nrf52: false });
  assert.deepEqual(classifyTarget('microbit'), { nrf52: false }, 'micro:bit v1 is an nRF51');
  assert.deepEqual(classifyTarget('some-new-nrf52840-board'), { nrf52: true, chip: 'nRF52840' });
});

void test('orders nRF52 boards first, recently used first within a group', () => {
  const names = ['pico', 'arduino', 'xiao-ble', 'feather-nrf52840', 'wioterminal', 'clue'];
  assert.deepEqual(orderTargets(names), ['clue', 'feather-nrf52840', 'xiao-ble', 'arduino', 'pico', 'wioterminal']);
  assert.deepEqual(orderTargets(names, { recent: ['pico', 'xiao-ble', 'unknown', 'pico'] }), [
    'xiao-ble',
    'clue',
    'feather-nrf52840',
    'pico',
    'arduino',
    'wioterminal',
  ]);
  assert.deepEqual(orderTargets([]), []);
});

void test('describeTarget summarises chip, flashing and memory', () => {
  const specs = resolvedSpecs();
  assert.equal(describeTarget('feather-nrf52840', specs['feather-nrf52840']), 'nRF52840 · UF2 drive FTHR840BOOT · 1024 KB flash, 256 KB RAM');
  assert.equal(
    describeTarget('feather-nrf52840', specs['feather-nrf52840'], { flash: 815104, ram: 245376 }),
    'nRF52840 · UF2 drive FTHR840BOOT · 796 KB flash, 239.6 KB RAM',
  );
  assert.equal(describeTarget('microbit-v2', specs['microbit-v2']), 'nRF52833 · HEX drive MICROBIT · 512 KB flash, 128 KB RAM');
  assert.equal(describeTarget('pca10056', specs['pca10056']), 'nRF52840 · nrfjprog · 1024 KB flash, 256 KB RAM');
  assert.equal(describeTarget('pca10059', specs['pca10059']), 'nRF52840 · nrfutil · 1024 KB flash, 256 KB RAM');
  assert.equal(describeTarget('nrf52840-mdk', specs['nrf52840-mdk']), 'nRF52840 · OpenOCD (cmsis-dap) · 1024 KB flash, 256 KB RAM');
  assert.equal(describeTarget('pico', specs['pico']), 'cortex-m0plus · UF2 drive RPI-RP2');
  assert.equal(describeTarget('pinetime'), 'nRF52832 · 512 KB flash, 64 KB RAM');
  assert.equal(describeTarget('unknown'), '');
});

void test('malformed targets output is reported line by line', () => {
  const r = parseTargetsOutput('pico\n\nerror: something broke\n  feather-nrf52840  \r\npico\n' + 'x y\n'.repeat(1000));
  assert.deepEqual(r.targets, ['pico', 'feather-nrf52840']);
  assert.equal(r.unparsed.length, 1001);
  assert.equal(r.unparsed[0], 'error: something broke');
  assert.deepEqual(parseTargetsOutput(''), { targets: [], unparsed: [] });
  assert.deepEqual(parseTargetsOutput('\u0000\u0001').targets, []);
});

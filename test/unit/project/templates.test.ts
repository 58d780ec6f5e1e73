import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TargetFileResolver } from '../../../src/core/tinygo/targetFiles';
import {
  BUILD_TASK_LABEL, bluetoothUnavailable, softDeviceTargets, moduleProblem, projectFiles, templateChoices, type ProjectFile, type TemplateId,
} from '../../../src/core/project';

const ROOT = path.resolve(__dirname, '../../../..');
const TARGETS = path.join(ROOT, 'test/fixtures/tinygo-real/0.39.0/targets');
const resolver = new TargetFileResolver((name) => {
  try { return fs.readFileSync(path.join(TARGETS, `${name}.json`), 'utf8'); } catch { return undefined; }
});
/** The build tags TinyGo 0.39.0's own target files give a board. */
function tags(target: string): string[] {
  const spec = resolver.spec(target);
  assert.ok(spec?.buildTags, `target ${target} resolves`);
  return spec.buildTags;
}
const TEMPLATES: TemplateId[] = ['blinky', 'serial-echo', 'i2c-sensor', 'ble-advertiser'];

function files(template: TemplateId, target: string, module = 'example.com/newproject'): ProjectFile[] {
  const r = projectFiles({ template, target, buildTags: tags(target), module });
  assert.ok('files' in r, JSON.stringify(r));
  return r.files;
}
const file = (fs_: ProjectFile[], p: string): string => {
  const f = fs_.find((x) => x.path === p);
  assert.ok(f, `${p} is among ${fs_.map((x) => x.path).join(', ')}`);
  return f.content;
};

void test('every template writes go.mod, main.go, the folder target and a tinygo build task', () => {
  for (const template of ['blinky', 'serial-echo', 'i2c-sensor'] as const) {
    const fset = files(template, 'pca10040', 'example.com/me/blink');
    assert.deepEqual(fset.map((f) => f.path), ['go.mod', 'main.go', '.vscode/settings.json', '.vscode/tasks.json']);
    assert.match(file(fset, 'go.mod'), /^module example\.com\/me\/blink\n\ngo 1\.\d+\n$/);
    assert.match(file(fset, 'main.go'), /^package main$/m);
    assert.deepEqual(JSON.parse(file(fset, '.vscode/settings.json')), { 'tinygo.target': 'pca10040' });
    const tasks = JSON.parse(file(fset, '.vscode/tasks.json')) as { tasks: Record<string, unknown>[] };
    const build = tasks.tasks.find((t) => t.command === 'build');
    assert.deepEqual(build && { type: build.type, label: build.label, matcher: build.problemMatcher }, { type: 'tinygo', label: BUILD_TASK_LABEL, matcher: ['$tinygo'] });
    assert.ok(tasks.tasks.some((t) => t.type === 'tinygo' && t.command === 'flash'));
    // The task follows the folder's target, so switching boards needs no tasks.json edit.
    assert.ok(tasks.tasks.every((t) => t.target === undefined));
  }
});

void test('the tasks match package.json\'s tinygo task definition (required keys, known properties, enum)', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    contributes: { taskDefinitions: { type: string; required: string[]; properties: Record<string, { enum?: string[] }> }[] };
  };
  const def = pkg.contributes.taskDefinitions.find((d) => d.type === 'tinygo');
  assert.ok(def);
  const tasks = (JSON.parse(file(files('blinky', 'feather-nrf52840'), '.vscode/tasks.json')) as { tasks: Record<string, unknown>[] }).tasks;
  const generic = new Set(['type', 'label', 'problemMatcher', 'group']);
  for (const t of tasks) {
    for (const k of def.required) assert.ok(k in t, `task has ${k}`);
    for (const [k, v] of Object.entries(t)) {
      if (generic.has(k)) continue;
      assert.ok(k in def.properties, `${k} is a tinygo task property`);
      const allowed = def.properties[k].enum;
      if (allowed) assert.ok(allowed.includes(v as string), `${k}=${String(v)}`);
    }
  }
});

void test('blinky drives machine.LED, or the LED matrix on the micro:bits (which have no machine.LED)', () => {
  for (const t of ['feather-nrf52840', 'pca10040', 'pca10056']) {
    const src = file(files('blinky', t), 'main.go');
    assert.match(src, /led := machine\.LED\n/);
    assert.doesNotMatch(src, /LED_ROW/);
  }
  for (const t of ['microbit', 'microbit-v2', 'microbit-v2-s113v7']) {
    const src = file(files('blinky', t), 'main.go');
    assert.match(src, /machine\.LED_COL_1/);
    assert.match(src, /led := machine\.LED_ROW_1/);
    assert.doesNotMatch(src, /machine\.LED\b(?!_)/);
  }
});

void test('the I2C template reads the micro:bit v2\'s on-board accelerometer, elsewhere a BME280 breakout', () => {
  const mb = file(files('i2c-sensor', 'microbit-v2'), 'main.go');
  assert.match(mb, /const address = 0x19/);
  assert.match(mb, /if id\[0\] != 0x33/);
  const fe = file(files('i2c-sensor', 'feather-nrf52840'), 'main.go');
  assert.match(fe, /const address = 0x77/);
  assert.match(fe, /\[\]byte\{0xD0\}, id/);
  assert.match(fe, /if id\[0\] != 0x60/);
});

void test('BLE only for targets with a SoftDevice; the error names the SoftDevice variants offered', () => {
  const feather = files('ble-advertiser', 'feather-nrf52840');
  assert.deepEqual(feather.map((f) => f.path), ['go.mod', 'main.go', 'go.sum', '.vscode/settings.json', '.vscode/tasks.json']);
  assert.match(file(feather, 'go.mod'), /^require tinygo\.org\/x\/bluetooth v\d+\.\d+\.\d+$/m);
  assert.match(file(feather, 'go.sum'), /^tinygo\.org\/x\/bluetooth v\d+\.\d+\.\d+ h1:/m);
  assert.match(file(feather, 'main.go'), /"tinygo\.org\/x\/bluetooth"/);

  const r = projectFiles({ template: 'ble-advertiser', target: 'microbit-v2', buildTags: tags('microbit-v2'), module: 'm' });
  assert.ok('error' in r && /no SoftDevice/.test(r.error), JSON.stringify(r));
  assert.ok('files' in projectFiles({ template: 'ble-advertiser', target: 'microbit-v2-s113v7', buildTags: tags('microbit-v2-s113v7'), module: 'm' }));
  assert.match(bluetoothUnavailable('pca10040', tags('pca10040'), ['pca10040-s132v6']) ?? '', /Choose pca10040-s132v6/);
  assert.match(bluetoothUnavailable('pico', ['rp2040']) ?? '', /nRF boards with a SoftDevice only/);
  assert.equal(bluetoothUnavailable('pca10040-s132v6', tags('pca10040-s132v6')), undefined);
  const choices = templateChoices('pca10040', tags('pca10040'));
  assert.deepEqual(choices.map((c) => [c.id, c.unavailable !== undefined]), [['blinky', false], ['serial-echo', false], ['i2c-sensor', false], ['ble-advertiser', true]]);
});

void test('module paths and targets are checked before anything is written', () => {
  for (const ok of ['blinky', 'example.com/me/blinky', 'github.com/a-b/c_d.e/v2']) assert.equal(moduleProblem(ok), undefined, ok);
  for (const bad of ['', '  ', 'a b', '/abs', 'x//y', 'a/../b', 'trailing.', '-flag', 'x\ny', 'a/'] ) assert.ok(moduleProblem(bad), JSON.stringify(bad));
  const r = projectFiles({ template: 'blinky', target: '../../etc', buildTags: [], module: 'm' });
  assert.ok('error' in r);
  const r2 = projectFiles({ template: 'nope' as TemplateId, target: 'pca10040', buildTags: [], module: 'm' });
  assert.ok('error' in r2);
});

// The real proof: every template, for one board of each nRF52 chip, built by TinyGo 0.39.0 in a fresh folder, exactly
// as "New Project" writes it. The SoftDevice variants of the two boards without one stand in for their BLE builds.
const tinygo = process.env.TGW_TINYGO;
const nrf = Boolean(tinygo) && process.env.TGW_TINYGO_NRF === '1';
const BOARDS = [
  { target: 'feather-nrf52840', chip: 'nRF52840' },
  { target: 'microbit-v2', chip: 'nRF52833', ble: 'microbit-v2-s113v7' },
  { target: 'pca10040', chip: 'nRF52832', ble: 'pca10040-s132v6' },
];
void test('each template builds with the real tinygo for one board per nRF52 chip', { skip: nrf ? false : 'TGW_TINYGO and TGW_TINYGO_NRF=1 are not set (bash scripts/install-tinygo.sh)', timeout: 30 * 60_000 }, () => {
  const rows: string[] = ['template        target               chip      result  flash   ram     seconds'];
  const failures: string[] = [];
  for (const board of BOARDS) {
    for (const template of TEMPLATES) {
      let target = board.target;
      if (template === 'ble-advertiser' && bluetoothUnavailable(target, tags(target))) {
        console.log(`skip: ${template} for ${target}: ${bluetoothUnavailable(target, tags(target))} Building it for ${board.ble} instead.`);
        assert.ok(board.ble);
        target = board.ble;
      }
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tgw-new-${template}-`));
      try {
        for (const f of files(template, target, `example.com/${template}`)) {
          fs.mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
          fs.writeFileSync(path.join(dir, f.path), f.content);
        }
        const started = Date.now();
        const r = spawnSync(tinygo as string, ['build', `-target=${target}`, '-size=short', '-o', 'x.elf', '.'], { cwd: dir, encoding: 'utf8', timeout: 600_000 });
        const secs = ((Date.now() - started) / 1000).toFixed(1);
        // -size=short prints "   code    data     bss |   flash     ram" and the figures under it.
        const m = /^\s*\d+\s+\d+\s+\d+\s+\|\s+(\d+)\s+(\d+)\s*$/m.exec(r.stdout ?? '');
        const ok = r.status === 0 && fs.existsSync(path.join(dir, 'x.elf')) && m !== null;
        rows.push(`${template.padEnd(15)} ${target.padEnd(20)} ${board.chip.padEnd(9)} ${(ok ? 'ok' : 'FAIL').padEnd(7)} ${(m?.[1] ?? '-').padEnd(7)} ${(m?.[2] ?? '-').padEnd(7)} ${secs}`);
        if (!ok) failures.push(`${template} ${target}: exit ${r.status} ${r.error?.message ?? ''}\n${r.stdout}\n${r.stderr}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const out = path.join(ROOT, 'test-output');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'project-template-builds.txt'), `${rows.join('\n')}\n`);
  console.log(rows.join('\n'));
  assert.deepEqual(failures, []);
});

void test('the SoftDevice variants of a board come from the real target files', () => {
  const names = fs.readdirSync(TARGETS).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
  const own = (n: string): string[] => {
    const doc = JSON.parse(fs.readFileSync(path.join(TARGETS, `${n}.json`), 'utf8')) as { inherits?: string[] };
    return doc.inherits ?? [];
  };
  const tagsOrNone = (n: string): string[] => resolver.spec(n)?.buildTags ?? [];
  assert.deepEqual(softDeviceTargets('microbit-v2', names, own, tagsOrNone), ['microbit-v2-s113v7', 'microbit-v2-s140v7']);
  assert.deepEqual(softDeviceTargets('pca10040', names, own, tagsOrNone), ['pca10040-s132v6']);
  assert.deepEqual(softDeviceTargets('feather-nrf52840', names, own, tagsOrNone), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { constants as fsc, openSync, promises as fsp, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tty from 'node:tty';
import { LineLookup, parseElf } from '../../../src/core/elf';
import { displayPath, resolvePanicFrames, type PanicResolver } from '../../../src/core/monitor/panicNote';
import { SerialMonitor, type ExecFn, type MonitorLine } from '../../../src/core/monitor/serialMonitor';
import { openPtyPair } from '../../support/ptyPair';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/elf');
// Where the fixture's own main.go was when it was built (see test/fixtures/elf/README.md): the "module" here.
const MODULE = '/work/wt/elf/test/fixtures/elf/src/microbit-panic';
const LINE_39 = 'panic: runtime error at 0x00000ac5: assignment to entry in nil map';

function resolverFor(elf: string, moduleDir: string | undefined): PanicResolver {
  const lookup = new LineLookup(parseElf(readFileSync(path.join(FIXTURES, elf))));
  return (a) => resolvePanicFrames(lookup.frames(a), moduleDir);
}

void test('a real panic address in inlined runtime code names the program\'s line and the runtime\'s, each a link', () => {
  const r = resolverFor('microbit-panic-tinygo0.39.elf', MODULE)(0xac5)!;
  assert.deepEqual(r.at, { file: '/tmp/elf-root/src/runtime/hashmap.go', line: 512, column: 14 });
  assert.equal(r.note?.text, '[panic at main.go:14:6 (in runtime/hashmap.go:512:14)]');
  const [user, runtime] = r.note!.links;
  assert.equal(r.note!.text.slice(user!.start, user!.end), 'main.go:14:6');
  assert.deepEqual({ ...user, start: 0, end: 0 }, { start: 0, end: 0, file: `${MODULE}/main.go`, line: 14, col: 6 });
  assert.equal(r.note!.text.slice(runtime!.start, runtime!.end), 'runtime/hashmap.go:512:14');
  assert.equal(runtime!.file, '/tmp/elf-root/src/runtime/hashmap.go');
});

void test('without a module to recognise, or outside any line, the note says only what is known', () => {
  assert.equal(resolverFor('microbit-panic-tinygo0.33.elf', undefined)(0xa15)?.note?.text, '[panic at runtime/hashmap.go:487:14]');
  assert.equal(resolverFor('microbit-panic-tinygo0.39.elf', '/elsewhere')(0xac5)?.note?.text, '[panic at runtime/hashmap.go:512:14]');
  assert.equal(resolverFor('microbit-panic-tinygo0.39.elf', MODULE)(0x7fffff00), undefined);
  assert.equal(resolvePanicFrames([], MODULE), undefined);
  assert.equal(resolvePanicFrames([{ line: 0, column: 0 }], MODULE), undefined);
  // The user's frame innermost: no "(in …)".
  assert.equal(resolvePanicFrames([{ file: '/m/main.go', line: 3, column: 0 }], '/m')?.note?.text, '[panic at main.go:3]');
});

void test('display paths: module-relative, from the package path in a Go tree, else the base name', () => {
  assert.equal(displayPath('/home/u/app/cmd/x/main.go', '/home/u/app'), 'cmd/x/main.go');
  // A sibling folder whose name starts like the module's is not inside it.
  assert.equal(displayPath('/home/u/app2/main.go', '/home/u/app'), 'main.go');
  assert.equal(displayPath('/root/.cache/tinygo/src/runtime/hashmap.go', '/home/u/app'), 'runtime/hashmap.go');
  assert.equal(displayPath('/opt/x/handler.c', undefined), 'handler.c');
});

const exec: ExecFn = (file, args) => new Promise((resolve) => {
  execFile(file, [...args], (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout: String(stdout), stderr: String(stderr) }));
});
const hasSocat = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;

void test('the monitor appends the note to the real panic line and shifts every link behind the timestamp', { skip: hasSocat ? false : 'socat is not installed' }, async (t) => {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'mon-note-'));
  const r = await openPtyPair(spawn, dir);
  if (!r.ok) throw new Error(r.reason);
  const peer = new tty.ReadStream(openSync(r.pair.b, fsc.O_RDWR | fsc.O_NOCTTY | fsc.O_NONBLOCK));
  const resolve = resolverFor('microbit-panic-tinygo0.39.elf', MODULE);
  let calls = 0;
  const mon = new SerialMonitor({ path: r.pair.a, exec, timestamps: true, now: () => new Date(2026, 0, 2, 9, 5, 7, 42), resolvePanic: (a) => { calls++; return resolve(a); } });
  t.after(async () => { await mon.dispose(); peer.destroy(); await r.pair.close(); await fsp.rm(dir, { recursive: true, force: true }); });
  assert.ok((await mon.open()).ok);
  const lines: MonitorLine[] = [];
  const got = new Promise<void>((done) => mon.on('data', (l) => { lines.push(l); if (lines.length === 2) done(); }));
  peer.write(`tick 2\r\n${LINE_39}\r\n`);
  await got;
  assert.equal(calls, 1, 'only the panic line is looked up');
  assert.deepEqual(lines[0]!.links, []);
  const p = lines[1]!;
  assert.equal(p.text, LINE_39, 'the board\'s text is kept as it came');
  assert.equal(p.formatted, `[09:05:07.042] ${LINE_39}  [panic at main.go:14:6 (in runtime/hashmap.go:512:14)]`);
  assert.deepEqual(p.links.map((l) => [p.formatted.slice(l.start, l.end), `${l.file}:${l.line}:${l.col}`]), [
    ['0x00000ac5', '/tmp/elf-root/src/runtime/hashmap.go:512:14'],
    ['main.go:14:6', `${MODULE}/main.go:14:6`],
    ['runtime/hashmap.go:512:14', '/tmp/elf-root/src/runtime/hashmap.go:512:14'],
  ]);
  assert.equal(p.panic, true);
});

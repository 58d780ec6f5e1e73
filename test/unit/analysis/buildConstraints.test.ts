import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeTextFile, buildContextFromInfo, DeclMemo, fileExclusion, targetFactsFor, type BuildContext } from '../../../src/core/analysis';
import { evalExpr, fileNameExclusion, parseGoBuild, parsePlusBuild, readHeader } from '../../../src/core/analysis/buildConstraints';
import { parseInfoJson } from '../../../src/core/tinygo/info';
import { parseVersionOutput } from '../../../src/core/tinygo/version';
import { REPO_ROOT, testEngine } from './harness';

const REAL = path.join(REPO_ROOT, 'test', 'fixtures', 'tinygo-real');
function realContext(version: string, capture: string, target: string): BuildContext {
  const info = parseInfoJson(fs.readFileSync(path.join(REAL, version, `${capture}.stdout`), 'utf8')).info;
  const v = parseVersionOutput(fs.readFileSync(path.join(REAL, version, 'version.stdout'), 'utf8'));
  assert.ok(info && v.ok);
  return buildContextFromInfo(target, info, v.info.goVersion);
}
const FEATHER = realContext('0.39.0', 'info-feather-nrf52840-json', 'feather-nrf52840');
const WASIP1 = realContext('0.39.0', 'info-wasip1-json', 'wasip1');
const FEATHER_033 = realContext('0.33.0', 'info-feather-nrf52840-json', 'feather-nrf52840');

void test('the build context of a real feather-nrf52840: TinyGo tags, GOOS/GOARCH and the Go release tags', () => {
  assert.equal(FEATHER.goos, 'linux');
  assert.equal(FEATHER.goarch, 'arm');
  for (const t of ['baremetal', 'tinygo', 'nrf52840', 'gc.conservative', 'scheduler.tasks', 'go1.25', 'go1.1']) assert.ok(FEATHER.tags.includes(t), t);
  assert.ok(!FEATHER.tags.includes('go1.26'));
  assert.ok(FEATHER_033.tags.includes('go1.23') && !FEATHER_033.tags.includes('go1.24'));
});

const line = (expr: string) => `//go:build ${expr}`;

void test('//go:build expressions evaluate as go/build does for feather-nrf52840', () => {
  const cases: [string, boolean][] = [
    ['tinygo', true], ['!tinygo', false], ['none', false], ['ignore', false],
    ['linux', true], ['unix', true], ['arm', true], ['amd64', false], ['darwin', false], ['windows || darwin', false],
    ['linux && !baremetal', false], ['linux && baremetal', true], ['baremetal && nrf52840', true],
    ['cgo', true], ['gc', true], ['gccgo', false], ['go1.18', true], ['go1.25', true], ['!go1.26', true], ['go1.26', false],
    ['tinygo && (nrf || stm32)', true], ['!(tinygo && nrf)', false], ['a || b && c', false], ['nrf || b && c', true],
    ['!!tinygo', true], ['(((tinygo)))', true], ['scheduler.tasks && gc.conservative', true], ['scheduler.none', false],
    ['tinygo.wasm', false], ['wasm || wasip1', false], ['purego && osusergo && math_big_pure_go', true],
  ];
  for (const [expr, want] of cases) {
    const x = parseGoBuild(line(expr));
    assert.ok(x, expr);
    assert.equal(evalExpr(x, FEATHER), want, expr);
  }
  assert.equal(evalExpr(parseGoBuild(line('wasip1 && tinygo.wasm'))!, WASIP1), true);
  assert.equal(evalExpr(parseGoBuild(line('unix'))!, WASIP1), false, 'wasip1 is not a unix GOOS');
  assert.equal(evalExpr(parseGoBuild(line('baremetal'))!, WASIP1), false);
});

void test('malformed //go:build lines are syntax errors; lines that only look like one are not //go:build lines', () => {
  for (const bad of ['', 'a &&', '&& a', '(a', 'a)', 'a b', 'a & b', 'a | b', '!', 'a/b', '"a"', '()']) {
    assert.throws(() => parseGoBuild(line(bad)), Error, bad);
  }
  assert.equal(parseGoBuild('//go:buildtinygo'), undefined);
  assert.equal(parseGoBuild('// go:build tinygo'), undefined);
  assert.equal(parseGoBuild('//go:build\ttinygo')?.op, 'tag');
});

void test('// +build lines: space is OR, comma is AND, malformed terms are never true (as in Go)', () => {
  const cases: [string, boolean][] = [
    ['// +build tinygo', true], ['// +build !tinygo', false], ['// +build linux,!baremetal', false],
    ['// +build darwin linux', true], ['// +build darwin,arm linux,amd64', false], ['// +build !!tinygo', false],
    ['// +build a/b tinygo', true], ['// +build !', false], ['//+build tinygo', true], ['// +build', false],
  ];
  for (const [l, want] of cases) assert.equal(evalExpr(parsePlusBuild(l)!, FEATHER), want, l);
  assert.equal(parsePlusBuild('// +buildx tinygo'), undefined);
  assert.equal(parsePlusBuild('// build tinygo'), undefined);
});

void test('only the header before the package clause counts, and +build lines only before its last blank line', () => {
  const h = readHeader('// Copyright\n\n//go:build tinygo\n\n/* block\n//go:build ignore\n*/\npackage x\n//go:build none\n');
  assert.deepEqual(h.goBuild, ['//go:build tinygo']);
  assert.deepEqual(readHeader('// +build darwin\n\npackage x\n').plusBuild, ['// +build darwin']);
  assert.deepEqual(readHeader('// +build darwin\npackage x\n').plusBuild, [], 'a +build line must be followed by a blank line');
  assert.deepEqual(readHeader('package x\n\n// +build darwin\n').plusBuild, []);
  assert.deepEqual(readHeader('//go:build tinygo\npackage x\n').goBuild, ['//go:build tinygo'], '//go:build needs no blank line after it');
});

void test('file names: GOOS/GOARCH suffixes as go/build reads them, _test and ignored names', () => {
  const cases: [string, boolean][] = [
    ['main.go', true], ['x_linux.go', true], ['x_arm.go', true], ['x_linux_arm.go', true], ['x_amd64.go', false],
    ['x_darwin.go', false], ['x_linux_amd64.go', false], ['x_windows_arm.go', false], ['x_wasip1.go', false], ['x_js_wasm.go', false],
    ['x_unix.go', true], ['linux.go', true], ['x_nrf52840.go', true], ['x_amd64_test.go', false], ['x_amd64.pb.go', false],
    ['amd64_x.go', true], ['x_baremetal.go', true],
  ];
  for (const [name, compiled] of cases) assert.equal(fileNameExclusion(name, FEATHER) === undefined, compiled, name);
  assert.equal(fileNameExclusion('x_wasip1_wasm.go', WASIP1), undefined);
  assert.match(fileNameExclusion('x_linux.go', WASIP1) ?? '', /_linux \(GOOS=wasip1/);
  assert.match(fileExclusion('dir/x_test.go', 'package x\n', FEATHER)?.reason ?? '', /_test\.go/);
  assert.equal(fileExclusion('dir/x_test.go', 'package x\n', { ...FEATHER, testFiles: 'include' }), undefined);
  assert.match(fileExclusion('dir/x_amd64_test.go', 'package x\n', { ...FEATHER, testFiles: 'include' })?.reason ?? '', /_amd64/);
  assert.match(fileExclusion('/a/_scratch.go', 'package x\n', FEATHER)?.reason ?? '', /starting with _/);
});

void test('a malformed or repeated //go:build line does not exclude the file (Go refuses the package instead)', () => {
  assert.equal(fileExclusion('x.go', '//go:build !tinygo &&\n\npackage x\n', FEATHER), undefined);
  assert.equal(fileExclusion('x.go', '//go:build !tinygo\n//go:build none\n\npackage x\n', FEATHER), undefined);
  assert.ok(fileExclusion('x.go', '//go:build !tinygo\n// +build tinygo\n\npackage x\n', FEATHER), '//go:build wins over +build');
  assert.equal(fileExclusion('x.go', '//go:build tinygo\n// +build !tinygo\n\npackage x\n', FEATHER), undefined);
  assert.ok(fileExclusion('x.go', '// +build !tinygo\n\npackage x\n', FEATHER));
});

// The reproduction: host-only files that a real TinyGo never compiles for an nRF52 board.
const HTTP = 'package app\n\nimport "net/http"\n\nfunc Fetch(url string) (*http.Response, error) { return http.Get(url) }\n';
const EXEC = 'package app\n\nimport "os/exec"\n\nfunc Run() error { return exec.Command("make").Run() }\n';
const REFLECT = 'package app\n\nimport "reflect"\n\nfunc Call(v any, name string) { reflect.ValueOf(v).MethodByName(name).Call(nil) }\n';
const REPRO: [string, string, string][] = [
  ['http_host.go', `//go:build !tinygo\n\n${HTTP}`, '//go:build !tinygo'],
  ['exec_tool.go', `//go:build none\n\n${EXEC}`, '//go:build none'],
  ['reflect_host.go', `//go:build linux && !baremetal\n\n${REFLECT}`, '//go:build linux && !baremetal'],
  ['http_amd64.go', HTTP, 'file name suffix _amd64 (GOOS=linux, GOARCH=arm)'],
  ['exec_darwin_arm64.go', EXEC, 'file name suffix _darwin_arm64 (GOOS=linux, GOARCH=arm)'],
];

void test('the reproduction files get no findings for feather-nrf52840, and say why', async () => {
  const engine = await testEngine();
  const facts = targetFactsFor('feather-nrf52840', { tinygoVersion: '0.33.0', buildTags: [...FEATHER.tags], goos: 'linux', goarch: 'arm' });
  let before = 0;
  for (const [name, text, reason] of REPRO) {
    before += analyzeTextFile(engine, text, { target: facts }).findings.length;
    const r = analyzeTextFile(engine, text, { target: facts, build: { context: FEATHER, fileName: `/src/app/${name}` } });
    assert.deepEqual(r.findings, [], name);
    assert.equal(r.excluded?.message, `excluded: not compiled for feather-nrf52840 (reason: ${reason})`, name);
  }
  assert.ok(before >= 4, `without a build context the same files get findings (${before})`);
});

void test('positive controls: the same code compiled for the target still gets its findings', async () => {
  const engine = await testEngine();
  const facts = targetFactsFor('feather-nrf52840', { tinygoVersion: '0.33.0', buildTags: [...FEATHER.tags], goos: 'linux', goarch: 'arm' });
  const build = (fileName: string) => ({ context: FEATHER, fileName });
  // _linux.go is compiled for nRF52 boards (TinyGo's GOOS there is linux), and so is a file for tinygo or baremetal.
  for (const [name, text] of [['reflect_linux.go', REFLECT], ['reflect.go', `//go:build tinygo\n\n${REFLECT}`],
    ['reflect_arm.go', `//go:build linux && baremetal\n\n${REFLECT}`], ['reflect_nrf.go', `// +build nrf\n\n${REFLECT}`]]) {
    const r = analyzeTextFile(engine, text, { target: facts, build: build(name) });
    assert.equal(r.excluded, undefined, name);
    assert.ok(r.findings.some((f) => /MethodByName/.test(f.message)), `${name}: ${JSON.stringify(r.findings.map((f) => f.message))}`);
  }
  // A host-only file is analysed when the context is a host (the setting "analyse for another target").
  const host: BuildContext = { target: 'linux/amd64', goos: 'linux', goarch: 'amd64', tags: [] };
  const r = analyzeTextFile(engine, REPRO[2][1], { target: facts, build: { context: host, fileName: 'reflect_host.go' } });
  assert.equal(r.excluded, undefined);
  assert.ok(r.findings.some((f) => /MethodByName/.test(f.message)));
});

void test('the incremental engine: an excluded document has no findings, and gets them back when it is compiled again', async () => {
  const engine = await testEngine();
  const facts = targetFactsFor('feather-nrf52840', { tinygoVersion: '0.33.0' });
  const memo = new DeclMemo();
  const options = { target: facts, build: { context: FEATHER, fileName: 'r.go' } };
  const analyse = (text: string) => {
    const tree = engine.parser.parse(text, null, 5000);
    try { return engine.analyzer.analyzeFile(tree, text, options, memo); } finally { tree.delete(); }
  };
  assert.ok(analyse(REFLECT).findings.length > 0);
  const ex = analyse(`//go:build !tinygo\n\n${REFLECT}`);
  assert.deepEqual(ex.findings, []);
  assert.match(ex.excluded?.message ?? '', /!tinygo/);
  assert.ok(analyse(REFLECT).findings.length > 0);
  // No build context: every file analysed, as before.
  const tree = engine.parser.parse(REPRO[0][1], null, 5000);
  try { assert.equal(engine.analyzer.analyzeFile(tree, REPRO[0][1], { target: facts }).excluded, undefined); } finally { tree.delete(); }
});

/**
 * The support-findings side of tools/calibrateReal.ts (tools/calibrateSupport.ts): which files of a real
 * `tinygo list -deps -json` are user code and how each is named, malformed listings, and the counting of findings.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseListFiles, tallySupport, userFiles, type ListedFiles, type SupportFinding } from '../../../tools/calibrateSupport';
import { REPO_ROOT } from './harness';

const LIST = fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'calibration', 'tinyfont-hub75-list-feather-nrf52840-0.39.0.json'), 'utf8');
const CORPUS = '/root/.cache/tinygo-workbench/calib-real/work/tinygo.org_x_tinyfont@v0.6.0';
const TOOL_ROOTS = ['/root/.cache/tinygo-workbench/tinygo-0.39.0/root', '/root/go/pkg/mod/golang.org/toolchain@v0.0.1-go1.25.5.linux-amd64'];
const corpusRel = (abs: string) => (abs.startsWith(`${CORPUS}/`) ? abs.slice(CORPUS.length + 1) : undefined);
const ownTinyfont = (p: ListedFiles) => p.module?.path === 'tinygo.org/x/tinyfont';

interface Plain { ImportPath: string; Dir: string; Standard?: boolean; GoFiles?: string[]; IgnoredGoFiles?: string[] }
const plain = (): Plain[] => LIST.split(/\n(?=\{)/).map((o) => JSON.parse(o) as Plain);

void test('parseListFiles: every package of a real listing with its directory and file lists', () => {
  const r = parseListFiles(LIST);
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.deepEqual(r.packages.map((p) => [p.importPath, p.dir, p.standard, p.goFiles, p.ignoredGoFiles]),
    plain().map((p) => [p.ImportPath, p.Dir, p.Standard === true, p.GoFiles ?? [], p.IgnoredGoFiles ?? []]));
  const drivers = r.packages.find((p) => p.importPath === 'tinygo.org/x/drivers');
  assert.deepEqual(drivers?.module, { path: 'tinygo.org/x/drivers', version: 'v0.31.0', dir: drivers?.dir });
});

void test('userFiles: the corpus files by their corpus path, a dependency module by module@version, no standard package', () => {
  const r = parseListFiles(LIST);
  assert.ok(r.ok);
  const files = userFiles(r.packages, corpusRel, ownTinyfont, TOOL_ROOTS);
  const expected = plain().filter((p) => !p.Standard).flatMap((p) => (p.GoFiles ?? []).map((f) => path.join(p.Dir, f)));
  assert.deepEqual(files.filter((f) => f.compiled).map((f) => f.abs).sort(), expected.sort());
  const main = files.find((f) => f.name === 'examples/hub75/main.go');
  assert.ok(main && main.compiled && main.dependency === undefined, 'the program itself is corpus code');
  const hub75 = files.find((f) => f.abs.endsWith('/drivers@v0.31.0/hub75/hub75.go'));
  assert.deepEqual([hub75?.name, hub75?.dependency], ['tinygo.org/x/drivers@v0.31.0/hub75/hub75.go', 'tinygo.org/x/drivers@v0.31.0']);
  // smoketest.go is `//go:build ignore`: listed as ignored, kept to check the build context against.
  const smoke = files.find((f) => f.name === 'tinygo.org/x/drivers@v0.31.0/smoketest.go');
  assert.equal(smoke?.compiled, false);
  assert.ok(!files.some((f) => /\/src\/(fmt|machine|runtime)\//.test(f.abs)), 'no GOROOT/TINYGOROOT file');
});

void test('userFiles: an own package flagged standard (TinyGo\'s src/examples) is kept; a non-standard one under a tool root is not', () => {
  const pkg = (importPath: string, dir: string, standard: boolean): ListedFiles => ({ importPath, dir, standard, goFiles: ['a.go'], cgoFiles: ['c.go'], ignoredGoFiles: [] });
  const files = userFiles([
    pkg('examples/blinky1', '/t/root/src/examples/blinky1', true),
    pkg('machine', '/t/root/src/machine', true),
    pkg('vendored/x', '/t/root/src/vendored/x', false),
    pkg('example.com/dep', '/mod/dep', false),
  ], (abs) => /\/src\/examples\/(.+)$/.exec(abs)?.[1], (p) => p.importPath.startsWith('examples/'), ['/t/root']);
  assert.deepEqual(files.map((f) => [f.name, f.compiled, f.dependency]), [
    ['blinky1/a.go', true, undefined], ['blinky1/c.go', true, undefined],
    ['example.com/dep/a.go', true, 'example.com/dep'], ['example.com/dep/c.go', true, 'example.com/dep'],
  ]);
});

void test('parseListFiles: malformed listings say what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['', /no package/],
    [LIST.slice(0, LIST.length / 2), /ends inside an object/],
    ['{"Dir": "/x"}', /no ImportPath/],
    ['{"ImportPath": "a"}', /a: no Dir/],
    ['{"ImportPath": "a", "Dir": "/a", "GoFiles": ["x.go", 3]}', /a: a file list is not a list of strings/],
    ['{"ImportPath": "a", "Dir": "/a", "GoFiles": "x.go"}', /a: a file list/],
    ['{"ImportPath": "a", "Dir": "/a"} x', /unexpected "x"/],
  ];
  for (const [input, want] of cases) {
    const r = parseListFiles(input);
    assert.ok(!r.ok, `accepted: ${input.slice(0, 60)}`);
    assert.match(r.error, want);
  }
});

void test('tallySupport: a finding in a file several programs compile counts once; errors and warnings listed in file order', () => {
  const f = (file: string, line: number, ruleId: string, severity: SupportFinding['severity'], program: string): SupportFinding =>
    ({ file, line, col: 2, ruleId, severity, message: `${ruleId} at ${line}`, program });
  const t = tallySupport([
    f('lib/b.go', 9, 'unsupported-package', 'warning', 'p1'),
    f('lib/b.go', 9, 'unsupported-package', 'warning', 'p2'),
    f('lib/a.go', 12, 'reflect-unsupported', 'error', 'p2'),
    f('lib/a.go', 3, 'unsupported-package', 'information', 'p1'),
    f('lib/a.go', 3, 'unsupported-recover', 'warning', 'p1'),
    f('main.go', 1, 'unsupported-package', 'hint', 'p3'),
  ]);
  assert.deepEqual(t.rows, [
    { rule: 'reflect-unsupported', counts: { error: 1, warning: 0, information: 0, hint: 0 } },
    { rule: 'unsupported-package', counts: { error: 0, warning: 1, information: 1, hint: 1 } },
    { rule: 'unsupported-recover', counts: { error: 0, warning: 1, information: 0, hint: 0 } },
  ]);
  assert.deepEqual(t.total, { error: 1, warning: 2, information: 1, hint: 1 });
  assert.deepEqual(t.listed.map((x) => `${x.file}:${x.line} ${x.ruleId} ${x.program}`),
    ['lib/a.go:3 unsupported-recover p1', 'lib/a.go:12 reflect-unsupported p2', 'lib/b.go:9 unsupported-package p1']);
  assert.deepEqual(tallySupport([]).total, { error: 0, warning: 0, information: 0, hint: 0 });
});

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { elfSizeReport } from '../../../src/core/elf';
import { funcLensText, goFuncs, goImports, importLensText, symbolMatcher } from '../../../src/core/size/importCosts';
import { FIXTURE_DIR } from '../elf/llvm';

const ROOT = path.resolve(__dirname, '../../../..');

void test('imports: single, grouped, named, dot and blank imports on their own lines; comments and strings that look like imports are not', () => {
  const src = [
    'package main', //                     0
    '', //                                  1
    '// import "fake/comment"', //          2
    'import "machine"', //                  3
    'import (', //                          4
    '\t"fmt"', //                           5
    '\tstr "strconv" // the converter', //  6
    '\t. "math"', //                        7
    '\t_ "embed"', //                       8
    '\t/* "not/this" */', //                9
    '\t`encoding/json`', //                 10
    ')', //                                 11
    'import ( "time" )', //                 12
    'var s = `', //                         13
    'import "inside/raw/string"', //        14
    '`', //                                 15
  ].join('\n');
  assert.deepEqual(goImports(src), [
    { path: 'machine', line: 3 }, { path: 'fmt', line: 5 }, { path: 'strconv', line: 6 }, { path: 'math', line: 7 },
    { path: 'embed', line: 8 }, { path: 'encoding/json', line: 10 }, { path: 'time', line: 12 },
  ]);
});

void test('imports and functions of examples/feather-blinky/main.go, on the lines the file has them', () => {
  const src = fs.readFileSync(path.join(ROOT, 'examples/feather-blinky/main.go'), 'utf8');
  const lines = src.split('\n');
  const imps = goImports(src);
  assert.ok(imps.length >= 2);
  for (const i of imps) assert.ok(lines[i.line]!.includes(`"${i.path}"`), `${i.path} on line ${i.line}`);
  const fns = goFuncs(src);
  assert.deepEqual(fns.map((f) => f.name), lines.flatMap((l) => (/^func (\w+)/.exec(l) ? [/^func (\w+)/.exec(l)![1]!] : [])));
  for (const f of fns) assert.ok(lines[f.line]!.startsWith(`func ${f.name}(`));
});

void test('functions: plain, methods on values and pointers, generic receivers and functions; not func literals or nested text', () => {
  const src = [
    'package p',
    'func A() {}',
    'func (t T) B() {}',
    'func (t *T) C() {}',
    'func (*T) D() {}',
    'func (l *List[E]) Push(v E) {}',
    'func Map[T any](x T) T { return x }',
    '\tf := func() {}',
    '// func Commented() {}',
    'var s = "func Str() {}"',
  ].join('\n');
  assert.deepEqual(goFuncs(src).map((f) => [f.name, f.line]), [['A', 1], ['(T).B', 2], ['(*T).C', 3], ['(*T).D', 4], ['(*List).Push', 5], ['Map', 6]]);
});

void test('symbol names: a function with its closures and instances, methods by receiver; not a longer name with the same start', () => {
  const f = symbolMatcher('main', 'echo');
  assert.ok(f('main.echo') && f('main.echo$1') && f('main.echo[int]') && f('main.echo$gowrapper'));
  assert.ok(!f('main.echoAll') && !f('other/main.echo') && !f('xmain.echo'));
  const m = symbolMatcher('example.com/x/led', '(*Strip).Show');
  assert.ok(m('(*example.com/x/led.Strip).Show') && m('(*example.com/x/led.Strip).Show$1'));
  assert.ok(!m('(example.com/x/led.Strip).Show') && !m('(*example.com/x/led.Strip).ShowAll'));
});

void test('on a real firmware: the functions of main.go cover package main\'s code symbols, add up to no more than its code, and the lens texts', () => {
  const file = path.join(FIXTURE_DIR, 'feather-nrf52840-blinky-echo-tinygo0.39.elf');
  const r = elfSizeReport(file, fs.readFileSync(file));
  const main = r.packages.find((p) => p.package === 'main')!;
  const own = r.symbols.filter((s) => !s.gap && s.package === 'main');
  const fns = goFuncs(fs.readFileSync(path.join(ROOT, 'examples/feather-blinky/main.go'), 'utf8')).map((f) => symbolMatcher('main', f.name));
  let sum = 0;
  for (const s of own) {
    const n = fns.filter((m) => m(s.name)).length;
    // Every function symbol of main belongs to exactly one source function; `main$string.N` constants to none.
    assert.equal(n, s.name.startsWith('main$') ? 0 : 1, s.name);
    if (n) sum += s.size;
  }
  assert.ok(sum > 0 && sum <= main.text, `${sum} <= ${main.text}`);
  const machine = r.packages.find((p) => p.package === 'machine')!;
  assert.match(importLensText('machine', machine), /^machine — [\d.]+ KB flash, \d+(\.\d)? K?B RAM$/);
  assert.equal(importLensText('unsafe', undefined), 'unsafe — not in the firmware');
  assert.equal(funcLensText(1536), '1.5 KB code');
});

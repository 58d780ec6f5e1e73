/**
 * The firmware side of tools/calibrateReal.ts on a committed real ELF (examples/feather-blinky at cc84eff, built
 * for feather-nrf52840 with tinygo 0.39.0; test/fixtures/elf/README.md): which source lines the DWARF line tables
 * say are compiled in, and where the calls to the allocating runtime functions are (llvm-objdump, skipped without it).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseFile } from '../../../tools/calibrate';
import { compiledLines, parseObjdumpCalls, runtimeCallsIn, statementCompiled } from '../../../tools/calibrateReal';
import { REPO_ROOT, testEngine } from './harness';

const ELF = path.join(REPO_ROOT, 'test', 'fixtures', 'elf', 'feather-nrf52840-blinky-echo-tinygo0.39.elf');
const rel = (p: string) => /examples\/feather-blinky\/(.+\.go)$/.exec(p)?.[1];
const haveObjdump = spawnSync('llvm-objdump-19', ['--version'], { encoding: 'utf8' }).status === 0;

void test('compiledLines: the lines of main.go that the firmware holds, and not its comments or blank lines', () => {
  const lines = compiledLines(fs.readFileSync(ELF), rel);
  // echo()'s make (line 53) and `go blink(...)` (line 17) are code; line 50 is a comment, 49 is blank.
  for (const l of ['main.go:53', 'main.go:17']) assert.ok(lines.has(l), `${l} not in ${[...lines].sort().join(' ')}`);
  for (const l of ['main.go:49', 'main.go:50']) assert.ok(!lines.has(l), `${l} should not be compiled`);
  assert.ok([...lines].every((k) => /^[\w./-]+\.go:\d+$/.test(k)), 'keys are rel:line');
  // A mapping that names no corpus file gives nothing.
  assert.equal(compiledLines(fs.readFileSync(ELF), () => undefined).size, 0);
});

void test('parseObjdumpCalls: bl and tail calls to the wanted functions, not branches into a body, not other lines', () => {
  const text = [
    '0002698a <main.echo>:',
    '   2698a:      \tbl\t0x271cc <runtime.alloc> @ imm = #0x83e',
    '   26992:      \tb.w\t0x271cc <runtime.alloc> @ imm = #0x836',
    '   26994:      \tbl\t0x27000 <runtime.sliceAppend>',
    '   26998:      \tbl\t0x271d0 <runtime.alloc+0x4> @ imm = #0x8',
    '   2699c:      \tbl\t0x27100 <machine.(*UART).Write> @ imm = #0x8',
    '   269a0:      \tbne\t0x271cc <runtime.alloc>',
    'garbage bl <runtime.alloc>',
    '',
  ].join('\n');
  assert.deepEqual(parseObjdumpCalls(text, new Set(['runtime.alloc', 'runtime.sliceAppend'])), [
    { address: 0x2698a, fn: 'runtime.alloc' },
    { address: 0x26992, fn: 'runtime.alloc' },
    { address: 0x26994, fn: 'runtime.sliceAppend' },
  ]);
  assert.deepEqual(parseObjdumpCalls('', new Set(['runtime.alloc'])), []);
});

void test('runtimeCallsIn: echo()\'s heap allocation and the goroutine start are found at their main.go lines', { skip: haveObjdump ? false : 'no llvm-objdump-19' }, () => {
  const calls = runtimeCallsIn(ELF, fs.readFileSync(ELF), rel);
  assert.ok(calls.some((c) => c.fn === 'runtime.alloc' && c.file === 'main.go' && c.line === 53), JSON.stringify(calls));
  assert.ok(calls.some((c) => c.fn === 'internal/task.start' && c.file === 'main.go' && c.line === 17), JSON.stringify(calls));
});

void test('statementCompiled: a line inside a compiled multi-line statement counts, a line of a block it holds does not', async () => {
  const src = [
    'package p', // 1
    '',
    'func f(h uint16) uint32 {', // 3
    '\tvalue := [2]uint8{1, 0}', // 4
    '\terr := write(h, &params{', // 5
    '\t\thandle: 3,', // 6
    '\t\tp_value: &value[0],', // 7
    '\t})', // 8
    '\tif err != 0 {', // 9
    '\t\treturn err', // 10
    '\t}', // 11
    '\treturn 0', // 12
    '}', // 13
  ].join('\n');
  const pf = parseFile(await testEngine(), src);
  try {
    const at = (line: number, compiled: number[]) => statementCompiled({ file: 'f.go', line }, pf, new Set(compiled.map((l) => `f.go:${l}`)));
    assert.equal(at(7, [5]), true, 'line 7 belongs to the statement of line 5');
    assert.equal(at(7, [4, 12]), false, 'nothing of that statement is compiled');
    assert.equal(at(9, [10]), false, 'the if header is not compiled because its body is');
    assert.equal(at(3, [4]), false, 'a function declaration is no statement');
    assert.equal(statementCompiled({ file: 'f.go', line: 7 }, undefined, new Set(['f.go:5'])), false, 'no parsed file');
  } finally {
    pf.tree.delete();
  }
});

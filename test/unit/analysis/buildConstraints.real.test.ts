/**
 * The build-constraint evaluator against the real TinyGo: `tinygo list -json -target=X` says which files of a package
 * the target compiles (GoFiles), which only `go test` does (TestGoFiles), and which it ignores (IgnoredGoFiles); the
 * build context made from the same tinygo's `info -json` must say the same for every file. Runs with TGW_TINYGO.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { buildContextFromInfo, fileExclusion } from '../../../src/core/analysis';
import { runProcess } from '../../../src/core/process/exec';
import { parseInfoJson } from '../../../src/core/tinygo/info';
import { parseVersionOutput } from '../../../src/core/tinygo/version';

const FILES: Record<string, string> = {
  'main.go': '',
  'not_tinygo.go': '//go:build !tinygo',
  'none.go': '//go:build none',
  'host.go': '//go:build linux && !baremetal',
  'bare.go': '//go:build linux && baremetal',
  'x_amd64.go': '', 'x_linux.go': '', 'x_arm.go': '', 'x_linux_arm.go': '', 'x_darwin.go': '', 'x_wasip1.go': '', 'x_js_wasm.go': '',
  'x_wasip1_wasm.go': '', 'x_unix.go': '',
  'compiler.go': '//go:build gc && cgo && unix',
  'release.go': '//go:build go1.21 && !go1.99',
  'plus.go': '// +build linux,!baremetal',
  'plus_or.go': '// +build tinygo darwin',
  'paren.go': '//go:build (nrf || wasip1) && !(amd64 || arm64)',
  'sched.go': '//go:build scheduler.tasks || scheduler.asyncify',
  'wasm.go': '//go:build tinygo.wasm',
  'unicore.go': '//go:build tinygo.unicore',
  'both.go': '//go:build tinygo\n// +build !tinygo',
  'a_test.go': '', 'b_amd64_test.go': '', 'c_test.go': '//go:build !tinygo',
};

const tinygo = process.env.TGW_TINYGO;

for (const target of ['feather-nrf52840', 'wasip1']) {
  void test(`the files ${target} compiles, as the real tinygo list says`, { skip: tinygo ? false : 'TGW_TINYGO is not set', timeout: 300_000 }, async () => {
    const tg = tinygo as string;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-list-'));
    try {
      fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/constraints\n\ngo 1.21\n');
      for (const [name, header] of Object.entries(FILES)) {
        const body = name === 'main.go' ? 'package main\n\nfunc main() {}\n' : 'package main\n';
        fs.writeFileSync(path.join(dir, name), header ? `${header}\n\n${body}` : body);
      }
      const ver = parseVersionOutput((await runProcess(tg, ['version'], { timeoutMs: 60_000 })).stdout);
      const info = parseInfoJson((await runProcess(tg, ['info', '-json', `-target=${target}`], { timeoutMs: 60_000 })).stdout).info;
      assert.ok(ver.ok && info, 'tinygo version and info -json');
      const context = buildContextFromInfo(target, info, ver.info.goVersion);
      const r = await runProcess(tg, ['list', '-json', `-target=${target}`, '.'], { cwd: dir, timeoutMs: 120_000 });
      const start = r.stdout.indexOf('{');
      assert.ok(start >= 0, `tinygo list printed no package: ${r.stderr.slice(0, 500)}`);
      // One package: the first top-level JSON object (go list prints objects one after another).
      let depth = 0; let end = start; let inStr = false;
      for (let i = start; i < r.stdout.length; i++) {
        const c = r.stdout[i];
        if (inStr) { if (c === '\\') i++; else if (c === '"') inStr = false; continue; }
        if (c === '"') inStr = true; else if (c === '{') depth++; else if (c === '}' && --depth === 0) { end = i + 1; break; }
      }
      const pkg = JSON.parse(r.stdout.slice(start, end)) as { GoFiles?: string[]; TestGoFiles?: string[]; XTestGoFiles?: string[] };
      const compiled = new Set(pkg.GoFiles ?? []);
      const tests = new Set([...(pkg.TestGoFiles ?? []), ...(pkg.XTestGoFiles ?? [])]);
      const wrong: string[] = [];
      for (const [name, header] of Object.entries(FILES)) {
        const text = `${header}\n\npackage main\n`;
        const isTest = name.endsWith('_test.go');
        const ours = fileExclusion(path.join(dir, name), text, { ...context, testFiles: isTest ? 'include' : 'exclude' }) === undefined;
        const theirs = isTest ? tests.has(name) : compiled.has(name);
        if (ours !== theirs) wrong.push(`${name} (${header || 'no header'}): tinygo list ${theirs ? 'compiles' : 'ignores'} it, we say ${ours ? 'compiled' : 'excluded'}`);
      }
      assert.deepEqual(wrong, []);
      assert.ok(compiled.size >= 5, `a real answer: ${[...compiled].join(' ')}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

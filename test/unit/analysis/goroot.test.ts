import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeText, ALL_RULES, DEFAULT_TARGET_FACTS, targetFactsFor } from '../../../src/core/analysis';
import { testEngine } from './harness';

/**
 * Every rule over every .go file of the local Go source tree, testdata (deliberately broken Go) included, for
 * the three kinds of target: no exception, and no file over one second. Prints the counts.
 */
void test('every rule over every .go file of GOROOT/src: no exception, no file over 1 s of CPU', { timeout: 15 * 60_000 }, async () => {
  const e = await testEngine();
  const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  const files: string[] = [];
  const walk = (d: string) => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) walk(p); else if (ent.isFile() && ent.name.endsWith('.go')) files.push(p);
    }
  };
  walk(path.join(goroot, 'src'));
  const targets = [DEFAULT_TARGET_FACTS, targetFactsFor('wasip1'), targetFactsFor('linux')];
  const failures: string[] = [];
  const slow: string[] = [];
  const perRule = new Map<string, number>(ALL_RULES.map((r) => [r.id, 0]));
  let bytes = 0;
  let maxMs = 0;
  let maxFile = '';
  let maxWall = 0;
  const t0 = performance.now();
  files.forEach((file, i) => {
    const text = fs.readFileSync(file, 'utf8');
    bytes += text.length;
    // Each file once per target kind, rotating, so the three kinds all see the whole tree's shapes.
    const target = targets[i % targets.length];
    // CPU time of this process (parse + rules run on this thread): what the file costs, whatever else the machine
    // is doing at the same time. Wall time is reported beside it.
    const run = () => {
      const c = process.cpuUsage(); const t = performance.now();
      const f = analyzeText(e, text, { target }, 10_000);
      const d = process.cpuUsage(c);
      return { f, ms: (d.user + d.system) / 1000, wallMs: performance.now() - t };
    };
    try {
      let r = run();
      // A one-off pause (GC, a busy core slowing this one) is not the file's cost: a slow file is measured up to
      // three times and its best run counts.
      for (let i = 0; i < 2 && r.ms > 1000; i++) { const again = run(); if (again.ms < r.ms) r = again; }
      for (const f of r.f) perRule.set(f.ruleId, (perRule.get(f.ruleId) ?? 0) + 1);
      if (r.ms > maxMs) { maxMs = r.ms; maxFile = path.relative(goroot, file); maxWall = r.wallMs; }
      if (r.ms > 1000) slow.push(`${path.relative(goroot, file)}: ${r.ms.toFixed(0)} ms CPU (${r.wallMs.toFixed(0)} ms wall, ${(text.length / 1e6).toFixed(2)} MB)`);
    } catch (err) {
      failures.push(`${path.relative(goroot, file)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  const s = (performance.now() - t0) / 1000;
  console.log(`GOROOT sweep: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB in ${s.toFixed(1)} s; slowest ${maxFile} ${maxMs.toFixed(0)} ms CPU (${maxWall.toFixed(0)} ms wall); ` +
    `${failures.length} exceptions, ${slow.length} files over 1 s`);
  console.log(`findings per rule: ${[...perRule].map(([k, v]) => `${k}=${v}`).join(' ')}`);
  assert.ok(files.length > 1000, `only ${files.length} files found under ${goroot}/src`);
  assert.deepEqual(failures, []);
  assert.deepEqual(slow, []);
});

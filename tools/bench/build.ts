/**
 * Figures for `npm run bench -- --only=build`: what the extension adds around a build (spawn through the
 * tree-killing runner, parse stdout/stderr, merge allocations, make one diagnostic object per finding) against
 * running the same command directly, and the time to read a 10,000-line build log.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runProcess } from '../../src/core/process/exec';
import { planBuild } from '../../src/core/build/args';
import { mergeAllocs, type AllocHint } from '../../src/core/build/merge';
import { buildOutcome } from '../../src/core/build/outcome';
import { resolveBuildPackage } from '../../src/core/build/package';
import { runBuild } from '../../src/core/build/run';

export interface OverheadFigures {
  command: string;
  runs: number;
  directMs: number;
  oursMs: number;
  /** oursMs / directMs (medians). */
  ratio: number;
  overheadMs: number;
}

export interface BuildBenchFigures {
  standIn?: OverheadFigures;
  realTinygo?: OverheadFigures | { skipped: string };
  parse10k: { lines: number; bestMs: number; medianMs: number; diagnostics: number; allocs: number };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function direct(file: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve) => {
    const c = spawn(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout.on('data', () => undefined);
    c.stderr.on('data', () => undefined);
    c.on('close', () => resolve());
    c.on('error', () => resolve());
  });
}

async function overhead(label: string, tinygo: string, pkgDir: string, runs: number, hints: AllocHint[]): Promise<OverheadFigures> {
  const pkg = resolveBuildPackage({ activeFileDir: pkgDir });
  if (!pkg.ok) throw new Error(pkg.message);
  const plan = planBuild({ baseDir: pkgDir, packageDir: pkgDir, pkgArg: '.', modulePath: pkg.pkg.module?.path, settings: { gc: 'precise' } });
  if (!plan.ok) throw new Error(plan.errors.join(' '));
  fs.mkdirSync(path.dirname(plan.plan.outputPath), { recursive: true });
  const d: number[] = [];
  const o: number[] = [];
  // Warm both paths (page cache, tinygo's build cache), then alternate so drift hits both alike.
  await direct(tinygo, plan.plan.args, pkgDir);
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    await direct(tinygo, plan.plan.args, pkgDir);
    d.push(performance.now() - t0);
    t0 = performance.now();
    const r = await runBuild({ exec: runProcess, tinygo, plan: plan.plan, cwd: pkgDir, timeoutSeconds: 600, onOutput: () => undefined, hints: () => ({ hints, files: pkg.pkg.goFiles }) });
    // What the glue does next: one plain object per Problems entry.
    const diags = [...r.diagnostics, ...r.merge.allocs].map((x) => ({ file: x.file, line: x.line, message: 'message' in x ? x.message : x.reasons.join('; ') }));
    o.push(performance.now() - t0);
    if (diags.length < 0) throw new Error('unreachable');
  }
  const directMs = median(d);
  const oursMs = median(o);
  return { command: label, runs, directMs: +directMs.toFixed(1), oursMs: +oursMs.toFixed(1), ratio: +(oursMs / directMs).toFixed(3), overheadMs: +(oursMs - directMs).toFixed(1) };
}

/** A log shaped like a bad day: allocation reports, `# pkg` blocks of errors, linker lines, noise, a size table. */
export function syntheticBuildLog(lines: number): { stderr: string; stdout: string } {
  const err: string[] = [];
  const files = ['/home/u/proj/main.go', '/home/u/proj/drivers/sensor.go', '/home/u/proj/net/radio.go'];
  for (let i = 0; err.length < lines - 20; i++) {
    const f = files[i % files.length];
    switch (i % 8) {
      case 0: err.push(`# example.com/proj/pkg${i % 17}`); break;
      case 1: case 2: err.push(`${path.basename(f)}:${(i % 900) + 1}:${(i % 40) + 1}: undefined: name${i}`); break;
      case 3: err.push(`${f}:${(i % 900) + 1}:${(i % 30) + 1}: object allocated on the heap: escapes at line ${(i % 900) + 2}`); break;
      case 4: err.push(`${f}:${(i % 900) + 1}: object allocated on the heap: size is not constant`); break;
      case 5: err.push(`ld.lld: error: undefined symbol: main.sym${i}`, `>>> referenced by main.go:${i % 900}`); break;
      case 6: err.push(`some unrecognised tool chatter ${i}`); break;
      default: err.push(`/usr/local/go/src/fmt/print.go:${i % 300}:2: object allocated on the heap: escapes at unknown line`);
    }
  }
  const out = ['   code  rodata    data     bss |   flash     ram | package', '------------------------------- | --------------- | -------'];
  for (let i = 0; i < 16; i++) out.push(`${String(100 + i).padStart(7)} ${'0'.padStart(7)} ${'0'.padStart(7)} ${'0'.padStart(7)} | ${String(100 + i).padStart(7)} ${'0'.padStart(7)} | pkg${i}`);
  out.push('------------------------------- | --------------- | -------', `${'1000'.padStart(7)} ${'0'.padStart(7)} ${'0'.padStart(7)} ${'0'.padStart(7)} | ${'1000'.padStart(7)} ${'0'.padStart(7)} | total`);
  return { stderr: err.slice(0, lines - out.length).join('\n') + '\n', stdout: out.join('\n') + '\n' };
}

export async function benchBuildFigures(options: { repoRoot: string; tinygo?: string; runs?: number }): Promise<BuildBenchFigures> {
  const fig: BuildBenchFigures = { parse10k: { lines: 10_000, bestMs: 0, medianMs: 0, diagnostics: 0, allocs: 0 } };
  const log = syntheticBuildLog(10_000);
  const hints: AllocHint[] = Array.from({ length: 300 }, (_, i) => ({ file: '/home/u/proj/main.go', line: i * 3 + 1, ruleId: 'alloc-escape', message: '' }));
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    const o = buildOutcome({ exitCode: 1, stdout: log.stdout, stderr: log.stderr, timedOut: false, cancelled: false }, { cwd: '/home/u/proj' });
    const m = mergeAllocs(o.allocs, hints, ['/home/u/proj/main.go']);
    times.push(performance.now() - t0);
    fig.parse10k.diagnostics = o.diagnostics.length;
    fig.parse10k.allocs = m.allocs.length;
  }
  fig.parse10k.bestMs = +Math.min(...times).toFixed(2);
  fig.parse10k.medianMs = +median(times).toFixed(2);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw bench build '));
  try {
    const fakeDir = path.join(work, 'allocs');
    fs.cpSync(path.join(options.repoRoot, 'test/fixtures/fake-tinygo-build/projects/allocs'), fakeDir, { recursive: true });
    fig.standIn = await overhead('scripted stand-in (node script), allocs project', path.join(options.repoRoot, 'test/fixtures/fake-tinygo-build/tinygo'), fakeDir, options.runs ?? 15, []);
    if (options.tinygo) {
      const realDir = path.join(work, 'real');
      fs.mkdirSync(realDir);
      fs.writeFileSync(path.join(realDir, 'go.mod'), 'module example.com/benchbuild\n\ngo 1.21\n');
      fs.copyFileSync(path.join(options.repoRoot, 'test/fixtures/fake-tinygo-build/projects/allocs/main.go'), path.join(realDir, 'main.go'));
      fig.realTinygo = await overhead(`real tinygo host build (${options.tinygo})`, options.tinygo, realDir, 3, []);
    } else {
      fig.realTinygo = { skipped: 'TGW_TINYGO is not set (eval "$(bash scripts/install-tinygo.sh)")' };
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return fig;
}

/**
 * tinygo-workbench check [--format text|json|sarif] [--target NAME] [--tinygo-version V] [--goos OS --goarch ARCH]
 *   [--tags a,b] [--tinygo PATH] [--test-files] [--list-rules] PATHS...
 * The editor's analysis from the command line, for CI. Exit status: 0 no error-severity finding, 1 at least one,
 * 2 usage or I/O error. With --target, the target's build context comes from `tinygo info -json` (when tinygo runs),
 * or from --goos/--goarch/--tags: files the target does not compile get no findings.
 * tinygo-workbench addr2line FIRMWARE.elf ADDRESS...: see cliAddr2line.ts.
 * tinygo-workbench size FIRMWARE.elf ...: see cliSize.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeTextFile, assetsIn, buildContextFromInfo, createEngine, targetFactsFor, type AnalysisAssets, type BuildContext, type Finding,
  type TargetInfoLike } from './core/analysis';
import { formatJson, formatSarif, formatText, type FileFindings } from './core/analysis/report';
import { ADDR2LINE_USAGE, addr2lineMain } from './cliAddr2line';
import { SIZE_USAGE, sizeMain } from './cliSize';
import { runProcess, type ExecFn } from './core/process/exec';
import { queryTargetInfo } from './core/tinygo/toolchain';
import { parseVersionOutput } from './core/tinygo/version';

const VERSION = '0.1.0';
const USAGE = `usage: tinygo-workbench check [--format text|json|sarif] [--target NAME] [--tinygo-version V]
          [--goos OS --goarch ARCH] [--tags a,b] [--tinygo PATH] [--test-files] PATHS...
       tinygo-workbench --list-rules
       ${ADDR2LINE_USAGE.replace('usage: ', '')}
       ${SIZE_USAGE.replace('usage: ', '')}`;

export interface CliIo { out: (s: string) => void; err: (s: string) => void }

function goFiles(p: string, acc: string[]): void {
  const st = fs.statSync(p);
  if (st.isFile()) { if (p.endsWith('.go')) acc.push(p); return; }
  for (const e of fs.readdirSync(p, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const child = path.join(p, e.name);
    if (e.isDirectory()) goFiles(child, acc); else if (e.isFile() && e.name.endsWith('.go')) acc.push(child);
  }
}

interface BuildArgs { target?: string; goos?: string; goarch?: string; tags: string[]; tinygo?: string; testFiles: boolean }

/**
 * The build context: explicit --goos/--goarch (with --tags), else `tinygo info -json` for --target; undefined (every
 * file analysed, as before) without either, or when tinygo cannot say, which is reported on stderr.
 */
async function buildContextOf(a: BuildArgs, exec: ExecFn, io: CliIo): Promise<{ context?: BuildContext; info?: TargetInfoLike } | 'usage'> {
  const testFiles = a.testFiles ? 'include' as const : 'exclude' as const;
  if (a.goos || a.goarch) {
    if (!a.goos || !a.goarch) { io.err(`--goos and --goarch go together\n${USAGE}`); return 'usage'; }
    return { context: { target: a.target ?? '', goos: a.goos, goarch: a.goarch, tags: a.tags, testFiles } };
  }
  if (!a.target) return {};
  const tinygo = a.tinygo ?? 'tinygo';
  const ver = await exec(tinygo, ['version'], { timeoutMs: 20_000 });
  const version = parseVersionOutput(`${ver.stdout}\n${ver.stderr}`);
  if (ver.exitCode !== 0 || !version.ok) {
    io.err(`tinygo-workbench: build constraints not evaluated: could not run "${tinygo} version"${ver.spawnError ? ` (${ver.spawnError})` : ''}; give --goos/--goarch/--tags`);
    return {};
  }
  const r = await queryTargetInfo(tinygo, version.info, a.target, { exec });
  if (!r.info) { io.err(`tinygo-workbench: build constraints not evaluated: ${r.error ?? 'no tinygo info'}`); return {}; }
  const context = { ...buildContextFromInfo(a.target, r.info, version.info.goVersion, a.tags), testFiles };
  return { context, info: { target: a.target, tinygoVersion: version.info.version.raw, goos: r.info.goos, goarch: r.info.goarch, gc: r.info.gc,
    scheduler: r.info.scheduler, buildTags: r.info.buildTags, defaultStackSize: r.info.target?.defaultStackSize } };
}

export async function main(argv: string[], io: CliIo, assets: string | AnalysisAssets = __dirname, exec: ExecFn = runProcess): Promise<number> {
  if (argv[0] === 'addr2line') return addr2lineMain(argv.slice(1), io);
  if (argv[0] === 'size') return sizeMain(argv.slice(1), io);
  let format = 'text';
  let target: string | undefined;
  let tinygoVersion: string | undefined;
  let listRules = false;
  const build: BuildArgs = { tags: [], testFiles: false };
  const paths: string[] = [];
  const args = [...argv];
  if (args[0] === 'check') args.shift();
  while (args.length) {
    const a = args.shift()!;
    const value = () => { const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args.shift(); if (!v) throw new Error(`${a} needs a value`); return v; };
    try {
      if (a.startsWith('--format')) format = value();
      else if (a.startsWith('--target')) target = value();
      else if (a.startsWith('--tinygo-version')) tinygoVersion = value();
      else if (a.startsWith('--goos')) build.goos = value();
      else if (a.startsWith('--goarch')) build.goarch = value();
      else if (a.startsWith('--tags')) build.tags.push(...value().split(/[,\s]+/).filter((t) => t !== ''));
      else if (a === '--test-files') build.testFiles = true;
      else if (a === '--tinygo' || a.startsWith('--tinygo=')) build.tinygo = value();
      else if (a === '--list-rules') listRules = true;
      else if (a === '-h' || a === '--help') { io.out(USAGE); return 0; }
      else if (a.startsWith('-')) { io.err(`unknown option ${a}\n${USAGE}`); return 2; }
      else paths.push(a);
    } catch (e) { io.err(`${(e as Error).message}\n${USAGE}`); return 2; }
  }
  if (!['text', 'json', 'sarif'].includes(format)) { io.err(`--format must be text, json or sarif\n${USAGE}`); return 2; }
  const engine = await createEngine(typeof assets === 'string' ? assetsIn(assets) : assets);
  if (listRules) {
    for (const r of engine.analyzer.ruleList) io.out(`${r.id.padEnd(36)} ${r.family.padEnd(12)} ${r.defaultSeverity.padEnd(12)} ${r.title}`);
    return 0;
  }
  if (paths.length === 0) { io.err(USAGE); return 2; }
  const files: string[] = [];
  try { for (const p of paths) goFiles(p, files); } catch (e) { io.err(`tinygo-workbench: ${(e as Error).message}`); return 2; }
  const ctx = await buildContextOf({ ...build, target }, exec, io);
  if (ctx === 'usage') return 2;
  const facts = targetFactsFor(target, { ...ctx.info, ...(tinygoVersion ? { tinygoVersion } : {}) });
  const results: FileFindings[] = [];
  let errors = 0;
  let excluded = 0;
  for (const file of files.sort()) {
    let findings: Finding[];
    const shown = path.relative(process.cwd(), file) || file;
    try {
      const r = analyzeTextFile(engine, fs.readFileSync(file, 'utf8'), { target: facts, build: ctx.context && { context: ctx.context, fileName: file } });
      findings = r.findings;
      if (r.excluded) { excluded++; if (format === 'text') io.err(`${shown}: ${r.excluded.message}`); }
    } catch (e) {
      io.err(`${file}: not analysed: ${(e as Error).message}`);
      continue;
    }
    errors += findings.filter((f) => f.severity === 'error').length;
    if (findings.length) results.push({ file: shown, findings });
  }
  const docs = 'https://example.invalid/tinygo-workbench/docs/rules.md';
  const text = format === 'json' ? formatJson(results) : format === 'sarif' ? formatSarif(results, engine.analyzer.ruleList, VERSION, docs) : formatText(results);
  if (text) io.out(text);
  if (format === 'text') {
    const n = results.reduce((s, r) => s + r.findings.length, 0);
    io.err(`${files.length} files${ctx.context ? ` (${excluded} not compiled for ${ctx.context.target || `${ctx.context.goos}/${ctx.context.goarch}`})` : ''}, ${n} findings, ${errors} at error severity`);
  }
  return errors > 0 ? 1 : 0;
}

if (require.main === module) {
  // `tinygo-workbench size FIRMWARE.elf | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw e; });
  main(process.argv.slice(2), { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') })
    .then((code) => { process.exitCode = code; })
    .catch((e: unknown) => { process.stderr.write(`tinygo-workbench: ${e instanceof Error ? e.message : String(e)}\n`); process.exitCode = 2; });
}

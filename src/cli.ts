/**
 * tinygo-workbench check [--format text|json|sarif] [--target NAME] [--tinygo-version V] [--list-rules] PATHS...
 * The editor's analysis from the command line, for CI. Exit status: 0 no error-severity finding, 1 at least one,
 * 2 usage or I/O error.
 * tinygo-workbench addr2line FIRMWARE.elf ADDRESS...: see cliAddr2line.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, assetsIn, createEngine, targetFactsFor, type Finding } from './core/analysis';
import { formatJson, formatSarif, formatText, type FileFindings } from './core/analysis/report';
import { ADDR2LINE_USAGE, addr2lineMain } from './cliAddr2line';

const VERSION = '0.1.0';
const USAGE = `usage: tinygo-workbench check [--format text|json|sarif] [--target NAME] [--tinygo-version V] PATHS...
       tinygo-workbench --list-rules
       ${ADDR2LINE_USAGE.replace('usage: ', '')}`;

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

export async function main(argv: string[], io: CliIo, assetsDir = __dirname): Promise<number> {
  if (argv[0] === 'addr2line') return addr2lineMain(argv.slice(1), io);
  let format = 'text';
  let target: string | undefined;
  let tinygoVersion: string | undefined;
  let listRules = false;
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
      else if (a === '--list-rules') listRules = true;
      else if (a === '-h' || a === '--help') { io.out(USAGE); return 0; }
      else if (a.startsWith('-')) { io.err(`unknown option ${a}\n${USAGE}`); return 2; }
      else paths.push(a);
    } catch (e) { io.err(`${(e as Error).message}\n${USAGE}`); return 2; }
  }
  if (!['text', 'json', 'sarif'].includes(format)) { io.err(`--format must be text, json or sarif\n${USAGE}`); return 2; }
  const engine = await createEngine(assetsIn(assetsDir));
  if (listRules) {
    for (const r of engine.analyzer.ruleList) io.out(`${r.id.padEnd(36)} ${r.family.padEnd(12)} ${r.defaultSeverity.padEnd(12)} ${r.title}`);
    return 0;
  }
  if (paths.length === 0) { io.err(USAGE); return 2; }
  const files: string[] = [];
  try { for (const p of paths) goFiles(p, files); } catch (e) { io.err(`tinygo-workbench: ${(e as Error).message}`); return 2; }
  const facts = targetFactsFor(target, tinygoVersion ? { tinygoVersion } : {});
  const results: FileFindings[] = [];
  let errors = 0;
  for (const file of files.sort()) {
    let findings: Finding[];
    try {
      findings = analyzeText(engine, fs.readFileSync(file, 'utf8'), { target: facts });
    } catch (e) {
      io.err(`${file}: not analysed: ${(e as Error).message}`);
      continue;
    }
    errors += findings.filter((f) => f.severity === 'error').length;
    if (findings.length) results.push({ file: path.relative(process.cwd(), file) || file, findings });
  }
  const docs = 'https://example.invalid/tinygo-workbench/docs/rules.md';
  const text = format === 'json' ? formatJson(results) : format === 'sarif' ? formatSarif(results, engine.analyzer.ruleList, VERSION, docs) : formatText(results);
  if (text) io.out(text);
  if (format === 'text') {
    const n = results.reduce((s, r) => s + r.findings.length, 0);
    io.err(`${files.length} files, ${n} findings, ${errors} at error severity`);
  }
  return errors > 0 ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2), { out: (s) => process.stdout.write(s + '\n'), err: (s) => process.stderr.write(s + '\n') })
    .then((code) => { process.exitCode = code; })
    .catch((e: unknown) => { process.stderr.write(`tinygo-workbench: ${e instanceof Error ? e.message : String(e)}\n`); process.exitCode = 2; });
}

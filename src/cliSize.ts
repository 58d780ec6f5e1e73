/**
 * tinygo-workbench size FIRMWARE.elf [--format text|json] [--baseline OLD.elf|OLD.json] [--max-flash N] [--max-ram N]
 * The sections (flash = text + data, RAM = data + bss, as llvm-size counts them), the per-package table and the
 * largest symbols of a firmware ELF; JSON lists every symbol. With --baseline, the symbol and package differences.
 * Exit status: 0; 1 when a budget is exceeded; 2 for a usage error or a file that is not a readable ELF.
 */
import * as fs from 'node:fs';
import { ElfError, diffReports, elfSizeReport as sizeReport, type ElfSizeReport as SizeReport, type SizeDiff } from './core/elf';

export { diffReports, sizeReport, type SizeDiff, type SizeReport };

export const SIZE_USAGE = 'usage: tinygo-workbench size FIRMWARE.elf [--format text|json] [--baseline OLD.elf|OLD.json] [--max-flash N] [--max-ram N]';

export interface SizeIo { out: (s: string) => void; err: (s: string) => void }

function isReport(v: unknown): v is SizeReport {
  const r = v as SizeReport;
  return typeof r === 'object' && r !== null && Array.isArray(r.symbols) && Array.isArray(r.packages) && typeof r.totals?.flash === 'number';
}

function loadBaseline(file: string): SizeReport {
  const bytes = fs.readFileSync(file);
  if (bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) return sizeReport(file, bytes);
  let v: unknown;
  try { v = JSON.parse(bytes.toString('utf8')); } catch { throw new ElfError('neither an ELF file nor JSON from `tinygo-workbench size --format json`'); }
  if (!isReport(v)) throw new ElfError('JSON without the symbols/packages/totals of `tinygo-workbench size --format json`');
  return v;
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function formatText(r: SizeReport, diff: SizeDiff | undefined, out: (s: string) => void): void {
  const t = r.totals;
  out(`${r.file}: flash ${t.flash} B (text ${t.text} + data ${t.data}), RAM ${t.ram} B (data ${t.data} + bss ${t.bss})`);
  out('');
  out(`${'section'.padEnd(20)} ${pad('size', 8)} ${pad('address', 10)}  class`);
  for (const s of r.sections) out(`${s.name.padEnd(20)} ${pad(s.size, 8)} ${pad('0x' + s.address.toString(16), 10)}  ${s.class}`);
  out('');
  out(`${pad('flash', 8)} ${pad('ram', 8)} ${pad('code', 8)} ${pad('data', 8)} ${pad('bss', 8)}  package`);
  for (const p of r.packages) out(`${pad(p.flash, 8)} ${pad(p.ram, 8)} ${pad(p.text, 8)} ${pad(p.data, 8)} ${pad(p.bss, 8)}  ${p.package}`);
  out('');
  out('largest symbols:');
  for (const s of r.symbols.filter((x) => !x.gap).slice(0, 20)) {
    out(`${pad(s.size, 8)}  ${s.section.padEnd(10)} ${s.name}  [${s.package}]${s.file ? `  ${s.file}${s.line ? `:${s.line}` : ''}` : ''}`);
  }
  if (!diff) return;
  out('');
  out(`against baseline: flash ${signed(diff.flash)} B, RAM ${signed(diff.ram)} B`);
  for (const p of diff.packages) out(`${pad(signed(p.flash), 8)} ${pad(signed(p.ram), 8)}  ${p.package}`);
  for (const s of diff.added) out(`  added   ${pad(s.size, 7)}  ${s.section} ${s.name}`);
  for (const s of diff.removed) out(`  removed ${pad(s.size, 7)}  ${s.section} ${s.name}`);
  for (const s of diff.changed) out(`  ${s.delta > 0 ? 'grown ' : 'shrunk'}  ${pad(signed(s.delta), 7)}  ${s.section} ${s.name} (${s.old} -> ${s.new})`);
}

export function sizeMain(args: readonly string[], io: SizeIo): number {
  if (args.includes('-h') || args.includes('--help')) { io.out(SIZE_USAGE); return 0; }
  const rest = [...args];
  const files: string[] = [];
  let format = 'text';
  let baseline: string | undefined;
  const budget: { flash?: number; ram?: number } = {};
  while (rest.length) {
    const a = rest.shift()!;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = () => (a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : rest.shift());
    if (flag === '--format' || flag === '--baseline' || flag === '--max-flash' || flag === '--max-ram') {
      const v = value();
      if (v === undefined || v === '') { io.err(`tinygo-workbench size: ${flag} needs a value\n${SIZE_USAGE}`); return 2; }
      if (flag === '--format') format = v;
      else if (flag === '--baseline') baseline = v;
      else {
        if (!/^\d+$/.test(v)) { io.err(`tinygo-workbench size: ${flag} takes a byte count, not ${v}\n${SIZE_USAGE}`); return 2; }
        budget[flag === '--max-flash' ? 'flash' : 'ram'] = Number(v);
      }
    } else if (a.startsWith('-')) { io.err(`tinygo-workbench size: unknown option ${a}\n${SIZE_USAGE}`); return 2; }
    else files.push(a);
  }
  if (files.length !== 1) { io.err(SIZE_USAGE); return 2; }
  if (format !== 'text' && format !== 'json') { io.err(`tinygo-workbench size: --format must be text or json\n${SIZE_USAGE}`); return 2; }
  const file = files[0]!;
  let report: SizeReport;
  let base: SizeReport | undefined;
  let current = file;
  try {
    report = sizeReport(file, fs.readFileSync(file));
    current = baseline ?? file;
    if (baseline) base = loadBaseline(baseline);
  } catch (e) {
    const why = e instanceof ElfError ? e.message : (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    io.err(`tinygo-workbench size: ${current}: ${why}`);
    return 2;
  }
  const diff = base ? diffReports(base, report) : undefined;
  if (format === 'json') io.out(JSON.stringify({ ...report, ...(diff ? { diff } : {}) }, null, 1));
  else formatText(report, diff, io.out);
  let over = false;
  for (const k of ['flash', 'ram'] as const) {
    const max = budget[k];
    if (max !== undefined && report.totals[k] > max) {
      io.err(`tinygo-workbench size: ${k === 'flash' ? 'flash' : 'RAM'} budget exceeded: ${report.totals[k]} B > --max-${k} ${max} B (by ${report.totals[k] - max} B)`);
      over = true;
    }
  }
  return over ? 1 : 0;
}

/**
 * The TinyGo-support findings (every rule that is not an allocation or pool hint: unsupported imports, reflect,
 * recover, finalizers, runtime stubs, cgo directives, goroutines without a scheduler) on the Go files that real
 * programs which BUILT with the real tinygo compile (issue 16's goal: 0 such findings on code that builds).
 *
 * Which files a program compiles comes from `tinygo list -deps -json -target=T <pkg>`: GoFiles and CgoFiles of each
 * package, the build constraints applied by the go command itself. User code only: the corpus's own packages and
 * the dependencies outside GOROOT/TINYGOROOT (`Standard` false; TinyGo's src/examples are `Standard` in its merged
 * GOROOT, so that corpus names its packages by import path). The same listing also checks the analysis's build
 * context: a file the compiler compiles that the context excludes, or one it ignores that the context keeps.
 */
import * as path from 'node:path';
import type { Finding, Severity } from '../src/core/analysis';
import { splitJsonObjects } from '../src/core/size/whyLinked';

export interface ListedFiles {
  importPath: string;
  dir: string;
  /** The go command's "standard library" flag (true for everything in GOROOT, TinyGo's merged one included). */
  standard: boolean;
  module?: { path: string; version?: string; dir?: string };
  goFiles: string[];
  cgoFiles: string[];
  ignoredGoFiles: string[];
}

export type ParsedFilesList = { ok: true; packages: ListedFiles[] } | { ok: false; error: string };

function strings(o: Record<string, unknown>, key: string): string[] | undefined {
  const v = o[key];
  if (v === undefined) return [];
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

/** The packages and files of `tinygo list -deps -json` output (objects one after another). */
export function parseListFiles(text: string): ParsedFilesList {
  const split = splitJsonObjects(text);
  if (!split.ok) return split;
  const packages: ListedFiles[] = [];
  for (const [n, raw] of split.objects.entries()) {
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(raw) as Record<string, unknown>;
    } catch (e) {
      return { ok: false, error: `package ${n + 1}: ${(e as Error).message}` };
    }
    if (typeof o.ImportPath !== 'string' || !o.ImportPath) return { ok: false, error: `package ${n + 1}: no ImportPath` };
    if (typeof o.Dir !== 'string' || !o.Dir) return { ok: false, error: `${o.ImportPath}: no Dir` };
    const goFiles = strings(o, 'GoFiles');
    const cgoFiles = strings(o, 'CgoFiles');
    const ignoredGoFiles = strings(o, 'IgnoredGoFiles');
    if (!goFiles || !cgoFiles || !ignoredGoFiles) return { ok: false, error: `${o.ImportPath}: a file list is not a list of strings` };
    const m = o.Module as Record<string, unknown> | undefined;
    const module = m && typeof m.Path === 'string'
      ? { path: m.Path, version: typeof m.Version === 'string' ? m.Version : undefined, dir: typeof m.Dir === 'string' ? m.Dir : undefined }
      : undefined;
    packages.push({ importPath: o.ImportPath, dir: o.Dir, standard: o.Standard === true, module, goFiles, cgoFiles, ignoredGoFiles });
  }
  if (packages.length === 0) return { ok: false, error: 'no package in the output' };
  return { ok: true, packages };
}

export interface UserFile {
  abs: string;
  /** How the report names it: corpus-relative, or `module@version/path` for a dependency. */
  name: string;
  /** Whether the compiler compiles it (GoFiles/CgoFiles) or ignores it (IgnoredGoFiles). */
  compiled: boolean;
  /** The dependency module it belongs to, when it is not the corpus's own file. */
  dependency?: string;
}

/**
 * The user files of a program's package list: packages the corpus owns (`ownPackage`), and non-standard packages
 * outside `toolRoots` (GOROOT, TINYGOROOT and TinyGo's merged GOROOT cache) as dependencies.
 */
export function userFiles(packages: readonly ListedFiles[], corpusRel: (abs: string) => string | undefined, ownPackage: (p: ListedFiles) => boolean, toolRoots: readonly string[]): UserFile[] {
  const out: UserFile[] = [];
  const under = (d: string) => toolRoots.some((r) => d === r || d.startsWith(r.endsWith('/') ? r : `${r}/`));
  for (const p of packages) {
    const own = ownPackage(p);
    if (!own && (p.standard || under(p.dir))) continue;
    const files = [...p.goFiles.map((f) => [f, true] as const), ...p.cgoFiles.map((f) => [f, true] as const), ...p.ignoredGoFiles.map((f) => [f, false] as const)];
    for (const [f, compiled] of files) {
      const abs = path.join(p.dir, f);
      const rel = corpusRel(abs);
      if (rel !== undefined) { out.push({ abs, name: rel, compiled }); continue; }
      const m = p.module;
      const modName = m ? `${m.path}${m.version ? `@${m.version}` : ''}` : p.importPath;
      const inMod = m?.dir && abs.startsWith(`${m.dir}/`) ? abs.slice(m.dir.length + 1) : `${p.importPath}/${f}`;
      out.push({ abs, name: m?.dir ? `${modName}/${inMod}` : inMod, compiled, dependency: modName });
    }
  }
  return out;
}

export interface SupportFinding {
  file: string;
  /** One-based. */
  line: number;
  col: number;
  ruleId: string;
  severity: Severity;
  message: string;
  /** The first program (and target) that compiled the file. */
  program: string;
  dependency?: string;
}

/** An editing-time finding that is a TinyGo-support claim (not an allocation or pool hint). */
export function isSupportFinding(f: Pick<Finding, 'family'>): boolean {
  return f.family === 'unsupported';
}

export function supportFinding(file: UserFile, x: Finding, program: string): SupportFinding {
  return { file: file.name, line: x.range.start.line + 1, col: x.range.start.character + 1, ruleId: x.ruleId, severity: x.severity, message: x.message, program, dependency: file.dependency };
}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

export interface SupportTally {
  /** Per rule, findings per severity (each file:line:col:rule once), rules sorted by id. */
  rows: { rule: string; counts: Record<Severity, number> }[];
  total: Record<Severity, number>;
  /** Error and warning findings, each once, in file and line order. */
  listed: SupportFinding[];
}

/** Counts findings once per file, line, column and rule however many programs compiled the file. */
export function tallySupport(findings: readonly SupportFinding[]): SupportTally {
  const once = new Map<string, SupportFinding>();
  for (const f of findings) {
    const k = `${f.file}:${f.line}:${f.col}:${f.ruleId}`;
    if (!once.has(k)) once.set(k, f);
  }
  const zero = (): Record<Severity, number> => ({ error: 0, warning: 0, information: 0, hint: 0 });
  const rows = new Map<string, Record<Severity, number>>();
  const total = zero();
  for (const f of once.values()) {
    const r = rows.get(f.ruleId) ?? zero();
    r[f.severity]++;
    total[f.severity]++;
    rows.set(f.ruleId, r);
  }
  const listed = [...once.values()].filter((f) => f.severity === 'error' || f.severity === 'warning')
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.ruleId.localeCompare(b.ruleId));
  return { rows: [...rows].sort(([a], [b]) => a.localeCompare(b)).map(([rule, counts]) => ({ rule, counts })), total, listed };
}

export interface ContextDisagreement { file: string; compiler: 'compiled' | 'ignored'; context: string }

export interface SupportResult {
  /** Distinct user files the built programs compile, and those the analysis analysed (not excluded by its context). */
  filesCompiled: string[];
  filesAnalysed: string[];
  dependencyFiles: string[];
  /** Files the compiler ignores (IgnoredGoFiles) in those packages, checked against the build context. */
  filesIgnored: string[];
  findings: SupportFinding[];
  disagreements: ContextDisagreement[];
  notes: string[];
}

export function formatSupport(title: string, r: SupportResult, table: (head: string[], rows: (string | number)[][]) => string): string {
  const t = tallySupport(r.findings);
  const out = [`#### TinyGo-support findings, ${title}`, ''];
  out.push(`${r.filesCompiled.length} user files compiled into the built programs (${r.dependencyFiles.length} of them in dependency modules), ${r.filesAnalysed.length} analysed with the target's build context.`, '');
  out.push(table(['rule', ...SEVERITIES], [...t.rows.map((x) => [x.rule, ...SEVERITIES.map((s) => x.counts[s])]), ['**total**', ...SEVERITIES.map((s) => t.total[s])]]), '');
  if (t.listed.length) {
    out.push('Error and warning findings (on code that builds):');
    for (const f of t.listed) out.push(`- ${f.file}:${f.line}:${f.col} ${f.severity} ${f.ruleId}: ${f.message} (in ${f.program})`);
    out.push('');
  }
  const quiet = t.rows.reduce((n, x) => n + x.counts.information + x.counts.hint, 0);
  if (quiet) {
    // Not claims that the build fails: shown by place only, so a reader can still check them.
    const seen = new Set<string>();
    const places = r.findings.filter((f) => (f.severity === 'information' || f.severity === 'hint') && !seen.has(`${f.file}:${f.line}:${f.col}:${f.ruleId}`) && seen.add(`${f.file}:${f.line}:${f.col}:${f.ruleId}`));
    out.push(`Information and hint findings: ${places.map((f) => `${f.file}:${f.line} ${f.ruleId}`).join('; ')}`, '');
  }
  out.push(`Build context vs the compiler: ${r.disagreements.length} disagreements over ${r.filesCompiled.length} compiled and ${r.filesIgnored.length} ignored files${r.disagreements.length ? ':' : '.'}`);
  for (const d of r.disagreements) out.push(`- ${d.file}: tinygo ${d.compiler} it, the analysis: ${d.context}`);
  out.push('');
  for (const n of r.notes) out.push(`- note: ${n}`);
  return out.join('\n');
}

/** The results of several corpora as one (files and findings counted once). */
export function mergeSupport(rs: readonly SupportResult[]): SupportResult {
  const u = (k: 'filesCompiled' | 'filesAnalysed' | 'dependencyFiles' | 'filesIgnored') => [...new Set(rs.flatMap((r) => r[k]))].sort();
  const dis = new Map(rs.flatMap((r) => r.disagreements).map((d) => [d.file, d]));
  return { filesCompiled: u('filesCompiled'), filesAnalysed: u('filesAnalysed'), dependencyFiles: u('dependencyFiles'), filesIgnored: u('filesIgnored'), findings: rs.flatMap((r) => r.findings), disagreements: [...dis.values()], notes: rs.flatMap((r) => r.notes) };
}

/** One row per corpus and one for all of them: files compiled, analysed, and findings per severity. */
export function formatSupportSummary(title: string, corpora: readonly { corpus: string; support: SupportResult }[], all: SupportResult, table: (head: string[], rows: (string | number)[][]) => string): string {
  const row = (name: string, r: SupportResult) => {
    const t = tallySupport(r.findings).total;
    return [name, r.filesCompiled.length, r.dependencyFiles.length, r.filesAnalysed.length, ...SEVERITIES.map((s) => t[s]), r.disagreements.length];
  };
  return [`### TinyGo-support findings on the files of the built programs, ${title}`, '',
    table(['corpus', 'user files compiled', 'of them in dependencies', 'analysed', ...SEVERITIES, 'build-context disagreements'],
      [...corpora.map((c) => row(c.corpus, c.support)), row('**all**', all)]), ''].join('\n');
}

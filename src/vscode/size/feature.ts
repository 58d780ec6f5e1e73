/**
 * The size feature: after each build, a size report (per package, against the chip's capacity from its linker
 * script) in a webview panel, the status bar and, for budgets, the Problems panel; and a JSON report beside the
 * firmware that reopens instantly and serves CI. Its service lets tests feed a known report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findModule, nodeFs, readPackageClause, type GoModule } from '../../core/build/package';
import { parseStackSize } from '../../core/build/args';
import { validatePanelData, type MemoryInput, type PanelData, type WebviewMessage } from '../../core/protocol';
import { buildSizeReport, evaluateBudgets, type BudgetResult, type Capacity, type SizeReport } from '../../core/size/model';
import { classifyPackage, type SizeTable } from '../../core/size/sizeTable';
import { budgetProblems, enclosingFunction } from '../../core/size/view';
import { capacityFromRoot } from '../../core/size/capacity';
import { diffReports as diffElfReports, elfSizeReport, type ElfSizeReport } from '../../core/elf';
import { symbolData, type SymbolData } from '../../core/size/symbols';
import { SymbolBaselines } from '../../core/size/symbolBaseline';
import { dependencyGraph, importChain, parseListJson, removalSaving, type DependencyGraph } from '../../core/size/whyLinked';
import type { WhyLinkedResult } from '../../core/protocol';
import { tinygoRoot } from '../../core/tinygo/root';
import { Config } from '../config';
import type { Ctx, Services, SizeService, Started } from '../services';
import { allocSitesOf, flagValue, stacksOf, type BuildResultLike } from './adapter';
import { BudgetDiagnostics } from './budgets';
import { SizePanel, VIEW_TYPE, type PanelHost } from './panel';
import { findLatestReport, readReport, reportPathFor, REPORT_SUFFIX, writeReport } from './reportFile';
import { SizeStatusBar } from './statusBar';
import { ImportCostLens } from './importLens';

interface Current {
  report?: SizeReport;
  previous?: SizeReport;
  failure?: { message: string; at?: string };
  memory?: MemoryInput;
  reportPath?: string;
  folder?: vscode.WorkspaceFolder;
  module?: GoModule;
  /** Directory of the main package (where tinygo ran). */
  mainDir?: string;
  budgets?: BudgetResult[];
  /** The built ELF read by src/core/elf: its symbols, and their diff against the build before. */
  symbols?: SymbolData;
}

const MEMORY_KEY = 'tinygo.size.memory';

/** Kept in the workspace state beside the JSON report (which holds only the sizes). */
interface Saved {
  reportPath: string;
  createdAt?: string;
  memory?: MemoryInput;
  mainDir?: string;
  failure?: { message: string; at?: string };
  previous?: SizeReport;
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function goFilesIn(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go')).sort();
  } catch {
    return [];
  }
}

export class SizeController implements PanelHost, vscode.Disposable {
  private cur: Current = {};
  private readonly statusBar = new SizeStatusBar();
  readonly lens = new ImportCostLens();
  private readonly budgets = new BudgetDiagnostics();
  private readonly subs: vscode.Disposable[] = [];
  /** The text of each report this window wrote or read, so the file watcher reacts only to new content. */
  private readonly known = new Map<string, string>();
  private building = false;
  /** The last ELF read, kept for the symbol diff of the next build. */
  private lastElf: ElfSizeReport | undefined;
  /** Each folder+target's last build, in the workspace state: the diff of the first build after a reload. */
  private readonly baselines: SymbolBaselines;

  constructor(private readonly ctx: Ctx & Pick<Services, 'toolchain'>) {
    this.subs.push(this.statusBar, this.budgets, this.lens);
    this.baselines = new SymbolBaselines(ctx.extension.workspaceState);
  }

  log(line: string): void {
    this.ctx.log.appendLine(line);
  }

  // ---- inputs ----------------------------------------------------------------------------------------------------

  async update(result: BuildResultLike): Promise<SizeReport | undefined> {
    const folder = result.folder ?? this.folderOf(result.cwd ?? result.outputPath);
    const baseDir = result.cwd ?? (result.outputPath ? path.dirname(result.outputPath) : folder?.uri.fsPath);
    const module = baseDir ? findModule(baseDir, nodeFs, folder?.uri.fsPath) : undefined;
    const reportPath = result.outputPath ? reportPathFor(result.outputPath) : undefined;
    const env = await this.environment(folder, result.target);
    const memory: MemoryInput = {};
    const gc = result.gc ?? flagValue(result.args, 'gc') ?? env.gc;
    const scheduler = result.scheduler ?? flagValue(result.args, 'scheduler') ?? env.scheduler;
    if (gc) memory.gc = gc;
    if (scheduler) memory.scheduler = scheduler;
    const stacks = stacksOf(result);
    if (stacks) memory.stacks = stacks;
    if (result.allocs) memory.allocs = this.allocSites(result.allocs, module);
    if (result.allocStats) memory.hints = { lines: result.allocStats.hintLines, confirmed: Math.min(result.allocStats.confirmedLines, result.allocStats.hintLines) };
    const stackFlag = flagValue(result.args, 'stack-size');
    const stackSize = stackFlag !== undefined ? parseStackSize(stackFlag) : undefined;
    if (stackSize?.ok) memory.goroutineStackSize = stackSize.bytes;
    else if (env.defaultStackSize !== undefined) memory.goroutineStackSize = env.defaultStackSize;

    const next: Current = { folder, module, mainDir: result.cwd ?? this.cur.mainDir, reportPath: reportPath ?? this.cur.reportPath, memory };
    next.symbols = result.success ? await this.readSymbols(result.outputPath, SymbolBaselines.keyOf(folder?.uri.toString() ?? '', result.target)) : this.cur.symbols;
    let report: SizeReport | undefined;
    if (result.success && result.sizeTable) {
      const built = buildSizeReport(this.reclassify(result.sizeTable, module, env.goroots), {
        target: result.target, tinygoVersion: result.tinygoVersion ?? env.tinygoVersion, createdAt: result.createdAt ?? new Date().toISOString(),
        capacity: result.capacity ?? env.capacity,
      });
      if ('error' in built) {
        next.report = this.cur.report;
        next.previous = this.cur.previous;
        next.failure = { message: `The build succeeded but printed no size table (${built.error}).`, at: new Date().toISOString() };
      } else {
        report = built.report;
        next.report = report;
        next.previous = this.previousFor(reportPath);
        if (reportPath) {
          try {
            writeReport(reportPath, report);
            this.known.set(reportPath, fs.readFileSync(reportPath, 'utf8'));
          } catch (e) {
            this.log(`[size] could not write ${reportPath}: ${(e as Error).message}`);
          }
        }
      }
    } else {
      // Failed or overflowing: keep showing the last good report, marked as such.
      next.failure = { message: result.failure ?? (result.success ? 'The build printed no size table: is -size=full given?' : 'The build failed.'), at: new Date().toISOString() };
      next.report = this.cur.report;
      next.previous = this.cur.previous;
      if (!next.report && reportPath) {
        const old = readReport(reportPath);
        if ('report' in old) next.report = old.report;
      }
    }
    this.cur = next;
    // The panel data and the status bar change together (a reader of data() sees the status bar of the same report).
    this.refresh();
    await this.saveMemory();
    if (Config.of(folder).size.openAfterBuild()) this.open(true);
    return report;
  }

  async showReport(report: SizeReport, options: { previous?: SizeReport; memory?: MemoryInput; reportPath?: string; reveal?: boolean } = {}): Promise<void> {
    const reportPath = options.reportPath ?? this.cur.reportPath;
    const module = reportPath ? findModule(path.dirname(reportPath), nodeFs) : this.cur.module;
    this.cur = {
      report, previous: options.previous, memory: options.memory ?? this.cur.memory, reportPath, module,
      folder: reportPath ? this.folderOf(reportPath) : this.cur.folder, mainDir: this.cur.mainDir,
    };
    // The panel data and the status bar change together (a reader of data() sees the status bar of the same report).
    this.refresh();
    await this.saveMemory();
    if (options.reveal !== false) this.open(false);
  }

  /** The newest report on disk, when nothing was built in this session (after a reload, or CI's report). */
  async loadLatest(): Promise<boolean> {
    const file = await findLatestReport();
    if (!file) return false;
    return this.loadFile(file, false);
  }

  private loadFile(file: string, asUpdate: boolean): boolean {
    const r = readReport(file);
    if ('text' in r) this.known.set(file, r.text);
    if (!('report' in r)) {
      if ('error' in r) this.log(`[size] ${r.error}`);
      return false;
    }
    const saved = this.ctx.extension.workspaceState.get<Saved>(MEMORY_KEY);
    // What the JSON file cannot hold (allocations, stacks, the failure after it, the report before it) comes back
    // from the workspace state when it was about this very report.
    const same = !asUpdate && saved?.reportPath === file && saved.createdAt === r.report.createdAt;
    const savedPrevious = same && saved?.previous ? validatePanelData({ previous: saved.previous }) : undefined;
    const previous = asUpdate && this.cur.report && (this.cur.reportPath === file || !this.cur.reportPath)
      ? this.cur.report
      : savedPrevious?.ok ? savedPrevious.value.previous : undefined;
    this.cur = {
      report: r.report, previous, reportPath: file, folder: this.folderOf(file), module: findModule(path.dirname(file), nodeFs),
      memory: same ? saved?.memory : undefined, mainDir: same ? saved?.mainDir : this.cur.mainDir, failure: same ? saved?.failure : undefined,
    };
    this.refresh();
    void this.symbolsBeside(file);
    return true;
  }

  /** Another process (a task, CI, another window) wrote a report. */
  onReportFileChanged(uri: vscode.Uri): void {
    if (uri.scheme !== 'file') return;
    const file = uri.fsPath;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return;
    }
    if (this.known.get(file) === text) return;
    if (this.cur.reportPath && this.cur.reportPath !== file && this.cur.report) {
      // A report of another program: only follow it when nothing else is shown.
      return;
    }
    this.loadFile(file, true);
  }

  /**
   * The symbols of a built ELF, with the diff against the ELF this window read before when it is the same program
   * (the build overwrites the file, so the previous symbols are the ones kept in memory), else against the same
   * output's last build of the folder+target `pair` kept in the workspace state (before a reload, or before builds
   * for other targets), which a build's symbols then replace. Undefined when the output is not an ELF or cannot be
   * read: the per-package table does not need it.
   */
  private async readSymbols(elf: string | undefined, pair?: string): Promise<SymbolData | undefined> {
    if (!elf) return undefined;
    let bytes: Uint8Array;
    try {
      bytes = await fs.promises.readFile(elf);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log(`[size] could not read ${elf}: ${(e as Error).message}`);
      return undefined;
    }
    if (!(bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46)) return undefined;
    let r: ElfSizeReport;
    try {
      r = elfSizeReport(elf, bytes);
    } catch (e) {
      this.log(`[size] could not read the symbols of ${elf}: ${(e as Error).message}`);
      return undefined;
    }
    const stored = pair !== undefined && this.lastElf?.file !== elf ? this.baselines.get(pair) : undefined;
    const before = this.lastElf?.file === elf ? this.lastElf : stored?.file === elf ? stored : undefined;
    this.lastElf = r;
    this.lens.update(r);
    if (pair !== undefined) {
      await this.baselines.put(pair, r).then(
        (notKept) => { if (notKept) this.log(`[size] the symbols of ${elf} are not kept for the diff after a reload: ${notKept}`); },
        (e: unknown) => this.log(`[size] could not keep the symbols of ${elf}: ${e instanceof Error ? e.message : String(e)}`),
      );
    }
    return symbolData(r, before ? diffElfReports(before, r) : undefined);
  }

  /** The ELF beside a JSON report (`build/x.size.json` -> `build/x.elf`), for the symbols after a window reload. */
  private async symbolsBeside(reportPath: string): Promise<void> {
    const elf = reportPath.slice(0, -REPORT_SUFFIX.length) + '.elf';
    const symbols = await this.readSymbols(elf);
    if (!symbols || this.cur.reportPath !== reportPath || this.cur.symbols) return;
    this.cur.symbols = symbols;
    this.refresh();
  }

  /** The shown report's file was deleted (a clean, another tool): nothing is shown until the next report. */
  onReportFileDeleted(uri: vscode.Uri): void {
    if (uri.scheme !== 'file' || uri.fsPath !== this.cur.reportPath) return;
    this.known.delete(uri.fsPath);
    // Its build is gone: the next one has nothing to be compared with, after a reload either.
    if (this.cur.report) void this.baselines.delete(SymbolBaselines.keyOf(this.cur.folder?.uri.toString() ?? '', this.cur.report.target)).then(undefined, () => undefined);
    this.cur = {};
    this.lastElf = undefined;
    this.lens.update(undefined);
    this.refresh();
    void this.saveMemory();
  }

  setBuilding(building: boolean): void {
    if (building === this.building) return;
    this.building = building;
    SizePanel.current?.post({ type: 'building', building });
  }

  // ---- outputs ---------------------------------------------------------------------------------------------------

  data(): PanelData {
    const c = this.cur;
    const d: PanelData = {};
    if (c.report) d.report = c.report;
    if (c.previous) d.previous = c.previous;
    if (c.failure) d.failure = c.failure;
    if (c.memory) d.memory = c.memory;
    if (c.budgets) d.budgets = c.budgets;
    if (c.reportPath) d.reportPath = c.reportPath;
    if (c.symbols && c.report) d.symbols = c.symbols;
    if (c.report) d.revealable = c.report.packages.filter((p) => p.group === 'user' && this.packageDir(p.name) !== undefined).map((p) => p.name);
    if (!c.report) {
      d.emptyMessage = c.failure
        ? 'No report from a good build yet.'
        : 'No size report yet. Build the program ("TinyGo: Build"): the report is written next to the firmware and shown here.';
    }
    return d;
  }

  /** Budgets changed: re-evaluate them against the report shown. */
  refreshSettings(): void {
    this.refresh();
  }

  private refresh(): void {
    const c = this.cur;
    const cfg = Config.of(c.folder).size;
    c.budgets = c.report ? evaluateBudgets(c.report, { flash: cfg.flashBudget(), ram: cfg.ramBudget() }) : [];
    const problems = budgetProblems(c.budgets, c.report);
    this.budgets.publish(this.problemUri(), problems);
    if (c.report) {
      const over = c.budgets.filter((b) => b.exceeded).map((b) => (b.resource === 'flash' ? 'flash' : 'RAM'));
      this.statusBar.show(c.report, c.previous, { failed: c.failure?.message, overBudget: over });
    } else {
      this.statusBar.hide();
    }
    SizePanel.current?.post({ type: 'data', data: this.data() });
  }

  /** go.mod of the main module, else the main package's first Go file. */
  private problemUri(): vscode.Uri | undefined {
    const m = this.cur.module;
    if (m) return vscode.Uri.file(path.join(m.dir, 'go.mod'));
    const dir = this.cur.mainDir;
    const first = dir ? goFilesIn(dir)[0] : undefined;
    return dir && first ? vscode.Uri.file(path.join(dir, first)) : undefined;
  }

  open(preserveFocus: boolean): void {
    SizePanel.createOrShow(this.ctx.extension.extensionUri, this, preserveFocus);
  }

  async show(): Promise<void> {
    if (!this.cur.report) await this.loadLatest();
    this.open(false);
    // An existing panel gets the latest data too.
    SizePanel.current?.post({ type: 'data', data: this.data() });
  }

  onReady(panel: SizePanel): void {
    // After a reload the webview shows its saved state at once; the host's data (or the file's) replaces it.
    const send = () => {
      // Nothing to say: leave the webview's saved state (or its own empty text) as it is.
      if (this.cur.report || this.cur.failure) panel.post({ type: 'data', data: this.data() });
      panel.post({ type: 'building', building: this.building });
    };
    if (this.cur.report) send();
    else void this.loadLatest().then(send, send);
  }

  onMessage(m: Exclude<WebviewMessage, { type: 'ready' }>): void {
    switch (m.type) {
      case 'reveal':
        void this.reveal(m.package);
        return;
      case 'open':
        void this.openSite(m.file, m.line, m.column);
        return;
      case 'whyLinked':
        void this.whyLinked(m.package);
        return;
      case 'openReport':
        if (this.cur.reportPath) void vscode.window.showTextDocument(vscode.Uri.file(this.cur.reportPath), { viewColumn: vscode.ViewColumn.Beside });
        return;
    }
  }

  /**
   * "Why is this linked?": the import chain from `tinygo list -deps -json` for the report's target, run in the main
   * package's directory (once per report; a new question cancels the one still running), and what removing the
   * main package's import at its head would save, priced with the last build's per-package sizes.
   */
  async whyLinked(pkg: string): Promise<WhyLinkedResult> {
    const post = (result: WhyLinkedResult) => {
      SizePanel.current?.post({ type: 'whyLinked', result });
      return result;
    };
    post({ package: pkg, pending: true });
    let graph: DependencyGraph | string;
    try {
      graph = await this.dependencies();
    } catch (e) {
      graph = e instanceof Error ? e.message : String(e);
    }
    if (typeof graph === 'string') return post({ package: pkg, error: graph });
    const chain = importChain(graph, pkg);
    if (!chain) return post({ package: pkg, error: `${pkg} is not a Go package that \`tinygo list -deps\` lists for this program: TinyGo adds it (C libraries, types, the interrupt vector) or it is from another build.` });
    const sizes = new Map<string, { flash: number; ram: number }>();
    if (this.lastElf) for (const p of this.lastElf.packages) sizes.set(p.package, { flash: p.flash, ram: p.ram });
    else for (const p of this.cur.report?.packages ?? []) sizes.set(p.name, { flash: p.flash, ram: p.ram });
    const result: WhyLinkedResult = { package: pkg, chain: chain.chain.map((x) => (x === graph.root ? 'main' : x)), viaRuntime: chain.viaRuntime };
    const saving = removalSaving(graph, pkg, sizes);
    if (saving) {
      result.saving = { import: saving.import, flash: saving.flash, ram: saving.ram, packages: saving.packages };
      if (saving.stillLinkedVia) result.saving.stillLinkedVia = saving.stillLinkedVia.chain.map((x) => (x === graph.root ? 'main' : x));
    }
    return post(result);
  }

  private deps: { key: string; graph: Promise<DependencyGraph> } | undefined;
  private depsAbort: AbortController | undefined;

  private dependencies(): Promise<DependencyGraph> {
    const dir = this.cur.mainDir;
    const target = this.cur.report?.target;
    if (!dir || !target) return Promise.reject(new Error('Build the program first: the import chains come from `tinygo list` for the built package and target.'));
    const key = `${dir}\0${target}\0${this.cur.report?.createdAt ?? ''}`;
    if (this.deps?.key === key) return this.deps.graph;
    this.depsAbort?.abort();
    const abort = new AbortController();
    this.depsAbort = abort;
    const graph = (async () => {
      const st = await this.ctx.toolchain.state();
      if (st.kind !== 'ok') throw new Error('TinyGo is not available: the import chains come from `tinygo list`.');
      const args = ['list', '-deps', '-json', `-target=${target}`, '.'];
      const r = await this.ctx.exec(st.install.path, args, { cwd: dir, timeoutMs: 120_000, signal: abort.signal, maxOutput: 64 * 1024 * 1024 });
      if (r.cancelled) throw new Error('Cancelled.');
      if (r.exitCode !== 0) throw new Error(`tinygo ${args.join(' ')} failed${r.timedOut ? ' (timed out)' : ''}: ${(r.spawnError ?? r.stderr).trim().slice(0, 2000)}`);
      const parsed = parseListJson(r.stdout);
      if (!parsed.ok) throw new Error(`Could not read the output of tinygo ${args.join(' ')}: ${parsed.error}`);
      return dependencyGraph(parsed.packages);
    })();
    this.deps = { key, graph };
    // A failure is not kept: the next question asks tinygo again.
    graph.catch(() => { if (this.deps?.graph === graph) this.deps = undefined; });
    return graph;
  }

  private packageDir(name: string): string | undefined {
    const m = this.cur.module;
    let dir: string | undefined;
    if (name === 'main' || name === 'command-line-arguments') dir = this.cur.mainDir ?? m?.dir;
    else if (m && (name === m.path || name.startsWith(m.path + '/'))) dir = path.join(m.dir, name.slice(m.path.length));
    else if (path.isAbsolute(name) && m && isInside(name, m.dir)) dir = name;
    return dir && goFilesIn(dir).length > 0 ? dir : undefined;
  }

  private async reveal(name: string): Promise<void> {
    const user = this.cur.report?.packages.some((p) => p.name === name && p.group === 'user');
    const dir = user ? this.packageDir(name) : undefined;
    if (!dir) {
      this.log(`[size] cannot reveal package ${name}: not one of the user's packages on disk`);
      return;
    }
    const files = goFilesIn(dir);
    const pick = files.find((f) => f === 'main.go') ?? files.find((f) => f === `${path.basename(dir)}.go`) ?? files[0];
    await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(dir)).then(undefined, () => undefined);
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, pick)), { viewColumn: vscode.ViewColumn.Beside, preview: false });
  }

  private async openSite(file: string, line: number, column?: number): Promise<void> {
    // Only positions the host itself sent: the webview cannot make the host open arbitrary files.
    const known = this.cur.memory?.allocs?.some((s) => s.file === file && s.line === line)
      || this.cur.symbols?.symbols.some((s) => s.file === file && s.line === line);
    if (!known) {
      this.log(`[size] refused to open ${file}:${line}: not an allocation site or a symbol of the current report`);
      return;
    }
    const pos = new vscode.Position(line - 1, Math.max(0, (column ?? 1) - 1));
    await vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(pos, pos), preview: true });
  }

  // ---- helpers ---------------------------------------------------------------------------------------------------

  private folderOf(p: string | undefined): vscode.WorkspaceFolder | undefined {
    return p ? vscode.workspace.getWorkspaceFolder(vscode.Uri.file(p)) : undefined;
  }

  private previousFor(reportPath: string | undefined): SizeReport | undefined {
    if (reportPath) {
      const old = readReport(reportPath);
      if ('report' in old) return old.report;
    }
    return this.cur.report;
  }

  /** The build feature classifies without the module; with it, the user's own packages become `user`. */
  private reclassify(table: SizeTable, module: GoModule | undefined, goroots: string[]): SizeTable {
    if (!module && goroots.length === 0) return table;
    const opts = { modulePath: module?.path, moduleDir: module?.dir, goroots };
    return { ...table, rows: table.rows.map((r) => ({ ...r, group: classifyPackage(r.package, opts) })) };
  }

  private allocSites(allocs: NonNullable<BuildResultLike['allocs']>, module: GoModule | undefined) {
    const texts = new Map<string, string | undefined>();
    const read = (f: string) => {
      if (!texts.has(f)) {
        try {
          texts.set(f, fs.readFileSync(f, 'utf8'));
        } catch {
          texts.set(f, undefined);
        }
      }
      return texts.get(f);
    };
    return allocSitesOf(
      allocs,
      (f) => !!module && isInside(f, module.dir),
      (f, line) => {
        const t = read(f);
        return t === undefined ? undefined : enclosingFunction(t, line, readPackageClause(t));
      },
    );
  }

  /** Capacity, GC, scheduler, version and GOROOTs of a folder's target, as far as the toolchain can tell. */
  private async environment(folder: vscode.WorkspaceFolder | undefined, target: string | undefined): Promise<{
    capacity?: Capacity; gc?: string; scheduler?: string; tinygoVersion?: string; goroots: string[]; defaultStackSize?: number;
  }> {
    const out: { capacity?: Capacity; gc?: string; scheduler?: string; tinygoVersion?: string; goroots: string[]; defaultStackSize?: number } = { goroots: [] };
    const tc = this.ctx.toolchain;
    try {
      const st = await tc.state();
      if (st.kind !== 'ok') return out;
      out.tinygoVersion = st.install.version.version.raw;
      const root = await tinygoRoot(this.ctx.exec, st.install.path);
      if (root) out.goroots.push(root);
      if (target !== undefined && target !== tc.currentTarget(folder)) {
        this.log(`[size] the build's target ${target} is not the folder's (${tc.currentTarget(folder) ?? 'none'}): capacity unknown`);
        return out;
      }
      const info = await tc.targetInfo(folder);
      if (!info) return out;
      if (info.goroot) out.goroots.push(info.goroot);
      if (info.gc) out.gc = info.gc;
      if (info.scheduler) out.scheduler = info.scheduler;
      if (info.target?.defaultStackSize !== undefined) out.defaultStackSize = info.target.defaultStackSize;
      const ls = info.target?.linkerscript;
      if (root && ls) {
        const c = capacityFromRoot(root, ls);
        if (c.capacity) out.capacity = c.capacity;
        else this.log(`[size] capacity unknown: ${c.error}`);
      }
    } catch (e) {
      this.log(`[size] capacity unknown: ${e instanceof Error ? e.message : String(e)}`);
    }
    return out;
  }

  private async saveMemory(): Promise<void> {
    const c = this.cur;
    const saved: Saved | undefined = c.reportPath && c.report
      ? { reportPath: c.reportPath, createdAt: c.report.createdAt, memory: c.memory, mainDir: c.mainDir, failure: c.failure, previous: c.previous }
      : undefined;
    await this.ctx.extension.workspaceState.update(MEMORY_KEY, saved);
  }

  statusBarText(): string | undefined { return this.statusBar.shown; }

  dispose(): void {
    this.depsAbort?.abort();
    SizePanel.current?.dispose();
    for (const s of this.subs.splice(0)) s.dispose();
  }
}

/** The size report after every build (through the build service's onDidBuild), and TinyGo: Show Size Report. */
export function activateSize(ctx: Ctx & Pick<Services, 'toolchain' | 'build'>) {
  const controller = new SizeController(ctx);
  const service: SizeService = {
    showReport: (report, options) => controller.showReport(report, options),
    update: (result) => controller.update(result),
    data: () => controller.data(),
    statusBarText: () => controller.statusBarText(),
    whyLinked: (pkg) => controller.whyLinked(pkg),
  };
  const watcher = vscode.workspace.createFileSystemWatcher(`**/*${REPORT_SUFFIX}`);
  const disposables: vscode.Disposable[] = [
    controller,
    ctx.build.onDidBuild((e) => {
      controller.update(e).catch((err: unknown) => ctx.log.appendLine(`[size] update failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`));
    }),
    watcher,
    vscode.languages.registerCodeLensProvider({ language: 'go', scheme: 'file' }, controller.lens),
    watcher.onDidCreate((u) => controller.onReportFileChanged(u)),
    watcher.onDidChange((u) => controller.onReportFileChanged(u)),
    watcher.onDidDelete((u) => controller.onReportFileDeleted(u)),
    ctx.busy.onDidChange(() => controller.setBuilding(ctx.busy.any() === 'build')),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        SizePanel.revive(panel, ctx.extension.extensionUri, controller);
      },
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (Config.affects(e, 'size')) {
        controller.refreshSettings();
        controller.lens.refresh();
      }
    }),
  ];
  const commands = {
    /** tinygo.showSizeReport */
    showSizeReport: () => controller.show(),
  };
  // The status bar shows the last report from disk before any build of this session.
  void controller.loadLatest().catch(() => false);
  const started: Started<SizeService, typeof commands> = { service, commands, disposables };
  return started;
}

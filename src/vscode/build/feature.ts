import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  BuildQueue, formatAllocStats, LiveOutput, OPTIMIZATION_GUIDE, planBuild, resolveBuildPackage, runBuild, shellQuote,
  type AllocStats, type BuildResult, type MergedAlloc,
} from '../../core/build';
import type { SizeTable } from '../../core/size/sizeTable';
import type { StackRow } from '../../core/tinygo/stacks';

function stackEntry(row: StackRow): { function: string; bytes?: number; note?: string } {
  return row.usage.kind === 'bytes' ? { function: row.function, bytes: row.usage.bytes } : { function: row.function, note: row.usage.reason };
}
import type { BuildDiagnostic } from '../../core/tinygo/buildOutput';
import { classifyTarget } from '../../core/tinygo/targets';
import { atLeast, parseVersionOutput } from '../../core/tinygo/version';
import type { Ctx, Feature } from '../services';
import { BuildConfig } from './config';
import { collectAllocHints } from './hints';
import { BuildProblems } from './problems';
import { TASK_TYPE, TinyGoTaskProvider } from './tasks';

/** Oldest release whose output formats the parsers are tested on (the size table layout is stable from 0.28). */
export const MIN_TINYGO = '0.28.0';

/** What the size panel and the tests receive after every build that ran (`onDidBuild`). */
export interface BuildEvent {
  folder: vscode.WorkspaceFolder | undefined;
  target: string | undefined;
  outputPath: string;
  cwd: string;
  args: string[];
  sizeTable?: SizeTable;
  /** `-print-stacks` rows, when the target is ARM with the tasks scheduler (the size panel's GoroutineStack shape). */
  stacks?: { function: string; bytes?: number; note?: string }[];
  allocs: MergedAlloc[];
  allocStats: AllocStats;
  diagnostics: BuildDiagnostic[];
  success: boolean;
  failure?: string;
  failureKind?: BuildResult['failureKind'];
  durationMs: number;
}

/** A build that did not start: the reason, already shown to the user. */
export interface BuildRefused { refused: string }

export interface BuildRequest {
  /** Workspace folder (object, Uri or path); default: the active file's folder, else the first folder. */
  folder?: vscode.WorkspaceFolder | vscode.Uri | string;
  /** Overrides the current target. */
  target?: string;
  /** Overrides `tinygo.build.package`. */
  package?: string;
  /** "Build for nRF52": ask for an nRF52 board unless one is chosen. */
  nrf52?: boolean;
  /** Tests: no notification popups. */
  quiet?: boolean;
}

/** `ctx.services.get('build')`. */
export interface BuildService {
  readonly onDidBuild: vscode.Event<BuildEvent>;
  build(request?: BuildRequest): Promise<BuildEvent | BuildRefused | undefined>;
  cancel(folder?: vscode.WorkspaceFolder): Promise<void>;
  isBuilding(folder?: vscode.WorkspaceFolder): boolean;
  lastBuild(folder?: vscode.WorkspaceFolder): BuildEvent | undefined;
}

const CHANNEL = 'TinyGo Build';

function folderOf(f: BuildRequest['folder']): vscode.WorkspaceFolder | undefined {
  if (!f) {
    const doc = vscode.window.activeTextEditor?.document;
    return (doc && vscode.workspace.getWorkspaceFolder(doc.uri)) ?? vscode.workspace.workspaceFolders?.[0];
  }
  if (typeof f === 'string') return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(f));
  if (f instanceof vscode.Uri) return vscode.workspace.getWorkspaceFolder(f);
  return f;
}

function fmtBytes(n: number): string {
  return n >= 10240 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;
}

export const buildFeature: Feature = (ctx: Ctx) => {
  const channel = vscode.window.createOutputChannel(CHANNEL, 'tinygo-output');
  const problems = new BuildProblems();
  const emitter = new vscode.EventEmitter<BuildEvent>();
  const queue = new BuildQueue();
  const last = new Map<string, BuildEvent>();
  const published = new Map<string, vscode.Uri[]>();
  const versionCache = new Map<string, Promise<{ ok: true } | { ok: false; message: string }>>();
  let warnedNoToolchain = false;
  const keyOf = (folder: vscode.WorkspaceFolder | undefined) => folder?.uri.toString() ?? '';

  const refuse = (message: string, quiet?: boolean): BuildRefused => {
    channel.appendLine(`[build] not started: ${message}`);
    if (!quiet) void vscode.window.showErrorMessage(`TinyGo: ${message}`, 'Show Output').then((a) => { if (a) channel.show(true); });
    return { refused: message };
  };

  /** The tinygo to run, checked; or a message saying why there is none. */
  async function tinygoFor(folder: vscode.WorkspaceFolder | undefined): Promise<{ path: string } | { message: string }> {
    if (ctx.toolchain) {
      const st = await ctx.toolchain.state();
      switch (st.kind) {
        case 'ok':
          if (!atLeast(st.install.version.version, MIN_TINYGO)) {
            return { message: `TinyGo ${st.install.version.version.raw} (${st.install.path}) is older than ${MIN_TINYGO}, the oldest release this extension reads the output of. Please update TinyGo.` };
          }
          return { path: st.install.path };
        case 'missing': return { message: st.message };
        case 'broken': return { message: `tinygo at ${st.path} does not work: ${st.message}` };
        case 'untrusted': return { message: 'This workspace is not trusted, so no tool is run. Trust the workspace to build.' };
      }
    }
    // The toolchain feature normally finds and checks tinygo; without it, take the setting or PATH and check here.
    if (!warnedNoToolchain) {
      warnedNoToolchain = true;
      channel.appendLine('[build] the toolchain feature is not active (ctx.toolchain is undefined): tinygo is taken from "tinygo.path" or PATH, and no board can be picked.');
    }
    const p = new BuildConfig(folder?.uri).tinygoPath || 'tinygo';
    let check = versionCache.get(p);
    if (!check) {
      check = (async () => {
        const r = await ctx.exec(p, ['version'], { timeoutMs: 15_000 });
        if (r.spawnError) return { ok: false as const, message: `tinygo could not be started (${p}): ${r.spawnError}. Install TinyGo (https://tinygo.org/getting-started/install/) or set "tinygo.path".` };
        const v = parseVersionOutput(r.stdout + '\n' + r.stderr);
        if (!v.ok) return { ok: false as const, message: `${p} did not answer "tinygo version" as tinygo does (${r.timedOut ? 'it hung' : v.error}). Is "tinygo.path" right?` };
        if (!atLeast(v.info.version, MIN_TINYGO)) return { ok: false as const, message: `TinyGo ${v.info.version.raw} is older than ${MIN_TINYGO}, the oldest release this extension reads the output of. Please update TinyGo.` };
        return { ok: true as const };
      })();
      versionCache.set(p, check);
      void check.then((c) => { if (!c.ok) versionCache.delete(p); });
    }
    const c = await check;
    return c.ok ? { path: p } : { message: c.message };
  }

  async function chooseTarget(folder: vscode.WorkspaceFolder | undefined, req: BuildRequest): Promise<{ target: string | undefined } | { message: string } | undefined> {
    if (req.target !== undefined) return { target: req.target.trim() || undefined };
    const tc = ctx.toolchain;
    if (!req.nrf52) return { target: tc?.currentTarget(folder) };
    if (!tc) return { message: 'Choosing an nRF52 board needs the toolchain feature, which is not active. Use "TinyGo: Build" with a target, or a "tinygo" task with "target".' };
    const current = tc.currentTarget(folder);
    if (current && classifyTarget(current).nrf52) return { target: current };
    const picked = await tc.pickTarget(folder, { nrf52Only: true });
    return picked ? { target: picked } : undefined;
  }

  async function build(req: BuildRequest = {}): Promise<BuildEvent | BuildRefused | undefined> {
    if (!vscode.workspace.isTrusted) {
      return refuse('Builds are off in an untrusted workspace: tinygo would run code from it (cgo, tools). Trust the workspace to build.', req.quiet);
    }
    const folder = folderOf(req.folder);
    const cfg = new BuildConfig(folder?.uri);
    const tool = await tinygoFor(folder);
    if ('message' in tool) return refuse(tool.message, req.quiet);
    const tinygo = tool.path;
    const chosen = await chooseTarget(folder, req);
    if (!chosen) return undefined; // the board picker was dismissed
    if ('message' in chosen) return refuse(chosen.message, req.quiet);
    const target = chosen.target;

    const active = vscode.window.activeTextEditor?.document;
    const activeDir = active && active.languageId === 'go' && active.uri.scheme === 'file' &&
      (!folder || vscode.workspace.getWorkspaceFolder(active.uri)?.uri.toString() === folder.uri.toString())
      ? path.dirname(active.uri.fsPath) : undefined;
    const pkgResult = resolveBuildPackage({ folderRoot: folder?.uri.fsPath, activeFileDir: activeDir, configured: req.package ?? cfg.package });
    if (!pkgResult.ok) return refuse(pkgResult.message, req.quiet);
    const pkg = pkgResult.pkg;
    // -print-stacks works only on ARM ELF targets with the tasks scheduler; ask tinygo info which this one is.
    const info = target ? await ctx.toolchain?.targetInfo(folder).catch(() => undefined) : undefined;
    const printStacks = !!info && info.goarch === 'arm' && (info.scheduler ?? '') === 'tasks';
    const planned = planBuild({
      target, baseDir: folder?.uri.fsPath ?? pkg.dir, packageDir: pkg.dir, pkgArg: pkg.pkgArg, modulePath: pkg.module?.path, settings: cfg.settings,
      printStacks,
    });
    if (!planned.ok) return refuse(planned.errors.join(' '), req.quiet);
    const plan = planned.plan;
    const running = ctx.busy.current(folder);
    if (running && running !== 'build') return refuse(`A ${running} is running in this folder; wait for it or cancel it first.`, req.quiet);

    const key = keyOf(folder);
    const queued = await queue.run(key, (signal) => runOne(signal));
    return queued.ran ? queued.value : undefined;

    async function runOne(queueSignal: AbortSignal): Promise<BuildEvent | BuildRefused> {
      const local = new AbortController();
      const abort = () => local.abort();
      queueSignal.addEventListener('abort', abort, { once: true });
      const release = ctx.busy.tryAcquire(folder, 'build', abort);
      if (!release) {
        queueSignal.removeEventListener('abort', abort);
        return refuse(`A ${ctx.busy.current(folder) ?? 'job'} is running in this folder; wait for it or cancel it first.`, req.quiet);
      }
      try {
        // The compiler reads the files on disk: build what the user sees.
        for (const d of vscode.workspace.textDocuments) {
          if (d.isDirty && d.uri.scheme === 'file' && path.dirname(d.uri.fsPath) === pkg.dir) await d.save();
        }
        if (!queue.keys().some((k) => k !== key)) channel.clear();
        const label = `${target ?? 'the host'}`;
        channel.appendLine(`[${new Date().toLocaleTimeString()}] TinyGo build for ${label}: ${pkg.dir}${pkg.origin === 'setting' ? ' (tinygo.build.package)' : ''}`);
        channel.appendLine(`$ cd ${shellQuote([pkg.cwd])} && ${shellQuote([tinygo, ...plan.args])}`);
        for (const n of plan.notes) channel.appendLine(`note: ${n}`);
        const live = new LiveOutput((t) => channel.append(t));
        const timeoutSeconds = cfg.timeoutSeconds;
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `TinyGo: building for ${label}`, cancellable: true },
          (_progress, token) => {
            const sub = token.onCancellationRequested(abort);
            return runBuild({
              exec: ctx.exec, tinygo, plan, cwd: pkg.cwd, timeoutSeconds, signal: local.signal,
              onOutput: (t) => live.write(t),
              hints: () => collectAllocHints(ctx.analysis, pkg.goFiles),
            }).finally(() => sub.dispose());
          });
        live.end();
        const superseded = queueSignal.aborted && result.failureKind === 'cancelled';
        if (result.unparsed.length && !result.success) {
          channel.appendLine(`[build] ${result.unparsed.length} output line(s) were not recognised as diagnostics; they are in the output above.`);
        }
        if (plan.printAllocs !== undefined && !result.failureKind?.match(/cancelled|timeout|spawn/)) {
          channel.appendLine(`[build] ${formatAllocStats(result.merge.stats)}`);
          for (const a of result.merge.allocs) {
            channel.appendLine(`  ${a.status === 'confirmed' ? 'confirmed' : 'missed   '} ${path.relative(pkg.cwd, a.file) || a.file}:${a.line}: ${a.reasons.join('; ')}` +
              (a.hints.length ? ` [${[...new Set(a.hints.map((h) => h.ruleId))].join(', ')}]` : ''));
          }
          for (const h of result.merge.unconfirmed) channel.appendLine(`  hint only ${path.relative(pkg.cwd, h.file) || h.file}:${h.line} [${h.ruleId}]`);
        }
        const total = result.sizeTable?.total;
        if (result.success) {
          channel.appendLine(`[build] done in ${(result.durationMs / 1000).toFixed(1)} s: ${plan.outputPath}${total ? ` (flash ${fmtBytes(total.flash)}, RAM ${fmtBytes(total.ram)})` : ''}`);
        } else {
          channel.appendLine(`[build] ${superseded ? 'superseded by a newer build request' : `failed: ${result.failure}`}`);
        }
        if (!superseded) {
          const fallback = vscode.Uri.file(pkg.goFiles[0] ?? path.join(pkg.dir, 'main.go'));
          published.set(key, problems.publish(published.get(key) ?? [], result.diagnostics, result.merge.allocs, fallback));
        }
        const event: BuildEvent = {
          folder, target, outputPath: plan.outputPath, cwd: pkg.cwd, args: [tinygo, ...plan.args],
          sizeTable: result.sizeTable, stacks: result.stacks?.map(stackEntry), allocs: result.merge.allocs, allocStats: result.merge.stats, diagnostics: result.diagnostics,
          success: result.success, failure: result.failure, failureKind: result.failureKind, durationMs: result.durationMs,
        };
        if (!superseded) {
          last.set(key, event);
          emitter.fire(event);
          if (!result.success && !req.quiet) notifyFailure(result);
        }
        return event;
      } finally {
        queueSignal.removeEventListener('abort', abort);
        release();
      }
    }
  }

  function notifyFailure(r: BuildResult): void {
    if (r.failureKind === 'cancelled') { void vscode.window.showInformationMessage('TinyGo: build cancelled.'); return; }
    const actions = r.failureKind === 'flash-overflow' || r.failureKind === 'ram-overflow' ? ['Optimization Guide', 'Show Output'] : ['Show Output'];
    void vscode.window.showErrorMessage(`TinyGo: ${r.failure ?? 'the build failed'}`, ...actions).then((a) => {
      if (a === 'Show Output') channel.show(true);
      else if (a === 'Optimization Guide') void vscode.env.openExternal(vscode.Uri.parse(OPTIMIZATION_GUIDE));
    });
  }

  const service: BuildService = {
    onDidBuild: emitter.event,
    build,
    cancel: (folder) => queue.cancel(folder ? keyOf(folder) : undefined),
    isBuilding: (folder) => (folder ? queue.busy(keyOf(folder)) : queue.keys().length > 0),
    lastBuild: (folder) => last.get(keyOf(folder ?? vscode.workspace.workspaceFolders?.[0])),
  };
  ctx.services.set('build', service);

  const taskProvider = new TinyGoTaskProvider({
    tinygo: async (folder) => { const t = await tinygoFor(folder); return 'path' in t ? t.path : undefined; },
    currentTarget: (folder) => ctx.toolchain?.currentTarget(folder),
    outputDir: (folder) => new BuildConfig(folder.uri).settings.outputDir ?? 'build',
  });

  const asRequest = (arg: unknown): BuildRequest => (arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg as BuildRequest : arg instanceof vscode.Uri ? { folder: arg } : {});
  return [
    channel, problems, emitter, { dispose: () => { void queue.cancel(); } },
    vscode.commands.registerCommand('tinygo.build', (arg?: unknown) => build(asRequest(arg))),
    vscode.commands.registerCommand('tinygo.buildNrf52', (arg?: unknown) => build({ ...asRequest(arg), nrf52: true })),
    vscode.commands.registerCommand('tinygo.cancelBuild', async () => {
      if (queue.keys().length === 0) { void vscode.window.showInformationMessage('TinyGo: no build is running.'); return; }
      await queue.cancel();
    }),
    vscode.tasks.registerTaskProvider(TASK_TYPE, taskProvider),
  ];
};

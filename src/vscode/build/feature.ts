import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  BuildQueue, FIRST_BUILD_NOTE, formatAllocStats, isFirstBuildForChip, LiveOutput, OPTIMIZATION_GUIDE, planBuild, resolveBuildPackage, runBuild, shellQuote, type BuildResult,
} from '../../core/build';
import type { StackRow } from '../../core/tinygo/stacks';

import { classifyTarget } from '../../core/tinygo/targets';
import { Config } from '../config';
import { activeGoDirIn, folderKey, folderOf } from '../folders';
import type { BuildEvent, BuildRefused, BuildRequest, BuildService, Ctx, PlannedBuild, Services, Started } from '../services';
import { resolveTinygo } from '../tinygo';
import { collectAllocHints } from './hints';
import { BuildProblems } from './problems';
import { TASK_TYPE, TinyGoTaskProvider } from './tasks';

const CHANNEL = 'TinyGo Build';

function stackEntry(row: StackRow): { function: string; bytes?: number; note?: string } {
  return row.usage.kind === 'bytes' ? { function: row.function, bytes: row.usage.bytes } : { function: row.function, note: row.usage.reason };
}

function fmtBytes(n: number): string {
  return n >= 10240 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;
}

/** TinyGo: Build, Build for nRF52, Cancel Build, and the `tinygo` task type; `onDidBuild` feeds the size panel. */
export function activateBuild(ctx: Ctx & Pick<Services, 'toolchain'>) {
  const channel = vscode.window.createOutputChannel(CHANNEL, 'tinygo-output');
  const problems = new BuildProblems();
  const emitter = new vscode.EventEmitter<BuildEvent>();
  const queue = new BuildQueue();
  const last = new Map<string, BuildEvent>();
  /** The last successful build's ELF per folder: a failed build does not change what runs on the board. */
  const lastElf = new Map<string, string>();
  const published = new Map<string, vscode.Uri[]>();
  const keyOf = folderKey;

  const refuse = (message: string, quiet?: boolean): BuildRefused => {
    channel.appendLine(`[build] not started: ${message}`);
    if (!quiet) void vscode.window.showErrorMessage(`TinyGo: ${message}`, 'Show Output').then((a) => { if (a) channel.show(true); });
    return { refused: message };
  };

  async function chooseTarget(folder: vscode.WorkspaceFolder | undefined, req: BuildRequest): Promise<{ target: string | undefined } | undefined> {
    if (req.target !== undefined) return { target: req.target.trim() || undefined };
    const tc = ctx.toolchain;
    if (!req.nrf52) return { target: tc.currentTarget(folder) };
    const current = tc.currentTarget(folder);
    if (current && classifyTarget(current).nrf52) return { target: current };
    const picked = await tc.pickTarget(folder, { nrf52Only: true });
    return picked ? { target: picked } : undefined;
  }

  /** The one plan Build runs and Flash flashes with: target, package, and every tinygo.build.* setting. */
  async function prepare(req: BuildRequest): Promise<PlannedBuild | BuildRefused | undefined> {
    if (!vscode.workspace.isTrusted) {
      return refuse('Builds are off in an untrusted workspace: tinygo would run code from it (cgo, tools). Trust the workspace to build.', req.quiet);
    }
    const folder = folderOf(req.folder);
    const cfg = Config.of(folder).build;
    const tool = await resolveTinygo(ctx.toolchain);
    if ('message' in tool) return refuse(tool.message, req.quiet);
    const tinygo = tool.path;
    const chosen = await chooseTarget(folder, req);
    if (!chosen) return undefined; // the board picker was dismissed
    const target = chosen.target;

    const pkgResult = resolveBuildPackage({ folderRoot: folder?.uri.fsPath, activeFileDir: activeGoDirIn(folder), configured: req.package ?? cfg.package() });
    if (!pkgResult.ok) return refuse(pkgResult.message, req.quiet);
    const pkg = pkgResult.pkg;
    // -print-stacks works only on ARM ELF targets with the tasks scheduler; ask tinygo info which this one is.
    const info = target ? await ctx.toolchain.targetInfo(folder).catch(() => undefined) : undefined;
    const printStacks = !!info && info.goarch === 'arm' && (info.scheduler ?? '') === 'tasks';
    const planned = planBuild({
      target, baseDir: folder?.uri.fsPath ?? pkg.dir, packageDir: pkg.dir, pkgArg: pkg.pkgArg, modulePath: pkg.module?.path, settings: cfg.settings(),
      printStacks,
    });
    if (!planned.ok) return refuse(planned.errors.join(' '), req.quiet);
    return { folder, tinygo, target, pkg, plan: planned.plan, info };
  }

  async function build(req: BuildRequest = {}): Promise<BuildEvent | BuildRefused | undefined> {
    const prepared = await prepare(req);
    if (!prepared || 'refused' in prepared) return prepared;
    const { folder, tinygo, target, pkg, plan, info } = prepared;
    const cfg = Config.of(folder).build;
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
        const first = target ? await isFirstBuildForChip(ctx.exec, tinygo, info?.target) : false;
        if (first) channel.appendLine(`note: ${FIRST_BUILD_NOTE}.`);
        const live = new LiveOutput((t) => channel.append(t));
        const timeoutSeconds = cfg.timeoutSeconds();
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `TinyGo: building for ${label}`, cancellable: true },
          (progress, token) => {
            if (first) progress.report({ message: `the ${FIRST_BUILD_NOTE}.` });
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
          for (const x of result.extraOutputs ?? []) channel.appendLine(x.ok ? `[build] also ${x.path}` : `[build] no .${x.format} (tinygo.build.formats): ${x.error}`);
          const missing = (result.extraOutputs ?? []).filter((x) => !x.ok);
          if (missing.length && !req.quiet) {
            void vscode.window.showWarningMessage(`TinyGo: the ELF was built, but not ${missing.map((x) => `.${x.format} (${x.error})`).join(', ')}.`, 'Show Output')
              .then((a) => { if (a) channel.show(true); });
          }
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
          extraOutputs: result.extraOutputs,
        };
        if (!superseded) {
          last.set(key, event);
          if (result.success && plan.outputPath.endsWith('.elf')) lastElf.set(key, plan.outputPath);
          emitter.fire(event);
          showFailure(result.success ? undefined : result);
          if (!result.success && !req.quiet) notifyFailure(result);
        }
        return event;
      } finally {
        queueSignal.removeEventListener('abort', abort);
        release();
      }
    }
  }

  // A notification cannot be closed by the extension, so it would outlive the fix: a failure whose errors are in
  // Problems is shown in the status bar instead, where the next successful build clears it.
  const failedItem = vscode.window.createStatusBarItem('tinygo.buildFailed', vscode.StatusBarAlignment.Left, 49);
  failedItem.name = 'TinyGo build failed';
  let failedText: string | undefined;
  function showFailure(r: BuildResult | undefined): void {
    if (!r || r.failureKind === 'cancelled') { failedItem.hide(); failedText = undefined; return; }
    const n = r.diagnostics.length;
    failedItem.text = `$(error) TinyGo build: ${n ? `${n} error${n === 1 ? '' : 's'}` : 'failed'}`;
    failedItem.tooltip = `${r.failure ?? 'the build failed'}${n ? ' (in Problems)' : ''}`;
    failedItem.command = n ? 'workbench.actions.view.problems' : undefined;
    failedItem.accessibilityInformation = { label: `TinyGo build failed: ${failedItem.tooltip}` };
    failedItem.show();
    failedText = failedItem.text;
  }

  function notifyFailure(r: BuildResult): void {
    if (r.failureKind === 'cancelled') { void vscode.window.showInformationMessage('TinyGo: build cancelled.'); return; }
    if (r.failureKind === 'diagnostics') return; // in Problems, and in the status bar until a build succeeds
    const actions = r.failureKind === 'flash-overflow' || r.failureKind === 'ram-overflow' ? ['Optimization Guide', 'Show Output'] : ['Show Output'];
    void vscode.window.showErrorMessage(`TinyGo: ${r.failure ?? 'the build failed'}`, ...actions).then((a) => {
      if (a === 'Show Output') channel.show(true);
      else if (a === 'Optimization Guide') void vscode.env.openExternal(vscode.Uri.parse(OPTIMIZATION_GUIDE));
    });
  }

  const service: BuildService = {
    onDidBuild: emitter.event,
    build,
    plan: prepare,
    cancel: (folder) => queue.cancel(folder ? keyOf(folder) : undefined),
    isBuilding: (folder) => (folder ? queue.busy(keyOf(folder)) : queue.keys().length > 0),
    lastBuild: (folder) => last.get(keyOf(folder ?? vscode.workspace.workspaceFolders?.[0])),
    lastFirmware: (folder) => lastElf.get(keyOf(folder ?? vscode.workspace.workspaceFolders?.[0])),
    failureStatus: () => failedText,
  };

  const taskProvider = new TinyGoTaskProvider({
    tinygo: async () => { const t = await resolveTinygo(ctx.toolchain); return 'path' in t ? t.path : undefined; },
    currentTarget: (folder) => ctx.toolchain.currentTarget(folder),
    outputDir: (folder) => Config.of(folder).build.settings().outputDir ?? 'build',
  });

  const asRequest = (arg: unknown): BuildRequest => (arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg as BuildRequest : arg instanceof vscode.Uri ? { folder: arg } : {});
  const commands = {
    /** tinygo.build: a request object (tests, keybindings), a folder URI (Explorer), or nothing (the active folder). */
    build: (arg?: unknown) => build(asRequest(arg)),
    /** tinygo.buildNrf52 */
    buildNrf52: (arg?: unknown) => build({ ...asRequest(arg), nrf52: true }),
    /** tinygo.cancelBuild */
    cancelBuild: async (): Promise<void> => {
      if (queue.keys().length === 0) { void vscode.window.showInformationMessage('TinyGo: no build is running.'); return; }
      await queue.cancel();
    },
  };
  const started: Started<BuildService, typeof commands> = {
    service, commands,
    disposables: [channel, problems, emitter, failedItem, { dispose: () => { void queue.cancel(); } }, vscode.tasks.registerTaskProvider(TASK_TYPE, taskProvider)],
  };
  return started;
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { runProcess } from '../core/process/exec';
import { AnalysisController } from './analysisController';
import { startAnalysisClient, startScanPool } from './analysisWorker';
import { BusyRegistry } from './busy';
import { activateBuild } from './build/feature';
import { registerCommands, type Running } from './commands';
import { Config } from './config';
import { activateDevices } from './devices/feature';
import { activateFlash } from './flash/feature';
import { trackBoardGoFile } from './loop';
import { activateMonitor } from './monitor/feature';
import { RuleDocsPreview } from './ruleDocs';
import { activateOnboard } from './onboard/feature';
import { forgetWalkthroughShown, openWalkthroughOnce } from './onboard/walkthrough';
import type { Ctx, ToolchainApi } from './services';
import { activateSize } from './size/feature';
import { TestSeams, type WorkbenchApi } from './testing';
import { activateToolchain } from './toolchain';

export type { WorkbenchApi } from './testing';

let disposables: vscode.Disposable[] = [];

export function activate(context: vscode.ExtensionContext): WorkbenchApi {
  const t0 = performance.now();
  let readyMs: number | undefined;
  const log = vscode.window.createOutputChannel('TinyGo Workbench');
  disposables = [log];
  context.subscriptions.push({ dispose: () => deactivate() });
  const busy = new BusyRegistry();
  disposables.push(busy);
  const seams = new TestSeams();
  const running: Running = { log };

  /** One broken feature must not take the others down: it is logged, and the features that need it are skipped. */
  async function start<F extends { disposables: vscode.Disposable[] }>(name: string, activateFeature: () => F | Promise<F>): Promise<F | undefined> {
    try {
      const f = await activateFeature();
      disposables.push(...f.disposables);
      return f;
    } catch (err) {
      log.appendLine(`[activate] feature ${name} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return undefined;
    }
  }

  // The features, in activation order: each gets the services of those before it that it uses, as typed fields of
  // one context object (Object.assign adds a field and widens its type). The wasm engine loads asynchronously so
  // activation itself returns at once.
  const rulesDoc = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md');
  const ruleDocs = new RuleDocsPreview(rulesDoc);
  disposables.push(ruleDocs);
  let real: ToolchainApi | undefined;
  let wired: (Ctx & { toolchain: ToolchainApi }) | undefined;
  let boardFile: ReturnType<typeof trackBoardGoFile> | undefined;
  let restartSize: (() => Promise<void>) | undefined;
  // The analysis runs in a worker thread that compiles the wasm parser itself: the controller exists (and forwards
  // documents) at once, and neither activation nor the host thread waits for the compile.
  try {
    const dist = path.join(context.extensionPath, 'dist');
    const log1 = (m: string) => log.appendLine(m);
    const client = startAnalysisClient(dist, (uri) => {
      const d = vscode.workspace.textDocuments.find((x) => x.uri.toString() === uri);
      return d && !d.isClosed ? { version: d.version, text: d.getText() } : undefined;
    }, log1, () => Config.of().analysis.maxFileSize());
    const version = String((context.extension.packageJSON as { version?: string }).version ?? '0');
    running.analysis = new AnalysisController(client, rulesDoc, log, () => ({ pool: startScanPool(dist, log1),
      cacheDir: context.globalStorageUri.scheme === 'file' ? path.join(context.globalStorageUri.fsPath, 'scan-cache') : undefined, extensionVersion: version }));
    disposables.push(running.analysis);
  } catch (err) {
    log.appendLine(`[activate] the analysis worker failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    void vscode.window.showErrorMessage('TinyGo Workbench: the analysis worker failed to start; editing-time diagnostics are off. See the "TinyGo Workbench" output.');
  }
  const features = (async (): Promise<Running> => {
    const ctx: Ctx = { extension: context, log, exec: runProcess, busy, analysis: running.analysis };
    running.toolchain = await start('toolchain', () => activateToolchain(ctx, {
      prompt: seams.prompt,
      onPickerItems: (entries) => { seams.pickerItems = entries; },
    }));
    if (!running.toolchain) {
      log.appendLine('[activate] without the toolchain no other feature can run (they all resolve tinygo and the target through it)');
      return running;
    }
    real = running.toolchain.service;
    const withToolchain = Object.assign(ctx, { toolchain: real });
    wired = withToolchain;
    boardFile = trackBoardGoFile(() => withToolchain.toolchain);
    disposables.push(boardFile);
    running.build = await start('build', () => activateBuild(withToolchain));
    const build = running.build?.service;
    if (build) {
      const withBuild = Object.assign(withToolchain, { build });
      running.size = await start('size', () => activateSize(withBuild));
      restartSize = async () => {
        const old = running.size;
        running.size = undefined;
        for (const d of old?.disposables ?? []) {
          const i = disposables.indexOf(d);
          if (i >= 0) disposables.splice(i, 1);
          d.dispose();
        }
        running.size = await start('size', () => activateSize(withBuild));
      };
    }
    running.devices = await start('devices', () => activateDevices(withToolchain, { roots: () => seams.deviceRoots }));
    const devices = running.devices?.service;
    if (devices) {
      const withDevices = Object.assign(withToolchain, { devices });
      running.monitor = await start('monitor', () => activateMonitor(Object.assign(withDevices, { build })));
      const monitor = running.monitor?.service;
      if (monitor && build) running.flash = await start('flash', () => activateFlash(Object.assign(withDevices, { monitor, build }), { volumeRoots: () => seams.volumeRoots }));
    }
    running.onboard = await start('onboard', () => activateOnboard(withToolchain, { prompt: seams.prompt }));
    return running;
  })();
  disposables.push(...registerCommands(features));

  const ready = features.then(() => {
    readyMs = performance.now() - t0;
    log.appendLine(`[activate] ready in ${readyMs.toFixed(1)} ms`);
  });

  return {
    ready,
    activationMs: () => readyMs,
    testing: {
      analysis: () => running.analysis,
      ruleDocs: () => ruleDocs.lastShown,
      toolchain: () => wired?.toolchain,
      useToolchain: (stub) => { if (wired && real) wired.toolchain = stub ?? real; },
      gopls: () => running.toolchain?.gopls,
      targetStatus: () => running.toolchain?.status.view,
      build: () => running.build?.service,
      size: () => running.size?.service,
      restartSize: async () => {
        await features;
        await restartSize?.();
        return running.size?.service;
      },
      devices: () => running.devices?.service,
      monitor: () => running.monitor?.service,
      flash: () => running.flash?.service,
      boardGoFile: () => boardFile?.current(),
      onboard: () => running.onboard?.service,
      openWalkthroughOnce: () => openWalkthroughOnce(context.globalState, true),
      forgetWalkthroughShown: () => forgetWalkthroughShown(context.globalState),
      busy,
      workspaceState: context.workspaceState,
      setDeviceRoots: async (roots) => {
        seams.deviceRoots = roots;
        await running.devices?.service.refresh();
      },
      setVolumeRoots: (roots) => { seams.volumeRoots = roots; },
      questions: seams.questions,
      answerQuestions: (answer) => { seams.answer = answer; },
      pickerItems: () => seams.pickerItems,
      clearPickerItems: () => { seams.pickerItems = []; },
    },
  };
}

export function deactivate(): void {
  const ds = disposables;
  disposables = [];
  for (const d of ds.reverse()) {
    try { d.dispose(); } catch { /* disposing must go on */ }
  }
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { assetsIn, createEngine } from '../core/analysis';
import { runProcess } from '../core/process/exec';
import { AnalysisController } from './analysisController';
import { BusyRegistry } from './busy';
import { buildFeature } from './build/feature';
import { devicesFeature } from './devices/feature';
import { flashFeature } from './flash/feature';
import { monitorFeature } from './monitor/feature';
import type { Ctx, Feature } from './services';
import { sizeFeature } from './size/feature';
import { toolchainFeature } from './toolchain';

/**
 * The features, in activation order: later features may use what earlier ones put on the Ctx.
 * Each is independent glue in its own folder under src/vscode/.
 */
const FEATURES: readonly [string, Feature][] = [
  ['toolchain', toolchainFeature],
  ['build', buildFeature],
  ['size', sizeFeature],
  ['devices', devicesFeature],
  ['monitor', monitorFeature],
  ['flash', flashFeature],
];

/** What activate() returns: used by the integration tests and by other extensions that want to wait for us. */
export interface WorkbenchApi {
  /** Resolves when the analysis engine is loaded and every feature has activated. */
  ready: Promise<void>;
  /** Milliseconds from activate() entry to ready. */
  activationMs(): number | undefined;
  analysis(): AnalysisController | undefined;
  ctx: Ctx;
}

let disposables: vscode.Disposable[] = [];

export function activate(context: vscode.ExtensionContext): WorkbenchApi {
  const t0 = performance.now();
  let readyMs: number | undefined;
  const log = vscode.window.createOutputChannel('TinyGo Workbench');
  disposables = [log];
  context.subscriptions.push({ dispose: () => deactivate() });
  const busy = new BusyRegistry();
  disposables.push(busy);
  const ctx: Ctx = { extension: context, log, exec: runProcess, services: new Map(), busy };

  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'tinygo.showOutput': () => log.show(true),
    'tinygo.analyzeActiveFile': () => {
      const d = vscode.window.activeTextEditor?.document;
      if (!d || d.languageId !== 'go') return vscode.window.showInformationMessage('TinyGo: open a Go file to analyse it.');
      return ctx.analysis?.analyzeNow(d);
    },
  };
  for (const [id, fn] of Object.entries(commands)) disposables.push(vscode.commands.registerCommand(id, fn));

  // The wasm engine loads asynchronously so activation itself returns at once.
  const ready = (async () => {
    try {
      const engine = await createEngine(assetsIn(path.join(context.extensionPath, 'dist')));
      ctx.analysis = new AnalysisController(engine, vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md'), log);
      disposables.push(ctx.analysis);
    } catch (err) {
      log.appendLine(`[activate] the analysis engine failed to load: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      void vscode.window.showErrorMessage('TinyGo Workbench: the Go parser failed to load; editing-time diagnostics are off. See the "TinyGo Workbench" output.');
    }
    for (const [name, feature] of FEATURES) {
      try {
        disposables.push(...await feature(ctx));
      } catch (err) {
        // One broken feature must not take the others down.
        log.appendLine(`[activate] feature ${name} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      }
    }
    readyMs = performance.now() - t0;
    log.appendLine(`[activate] ready in ${readyMs.toFixed(1)} ms`);
  })();

  return { ready, activationMs: () => readyMs, analysis: () => ctx.analysis, ctx };
}

export function deactivate(): void {
  const ds = disposables;
  disposables = [];
  for (const d of ds.reverse()) {
    try { d.dispose(); } catch { /* disposing must go on */ }
  }
}

import * as path from 'node:path';
import * as vscode from 'vscode';
import { assetsIn, createEngine } from '../core/analysis';
import { AnalysisController } from './analysisController';

/** What activate() returns: used by the integration tests and by other extensions that want to wait for us. */
export interface WorkbenchApi {
  /** Resolves when the analysis engine is loaded and the open Go documents are being analysed. */
  ready: Promise<void>;
  /** Milliseconds from activate() entry to ready. */
  activationMs(): number | undefined;
  analysis(): AnalysisController | undefined;
}

let disposables: vscode.Disposable[] = [];

export function activate(context: vscode.ExtensionContext): WorkbenchApi {
  const t0 = performance.now();
  let readyMs: number | undefined;
  let controller: AnalysisController | undefined;
  const log = vscode.window.createOutputChannel('TinyGo Workbench');
  disposables = [log];
  context.subscriptions.push({ dispose: () => deactivate() });

  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'tinygo.showOutput': () => log.show(true),
    'tinygo.analyzeActiveFile': () => {
      const d = vscode.window.activeTextEditor?.document;
      if (!d || d.languageId !== 'go') return vscode.window.showInformationMessage('TinyGo: open a Go file to analyse it.');
      return controller?.analyzeNow(d);
    },
  };
  for (const [id, fn] of Object.entries(commands)) disposables.push(vscode.commands.registerCommand(id, fn));

  // The wasm engine loads asynchronously so activation itself returns at once.
  const ready = (async () => {
    try {
      const engine = await createEngine(assetsIn(path.join(context.extensionPath, 'dist')));
      controller = new AnalysisController(engine, vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md'), log);
      disposables.push(controller);
      readyMs = performance.now() - t0;
      log.appendLine(`[activate] analysis engine ready in ${readyMs.toFixed(1)} ms`);
    } catch (err) {
      log.appendLine(`[activate] the analysis engine failed to load: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      void vscode.window.showErrorMessage('TinyGo Workbench: the Go parser failed to load; editing-time diagnostics are off. See the "TinyGo Workbench" output.');
    }
  })();

  return { ready, activationMs: () => readyMs, analysis: () => controller };
}

export function deactivate(): void {
  const ds = disposables;
  disposables = [];
  for (const d of ds.reverse()) {
    try { d.dispose(); } catch { /* disposing must go on */ }
  }
}

import * as vscode from 'vscode';
import type { PickerEntry } from '../../core/tinygo/toolchain';
import { Config } from '../config';
import { openSetting } from '../openSetting';
import { activeFolder } from '../folders';
import type { Ctx, Started } from '../services';
import { Settle } from '../settle';
import { GoplsManager, type Prompt } from './gopls';
import { ToolchainService } from './service';
import { TargetStatusBar } from './statusBar';
import { migrateTargetsFromState } from './targetSetting';

/** What the wiring may inject: how gopls' questions reach the user, and who watches the target picker. */
export interface ToolchainOptions {
  prompt?: Prompt;
  onPickerItems?: (entries: readonly PickerEntry[]) => void;
}

/**
 * TinyGo toolchain and a board-aware gopls: finds tinygo, the target switcher (command and status bar), the target
 * facts for the analysers, and gopls with the target's environment. Activated first: every other feature gets its
 * service as `ctx.toolchain`.
 */
export function activateToolchain(ctx: Ctx, options: ToolchainOptions = {}) {
  const toolchain = new ToolchainService(ctx, { onPickerItems: options.onPickerItems });
  const status = new TargetStatusBar(toolchain);
  const gopls = new GoplsManager(ctx, toolchain, options.prompt);

  const applyFacts = async (folder: vscode.WorkspaceFolder | undefined): Promise<void> => {
    const facts = await toolchain.analysisFacts(folder);
    ctx.analysis?.setTargetFacts(folder?.uri, facts, await toolchain.buildContext(folder));
  };
  const applyAllFacts = async (): Promise<void> => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) await applyFacts(undefined);
    for (const f of folders) await applyFacts(f);
  };

  const commands = {
    /** tinygo.selectTarget: with an argument (keybindings, tasks, tests) sets it without the picker; "" or null: None (plain Go). */
    selectTarget: async (arg?: unknown): Promise<string | undefined> => {
      if (typeof arg === 'string' || arg === null) {
        await toolchain.setTarget(activeFolder(), arg ?? undefined);
        return arg || undefined;
      }
      if (arg && typeof arg === 'object' && 'target' in arg) {
        const a = arg as { target?: string | null; folder?: vscode.WorkspaceFolder };
        await toolchain.setTarget(a.folder ?? activeFolder(), a.target ?? undefined);
        return a.target ?? undefined;
      }
      return toolchain.pickTarget(activeFolder());
    },
    /** tinygo.restartLanguageServer */
    restartLanguageServer: async (): Promise<void> => {
      await toolchain.state(true);
      // A "no" to configuring the Go extension's gopls is forgotten here, so the question comes again.
      await gopls.resetGoExtensionConsent();
      await gopls.refresh('restart command', { restart: true });
      if (!gopls.running && gopls.decision && !gopls.decision.runOwn) {
        const why = !vscode.workspace.isTrusted ? 'the workspace is in Restricted Mode'
          : gopls.decision.configureGoExtension ? 'the Go extension runs gopls here (it got the target\'s environment through the "gopls" settings)'
            : 'gopls is not running ("tinygo.languageServer" is "off", or gopls was not found)';
        void vscode.window.showInformationMessage(`TinyGo: no own gopls to restart: ${why}.`);
      }
    },
    /** tinygo.installGopls */
    installGopls: (): Promise<boolean> => gopls.installGopls(),
  };

  const toldBroken = new Set<string>();
  const settle = new Settle();
  const disposables: vscode.Disposable[] = [
    toolchain, status, gopls, settle,
    toolchain.onDidChangeTarget((e) => {
      void applyFacts(e.folder);
      void gopls.refresh(`target ${e.target ?? 'none'}`);
    }),
    toolchain.onDidChangeState((st) => {
      void applyAllFacts();
      // A tinygo that is there but refuses to work (usually the Go on PATH) is said once per message, with the fix;
      // a missing one only shows in the status bar until a TinyGo command needs it.
      if (st.kind === 'broken' && !toldBroken.has(st.message)) {
        toldBroken.add(st.message);
        void vscode.window.showErrorMessage(`TinyGo: ${st.message}`, 'Open Settings', 'Show Output').then((a) => {
          if (a === 'Open Settings') void openSetting('tinygo.path');
          if (a === 'Show Output') ctx.log.show(true);
        });
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void toolchain.state(true).then(() => gopls.refresh('workspace trusted'));
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // A path is typed one keystroke at a time in the Settings UI: it is looked at once it stopped changing.
      if (Config.affects(e, 'gopls.path')) {
        gopls.goplsPathChanging();
        settle.run('gopls.path', () => { gopls.goplsPathSettled(); void gopls.refresh('tinygo.gopls.path changed', { restart: true }); });
      } else if (['tinygo.languageServer', 'tinygo.gopls', 'go.useLanguageServer', 'go.buildTags', 'go.buildFlags'].some((s) => e.affectsConfiguration(s))) {
        void gopls.refresh('settings changed', { restart: e.affectsConfiguration('tinygo.gopls') });
      } else if (Config.affects(e, 'path')) {
        settle.run('path', () => { void toolchain.state().then(() => gopls.refresh('tinygo.path changed')); });
      }
      if (Config.affects(e, 'analysis.targetFacts') || Config.affects(e, 'analysis.buildTarget')) void applyAllFacts();
    }),
    vscode.extensions.onDidChange(() => { void gopls.refresh('extensions changed'); }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => { toolchain.noteTargets(); void applyAllFacts(); void gopls.refresh('workspace folders changed'); }),
  ];

  // Nothing here blocks activation: tinygo and gopls start in the background.
  void (async () => {
    try {
      const moved = await migrateTargetsFromState(ctx.extension.workspaceState, vscode.workspace.workspaceFolders ?? []);
      for (const f of moved) ctx.log.appendLine(`[toolchain] the target of ${f.name} moved from the workspace state to its "tinygo.target" setting`);
    } catch (err) {
      ctx.log.appendLine(`[toolchain] could not move the target into "tinygo.target": ${err instanceof Error ? err.message : String(err)}`);
    }
    toolchain.noteTargets();
    await toolchain.state();
    await applyAllFacts();
    await gopls.refresh('activation');
  })();
  const started: Started<ToolchainService, typeof commands> = { service: toolchain, commands, disposables };
  // The gopls manager and the status bar are the toolchain's own; the test API reads them.
  return { ...started, gopls, status };
}

/**
 * "Get started with TinyGo" (package.json contributes.walkthroughs): opened once, on the first activation, and
 * the context keys its steps' completion events and "when" clauses read.
 */
import * as vscode from 'vscode';
import { Config } from '../config';
import type { ToolchainApi, ToolchainState } from '../services';

export const WALKTHROUGH_ID = 'tinygo.gettingStarted';
/** `publisher.name#id`, as workbench.action.openWalkthrough wants it. */
export const WALKTHROUGH_REF = `tinygo-workbench.tinygo-workbench#${WALKTHROUGH_ID}`;
const SHOWN_KEY = 'tinygo.walkthrough.shown';

/** Context keys (onContext completion events): tinygo answered; the active folder has a target. */
export const CONTEXT_TINYGO_FOUND = 'tinygo.walkthrough.tinygoFound';
export const CONTEXT_HAS_TARGET = 'tinygo.walkthrough.hasTarget';

/**
 * Opens the walkthrough unless it was opened before (globalState) or the user turned walkthroughs off
 * (`workbench.welcomePage.walkthroughs.openOnInstall`, VS Code's own setting for exactly this). True when opened.
 * The Go file whose opening activated us stays in front: the walkthrough waits in the tab beside it.
 */
export async function openWalkthroughOnce(state: vscode.Memento, enabled: boolean): Promise<boolean> {
  if (state.get<boolean>(SHOWN_KEY) || !enabled) return false;
  await state.update(SHOWN_KEY, true);
  const front = vscode.window.activeTextEditor;
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_REF, false);
  // It opens as a preview editor, which bringing the file back to the front would replace: keep it open.
  await vscode.commands.executeCommand('workbench.action.keepEditor');
  if (front) await vscode.window.showTextDocument(front.document, { viewColumn: front.viewColumn, preserveFocus: false });
  return true;
}

export function forgetWalkthroughShown(state: vscode.Memento): Thenable<void> {
  return state.update(SHOWN_KEY, undefined);
}

/**
 * Whether the first activation opens the walkthrough: for the installed extension only (a development host or a
 * test run opens it through the test API), and not when the user turned walkthroughs off. The extension host of
 * code-server 4.139 does not see that user setting (measured: inspect() has no globalValue), so it is a
 * best effort there.
 */
export function walkthroughsEnabled(mode: vscode.ExtensionMode): boolean {
  return mode === vscode.ExtensionMode.Production &&
    Config.of().workbench.walkthroughsOpenOnInstall();
}

export function describeToolchain(st: ToolchainState): string {
  switch (st.kind) {
    case 'ok': return `TinyGo ${st.install.version.version.raw} at ${st.install.path}` +
      (st.install.version.goVersion ? ` (built with Go ${st.install.version.goVersion})` : '');
    case 'missing': return st.message;
    case 'broken': return `tinygo at ${st.path} does not work: ${st.message}`;
    case 'untrusted': return 'This workspace is not trusted, so tinygo is not run.';
  }
}

/** Keeps the context keys current. */
export function trackContext(toolchain: ToolchainApi, folder: () => vscode.WorkspaceFolder | undefined): vscode.Disposable[] {
  const refresh = async (): Promise<void> => {
    const st = await toolchain.state();
    await vscode.commands.executeCommand('setContext', CONTEXT_TINYGO_FOUND, st.kind === 'ok');
    await vscode.commands.executeCommand('setContext', CONTEXT_HAS_TARGET, toolchain.currentTarget(folder()) !== undefined);
  };
  void refresh();
  return [
    toolchain.onDidChangeTarget(() => { void refresh(); }),
    // The toolchain checks a changed tinygo.path itself and announces the result: asking state(true) here too ran
    // tinygo once more for every change.
    toolchain.onDidChangeState(() => { void refresh(); }),
    vscode.window.onDidChangeActiveTextEditor(() => { void refresh(); }),
  ];
}

/**
 * "Pick an existing install": a file dialog for the tinygo executable, written to `tinygo.path`; then what the
 * toolchain found there (its version and the Go it was built with).
 */
export async function pickTinygo(toolchain: ToolchainApi, given?: string): Promise<string | undefined> {
  let file = given;
  if (!file) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: true, canSelectFolders: false, canSelectMany: false,
      title: 'The tinygo executable (in the bin folder of the TinyGo install)', openLabel: 'Use This TinyGo',
    });
    file = picked?.[0]?.fsPath;
  }
  if (!file) return undefined;
  const described = describeToolchain(await toolchain.useTinygo(file));
  void vscode.window.showInformationMessage(`TinyGo: ${described}`);
  return described;
}

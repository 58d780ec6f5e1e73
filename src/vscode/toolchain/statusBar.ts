import * as vscode from 'vscode';
import { activeFolder } from '../folders';
import type { ToolchainState } from '../services';
import type { ToolchainService } from './service';

/**
 * The target switcher in the status bar (like PlatformIO's environment switcher): the folder's target, a warning
 * icon when tinygo is missing or refuses the Go on PATH, and in Restricted Mode the reason nothing runs.
 */
export class TargetStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('tinygo.target', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private lastState: ToolchainState | undefined;

  constructor(private readonly toolchain: ToolchainService) {
    this.item.name = 'TinyGo Target';
    this.disposables.push(
      toolchain.onDidChangeTarget(() => this.render()),
      toolchain.onDidChangeState((s) => { this.lastState = s; this.render(); }),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.render()),
    );
    this.render();
    this.item.show();
  }

  /** What the item shows now (tests read it). */
  get view(): { text: string; tooltip: string; command: string | undefined } {
    return { text: this.item.text, tooltip: typeof this.item.tooltip === 'string' ? this.item.tooltip : this.item.tooltip?.value ?? '', command: typeof this.item.command === 'string' ? this.item.command : this.item.command?.command };
  }

  render(): void {
    if (!vscode.workspace.isTrusted) {
      this.item.text = '$(workspace-untrusted) TinyGo';
      this.item.tooltip = 'Restricted Mode: TinyGo Workbench runs no tool (tinygo, gopls, go) in an untrusted workspace, so there is no ' +
        'target list, build or language server. The editing-time analysis still works. Click to manage workspace trust.';
      this.item.command = 'workbench.trust.manage';
      this.item.backgroundColor = undefined;
      return;
    }
    const target = this.toolchain.currentTarget(activeFolder());
    const s = this.lastState;
    const name = target ?? 'No target';
    this.item.command = 'tinygo.selectTarget';
    if (s && (s.kind === 'missing' || s.kind === 'broken')) {
      this.item.text = `$(warning) ${name}`;
      this.item.tooltip = `${s.message}\n\nClick to select a target.`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      return;
    }
    this.item.backgroundColor = undefined;
    this.item.text = `$(circuit-board) ${name}`;
    const tool = s?.kind === 'ok' ? `TinyGo ${s.install.version.version.raw} (${s.install.path})` : 'TinyGo';
    this.item.tooltip = target
      ? `${tool}\nTarget: ${target}. gopls sees the code with this target's GOOS/GOARCH, GOROOT and build tags.\nClick to change.`
      : `${tool}\nNo target: gopls sees the code as plain Go. Click to select a board.`;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

import * as vscode from 'vscode';
import { formatStatusBar, type SizeReport } from '../../core/size/model';

export const SHOW_COMMAND = 'tinygo.showSizeReport';

/** `Flash 23.4 KB / 788 KB (+1.3 KB) · RAM 4.1 KB / 240 KB`; a click opens the size panel. */
export class SizeStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('tinygo.size', vscode.StatusBarAlignment.Left, 40);
  /** The text while shown (VS Code cannot be asked whether an item is visible). */
  shown: string | undefined;

  constructor() {
    this.item.name = 'TinyGo Size';
    this.item.command = SHOW_COMMAND;
  }

  show(report: SizeReport, previous: SizeReport | undefined, state: { failed?: string; overBudget?: string[] }): void {
    const text = formatStatusBar(report, previous);
    const tip = new vscode.MarkdownString(undefined, true);
    if (state.failed) {
      this.item.text = `$(error) Build failed · last good: ${text}`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      tip.appendText(`The last build failed: ${state.failed}\n\nLast good build: ${text}`);
    } else if (state.overBudget?.length) {
      this.item.text = `$(warning) ${text}`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
      tip.appendText(`${text}\n\nOver budget: ${state.overBudget.join(', ')}`);
    } else {
      this.item.text = text;
      this.item.backgroundColor = undefined;
      tip.appendText(text);
    }
    tip.appendMarkdown('\n\nClick to open the size report.');
    this.item.tooltip = tip;
    // Without a label of its own, VS Code reads the item's text plus the tooltip's markdown source to screen
    // readers, and appendText() writes every space there as `&nbsp;`.
    const said = this.item.text.replace(/\$\((error|warning)\)\s*/, (_m, icon: string) => (icon === 'error' ? '' : 'Warning: '));
    this.item.accessibilityInformation = { label: `TinyGo size: ${said}${state.overBudget?.length ? `, over budget: ${state.overBudget.join(', ')}` : ''}. Opens the size report.` };
    this.item.show();
    this.shown = this.item.text;
  }

  hide(): void { this.item.hide(); this.shown = undefined; }
  dispose(): void { this.item.dispose(); }
}

/**
 * Rule links: a finding's code (in the editor's hover and in the Problems panel) opens its rule's section of
 * docs/rules.md rendered, not the Markdown source at line 1. The link is the file at the heading's line (`#L33`),
 * because the hover opens links without command rights (a `command:` link does nothing there); when the source
 * opens at such a line, it is swapped for the Markdown preview scrolled to that section.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { ruleLine, sectionAt } from '../core/docs/ruleSections';

const texts = new Map<string, string | undefined>();
const links = new Map<string, vscode.Uri>();

function docsText(docs: vscode.Uri): string | undefined {
  if (!texts.has(docs.fsPath)) {
    try {
      texts.set(docs.fsPath, fs.readFileSync(docs.fsPath, 'utf8'));
    } catch {
      texts.set(docs.fsPath, undefined);
    }
  }
  return texts.get(docs.fsPath);
}

/** The link of a rule: docs/rules.md at its heading's line (1-based in the fragment), or the page when it has none. */
export function ruleLink(docs: vscode.Uri, ruleId: string): vscode.Uri {
  // Every published finding asks: the page is searched once per rule, not once per finding.
  const key = `${docs.toString()}\n${ruleId}`;
  let link = links.get(key);
  if (!link) {
    const text = docsText(docs);
    const line = text === undefined ? undefined : ruleLine(text, ruleId);
    link = line === undefined ? docs : docs.with({ fragment: `L${line + 1}` });
    links.set(key, link);
  }
  return link;
}

/** Swaps docs/rules.md opened as text at a rule's line for the rendered section. */
export class RuleDocsPreview implements vscode.Disposable {
  private readonly subs: vscode.Disposable[];
  /** The last section shown: what the tests check the preview was asked to scroll to. */
  lastShown: vscode.Uri | undefined;

  constructor(private readonly docs: vscode.Uri) {
    this.subs = [
      vscode.window.onDidChangeActiveTextEditor((e) => { if (e) void this.swap(e); }),
      vscode.window.onDidChangeTextEditorSelection((e) => { if (e.kind !== vscode.TextEditorSelectionChangeKind.Mouse && e.kind !== vscode.TextEditorSelectionChangeKind.Keyboard) void this.swap(e.textEditor); }),
    ];
    if (vscode.window.activeTextEditor) void this.swap(vscode.window.activeTextEditor);
  }

  private async swap(editor: vscode.TextEditor): Promise<void> {
    if (editor.document.uri.scheme !== 'file' || editor.document.uri.fsPath !== this.docs.fsPath) return;
    const line = editor.selection.active.line;
    // At the top the page was opened as a page, not through a rule link: leave the source to whoever opened it.
    if (line === 0) return;
    const slug = sectionAt(editor.document.getText(), line);
    if (!slug) return;
    const target = this.docs.with({ fragment: slug });
    this.lastShown = target;
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.fsPath === this.docs.fsPath);
    // The source goes first: while it is open the preview follows its scroll position instead of the section.
    if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
    await vscode.commands.executeCommand('markdown.showPreview', target);
  }

  dispose(): void {
    for (const s of this.subs.splice(0)) s.dispose();
  }
}

import * as vscode from 'vscode';
import { pickerModel, type PickerEntry, type PickerOptions } from '../../core/tinygo/toolchain';

export interface TargetPickerRequest extends Omit<PickerOptions, 'recent'> {
  targets: Promise<{ targets: string[]; error?: string }>;
  recent: readonly string[];
  /** Shown in the title when the workspace has several folders. */
  folderName?: string;
  /** Called with what the picker offers once the list is known. */
  onItems?: (entries: readonly PickerEntry[]) => void;
  /**
   * Stays open when the focus moves elsewhere (the default): opened from the walkthrough, the step checks itself
   * off when the command runs and the walkthrough then moves the focus on, which closed the picker at once. Escape
   * still closes it.
   */
  ignoreFocusOut?: boolean;
}

interface Item extends vscode.QuickPickItem { entry: PickerEntry }

function toItems(entries: PickerEntry[]): Item[] {
  return entries.map((entry): Item => {
    switch (entry.kind) {
      case 'separator': return { entry, label: entry.label, kind: vscode.QuickPickItemKind.Separator };
      case 'none': return { entry, label: entry.label, description: entry.current ? `${entry.description} (current)` : entry.description };
      case 'target': return {
        entry,
        label: entry.current ? `$(check) ${entry.name}` : entry.name,
        description: entry.description,
        detail: undefined,
        iconPath: undefined,
      };
    }
  });
}

/**
 * Opens at once and fills in when `tinygo targets` answers (it is a process start, a few hundred ms), so the
 * command never seems dead. Resolves to the choice (target undefined: "None (plain Go)"), or undefined if dismissed.
 */
export function showTargetPicker(req: TargetPickerRequest): Promise<{ target?: string; error?: string } | undefined> {
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = req.folderName ? `TinyGo target for ${req.folderName}` : 'TinyGo target';
  qp.placeholder = req.nrf52Only ? 'Choose an nRF52 board' : 'Choose the board (or target) to build for and to show gopls';
  qp.matchOnDescription = true;
  qp.ignoreFocusOut = req.ignoreFocusOut ?? true;
  qp.busy = true;
  qp.show();
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: { target?: string; error?: string } | undefined) => {
      if (done) return;
      done = true;
      resolve(v);
      qp.dispose();
    };
    req.targets.then((r) => {
      if (done) return;
      if (r.error) { finish({ error: r.error }); return; }
      const entries = pickerModel(r.targets, { ...req, recent: req.recent });
      req.onItems?.(entries);
      qp.items = toItems(entries);
      const current = qp.items.find((i) => i.entry.kind === 'target' && i.entry.current);
      if (current) qp.activeItems = [current];
      qp.busy = false;
    }, (err: unknown) => finish({ error: String(err) }));
    qp.onDidAccept(() => {
      const sel = qp.selectedItems[0] ?? qp.activeItems[0];
      if (!sel) return;
      if (sel.entry.kind === 'target') finish({ target: sel.entry.name });
      else if (sel.entry.kind === 'none') finish({ target: undefined });
    });
    qp.onDidHide(() => finish(undefined));
  });
}

import * as vscode from 'vscode';

export type Operation = 'build' | 'flash';

/**
 * Which long operation runs in which workspace folder. Flashing while a build or another flash runs would copy a
 * half-written firmware or fight over the port, so the flash feature refuses while anything runs here.
 */
export class BusyRegistry implements vscode.Disposable {
  private readonly running = new Map<string, { op: Operation; cancel: () => void }>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  private key(folder: vscode.WorkspaceFolder | undefined): string { return folder?.uri.toString() ?? ''; }

  current(folder: vscode.WorkspaceFolder | undefined): Operation | undefined { return this.running.get(this.key(folder))?.op; }

  /** Any operation in any folder (a flash must not start while any build writes the firmware it would copy). */
  any(): Operation | undefined { return [...this.running.values()][0]?.op; }

  /** Marks `op` as running; returns a release function, or undefined when something already runs there. */
  tryAcquire(folder: vscode.WorkspaceFolder | undefined, op: Operation, cancel: () => void): (() => void) | undefined {
    const k = this.key(folder);
    if (this.running.has(k)) return undefined;
    const entry = { op, cancel };
    this.running.set(k, entry);
    this.changed.fire();
    return () => { if (this.running.get(k) === entry) { this.running.delete(k); this.changed.fire(); } };
  }

  cancel(folder: vscode.WorkspaceFolder | undefined): boolean {
    const e = this.running.get(this.key(folder));
    e?.cancel();
    return !!e;
  }

  dispose(): void { for (const e of this.running.values()) e.cancel(); this.running.clear(); this.changed.dispose(); }
}

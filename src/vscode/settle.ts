import type * as vscode from 'vscode';

/**
 * How long a setting must stay unchanged before it is acted on: longer than a pause between two keystrokes, and
 * than the Settings UI's write of each one to settings.json (measured 0.5-0.7 s apiece on a loaded 2-core machine).
 */
export const SETTLE_MS = 1500;

/**
 * Runs an action once its key has been quiet for a while: the Settings UI writes a text setting on every keystroke,
 * and a half-typed path ("/", "/us") must not be checked, warned about or started.
 */
export class Settle implements vscode.Disposable {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly ms = SETTLE_MS) {}

  /** (Re)starts the wait for `key`; only the last action given within the wait runs. */
  run(key: string, action: () => void): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => { this.timers.delete(key); action(); }, this.ms));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

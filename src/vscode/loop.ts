/**
 * The loop a board developer repeats all day, in one command and as editor buttons: Build, then Flash the firmware
 * that build planned (same package, same flags), then the serial monitor (PlatformIO's "Upload and Monitor").
 * Each step stops the loop when it fails, and says which step it was. The editor title buttons show for Go files
 * of a folder that has a board chosen: the context key is set here, the menus are in package.json.
 */
import * as vscode from 'vscode';
import { folderOf } from './folders';
import type { BuildEvent, BuildRefused, BuildService, FlashOutcome, FlashService, MonitorService, ToolchainApi } from './services';
import type { MonitorSessionApi } from './monitor/session';

/** Set while the active editor is a Go file of a workspace folder with a TinyGo target (package.json `when`). */
export const BOARD_FILE_CONTEXT = 'tinygo.boardGoFile';

export interface LoopRequest {
  folder?: vscode.WorkspaceFolder | vscode.Uri | string;
  /** Tests: no notifications, no modal questions. */
  quiet?: boolean;
}

export type LoopOutcome =
  | { stopped: 'build'; build: BuildEvent | BuildRefused | undefined; message: string }
  | { stopped: 'flash'; build: BuildEvent; flash: FlashOutcome; message: string }
  | { stopped: 'monitor'; build: BuildEvent; flash: FlashOutcome; message: string }
  | { stopped?: undefined; build: BuildEvent; flash: FlashOutcome; monitor: MonitorSessionApi };

export interface LoopServices {
  build: BuildService;
  flash: FlashService;
  monitor: MonitorService;
}

/** TinyGo: Build, Flash and Monitor. */
export async function buildFlashMonitor(s: LoopServices, request: LoopRequest = {}): Promise<LoopOutcome> {
  const folder = folderOf(request.folder);
  const quiet = !!request.quiet;
  const stop = <T extends LoopOutcome>(o: T): T => {
    // Build and Flash already told the user why (unless quiet); only the monitor's refusal is said here.
    if (o.stopped === 'monitor' && !quiet) void vscode.window.showErrorMessage(`TinyGo: flashed, but the monitor did not open: ${o.message}`);
    return o;
  };
  const build = await s.build.build({ folder, quiet });
  if (!build || 'refused' in build || !build.success) {
    const message = !build ? 'No board was chosen.' : 'refused' in build ? build.refused : build.failure ?? 'The build failed.';
    return stop({ stopped: 'build', build, message });
  }
  const flash = await s.flash.flash({ folder, quiet });
  if (flash.kind !== 'flashed') {
    const message = flash.kind === 'preflight-stopped' ? 'The UF2 preflight stopped the flash.' : flash.message;
    return stop({ stopped: 'flash', build, flash, message });
  }
  // A monitor that stepped aside for the flash is back (or coming back): no second one on the same port.
  const open = s.monitor.sessions().find((m) => m.isOpen);
  if (open) return { build, flash, monitor: open };
  const monitor = await s.monitor.open({ folder });
  if ('refused' in monitor) return stop({ stopped: 'monitor', build, flash, message: monitor.refused });
  return { build, flash, monitor };
}

/** Keeps BOARD_FILE_CONTEXT true exactly while the active editor is a Go file of a folder with a target. */
export function trackBoardGoFile(toolchain: () => ToolchainApi): vscode.Disposable & { current(): boolean | undefined } {
  let last: boolean | undefined;
  const update = () => {
    const doc = vscode.window.activeTextEditor?.document;
    const folder = doc ? vscode.workspace.getWorkspaceFolder(doc.uri) : undefined;
    const on = !!doc && doc.languageId === 'go' && !!folder && !!toolchain().currentTarget(folder);
    if (on === last) return;
    last = on;
    void vscode.commands.executeCommand('setContext', BOARD_FILE_CONTEXT, on);
  };
  update();
  const subs = [
    vscode.window.onDidChangeActiveTextEditor(update),
    toolchain().onDidChangeTarget(update),
    vscode.workspace.onDidChangeWorkspaceFolders(update),
  ];
  return { dispose: () => { for (const d of subs) d.dispose(); }, current: () => last };
}

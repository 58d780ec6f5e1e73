import type * as vscode from 'vscode';
import type { ExecFn } from '../core/process/exec';
import type { TargetInfo } from '../core/tinygo/info';
import type { TinyGoVersionInfo } from '../core/tinygo/version';
import type { AnalysisController } from './analysisController';
import type { BusyRegistry } from './busy';

/** A tinygo that answered `tinygo version`. */
export interface TinygoInstall {
  path: string;
  version: TinyGoVersionInfo;
}

export type ToolchainState =
  | { kind: 'ok'; install: TinygoInstall }
  /** Not found on the setting, PATH or the usual locations: `message` says how to install and where to set the path. */
  | { kind: 'missing'; message: string }
  /** Found, but it refuses the Go on PATH ("requires go version X through Y") or fails otherwise. */
  | { kind: 'broken'; path: string; message: string }
  /** Workspace not trusted: nothing is executed. */
  | { kind: 'untrusted' };

/** The toolchain feature (issue: TinyGo toolchain and a board-aware gopls) as other features use it. */
export interface ToolchainApi {
  /** Cached after the first call; `refresh` forgets it (settings changed, tool installed). */
  state(refresh?: boolean): Promise<ToolchainState>;
  /** The chosen target of a workspace folder (undefined: plain Go, no target). */
  currentTarget(folder?: vscode.WorkspaceFolder): string | undefined;
  setTarget(folder: vscode.WorkspaceFolder | undefined, target: string | undefined): Promise<void>;
  /** Shows the target picker; `nrf52Only` restricts it to nRF52 boards. Resolves to the chosen name, or undefined if dismissed. */
  pickTarget(folder: vscode.WorkspaceFolder | undefined, options?: { nrf52Only?: boolean }): Promise<string | undefined>;
  /** `tinygo info` facts of the folder's target (cached by tinygo version and target). */
  targetInfo(folder?: vscode.WorkspaceFolder): Promise<TargetInfo | undefined>;
  readonly onDidChangeTarget: vscode.Event<{ folder: vscode.WorkspaceFolder | undefined; target: string | undefined }>;
}

/** Everything a feature gets at activation. Created once in extension.ts. */
export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  /** The one "TinyGo Workbench" output channel (logs); build output has its own channel in the build feature. */
  readonly log: vscode.OutputChannel;
  readonly exec: ExecFn;
  /** Filled by the toolchain feature when it activates; features activated later may rely on it. */
  toolchain?: ToolchainApi;
  analysis?: AnalysisController;
  /** Which build or flash runs where: one at a time per folder, and never a flash beside a build. */
  readonly busy: BusyRegistry;
  /** Where features put things other features or tests look up, e.g. `build`, `size`, `ports`. */
  readonly services: Map<string, unknown>;
}

/** A feature registers its commands, views and listeners; everything it returns is disposed on deactivate. */
export type Feature = (ctx: Ctx) => vscode.Disposable[] | Promise<vscode.Disposable[]>;

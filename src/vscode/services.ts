/**
 * What the features offer each other, declared in one place. A feature gets the services it needs as typed
 * fields of its context (`Ctx & Pick<Services, ...>`), filled in activation order by extension.ts, and talks to
 * the others only through these interfaces, never by importing their files.
 */
import type * as vscode from 'vscode';
import type { AllocStats, BuildPackage, BuildPlan, BuildResult, MergedAlloc } from '../core/build';
import type { FlashEvent, FlashPlan } from '../core/flash/plan';
import type { TargetSpecLike } from '../core/flash/targetSpec';
import type { Uf2Warning } from '../core/flash/uf2';
import type { AutoPortChoice, PortIdentity } from '../core/ports/match';
import type { UsbSerialPort } from '../core/ports/sysfs';
import type { MemoryInput, PanelData } from '../core/protocol';
import type { SizeReport } from '../core/size/model';
import type { WhyLinkedResult } from '../core/protocol';
import type { SizeTable } from '../core/size/sizeTable';
import type { BuildDiagnostic } from '../core/tinygo/buildOutput';
import type { TargetInfo } from '../core/tinygo/info';
import type { TinyGoVersionInfo } from '../core/tinygo/version';
import type { ExecFn } from '../core/process/exec';
import type { AnalysisController } from './analysisController';
import type { BusyRegistry } from './busy';
import type { MonitorSessionApi } from './monitor/session';
import type { BuildResultLike } from './size/adapter';

// ---- the context every feature gets ----------------------------------------------------------------------------

/** Created once in extension.ts. */
export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  /** The one "TinyGo Workbench" output channel (logs); build and flash output have their own channels. */
  readonly log: vscode.OutputChannel;
  readonly exec: ExecFn;
  /** Undefined when the wasm engine failed to load (the rest of the extension still works). */
  readonly analysis: AnalysisController | undefined;
  /** Which build or flash runs where: one at a time per folder, and never a flash beside a build. */
  readonly busy: BusyRegistry;
}

/** The features' services, in activation order. */
export interface Services {
  /** Always first: every other feature resolves tinygo and the folder's target through it. */
  toolchain: ToolchainApi;
  build: BuildService;
  size: SizeService;
  devices: DevicesService;
  monitor: MonitorService;
  flash: FlashService;
}

/** What a feature's activation hands back: its service, its command handlers (for commands.ts) and what to dispose. */
export interface Started<S, C> {
  readonly service: S;
  readonly commands: C;
  readonly disposables: vscode.Disposable[];
}

// ---- toolchain ---------------------------------------------------------------------------------------------------

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

export type TargetChange = { folder: vscode.WorkspaceFolder | undefined; target: string | undefined };

/** The toolchain feature (TinyGo toolchain and a board-aware gopls) as other features use it. */
export interface ToolchainApi {
  /** Cached after the first call; `refresh` forgets it (settings changed, tool installed). */
  state(refresh?: boolean): Promise<ToolchainState>;
  /**
   * Writes `tinygo.path` (to the scope that sets it, else user settings) and checks the tinygo there. Whoever asks state() meanwhile gets this
   * check, not the answer from before the write (a command run at once after the pick found no tinygo).
   */
  useTinygo(file: string): Promise<ToolchainState>;
  /** The chosen target of a workspace folder (undefined: plain Go, no target). The one store of targets. */
  currentTarget(folder?: vscode.WorkspaceFolder): string | undefined;
  setTarget(folder: vscode.WorkspaceFolder | undefined, target: string | undefined): Promise<void>;
  /**
   * Shows the target picker; `nrf52Only` restricts it to nRF52 boards; `assign: false` only asks (a board for a
   * project not yet open: "New Project"), leaving the folder's target as it is; `ignoreFocusOut` keeps it open
   * when the focus moves (a step of a longer flow). Resolves to the chosen name, or undefined if dismissed.
   */
  pickTarget(folder: vscode.WorkspaceFolder | undefined, options?: { nrf52Only?: boolean; assign?: boolean; ignoreFocusOut?: boolean }): Promise<string | undefined>;
  /** `tinygo info` facts of the folder's target (cached by tinygo version and target). */
  targetInfo(folder?: vscode.WorkspaceFolder): Promise<TargetInfo | undefined>;
  readonly onDidChangeTarget: vscode.Event<TargetChange>;
  /** Fires when a check of the toolchain finished (a changed `tinygo.path`, a pick, a granted trust). */
  readonly onDidChangeState: vscode.Event<ToolchainState>;
}

// ---- build -------------------------------------------------------------------------------------------------------

/** What the size panel and the tests receive after every build that ran (`onDidBuild`). */
export interface BuildEvent {
  folder: vscode.WorkspaceFolder | undefined;
  target: string | undefined;
  outputPath: string;
  cwd: string;
  args: string[];
  sizeTable?: SizeTable;
  /** `-print-stacks` rows, when the target is ARM with the tasks scheduler (the size panel's GoroutineStack shape). */
  stacks?: { function: string; bytes?: number; note?: string }[];
  allocs: MergedAlloc[];
  allocStats: AllocStats;
  diagnostics: BuildDiagnostic[];
  success: boolean;
  failure?: string;
  failureKind?: BuildResult['failureKind'];
  durationMs: number;
  /** The files `tinygo.build.formats` asked for, after a successful build. */
  extraOutputs?: BuildResult['extraOutputs'];
}

/** A build that did not start: the reason, already shown to the user. */
export interface BuildRefused { refused: string }

export interface BuildRequest {
  /** Workspace folder (object, Uri or path); default: the active file's folder, else the first folder. */
  folder?: vscode.WorkspaceFolder | vscode.Uri | string;
  /** Overrides the current target. */
  target?: string;
  /** Overrides `tinygo.build.package`. */
  package?: string;
  /** "Build for nRF52": ask for an nRF52 board unless one is chosen. */
  nrf52?: boolean;
  /** Tests: no notification popups. */
  quiet?: boolean;
}

/** What a build would run, without running it: Flash flashes with the same plan. */
export interface PlannedBuild {
  folder: vscode.WorkspaceFolder | undefined;
  tinygo: string;
  target: string | undefined;
  pkg: BuildPackage;
  plan: BuildPlan;
  /** `tinygo info` of the target (undefined for the host or when tinygo could not say). */
  info: TargetInfo | undefined;
}

export interface BuildService {
  readonly onDidBuild: vscode.Event<BuildEvent>;
  build(request?: BuildRequest): Promise<BuildEvent | BuildRefused | undefined>;
  /** The target, package and arguments the build would use now (undefined: the board picker was dismissed). */
  plan(request?: BuildRequest): Promise<PlannedBuild | BuildRefused | undefined>;
  cancel(folder?: vscode.WorkspaceFolder): Promise<void>;
  isBuilding(folder?: vscode.WorkspaceFolder): boolean;
  lastBuild(folder?: vscode.WorkspaceFolder): BuildEvent | undefined;
  /** The ELF of the folder's last successful build (what is running on the board after a flash), if any. */
  lastFirmware(folder?: vscode.WorkspaceFolder): string | undefined;
  /** The failed-build status item's text while it shows (a failure stays there until a build succeeds). */
  failureStatus(): string | undefined;
}

// ---- size --------------------------------------------------------------------------------------------------------

export interface SizeService {
  /** Shows a known report (no build needed), with an optional previous one for the deltas. */
  showReport(report: SizeReport, options?: { previous?: SizeReport; memory?: MemoryInput; reportPath?: string; reveal?: boolean }): Promise<void>;
  /** What a finished build reports: the same path as the build feature's onDidBuild. */
  update(result: BuildResultLike): Promise<SizeReport | undefined>;
  /** What the panel is (or would be) showing. */
  data(): PanelData;
  /** The size item's text in the status bar; undefined while it is hidden. */
  statusBarText(): string | undefined;
  /** "Why is this linked?" for a package of the last build (what the panel shows for it). */
  whyLinked(pkg: string): Promise<WhyLinkedResult>;
}

// ---- devices -----------------------------------------------------------------------------------------------------

export type PortSelection = { readonly kind: 'auto' } | { readonly kind: 'path'; readonly path: string; readonly from: 'picker' | 'setting' };

export interface ResolvedPort {
  readonly path: string;
  readonly how: 'picker' | 'setting' | 'target-match' | 'only-port' | 'asked';
  /** The sysfs record of the port when there is one (to follow the board by serial number). */
  readonly usb?: UsbSerialPort;
}

export interface DevicesService {
  /** The USB serial ports now. Never rejects. */
  list(): Promise<UsbSerialPort[]>;
  /** Ports with the boards they match, as the view last showed them. */
  identities(): readonly PortIdentity[];
  refresh(): Promise<readonly PortIdentity[]>;
  selection(folder?: vscode.WorkspaceFolder): PortSelection;
  /** 'auto' or a path; undefined forgets the picker's choice, so "tinygo.monitor.port" applies again. */
  select(folder: vscode.WorkspaceFolder | undefined, selection: 'auto' | string | undefined): Promise<void>;
  /**
   * The port to use for `spec`: the picker's or the setting's path as is, else the one port with the target's
   * VID:PID (asking among several when `interactive`). Undefined when there is none; `choice` says why.
   */
  resolve(folder: vscode.WorkspaceFolder | undefined, spec: TargetSpecLike | undefined, options?: { interactive?: boolean }): Promise<{ port?: ResolvedPort; choice?: AutoPortChoice }>;
  readonly onDidChange: vscode.Event<readonly PortIdentity[]>;
}

// ---- monitor -----------------------------------------------------------------------------------------------------

export interface MonitorOpenRequest {
  folder?: vscode.WorkspaceFolder;
  /** A device path; default: the port picker's choice, else the target's port. */
  port?: string;
  /** Tests: do not take the focus. */
  preserveFocus?: boolean;
}

export interface FlashSuspension {
  /** Reconnects every monitor that was closed; writes the flash marker when `ok`. */
  resume(result: { ok: boolean; firmware: string }): Promise<void>;
  /** How many monitors stepped aside. */
  readonly count: number;
}

export interface MonitorService {
  open(request?: MonitorOpenRequest): Promise<MonitorSessionApi | { refused: string }>;
  sessions(): readonly MonitorSessionApi[];
  suspendForFlash(): Promise<FlashSuspension>;
  /** The link provider's answer for one line of a monitor terminal (tests call it directly). */
  linksFor(line: string, folder?: vscode.WorkspaceFolder): vscode.TerminalLink[];
  /** What clicking a link does: opens FILE at LINE:COL (relative paths against the folder). */
  openLink(link: vscode.TerminalLink): Promise<void>;
}

// ---- flash -------------------------------------------------------------------------------------------------------

export interface FlashRequest {
  folder?: vscode.WorkspaceFolder;
  /** Tests: no modal questions (UF2 warnings are then treated as "flash anyway" only with `acceptWarnings`). */
  quiet?: boolean;
  acceptWarnings?: boolean;
}

export type FlashOutcome =
  | { kind: 'refused'; message: string }
  | { kind: 'tool-missing'; tool: string; message: string }
  | { kind: 'preflight-stopped'; warnings: Uf2Warning[] }
  /** `firmware`: the file tinygo flashed and kept (`-o`, TinyGo 0.39+), beside the build's ELF. */
  | { kind: 'flashed'; target: string; args: readonly string[]; firmware?: string; durationMs: number; events: FlashEvent[]; progress: string[]; monitorsResumed: number; warnings: Uf2Warning[] }
  | { kind: 'failed'; target: string; args: readonly string[]; message: string; events: FlashEvent[]; progress: string[]; exitCode?: number; timedOut: boolean; cancelled: boolean };

export interface FlashService {
  flash(request?: FlashRequest): Promise<FlashOutcome>;
  readonly onDidFlash: vscode.Event<FlashOutcome>;
  /** The plan for the folder's target, as the flash would use it (for the devices view and tests). */
  plan(folder?: vscode.WorkspaceFolder): Promise<{ target: string; plan: FlashPlan } | undefined>;
}

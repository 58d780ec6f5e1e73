/**
 * The test API: what activate() returns besides `ready`. The integration tests (and the UI tests' driver
 * extension) reach the extension only through this, never through its internal objects' fields; the product
 * classes carry no test hooks, they get these seams as creation parameters from extension.ts.
 */
import type * as vscode from 'vscode';
import type { VolumeRoots } from '../core/flash/uf2';
import type { SysfsRoots } from '../core/ports/sysfs';
import type { PickerEntry } from '../core/tinygo/toolchain';
import type { AnalysisController } from './analysisController';
import type { BusyRegistry } from './busy';
import type { OnboardService } from './onboard/feature';
import type { BuildService, DevicesService, FlashService, MonitorService, SizeService, ToolchainApi } from './services';
import { showPrompt, type GoplsManager, type Prompt } from './toolchain/gopls';
import type { TargetStatusBar } from './toolchain/statusBar';

/** A question put to the user (an information message with buttons) and, once given, the answer. */
export interface Question {
  message: string;
  items: string[];
  /** undefined while open, or when the notification was dismissed. */
  answer?: string;
}

/** What the tests can set before or while the features run; extension.ts hands these to the features. */
export class TestSeams {
  deviceRoots: SysfsRoots | undefined;
  volumeRoots: VolumeRoots | undefined;
  /** Every question asked in this session, in order. */
  readonly questions: Question[] = [];
  /** Answers questions instead of the user (a notification's button cannot be clicked from the extension host). */
  answer: Prompt | undefined;
  /** What the last target picker offered. */
  pickerItems: readonly PickerEntry[] = [];

  /** The prompt the features get: the user's notification, or the tests' answer; recorded either way. */
  readonly prompt: Prompt = async (message, ...items) => {
    const q: Question = { message, items };
    this.questions.push(q);
    q.answer = await (this.answer ?? showPrompt)(message, ...items);
    return q.answer;
  };
}

/** The features' services and parts the tests look at (each undefined when its feature failed to start). */
export interface TestingApi {
  analysis(): AnalysisController | undefined;
  /** The rule section (docs/rules.md#<rule-id>) the last rule link showed rendered. */
  ruleDocs(): vscode.Uri | undefined;
  toolchain(): ToolchainApi | undefined;
  /** Replaces the toolchain every other feature sees (undefined: the real one again). The toolchain's own commands keep the real one. */
  useToolchain(stub: ToolchainApi | undefined): void;
  gopls(): GoplsManager | undefined;
  targetStatus(): TargetStatusBar['view'] | undefined;
  build(): BuildService | undefined;
  size(): SizeService | undefined;
  /**
   * Disposes the size feature and starts it again, as a window reload would: what it kept in memory is gone, the
   * workspace state and the files stay. Resolves with the new service.
   */
  restartSize(): Promise<SizeService | undefined>;
  devices(): DevicesService | undefined;
  monitor(): MonitorService | undefined;
  flash(): FlashService | undefined;
  /** The value last given to the `tinygo.boardGoFile` context key (the editor title's Build/Flash buttons). */
  boardGoFile(): boolean | undefined;
  onboard(): OnboardService | undefined;
  /** What activation does on a first run (open the walkthrough unless it was shown), with walkthroughs enabled. */
  openWalkthroughOnce(): Promise<boolean>;
  /** Forgets that the walkthrough was shown, as on a fresh install. */
  forgetWalkthroughShown(): Thenable<void>;
  readonly busy: BusyRegistry;
  readonly workspaceState: vscode.Memento;
  /** A stand-in sysfs tree and /dev for the devices feature (undefined: the machine's); refreshes the view. */
  setDeviceRoots(roots: SysfsRoots | undefined): Promise<void>;
  /** A stand-in /proc/mounts for the UF2 preflight (undefined: the machine's). */
  setVolumeRoots(roots: VolumeRoots | undefined): void;
  readonly questions: readonly Question[];
  answerQuestions(answer: Prompt | undefined): void;
  pickerItems(): readonly PickerEntry[];
  clearPickerItems(): void;
}

/** What activate() returns: for the integration tests and for other extensions that want to wait for us. */
export interface WorkbenchApi {
  /** Resolves when the analysis engine is loaded and every feature has activated. */
  ready: Promise<void>;
  /** Milliseconds from activate() entry to ready. */
  activationMs(): number | undefined;
  testing: TestingApi;
}

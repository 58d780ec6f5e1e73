import * as vscode from 'vscode';
import { DEFAULT_TARGET_FACTS, type RuleSettings, type Severity, type TargetFacts } from '../core/analysis';
import type { BuildSettings } from '../core/build';

/**
 * Every setting the extension reads or writes, typed, one section per feature: the only module that asks VS Code
 * for configuration. `Config.of(folder)` reads with the folder as scope (resource settings), `Config.of()` the
 * window's values. Values are read when asked, so a `Config` never holds a stale value.
 */
export class Config {
  private constructor(private readonly scope: vscode.ConfigurationScope | undefined) {}

  static of(folder?: vscode.WorkspaceFolder | vscode.Uri): Config {
    return new Config(folder instanceof vscode.Uri ? folder : folder?.uri);
  }

  /** Whether a change event touches one of our settings (`section` narrows it, e.g. "size" or "path"). */
  static affects(e: vscode.ConfigurationChangeEvent, section?: string): boolean {
    return e.affectsConfiguration(section ? `tinygo.${section}` : 'tinygo');
  }

  /** `tinygo` by default; the Go extension's `go`, or (null) the root, where the `gopls` section is (goExtension). */
  private section(name: string | null = 'tinygo', scoped = true): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(name ?? undefined, scoped ? this.scope : undefined);
  }
  private get cfg(): vscode.WorkspaceConfiguration { return this.section(); }
  private str(key: string, fallback = ''): string { return (this.cfg.get<string>(key, fallback) ?? fallback).trim(); }

  readonly toolchain = {
    /** `tinygo.path`: the one place it is read (the toolchain finds and checks tinygo; everyone else asks it). */
    tinygoPath: (): string => this.str('path'),
    /**
     * The walkthrough's "pick an existing install": user settings, where a machine's tinygo belongs, unless the
     * workspace (or its folder) sets `tinygo.path` itself; then there, or the pick would not take effect.
     */
    setTinygoPath: async (value: string): Promise<void> => {
      const i = this.cfg.inspect<string>('path');
      const where = i?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
        : i?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
      await this.cfg.update('path', value, where);
    },
    goplsPath: (): string => this.str('gopls.path'),
    /** `tinygo.target`: the folder's board (resource scope, so it lives in the folder's .vscode/settings.json). */
    target: (): string | undefined => this.str('target') || undefined,
    /** Whether the folder itself (not the user or the workspace) sets `tinygo.target`. */
    folderSetsTarget: (): boolean => this.cfg.inspect<string>('target')?.workspaceFolderValue !== undefined,
    /** Writes the folder's `tinygo.target` (undefined removes it: plain Go unless a wider scope sets one). */
    setTarget: async (name: string | undefined): Promise<void> => {
      // "None" over a target the workspace or the user sets is an explicit empty value; otherwise the key goes.
      const i = this.cfg.inspect<string>('target');
      // (Without a .code-workspace file the workspace's settings are the folder's own: not wider.)
      const wider = ((vscode.workspace.workspaceFile ? i?.workspaceValue : undefined) ?? i?.globalValue ?? '').trim();
      await this.cfg.update('target', name ?? (wider ? '' : undefined), vscode.ConfigurationTarget.WorkspaceFolder);
    },
    languageServer: (): 'auto' | 'own' | 'off' => {
      const m = this.str('languageServer', 'auto');
      return m === 'own' || m === 'off' ? m : 'auto';
    },
    goplsTrace: (): 'off' | 'messages' | 'verbose' => {
      const t = this.str('gopls.trace', 'off');
      return t === 'messages' || t === 'verbose' ? t : 'off';
    },
  };

  readonly analysis = {
    enabled: (): boolean => this.cfg.get<boolean>('analysis.enable', true),
    maxFileSize: (): number => this.cfg.get<number>('analysis.maxFileSize', 1024 * 1024),
    debounceMs: (): number => this.cfg.get<number>('analysis.debounceMs', 150),
    scope: (): 'openFiles' | 'workspace' => (this.cfg.get<string>('analysis.scope', 'openFiles') === 'workspace' ? 'workspace' : 'openFiles'),
    rules: (): RuleSettings => {
      const raw = this.cfg.get<Record<string, unknown>>('analysis.rules', {}) ?? {};
      const out: RuleSettings = {};
      for (const [id, v] of Object.entries(raw)) {
        if (v === false || v === 'off') out[id] = { enabled: false };
        else if (typeof v === 'string' && ['error', 'warning', 'information', 'hint'].includes(v)) out[id] = { severity: v as Severity };
      }
      return out;
    },
    /**
     * Whose build constraints decide which files get TinyGo findings: '' the folder's target, 'none' every file,
     * or another target's name.
     */
    buildTarget: (): string => this.str('analysis.buildTarget'),
    /**
     * Until the toolchain knows the target, the documented default, adjustable per setting; `tinygoVersion` is the
     * installed tinygo's when the toolchain found one (the setting still wins when it names a version).
     */
    targetFacts: (tinygoVersion?: string): TargetFacts => {
      const o = this.cfg.get<Partial<TargetFacts>>('analysis.targetFacts', {}) ?? {};
      return { ...DEFAULT_TARGET_FACTS, ...(tinygoVersion ? { tinygoVersion } : {}), ...o };
    },
  };

  readonly build = {
    package: (): string => this.str('build.package'),
    timeoutSeconds: (): number => {
      const v = Number(this.cfg.get<number>('build.timeoutSeconds', 600));
      return Number.isFinite(v) && v >= 0 ? v : 600;
    },
    settings: (): BuildSettings => {
      const c = this.cfg;
      const extra = c.get<unknown>('build.extraArgs', []);
      return {
        outputDir: c.get<string>('build.outputDir', 'build'),
        opt: c.get<string>('build.opt', ''),
        gc: c.get<string>('build.gc', ''),
        scheduler: c.get<string>('build.scheduler', ''),
        stackSize: c.get<string>('build.stackSize', ''),
        tags: c.get<string | string[]>('build.tags', ''),
        extraArgs: Array.isArray(extra) ? extra.filter((a): a is string => typeof a === 'string') : [],
        printAllocs: c.get<boolean>('build.printAllocs', true),
        formats: ((f) => (Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : []))(c.get<unknown>('build.formats', [])),
      };
    },
  };

  readonly size = {
    openAfterBuild: (): boolean => this.cfg.get<boolean>('size.openAfterBuild', false),
    flashBudget: (): string => this.str('size.flashBudget'),
    ramBudget: (): string => this.str('size.ramBudget'),
    /** CodeLenses with each import's and function's cost in the last build. */
    importCosts: (): boolean => this.cfg.get<boolean>('size.importCosts', true),
  };

  readonly flash = {
    timeoutSeconds: (): number => Math.max(0, Number(this.cfg.get<number>('flash.timeoutSeconds', 120)) || 0),
    closeMonitor: (): boolean => this.cfg.get<boolean>('flash.closeMonitor', true),
  };

  readonly monitor = {
    /** The port when the picker has not chosen one (devices). */
    port: (): string => this.str('monitor.port'),
    baudRate: (): number => {
      const baud = Number(this.cfg.get<number>('monitor.baudRate', 115200));
      return Number.isInteger(baud) && baud > 0 ? baud : 115200;
    },
    timestamps: (): boolean => this.cfg.get<boolean>('monitor.timestamps', false),
    logFile: (): string => this.str('monitor.logFile'),
  };

  /** The folder's tasks.json (VS Code exposes it as the `tasks` section). */
  /** VS Code's own settings that decide what the extension shows on its own. */
  readonly workbench = {
    /** `workbench.welcomePage.walkthroughs.openOnInstall`: whether a walkthrough may open by itself. */
    walkthroughsOpenOnInstall: (): boolean => this.section('workbench.welcomePage', false).get<boolean>('walkthroughs.openOnInstall', true),
  };

  readonly tasks = {
    labels: (): string[] => {
      const tasks = this.section('tasks').get<unknown>('tasks');
      return Array.isArray(tasks) ? tasks.flatMap((t: unknown) => (t && typeof t === 'object' && typeof (t as { label?: unknown }).label === 'string' ? [(t as { label: string }).label] : [])) : [];
    },
  };

  /**
   * The Go extension's settings that decide whether it runs gopls, and the `gopls` section its gopls reads: read
   * to coexist with it, written only after the user agreed (toolchain/gopls.ts).
   */
  readonly goExtension = {
    useLanguageServer: (): boolean => this.section('go').get<boolean>('useLanguageServer', true),
    buildTags: (): string | undefined => this.section('go').get<string>('buildTags'),
    buildFlags: (): string[] | undefined => this.section('go').get<string[]>('buildFlags'),
    turnOffLanguageServer: async (): Promise<void> => {
      await this.section('go', false).update('useLanguageServer', false, vscode.ConfigurationTarget.Workspace);
    },
    /** The `gopls` object as this workspace (or, with several folders, this folder) sets it. */
    goplsSettings: (perFolder: boolean): Record<string, unknown> | undefined => {
      const inspected = this.section(null).inspect<Record<string, unknown>>('gopls');
      return perFolder ? inspected?.workspaceFolderValue : inspected?.workspaceValue;
    },
    setGoplsSettings: async (value: Record<string, unknown> | undefined, perFolder: boolean): Promise<void> => {
      await this.section(null).update('gopls', value,
        perFolder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace);
    },
  };
}

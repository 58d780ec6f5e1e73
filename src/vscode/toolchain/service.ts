import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BuildContext, TargetFacts } from '../../core/analysis';
import type { TargetInfo } from '../../core/tinygo/info';
import {
  analysisFactsFor, buildContextFor, detectTinygo, listTargets, pushRecent, TargetInfoCache, targetInfoCached, type PickerEntry, type ToolchainDeps,
} from '../../core/tinygo/toolchain';
import type { MemorySize } from '../../core/tinygo/targets';
import { capacityFromRoot } from '../../core/size/capacity';
import { tinygoRoot } from '../../core/tinygo/root';
import { TargetFileResolver } from '../../core/tinygo/targetFiles';
import { Config } from '../config';
import { openSetting } from '../openSetting';
import type { Ctx, ToolchainApi, ToolchainState } from '../services';
import { Settle } from '../settle';
import { showTargetPicker } from './picker';

/** A target for a window without a folder (a loose file) has no settings file to go to: kept in the workspace state. */
const NO_FOLDER_TARGET_KEY = 'tinygo.target:';
const RECENT_KEY = 'tinygo.recentTargets';

export async function isExecutable(p: string): Promise<boolean> {
  try {
    const st = await fs.promises.stat(p);
    if (!st.isFile()) return false;
    if (process.platform === 'win32') return true;
    await fs.promises.access(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function dirExists(p: string): Promise<boolean> {
  try { return (await fs.promises.stat(p)).isDirectory(); } catch { return false; }
}

export function locateDeps(ctx: Ctx): ToolchainDeps {
  return { exec: ctx.exec, env: process.env, platform: process.platform, homedir: os.homedir(), isExecutable };
}

/** The folder a target is stored for: the given one, else the first (a single-folder workspace's only folder). */
function resolveFolder(folder: vscode.WorkspaceFolder | undefined): vscode.WorkspaceFolder | undefined {
  return folder ?? vscode.workspace.workspaceFolders?.[0];
}

/**
 * ToolchainApi: finds and checks tinygo once (until settings change or trust is granted), remembers the target per
 * workspace folder, and answers `tinygo info` from the cache when its GOROOT still exists. In an untrusted
 * workspace nothing is executed: state() says so and every other call answers from memory only.
 */
export class ToolchainService implements ToolchainApi, vscode.Disposable {
  private statePromise: Promise<ToolchainState> | undefined;
  private targetsPromise: Promise<{ targets: string[]; error?: string }> | undefined;
  private readonly infoInFlight = new Map<string, ReturnType<typeof targetInfoCached>>();
  private readonly cache: TargetInfoCache;
  private readonly changeTarget = new vscode.EventEmitter<{ folder: vscode.WorkspaceFolder | undefined; target: string | undefined }>();
  private readonly changeState = new vscode.EventEmitter<ToolchainState>();
  private readonly reported = new Set<string>();
  private readonly memory = new Map<string, MemorySize | null>();
  /** Target files under TINYGOROOT, resolved as TinyGo does: describes targets never asked with `tinygo info`. */
  private targetFiles: { root: string; resolver: TargetFileResolver } | undefined;
  readonly onDidChangeTarget = this.changeTarget.event;
  /** Fires when a (re)check of the toolchain finished. */
  readonly onDidChangeState = this.changeState.event;
  private readonly settle = new Settle();
  private readonly disposables: vscode.Disposable[] = [this.changeTarget, this.changeState, this.settle];

  /** `onPickerItems` sees what each target picker offers (the tests read it through the test API). */
  constructor(private readonly ctx: Ctx, private readonly options: { onPickerItems?: (entries: readonly PickerEntry[]) => void } = {}) {
    this.cache = new TargetInfoCache(ctx.extension.globalState, dirExists);
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        // Forgotten at once (whoever uses tinygo next checks the new value), checked and announced only once the
        // value stopped changing: the Settings UI writes on every keystroke.
        if (Config.affects(e, 'path')) { this.forget(); this.settle.run('path', () => { void this.state(true); }); }
        if (Config.affects(e, 'target')) this.targetSettingChanged();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => { void this.state(true); }),
    );
  }

  private deps(): ToolchainDeps { return locateDeps(this.ctx); }

  /** The next state() checks tinygo again. */
  private forget(): void { this.statePromise = undefined; }

  state(refresh = false): Promise<ToolchainState> {
    return refresh || !this.statePromise ? this.check(() => this.detect()) : this.statePromise;
  }

  useTinygo(file: string): Promise<ToolchainState> {
    return this.check(async () => {
      await Config.of().toolchain.setTinygoPath(file);
      return this.detect();
    });
  }

  /** Starts a check of the toolchain that every state() asks from now on; what was derived from the last one goes. */
  private check(run: () => Promise<ToolchainState>): Promise<ToolchainState> {
    this.targetsPromise = undefined;
    this.targetFiles = undefined;
    const pending = run();
    this.statePromise = pending;
    void pending.then((s) => this.changeState.fire(s), () => undefined);
    return pending;
  }

  private async detect(): Promise<ToolchainState> {
    if (!vscode.workspace.isTrusted) return { kind: 'untrusted' };
    const r = await detectTinygo(Config.of().toolchain.tinygoPath(), this.deps());
    const log = this.ctx.log;
    switch (r.kind) {
      case 'ok':
        log.appendLine(`[toolchain] tinygo ${r.install.version.version.raw} at ${r.install.path} (${r.install.source}), Go ${r.install.version.goVersion ?? '?'}`);
        for (const w of r.warnings) log.appendLine(`[toolchain] ${w}`);
        return { kind: 'ok', install: { path: r.install.path, version: r.install.version } };
      case 'missing':
        log.appendLine(`[toolchain] ${r.message} Searched: ${r.searched.join(', ')}`);
        return { kind: 'missing', message: r.message };
      case 'broken':
        log.appendLine(`[toolchain] ${r.message}`);
        return r;
    }
  }

  /** The folder's `tinygo.target` setting (the one store: the picker writes it, a team commits it). */
  currentTarget(folder?: vscode.WorkspaceFolder): string | undefined {
    const f = resolveFolder(folder);
    if (f) return Config.of(f).toolchain.target();
    const v = this.ctx.extension.workspaceState.get<string | null>(NO_FOLDER_TARGET_KEY);
    return typeof v === 'string' && v !== '' ? v : undefined;
  }

  /** What each folder's target was when last announced, so an edit of settings.json is announced once. */
  private readonly announced = new Map<string, string | undefined>();

  /** Someone (the picker, the user in settings.json, a git checkout) changed `tinygo.target`: announce the folders whose target changed. */
  private targetSettingChanged(): void {
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      const key = f.uri.toString();
      const now = this.currentTarget(f);
      if (this.announced.has(key) && this.announced.get(key) === now) continue;
      this.announced.set(key, now);
      this.ctx.log.appendLine(`[toolchain] target of ${f.name}: ${now ?? 'none (plain Go)'} (tinygo.target)`);
      this.changeTarget.fire({ folder: f, target: now });
    }
  }

  /** Remembers every folder's target as announced (activation: nothing has changed yet). */
  noteTargets(): void {
    for (const f of vscode.workspace.workspaceFolders ?? []) this.announced.set(f.uri.toString(), this.currentTarget(f));
  }

  recentTargets(): string[] { return this.ctx.extension.globalState.get<string[]>(RECENT_KEY) ?? []; }

  async setTarget(folder: vscode.WorkspaceFolder | undefined, target: string | undefined): Promise<void> {
    const f = resolveFolder(folder);
    const name = target?.trim() || undefined;
    if (f) {
      // Announced here, at once; the configuration event that follows finds it announced already.
      this.announced.set(f.uri.toString(), name);
      await Config.of(f).toolchain.setTarget(name);
    } else {
      await this.ctx.extension.workspaceState.update(NO_FOLDER_TARGET_KEY, name ?? null);
    }
    if (name) await this.ctx.extension.globalState.update(RECENT_KEY, pushRecent(this.recentTargets(), name));
    this.ctx.log.appendLine(`[toolchain] target of ${f?.name ?? 'the workspace'}: ${name ?? 'none (plain Go)'}`);
    this.changeTarget.fire({ folder: f, target: name });
  }

  async pickTarget(folder: vscode.WorkspaceFolder | undefined, options?: { nrf52Only?: boolean; assign?: boolean; ignoreFocusOut?: boolean }): Promise<string | undefined> {
    const f = resolveFolder(folder);
    const st = await this.state();
    if (st.kind === 'untrusted') {
      const a = await vscode.window.showWarningMessage('TinyGo: this workspace is in Restricted Mode, so tinygo is not run and no target list is available. Trust the workspace to choose a target.', 'Manage Workspace Trust');
      if (a) await vscode.commands.executeCommand('workbench.trust.manage');
      return undefined;
    }
    if (st.kind !== 'ok') {
      const a = await vscode.window.showErrorMessage(`TinyGo: ${st.message}`, 'Open Settings', 'Show Output');
      if (a === 'Open Settings') await openSetting('tinygo.path');
      if (a === 'Show Output') this.ctx.log.show(true);
      return undefined;
    }
    const install = st.install;
    this.targetsPromise ??= listTargets(install.path, this.deps());
    const root = await Promise.race([tinygoRoot(this.ctx.exec, install.path), new Promise<undefined>((r) => setTimeout(r, 1500))]);
    const picked = await showTargetPicker({
      targets: this.targetsPromise,
      recent: this.recentTargets(),
      current: options?.assign === false ? undefined : this.currentTarget(f),
      nrf52Only: options?.nrf52Only,
      ignoreFocusOut: options?.ignoreFocusOut,
      folderName: (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? f?.name : undefined,
      onItems: (entries) => this.options.onPickerItems?.(entries),
      known: (name) => {
        const info = this.cache.peek(install.version.version.raw, name);
        if (info?.target) return { spec: info.target, memory: this.memoryOf(info.target.linkerscript, root) };
        const spec = root ? this.fileResolver(root).spec(name) : undefined;
        return spec ? { spec, memory: this.memoryOf(spec.linkerscript, root) } : undefined;
      },
    });
    if (picked === undefined) return undefined;
    if (picked.error) {
      this.targetsPromise = undefined;
      void vscode.window.showErrorMessage(`TinyGo: ${picked.error}`);
      return undefined;
    }
    if (options?.assign !== false) await this.setTarget(f, picked.target);
    return picked.target;
  }

  /** The application's flash and RAM from the target's linker script (one small file, read once per script). */
  private memoryOf(ld: string | undefined, root: string | undefined): MemorySize | undefined {
    if (!ld || !root) return undefined;
    const key = `${root}|${ld}`;
    if (!this.memory.has(key)) {
      let result: MemorySize | null = null;
      try {
        const cap = capacityFromRoot(root, ld).capacity;
        if (cap) result = { flash: cap.flash, ram: cap.ram };
      } catch { /* the description falls back to the chip's totals */ }
      this.memory.set(key, result);
    }
    return this.memory.get(key) ?? undefined;
  }

  private fileResolver(root: string): TargetFileResolver {
    if (this.targetFiles?.root !== root) {
      const dir = path.join(root, 'targets');
      this.targetFiles = { root, resolver: new TargetFileResolver((name) => {
        try { return fs.readFileSync(path.join(dir, `${name}.json`), 'utf8'); } catch { return undefined; }
      }) };
    }
    return this.targetFiles.resolver;
  }

  /** `tinygo info` of the folder's target, or of `other` (e.g. the target named by tinygo.analysis.buildTarget). */
  async targetInfo(folder?: vscode.WorkspaceFolder, other?: string): Promise<TargetInfo | undefined> {
    const target = other ?? this.currentTarget(folder);
    if (!target) return undefined;
    const st = await this.state();
    if (st.kind !== 'ok') return undefined;
    // The analysers and gopls ask at the same moment (a target change): one tinygo run answers both.
    const key = `${st.install.path}\u0000${target}`;
    let pending = this.infoInFlight.get(key);
    if (!pending) {
      pending = targetInfoCached(this.cache, st.install.path, st.install.version, target, this.deps());
      this.infoInFlight.set(key, pending);
      void pending.then((r) => {
        if (r.info && !r.cached) this.ctx.log.appendLine(`[toolchain] tinygo info ${target} (${r.format}): GOROOT ${r.info.goroot}`);
      });
      void pending.finally(() => this.infoInFlight.delete(key));
    }
    const r = await pending;
    if (r.error) {
      const reportKey = `${target}\u0000${r.error}`;
      if (!this.reported.has(reportKey)) {
        this.reported.add(reportKey);
        this.ctx.log.appendLine(`[toolchain] ${r.error}`);
        void vscode.window.showErrorMessage(`TinyGo: ${r.error}`, 'Select Target').then((a) => {
          if (a) void vscode.commands.executeCommand('tinygo.selectTarget');
        });
      }
      return undefined;
    }
    return r.info;
  }

  /**
   * The analysers' facts for the folder's target; without a target the settings' defaults with the installed
   * tinygo's version (undefined: no target and no tinygo, the settings' defaults apply as they are).
   */
  async analysisFacts(folder?: vscode.WorkspaceFolder): Promise<TargetFacts | undefined> {
    const target = this.currentTarget(folder);
    const st = await this.state();
    if (!target) return st.kind === 'ok' ? Config.of(folder).analysis.targetFacts(st.install.version.version.raw) : undefined;
    const info = st.kind === 'ok' ? await this.targetInfo(folder) : undefined;
    return analysisFactsFor(target, info, st.kind === 'ok' ? st.install.version : undefined);
  }

  /**
   * The build context whose constraints decide which files of the folder get TinyGo findings: the folder's target,
   * or the one `tinygo.analysis.buildTarget` names ('none': undefined, every file is analysed). Undefined too until
   * tinygo has answered `tinygo info` for it.
   */
  async buildContext(folder?: vscode.WorkspaceFolder): Promise<BuildContext | undefined> {
    const setting = Config.of(folder).analysis.buildTarget();
    if (setting === 'none') return undefined;
    const target = setting || this.currentTarget(folder);
    if (!target) return undefined;
    const st = await this.state();
    if (st.kind !== 'ok') return undefined;
    const info = await this.targetInfo(folder, target);
    return buildContextFor(target, info, st.install.version);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction, ErrorAction, LanguageClient, RevealOutputChannelOn, State, Trace, type LanguageClientOptions, type ServerOptions,
} from 'vscode-languageclient/node';
import { decideCoexistence, type CoexistenceDecision, type LanguageServerMode } from '../../core/gopls/coexistence';
import { GOPLS_MODULE, goSatisfies, goVersionOf, installArgs, parseRequiresNewerGo, releasesBelow } from '../../core/gopls/install';
import { INSTALL_GOPLS_ARGS, locateGo, locateGopls } from '../../core/gopls/locate';
import { goplsConfigForOwnClient, mergeGoplsSettings, type GoplsDesired, type GoplsManaged } from '../../core/gopls/settings';
import { isUnderRoots } from '../../core/gopls/toolchainFiles';
import { tinygoRoot } from '../../core/tinygo/root';
import type { TargetInfo } from '../../core/tinygo/info';
import { Config } from '../config';
import { openSetting } from '../openSetting';
import type { Ctx, ToolchainApi } from '../services';
import { locateDeps } from './service';

export const GO_EXTENSION_ID = 'golang.go';
/** The Go extension's "Go: Restart Language Server" (vscode-go registers it under this id). */
export const GO_RESTART_COMMAND = 'go.languageserver.restart';
const MANAGED_KEY = 'tinygo.goplsManaged:';
/** The answer to "configure the Go extension's gopls?", per workspace: 'yes' or 'no' (no key: not answered yet). */
const GO_CONSENT_KEY = 'tinygo.goExtensionConsent';
const CONFIGURE_GO = 'Configure Its gopls';
const NOT_HERE = 'Not in This Workspace';
/** More crashes than this within CRASH_WINDOW_MS and the client is left stopped, with one message. */
const MAX_CRASHES = 4;
const CRASH_WINDOW_MS = 3 * 60_000;
const STOP_TIMEOUT_MS = 800;

export function desiredFrom(info: TargetInfo | undefined): GoplsDesired | undefined {
  if (!info) return undefined;
  return { env: { GOROOT: info.goroot, GOOS: info.goos, GOARCH: info.goarch, ...(info.goarm ? { GOARM: info.goarm } : {}) }, tags: [...new Set(info.buildTags)] };
}

/**
 * gopls answers requests for a file outside the current build (a `//go:build nrf52840` file while no nRF52840 target
 * is chosen) with "no package metadata"; and a request overtaken by an edit with "context canceled". Both are normal
 * here: the editor gets nothing instead of an error in the log and the extension host console.
 */
class GoplsClient extends LanguageClient {
  override handleFailedRequest<T>(type: Parameters<LanguageClient['handleFailedRequest']>[0], token: vscode.CancellationToken | undefined,
    error: unknown, defaultValue: T, showNotification?: boolean, throwOnCancel?: boolean): T {
    const message = error instanceof Error ? error.message : typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
    if (/no package metadata for file|context canceled/.test(message)) return defaultValue;
    return super.handleFailedRequest(type, token, error, defaultValue, showNotification, throwOnCancel);
  }
}

interface FolderEnv { target?: string; desired?: GoplsDesired }

/**
 * How a question with buttons reaches the user: an information message in the product. Injected, because a
 * notification's button cannot be clicked from the extension host: the test API answers instead.
 */
export type Prompt = (message: string, ...items: string[]) => Thenable<string | undefined>;

export const showPrompt: Prompt = (message, ...items) => vscode.window.showInformationMessage(message, ...items);

export interface GoplsStart {
  reason: string;
  /** From the request (target change, setting, command) to gopls answering `initialize`. */
  ms: number;
  goplsPath: string;
  folders: Record<string, FolderEnv>;
}

/**
 * gopls for TinyGo code. Runs our own LanguageClient, or reconfigures the Go extension's gopls through the `gopls`
 * settings (after asking once per workspace, then restarting it), never both (core/gopls/coexistence.ts decides).
 * Our client gets each folder's target environment as that folder's `gopls` configuration (`build.env`,
 * `build.buildFlags`), in memory, so nothing is written to settings and nothing reaches terminals; a target change
 * restarts it without a window reload.
 */
export class GoplsManager implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly output = vscode.window.createOutputChannel('TinyGo gopls', { log: true });
  private readonly trace = vscode.window.createOutputChannel('TinyGo gopls (trace)', { log: true });
  private readonly started = new vscode.EventEmitter<GoplsStart>();
  /** Fires each time our gopls answered `initialize` (tests and the bench wait for it). */
  readonly onDidStart = this.started.event;
  private readonly disposables: vscode.Disposable[] = [this.output, this.trace, this.started];
  private queue: Promise<void> = Promise.resolve();
  private crashes: number[] = [];
  private gaveUp = false;
  private readonly shown = new Set<string>();
  private folderEnv = new Map<string, FolderEnv>();
  private goplsPath: string | undefined;
  decision: CoexistenceDecision | undefined;
  lastStart: GoplsStart | undefined;
  /** TinyGo's own source trees (TINYGOROOT, each folder's merged GOROOT, and their real paths): gopls' findings there are not the user's. */
  private toolchainRoots: string[] = [];
  /** Files under those trees whose gopls diagnostics were kept out of Problems (the status and the tests read it). */
  private readonly hiddenFiles = new Set<string>();
  /** What the user was warned about, in order (each message once per session). */
  private readonly warned: string[] = [];
  /** The "tinygo.gopls.path" the last refresh went by, and whether the setting is being typed (see goplsPathChanging). */
  private judgedGoplsPath: string | undefined;
  private goplsPathTyping = false;

  constructor(private readonly ctx: Ctx, private readonly toolchain: ToolchainApi, private readonly prompt: Prompt = showPrompt) {}

  get languageClient(): LanguageClient | undefined { return this.client; }
  get running(): boolean { return this.client?.state === State.Running; }
  /** Crashes within the last 3 minutes, and whether restarting was given up (tests, status). */
  get crashCount(): number { return this.crashes.length; }
  get gaveUpRestarting(): boolean { return this.gaveUp; }

  /** Serialised: a burst of events (target, settings, trust) never interleaves two restarts. */
  refresh(reason: string, options: { restart?: boolean } = {}): Promise<void> {
    const t0 = performance.now();
    this.queue = this.queue.then(() => this.apply(reason, t0, options.restart ?? false)).catch((err: unknown) => {
      this.ctx.log.appendLine(`[gopls] ${reason}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    });
    return this.queue;
  }

  private mode(): LanguageServerMode { return Config.of().toolchain.languageServer(); }

  /**
   * "tinygo.gopls.path" changed and is not settled yet (typed one keystroke at a time): until goplsPathSettled(), a
   * refresh for another reason (a target, another setting, a settled "tinygo.path") keeps going by the path it went
   * by before, so a half-typed value is neither warned about nor started, whenever such a refresh happens to run.
   */
  goplsPathChanging(): void { this.goplsPathTyping = true; }
  goplsPathSettled(): void { this.goplsPathTyping = false; }

  private goplsPathSetting(): string {
    const now = Config.of().toolchain.goplsPath();
    if (!this.goplsPathTyping || this.judgedGoplsPath === undefined) this.judgedGoplsPath = now;
    return this.judgedGoplsPath;
  }

  private async apply(reason: string, t0: number, forceRestart: boolean): Promise<void> {
    const trusted = vscode.workspace.isTrusted;
    const goExt = vscode.extensions.getExtension(GO_EXTENSION_ID);
    const setting = this.goplsPathSetting();
    // Locating is only file-system reads; it is skipped anyway when the workspace is untrusted.
    const loc = trusted ? await locateGopls(setting, locateDeps(this.ctx)) : { searched: [] as string[] };
    if (loc.settingProblem) this.warnOnce(loc.settingProblem);
    const decision = decideCoexistence({
      mode: this.mode(), trusted, goplsFound: !!loc.found,
      goExtension: { installed: !!goExt, useLanguageServer: Config.of().goExtension.useLanguageServer() },
    });
    this.decision = decision;
    for (const w of decision.warnings) this.warnOnce(w);

    const folders = vscode.workspace.workspaceFolders ?? [];
    const envs = new Map<string, FolderEnv>();
    for (const f of folders) {
      const target = this.toolchain.currentTarget(f);
      // tinygo info runs only when someone will use the answer.
      const info = target && (decision.runOwn || decision.configureGoExtension) ? await this.toolchain.targetInfo(f) : undefined;
      envs.set(f.uri.toString(), { target, desired: desiredFrom(info) });
    }
    if (trusted) await this.learnToolchainRoots(envs);
    if (trusted) {
      // The Go extension's settings are only written after the user said yes, once per workspace; there is
      // nothing to ask while no folder has a target.
      const consent = this.ctx.extension.workspaceState.get<'yes' | 'no'>(GO_CONSENT_KEY);
      if (decision.configureGoExtension && consent === undefined && [...envs.values()].some((e) => e.desired)) this.askGoExtensionConsent();
      const changed = await this.configureGoExtension(folders, envs, decision.configureGoExtension && consent === 'yes');
      if (changed) this.restartGoExtensionGopls(reason);
    }

    if (!decision.runOwn || !loc.found) {
      if (this.client) {
        this.ctx.log.appendLine(`[gopls] stopping our gopls (${reason}): ${decision.configureGoExtension ? 'the Go extension runs gopls' : 'not wanted'}`);
        await this.stopClient();
      }
      if (decision.offerInstallGopls) this.offerInstall();
      if (decision.offerDisableGoLanguageServer) this.offerDisableGoLanguageServer();
      return;
    }
    const same = this.client && !forceRestart && this.goplsPath === loc.found.path && sameEnvs(this.folderEnv, envs) && this.client.state !== State.Stopped;
    if (same || (this.gaveUp && !forceRestart)) return;
    if (forceRestart) { this.gaveUp = false; this.crashes = []; }
    this.folderEnv = envs;
    this.goplsPath = loc.found.path;
    // The old gopls gets `shutdown` at once (it stops answering and its diagnostics go) but may take its time to exit
    // while it is loading packages: the new one does not wait for that.
    const stopped = this.stopClient();
    await this.startClient(loc.found.path, reason, t0);
    await stopped;
  }

  /**
   * gopls runs `go` from its PATH. A `go` that is not on PATH but in a usual place (VS Code started from a launcher,
   * a login shell that does not set PATH up) is found the way "Install gopls" finds it, and its directory goes at
   * the end of gopls' PATH; otherwise gopls answers every request with "no views".
   */
  private async serverEnv(): Promise<NodeJS.ProcessEnv> {
    const go = await locateGo(locateDeps(this.ctx));
    if (go.found?.source !== 'usual location') return process.env;
    const dir = path.dirname(go.found.path);
    this.output.appendLine(`[tinygo] "go" is not on PATH; gopls gets ${dir} at the end of its PATH`);
    return { ...process.env, PATH: [process.env.PATH, dir].filter((d) => d).join(path.delimiter) };
  }

  private async startClient(goplsPath: string, reason: string, t0: number): Promise<void> {
    const serverOptions: ServerOptions = { command: goplsPath, args: ['serve'], options: { env: await this.serverEnv() } };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ language: 'go', scheme: 'file' }, { language: 'go', scheme: 'untitled' }],
      outputChannel: this.output,
      traceOutputChannel: this.trace,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // Each folder's view gets its own target: gopls asks for `gopls` per folder (scopeUri).
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const result = await next(params, token);
            if (!Array.isArray(result)) return result;
            return result.map((item: unknown, i) => {
              const p = params.items[i];
              if (p?.section !== 'gopls') return item;
              const folder = p.scopeUri ? vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(p.scopeUri)) : vscode.workspace.workspaceFolders?.[0];
              const env = folder ? this.folderEnv.get(folder.uri.toString()) : undefined;
              const user = item !== null && typeof item === 'object' ? item as Record<string, unknown> : undefined;
              const { config, warnings } = goplsConfigForOwnClient(user, env?.desired, env?.target, process.env.GOFLAGS);
              for (const w of warnings) this.warnOnce(w);
              return config;
            });
          },
        },
        // F12 into machine.LED opens TinyGo's sources; gopls then reports what it cannot type-check there (functions
        // implemented in assembly: arm.Asm, arm.SVCall1). Those are not the user's problems: they are dropped.
        handleDiagnostics: (uri, diagnostics, next) => {
          if (uri.scheme === 'file' && isUnderRoots(uri.fsPath, this.toolchainRoots)) {
            if (diagnostics.length > 0 && !this.hiddenFiles.has(uri.fsPath)) {
              this.hiddenFiles.add(uri.fsPath);
              this.output.appendLine(`[tinygo] ${diagnostics.length} diagnostic(s) in TinyGo's own ${uri.fsPath} kept out of Problems`);
            }
            next(uri, []);
            return;
          }
          next(uri, diagnostics);
        },
      },
      errorHandler: {
        error: (_e, _m, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
        // Only the current client's exit is a crash; a replaced or stopped one was meant to end.
        closed: () => (this.client === client ? this.onClosed() : { action: CloseAction.DoNotRestart, handled: true }),
      },
    };
    const client = new GoplsClient('tinygo.gopls', 'TinyGo gopls', serverOptions, clientOptions);
    this.client = client;
    const summary = [...this.folderEnv.entries()].map(([u, e]) => `${vscode.Uri.parse(u).path.split('/').pop()}=${e.target ?? 'plain Go'}`).join(', ');
    this.output.appendLine(`[tinygo] starting ${goplsPath} (${reason}); targets: ${summary || '(no folder)'}`);
    try {
      await client.start();
    } catch (err) {
      this.ctx.log.appendLine(`[gopls] ${goplsPath} did not start: ${err instanceof Error ? err.message : String(err)}`);
      this.errorOnce(`TinyGo: gopls (${goplsPath}) did not start. See the "TinyGo gopls" output.`);
      return;
    }
    if (this.client !== client) return;
    const trace = Config.of().toolchain.goplsTrace();
    if (trace !== 'off') await client.setTrace(Trace.fromString(trace));
    const start: GoplsStart = { reason, ms: performance.now() - t0, goplsPath, folders: Object.fromEntries(this.folderEnv) };
    this.lastStart = start;
    this.ctx.log.appendLine(`[gopls] ready in ${start.ms.toFixed(0)} ms (${reason})`);
    this.started.fire(start);
  }

  private onClosed(): { action: CloseAction; handled: boolean } {
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < CRASH_WINDOW_MS);
    this.crashes.push(now);
    this.output.appendLine(`[tinygo] gopls exited unexpectedly (${this.crashes.length} time(s) in the last 3 minutes)`);
    if (this.crashes.length > MAX_CRASHES) {
      this.gaveUp = true;
      void vscode.window.showErrorMessage(
        `TinyGo: gopls crashed ${this.crashes.length} times in 3 minutes and is no longer restarted. See the "TinyGo gopls" output; ` +
        'run "TinyGo: Restart Language Server" once the cause is fixed.', 'Show Output', 'Restart').then((a) => {
        if (a === 'Show Output') this.output.show(true);
        if (a === 'Restart') void this.refresh('restart after crashes', { restart: true });
      });
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    return { action: CloseAction.Restart, handled: true };
  }

  private async stopClient(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (!c) return;
    try {
      // gopls often answers `shutdown` late while it is loading packages; past this the client kills it, which is
      // what a restart wants anyway.
      if (c.state !== State.Stopped) await c.stop(STOP_TIMEOUT_MS);
    } catch (err) {
      this.ctx.log.appendLine(`[gopls] stop: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * The Go extension's gopls reads the `gopls` settings; after a change it is restarted (restartGoExtensionGopls).
   * Only our own values are written and removed (core/gopls/settings.ts); the user's stay, and conflicts are
   * reported once. Returns whether a settings file was written.
   */
  private async configureGoExtension(folders: readonly vscode.WorkspaceFolder[], envs: Map<string, FolderEnv>, enabled: boolean): Promise<boolean> {
    let written = false;
    const multi = folders.length > 1;
    for (const f of folders) {
      const key = MANAGED_KEY + (multi ? f.uri.toString() : '');
      const previous = this.ctx.extension.workspaceState.get<GoplsManaged>(key);
      if (!enabled && !previous) continue;
      const go = Config.of(f).goExtension;
      const current = go.goplsSettings(multi);
      const e = envs.get(f.uri.toString());
      const r = mergeGoplsSettings({
        current, previous, desired: enabled ? e?.desired : undefined, target: e?.target,
        goBuildTags: go.buildTags(), goBuildFlags: go.buildFlags(),
      });
      for (const w of r.warnings) this.warnOnce(w);
      if (r.changed) {
        try {
          await go.setGoplsSettings(r.value, multi);
          this.ctx.log.appendLine(`[gopls] ${enabled ? 'set' : 'removed'} the target environment in the "gopls" settings of ${f.name} (the Go extension's gopls)`);
          written = true;
        } catch (err) {
          this.ctx.log.appendLine(`[gopls] could not write the "gopls" settings: ${err instanceof Error ? err.message : String(err)}`);
          continue;
        }
      }
      await this.ctx.extension.workspaceState.update(key, r.managed);
      if (!multi) break;
    }
    return written;
  }

  /**
   * Asks once per workspace whether the Go extension's gopls may get the target's environment. An answer is kept
   * in workspaceState; a dismissed notification is asked again in a later session. "TinyGo: Restart Language
   * Server" forgets a "no" (resetGoExtensionConsent), so the question can come back.
   */
  private askGoExtensionConsent(): void {
    if (this.shown.has('ask-go-extension')) return;
    this.shown.add('ask-go-extension');
    void this.ask('TinyGo: the Go extension runs gopls in this workspace. Give its gopls the selected target\'s GOROOT, GOOS/GOARCH ' +
      'and build tags through this workspace\'s "gopls" settings ("build.env", "build.buildFlags")? Values you set there yourself are kept.',
    CONFIGURE_GO, NOT_HERE).then(async (a) => {
      if (a === undefined) return;
      await this.ctx.extension.workspaceState.update(GO_CONSENT_KEY, a === CONFIGURE_GO ? 'yes' : 'no');
      this.ctx.log.appendLine(a === CONFIGURE_GO ? '[gopls] the Go extension\'s gopls gets the target\'s environment in this workspace'
        : '[gopls] the Go extension\'s gopls keeps its own environment in this workspace ("TinyGo: Restart Language Server" asks again)');
      if (a === CONFIGURE_GO) await this.refresh('the Go extension may be configured');
    }).then(undefined, (err: unknown) => this.ctx.log.appendLine(`[gopls] configuring the Go extension: ${err instanceof Error ? err.message : String(err)}`));
  }

  /** Forgets a "no" to configuring the Go extension's gopls, so that the next refresh asks again. */
  async resetGoExtensionConsent(): Promise<void> {
    if (this.ctx.extension.workspaceState.get(GO_CONSENT_KEY) !== 'no') return;
    await this.ctx.extension.workspaceState.update(GO_CONSENT_KEY, undefined);
    this.shown.delete('ask-go-extension');
  }

  /**
   * The Go extension's gopls is restarted after its settings changed, so that a new GOROOT/GOOS/GOARCH takes effect
   * in one go. Not awaited: its restart is the Go extension's business and must not hold up our queue. An inactive
   * Go extension reads the settings when it starts.
   */
  private restartGoExtensionGopls(reason: string): void {
    if (!vscode.extensions.getExtension(GO_EXTENSION_ID)?.isActive) return;
    void (async () => {
      if (!(await vscode.commands.getCommands(true)).includes(GO_RESTART_COMMAND)) {
        this.ctx.log.appendLine(`[gopls] the Go extension has no "${GO_RESTART_COMMAND}" command; its gopls picks the "gopls" settings up itself`);
        return;
      }
      this.ctx.log.appendLine(`[gopls] restarting the Go extension's gopls (${reason})`);
      await vscode.commands.executeCommand(GO_RESTART_COMMAND);
    })().catch((err: unknown) => this.ctx.log.appendLine(`[gopls] ${GO_RESTART_COMMAND}: ${err instanceof Error ? err.message : String(err)}`));
  }

  private async ask(message: string, ...items: string[]): Promise<string | undefined> {
    return this.prompt(message, ...items);
  }

  /** TINYGOROOT and the folders' merged GOROOTs, as given and resolved (gopls reports paths as it opened them). */
  private async learnToolchainRoots(envs: Map<string, FolderEnv>): Promise<void> {
    const st = await this.toolchain.state();
    const roots = new Set<string>();
    if (st.kind === 'ok') {
      const root = await tinygoRoot(this.ctx.exec, st.install.path);
      if (root) roots.add(root);
    }
    for (const e of envs.values()) if (e.desired?.env.GOROOT) roots.add(e.desired.env.GOROOT);
    for (const r of [...roots]) {
      try { roots.add(await fs.promises.realpath(r)); } catch { /* gone: the path as given is all there is */ }
    }
    this.toolchainRoots = [...roots];
  }

  /** Files in TinyGo's own sources whose gopls diagnostics were kept out of Problems. */
  hiddenDiagnosticFiles(): readonly string[] { return [...this.hiddenFiles]; }

  /** The warnings shown so far (a half-typed setting must not produce one). */
  warnings(): readonly string[] { return this.warned; }

  private warnOnce(message: string): void {
    if (this.shown.has(message)) return;
    this.shown.add(message);
    this.warned.push(message);
    this.ctx.log.appendLine(`[gopls] ${message}`);
    void vscode.window.showWarningMessage(`TinyGo: ${message}`);
  }

  private errorOnce(message: string): void {
    if (this.shown.has(message)) return;
    this.shown.add(message);
    void vscode.window.showErrorMessage(message, 'Show Output').then((a) => { if (a) this.output.show(true); });
  }

  private offerInstall(): void {
    if (this.shown.has('offer-install') || !vscode.workspace.isTrusted) return;
    this.shown.add('offer-install');
    this.ctx.log.appendLine('[gopls] gopls was not found (tinygo.gopls.path, PATH, GOBIN, GOPATH/bin)');
    void this.ask(
      'TinyGo: gopls (the Go language server) is not installed, so Go files get no type checking or completion here. Install it now ' +
      `("go ${INSTALL_GOPLS_ARGS.join(' ')}")?`, 'Install gopls', 'Set Path').then((a) => {
      if (a === 'Install gopls') void vscode.commands.executeCommand('tinygo.installGopls');
      if (a === 'Set Path') void openSetting('tinygo.gopls.path');
    });
  }

  private offerDisableGoLanguageServer(): void {
    if (this.shown.has('offer-disable')) return;
    this.shown.add('offer-disable');
    void vscode.window.showInformationMessage('TinyGo: turn off the Go extension\'s gopls in this workspace, so that TinyGo Workbench runs its own with the target\'s environment?',
      'Turn Off Here').then(async (a) => {
      if (!a) return;
      await Config.of().goExtension.turnOffLanguageServer();
      await this.refresh('go.useLanguageServer turned off');
    });
  }

  /**
   * `go install golang.org/x/tools/gopls@latest` with progress and cancel; trusted workspaces only. When this Go is
   * too old for the latest gopls and may not fetch a newer toolchain, the newest gopls it can build (core/gopls/install.ts).
   */
  async installGopls(): Promise<boolean> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('TinyGo: this workspace is in Restricted Mode; gopls is not installed from here. Trust the workspace first.');
      return false;
    }
    const go = await locateGo(locateDeps(this.ctx));
    if (!go.found) {
      void vscode.window.showErrorMessage('TinyGo: installing gopls needs Go ("go" was not found on PATH or in /usr/local/go/bin). Install Go from https://go.dev/dl/.');
      return false;
    }
    const goPath = go.found.path;
    const { result: r, version, tooNew } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'TinyGo: installing gopls', cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        const out = (c: string) => { this.output.append(c); const line = c.trim().split('\n').pop(); if (line) progress.report({ message: line.slice(0, 80) }); };
        const run = (args: readonly string[], stream: boolean) => {
          this.output.appendLine(`[tinygo] ${goPath} ${args.join(' ')}`);
          return this.ctx.exec(goPath, args, { signal: abort.signal, timeoutMs: 15 * 60_000, ...(stream ? { onStdout: out, onStderr: out } : {}) });
        };
        const latest = await run(INSTALL_GOPLS_ARGS, true);
        const needsNewer = latest.exitCode !== 0 && !latest.cancelled ? parseRequiresNewerGo(latest.stderr + latest.stdout) : undefined;
        if (!needsNewer) return { result: latest };
        // This Go may not fetch a newer toolchain (GOTOOLCHAIN=local): the newest gopls it can build instead.
        this.output.appendLine(`[tinygo] gopls ${needsNewer.version} needs Go ${needsNewer.requires} or newer; this Go is ${needsNewer.running} and may not ` +
          'fetch another (GOTOOLCHAIN). Looking for the newest gopls it can build.');
        progress.report({ message: `gopls ${needsNewer.version} needs Go ${needsNewer.requires}: finding the newest for Go ${needsNewer.running}` });
        const list = await run(['list', '-m', '-versions', GOPLS_MODULE], false);
        if (list.exitCode !== 0) return { result: latest, tooNew: needsNewer };
        for (const v of releasesBelow(list.stdout, needsNewer.version).slice(0, 8)) {
          if (abort.signal.aborted) return { result: { ...latest, cancelled: true }, tooNew: needsNewer };
          const mod = await run(['list', '-m', '-json', `${GOPLS_MODULE}@${v}`], false);
          const wants = mod.exitCode === 0 ? goVersionOf(mod.stdout) : undefined;
          if (wants && goSatisfies(needsNewer.running, wants)) return { result: await run(installArgs(v), true), version: v, tooNew: needsNewer };
          this.output.appendLine(`[tinygo] gopls ${v} needs Go ${wants ?? '(unknown)'}`);
        }
        return { result: latest, tooNew: needsNewer };
      });
    if (r.cancelled) { this.output.appendLine('[tinygo] gopls install cancelled'); return false; }
    if (r.exitCode !== 0) {
      const args = version ? installArgs(version) : INSTALL_GOPLS_ARGS;
      const why = tooNew && !version ? ` gopls ${tooNew.version} needs Go ${tooNew.requires} or newer and no older release fits Go ${tooNew.running}: ` +
        'install a newer Go, or let Go fetch one (GOTOOLCHAIN=auto).' : '';
      this.errorOnce(`TinyGo: "go ${args.join(' ')}" failed (${r.spawnError ?? `exit ${r.exitCode}`}).${why} See the "TinyGo gopls" output.`);
      return false;
    }
    void vscode.window.showInformationMessage(version && tooNew
      ? `TinyGo: gopls ${version} is installed (the latest, ${tooNew.version}, needs Go ${tooNew.requires}; this Go is ${tooNew.running}).`
      : 'TinyGo: gopls is installed.');
    this.shown.delete('offer-install');
    await this.refresh('gopls installed', { restart: true });
    return true;
  }

  showOutput(): void { this.output.show(true); }

  dispose(): void {
    const c = this.client;
    this.client = undefined;
    if (c) void c.dispose(2000).catch(() => undefined);
    for (const d of this.disposables) d.dispose();
  }
}

function sameEnvs(a: Map<string, FolderEnv>, b: Map<string, FolderEnv>): boolean {
  return JSON.stringify([...a.entries()]) === JSON.stringify([...b.entries()]);
}

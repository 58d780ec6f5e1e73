/**
 * TinyGo: Open Serial Monitor. Linux and macOS: a Pseudoterminal around the core SerialMonitor (stty + the
 * device file; no native module). Windows: `tinygo monitor` in a terminal, because COM ports are not ttys and
 * there is no stty (docs/monitor.md). Panic positions are clickable, and the address of a `panic: runtime error at
 * 0x…` line is looked up in the folder's last built ELF (the program's own line named beside the runtime's when
 * the runtime code was inlined into it); the monitor steps aside while Flash runs
 * (the monitor service's suspendForFlash()) and follows the board by USB serial number afterwards.
 */
import * as path from 'node:path';
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import { FirmwareLineCache, type FirmwareLines } from '../../core/elf';
import { analyzeLine, type LineLink } from '../../core/monitor/lines';
import { resolvePanicFrames, type PanicResolver } from '../../core/monitor/panicNote';
import { rememberBoard } from '../../core/ports/follow';
import { Config } from '../config';
import { activeFolder } from '../folders';
import type { Ctx, FlashSuspension, MonitorOpenRequest, MonitorService, Services, Started } from '../services';
import { resolveTinygo, targetSpec } from '../tinygo';
import { MonitorSession, type MonitorSessionApi } from './session';

interface PanicLink extends vscode.TerminalLink {
  file: string;
  line: number;
  col?: number;
  folder?: vscode.WorkspaceFolder;
}

/** A log file relative to the folder; `${workspaceFolder}` is expanded too. */
function logPath(raw: string, folder: vscode.WorkspaceFolder | undefined): string | undefined {
  if (!raw) return undefined;
  const base = folder?.uri.fsPath ?? process.cwd();
  const expanded = raw.replace(/\$\{workspaceFolder\}/g, base);
  return path.isAbsolute(expanded) ? expanded : path.join(base, expanded);
}

/** TinyGo: Open Serial Monitor, clickable panic positions, and stepping aside while a flash runs. */
const SELECT_PORT = 'Select Port';
const SHOW_DEVICES = 'Show Connected Devices';
/** The Connected Devices view (package.json contributes.views); VS Code gives every view a `<id>.focus` command. */
const DEVICES_VIEW = 'tinygoDevices';

export function activateMonitor(ctx: Ctx & Pick<Services, 'toolchain' | 'devices'> & Partial<Pick<Services, 'build'>>) {
  const sessions: MonitorSession[] = [];
  const firmware = panicResolution(ctx);
  const external: { terminal: vscode.Terminal; reopen: () => vscode.Terminal }[] = [];
  let warnedPermission = false;

  const exec = async (file: string, args: readonly string[]) => {
    const r = await ctx.exec(file, args, { timeoutMs: 5000 });
    return { code: r.exitCode ?? (r.spawnError ? -1 : null), stdout: r.stdout, stderr: r.stderr || r.spawnError || (r.timedOut ? `${file} timed out` : '') };
  };

  function linksFor(line: string, folder?: vscode.WorkspaceFolder): PanicLink[] {
    // A resolved panic line links what the firmware said at the time it was shown; any other line is read as text.
    const known = sessions.map((s) => s.linksOf(line)).find((l) => l !== undefined);
    const links: readonly LineLink[] = known ?? analyzeLine(line).links;
    return links.map((l) => ({
      startIndex: l.start,
      length: l.end - l.start,
      tooltip: `Open ${path.basename(l.file)}:${l.line}${l.col ? `:${l.col}` : ''}`,
      file: l.file, line: l.line, col: l.col, folder,
    }));
  }

  async function openLink(link: PanicLink): Promise<void> {
    const candidates: vscode.Uri[] = [];
    if (path.isAbsolute(link.file)) candidates.push(vscode.Uri.file(link.file));
    else for (const f of link.folder ? [link.folder] : vscode.workspace.workspaceFolders ?? []) candidates.push(vscode.Uri.joinPath(f.uri, link.file));
    for (const uri of candidates) {
      try {
        await fsp.access(uri.fsPath);
      } catch {
        continue;
      }
      const pos = new vscode.Position(Math.max(0, link.line - 1), Math.max(0, (link.col ?? 1) - 1));
      await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos) });
      return;
    }
    // Paths of another machine (a binary built elsewhere): let the user find the file by name.
    await vscode.commands.executeCommand('workbench.action.quickOpen', `${path.basename(link.file)}:${link.line}`);
  }

  const linkProvider = vscode.window.registerTerminalLinkProvider({
    provideTerminalLinks(context) {
      const s = sessions.find((x) => x.terminal === context.terminal);
      return s ? linksFor(context.line, sessionFolder.get(s)) : [];
    },
    handleTerminalLink(link: PanicLink) {
      return openLink(link);
    },
  });
  const sessionFolder = new WeakMap<MonitorSession, vscode.WorkspaceFolder | undefined>();

  async function open(request: MonitorOpenRequest = {}): Promise<MonitorSessionApi | { refused: string }> {
    const folder = request.folder ?? activeFolder();
    const refuse = (message: string) => {
      void vscode.window.showErrorMessage(`TinyGo: ${message}`);
      return { refused: message };
    };
    if (!vscode.workspace.isTrusted) return refuse('This workspace is not trusted: the serial monitor opens devices, so it is off until you trust the workspace.');
    const dev = ctx.devices;
    let portPath = request.port;
    let usb;
    const target = ctx.toolchain.currentTarget(folder);
    if (!portPath) {
      const spec = target ? (await targetSpec(ctx.toolchain, folder, target)).spec : undefined;
      const r = await dev.resolve(folder, spec, { interactive: true });
      portPath = r.port?.path;
      usb = r.port?.usb;
      if (!portPath) {
        const why = r.choice?.kind === 'none' && r.choice.available.length
          ? `No port has the USB id of ${target ?? 'the target'}. Pick one of ${r.choice.available.join(', ')} with "TinyGo: Select Port".`
          : 'No serial port found. Plug the board in, or pick a port with "TinyGo: Select Port".';
        // A way forward, not just the words: pick a port by hand, or look at what is plugged in.
        void vscode.window.showErrorMessage(`TinyGo: ${why}`, SELECT_PORT, SHOW_DEVICES).then((a) => {
          if (a === SELECT_PORT) void vscode.commands.executeCommand('tinygo.selectPort');
          else if (a === SHOW_DEVICES) void vscode.commands.executeCommand(`${DEVICES_VIEW}.focus`);
        });
        return { refused: why };
      }
    } else {
      usb = (await dev.list()).find((p) => p.path === portPath);
    }
    const settings = Config.of(folder).monitor;
    const cfg = { baud: settings.baudRate(), timestamps: settings.timestamps(), logFile: settings.logFile() };

    if (process.platform === 'win32') {
      // COM ports are not ttys and Windows has no stty: tinygo monitor owns the console here.
      const tg = await resolveTinygo(ctx.toolchain);
      if ('message' in tg) return refuse(tg.message);
      const args = ['monitor', `-port=${portPath}`, `-baudrate=${cfg.baud}`, ...(target ? [`-target=${target}`] : [])];
      const make = () => vscode.window.createTerminal({ name: `TinyGo Monitor (${portPath})`, shellPath: tg.path, shellArgs: args, cwd: folder?.uri });
      const entry = { terminal: make(), reopen: make };
      external.push(entry);
      entry.terminal.show(request.preserveFocus);
      return { refused: 'tinygo monitor runs in a plain terminal on Windows' };
    }

    const existing = sessions.find((s) => s.path === portPath);
    if (existing) {
      existing.terminal?.show(request.preserveFocus);
      return existing;
    }
    const follow = usb && (usb.serialNumber || (usb.busnum !== undefined && usb.devpath))
      ? { board: rememberBoard(usb), list: () => dev.list() }
      : undefined;
    const name = `TinyGo Monitor (${path.basename(portPath)})`;
    await firmware.load(folder);
    const session = new MonitorSession(name, {
      path: portPath, baud: cfg.baud, timestamps: cfg.timestamps, logFile: logPath(cfg.logFile, folder), exec, follow, folder,
      resolvePanic: firmware.resolver(folder),
      onPermissionDenied: (message) => {
        if (warnedPermission) return;
        warnedPermission = true;
        void vscode.window.showErrorMessage(`TinyGo: ${message}`);
      },
    });
    sessionFolder.set(session, folder);
    sessions.push(session);
    session.onDidDispose(() => {
      const i = sessions.indexOf(session);
      if (i >= 0) sessions.splice(i, 1);
    });
    session.terminal = vscode.window.createTerminal({ name, pty: session, iconPath: new vscode.ThemeIcon('plug') });
    session.terminal.show(request.preserveFocus);
    return session;
  }

  async function suspendForFlash(): Promise<FlashSuspension> {
    const held = await Promise.all(sessions.map(async (s) => ({ s, w: await s.suspend() })));
    const ext = external.splice(0);
    for (const e of ext) e.terminal.dispose();
    return {
      count: held.length + ext.length,
      async resume(result) {
        for (const { w } of held) w.stop();
        await Promise.all(held.map(({ s, w }) => s.resume({ ...result, sawGone: w.sawGone() })));
        for (const e of ext) {
          const entry = { terminal: e.reopen(), reopen: e.reopen };
          external.push(entry);
        }
      },
    };
  }

  const service: MonitorService = { open, sessions: () => sessions, suspendForFlash, linksFor, openLink: (l) => openLink(l as PanicLink) };
  const commands = {
    /** tinygo.openSerialMonitor: from the Connected Devices view a port's node; from code a request. */
    openSerialMonitor: (arg?: unknown) => {
      const node = arg as { kind?: string; id?: { port?: { path?: string } } } | undefined;
      if (node?.kind === 'port' && node.id?.port?.path) return open({ port: node.id.port.path });
      return open(typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) ? (arg as MonitorOpenRequest) : {});
    },
  };
  const started: Started<MonitorService, typeof commands> = {
    service, commands,
    disposables: [
      linkProvider,
      firmware,
      vscode.window.onDidCloseTerminal((t) => {
        const s = sessions.find((x) => x.terminal === t);
        if (s) void s.dispose();
        const i = external.findIndex((e) => e.terminal === t);
        if (i >= 0) external.splice(i, 1);
      }),
      { dispose: () => { for (const s of [...sessions]) { s.terminal?.dispose(); void s.dispose(); } } },
    ],
  };
  return started;
}

/**
 * The last built firmware's DWARF per folder, read after every successful build (and when a monitor opens), so a
 * `panic: runtime error at 0x…` line can be resolved synchronously as it arrives.
 */
function panicResolution(ctx: Ctx & Partial<Pick<Services, 'build'>>): vscode.Disposable & {
  load(folder: vscode.WorkspaceFolder | undefined): Promise<void>;
  resolver(folder: vscode.WorkspaceFolder | undefined): PanicResolver;
} {
  const key = (folder: vscode.WorkspaceFolder | undefined) => folder?.uri.toString() ?? '';
  const caches = new Map<string, FirmwareLineCache>();
  const loaded = new Map<string, FirmwareLines>();
  async function load(folder: vscode.WorkspaceFolder | undefined): Promise<void> {
    const elf = ctx.build?.lastFirmware(folder);
    if (!elf) return;
    let cache = caches.get(key(folder));
    if (!cache) caches.set(key(folder), (cache = new FirmwareLineCache()));
    const r = await cache.load(elf);
    if (!r.ok) ctx.log.appendLine(`[monitor] cannot read ${elf} to resolve panic addresses: ${r.reason}`);
    loaded.set(key(folder), r);
  }
  const sub = ctx.build?.onDidBuild((e) => { if (e.success) void load(e.folder); });
  return {
    load,
    resolver: (folder) => (address) => {
      const r = loaded.get(key(folder));
      if (!r?.ok) return undefined;
      let frames;
      try {
        frames = r.lookup.frames(address);
      } catch {
        // A unit whose DIE tree cannot be read still has its line table.
        const at = r.lookup.lookup(address);
        frames = at ? [at] : [];
      }
      return resolvePanicFrames(frames, folder?.uri.fsPath);
    },
    dispose: () => sub?.dispose(),
  };
}

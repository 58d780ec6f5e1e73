/**
 * Connected Devices: USB serial ports and the boards they match, a port picker in the status bar (`Auto` or a
 * port, remembered per workspace folder), and the devices service for flash and monitor.
 * Linux reads sysfs; macOS and Windows ask `tinygo ports` (macOS falls back to /dev/cu.usbmodem*). No native module.
 */
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import type { TargetSpecLike } from '../../core/flash/targetSpec';
import { knownBoardsIndex } from '../../core/ports/knownBoards';
import { buildVidPidIndex, identifyPort, pickAutoPort, portMatchesTarget, type AutoPortChoice, type PortIdentity, type VidPidKey } from '../../core/ports/match';
import { listUsbSerialPorts, type SysfsRoots, type UsbSerialPort } from '../../core/ports/sysfs';
import { Config } from '../config';
import { activeFolder, folderKey } from '../folders';
import type { Ctx, DevicesService, PortSelection, ResolvedPort, Services, Started } from '../services';
import { resolveTinygo, targetSpec } from '../tinygo';
import { macCallOutPorts, parseTinygoPorts } from './portsOutput';

export interface DevicesOptions {
  /** Where sysfs and /dev are (Linux); undefined: the machine's. The tests hand in a stand-in tree here. */
  roots?: () => SysfsRoots | undefined;
}

const SELECTION_KEY = 'tinygo.devices.port';
const POLL_MS = 2000;

/** Connected Devices view, the port picker (status bar and command) and port resolution for flash and monitor. */
export function activateDevices(ctx: Ctx & Pick<Services, 'toolchain'>, options: DevicesOptions = {}) {
  let last: PortIdentity[] = [];
  let lastTarget: string | undefined;
  const changed = new vscode.EventEmitter<readonly PortIdentity[]>();

  async function list(): Promise<UsbSerialPort[]> {
    const r = options.roots?.();
    if (process.platform === 'linux' || r) return listUsbSerialPorts(r);
    const tg = await resolveTinygo(ctx.toolchain);
    if ('path' in tg) {
      const r = await ctx.exec(tg.path, ['ports'], { timeoutMs: 5000 });
      if (r.exitCode === 0) return parseTinygoPorts(r.stdout);
    }
    if (process.platform === 'darwin') {
      try { return macCallOutPorts(await fsp.readdir('/dev')); } catch { return []; }
    }
    return [];
  }

  function selection(folder = activeFolder()): PortSelection {
    const stored = ctx.extension.workspaceState.get<Record<string, string>>(SELECTION_KEY, {})[folderKey(folder)];
    if (stored === 'auto') return { kind: 'auto' };
    if (stored) return { kind: 'path', path: stored, from: 'picker' };
    const setting = Config.of(folder).monitor.port();
    return setting ? { kind: 'path', path: setting, from: 'setting' } : { kind: 'auto' };
  }

  async function select(folder: vscode.WorkspaceFolder | undefined, value: 'auto' | string | undefined): Promise<void> {
    const all = { ...ctx.extension.workspaceState.get<Record<string, string>>(SELECTION_KEY, {}) };
    if (value === undefined) delete all[folderKey(folder)];
    else all[folderKey(folder)] = value;
    await ctx.extension.workspaceState.update(SELECTION_KEY, all);
    updateStatus();
    tree.fire();
  }

  async function currentSpec(): Promise<{ target?: string; spec?: TargetSpecLike }> {
    const folder = activeFolder();
    const target = ctx.toolchain.currentTarget(folder);
    if (!target) return {};
    return { target, spec: (await targetSpec(ctx.toolchain, folder, target)).spec };
  }

  async function refresh(): Promise<readonly PortIdentity[]> {
    const [ports, cur] = await Promise.all([list(), currentSpec()]);
    // The built-in nRF52 table, with the current target's own list (from tinygo info) first.
    const index = new Map<VidPidKey, string[]>([...knownBoardsIndex()].map(([k, v]) => [k, [...v]]));
    if (cur.target && cur.spec) {
      for (const [k, names] of buildVidPidIndex([[cur.target, cur.spec]])) index.set(k, [...new Set([...names, ...(index.get(k) ?? [])])]);
    }
    last = ports.map((p) => identifyPort(p, index));
    lastTarget = cur.target;
    const spec = cur.spec;
    matchesCurrent = (id) => !!spec && (portMatchesTarget(id.port, spec) || (!!cur.target && id.boards.includes(cur.target)));
    changed.fire(last);
    tree.fire();
    updateStatus();
    return last;
  }

  let matchesCurrent: (id: PortIdentity) => boolean = () => false;

  async function resolve(folder: vscode.WorkspaceFolder | undefined, spec: TargetSpecLike | undefined, options: { interactive?: boolean } = {}): Promise<{ port?: ResolvedPort; choice?: AutoPortChoice }> {
    const ports = await list();
    const sel = selection(folder);
    const usbOf = (p: string) => ports.find((x) => x.path === p);
    if (sel.kind === 'path') {
      const usb = usbOf(sel.path);
      return { port: usb ? { path: sel.path, how: sel.from, usb } : { path: sel.path, how: sel.from } };
    }
    const choice = pickAutoPort(ports, spec);
    if (choice.kind === 'one') {
      const usb = usbOf(choice.port);
      return { choice, port: { path: choice.port, how: choice.reason === 'explicit' ? 'picker' : choice.reason, ...(usb ? { usb } : {}) } };
    }
    if (choice.kind === 'ask' && options.interactive) {
      const items = choice.candidates.map((c) => {
        const id = last.find((i) => i.port.path === c);
        return { label: c, description: id ? `${id.label} ${id.port.vid}:${id.port.pid}` : undefined };
      });
      const picked = await vscode.window.showQuickPick(items, { title: 'TinyGo: several ports could be the board', placeHolder: 'Pick the port (the status bar picker remembers a choice)' });
      if (picked) {
        const usb = usbOf(picked.label);
        return { choice, port: { path: picked.label, how: 'asked', ...(usb ? { usb } : {}) } };
      }
    }
    return { choice };
  }

  // --- the view -------------------------------------------------------------------------------------
  type Node = { kind: 'port'; id: PortIdentity } | { kind: 'detail'; label: string; description?: string; icon?: string };
  const treeChanged = new vscode.EventEmitter<Node | undefined>();
  const tree = { fire: () => treeChanged.fire(undefined) };
  const provider: vscode.TreeDataProvider<Node> = {
    onDidChangeTreeData: treeChanged.event,
    getChildren(node?: Node): Node[] {
      if (!node) return last.map((id) => ({ kind: 'port', id }));
      if (node.kind !== 'port') return [];
      const { id } = node;
      const p = id.port;
      const out: Node[] = [];
      out.push({ kind: 'detail', label: id.boards.length ? id.boards.join(', ') : 'no TinyGo target lists this USB id', description: 'targets', icon: 'circuit-board' });
      if (id.mode === 'bootloader' && id.bootloader) out.push({ kind: 'detail', label: `UF2 bootloader, drive ${id.bootloader.volume}`, description: 'mode', icon: 'debug-pause' });
      else if (id.mode === 'application') out.push({ kind: 'detail', label: 'running a program', description: 'mode', icon: 'play' });
      if (p.vid) out.push({ kind: 'detail', label: `${p.vid}:${p.pid}`, description: 'VID:PID', icon: 'symbol-number' });
      if (p.serialNumber) out.push({ kind: 'detail', label: p.serialNumber, description: 'USB serial number', icon: 'key' });
      if (p.manufacturer || p.product) out.push({ kind: 'detail', label: [p.manufacturer, p.product].filter(Boolean).join(' · '), description: 'USB strings', icon: 'info' });
      if (p.location) out.push({ kind: 'detail', label: p.location, description: 'USB location', icon: 'location' });
      return out;
    },
    getTreeItem(node: Node): vscode.TreeItem {
      if (node.kind === 'detail') {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = node.description;
        if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
      const { id } = node;
      const sel = selection();
      const selected = sel.kind === 'path' && sel.path === id.port.path;
      const match = matchesCurrent(id);
      const item = new vscode.TreeItem(id.label, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `port:${id.port.path}`;
      item.description = [id.port.path, match ? `✓ ${lastTarget}` : undefined, selected ? '(selected)' : undefined].filter(Boolean).join('  ');
      item.iconPath = new vscode.ThemeIcon(id.mode === 'bootloader' ? 'debug-pause' : id.mode === 'application' ? 'plug' : 'question', match ? new vscode.ThemeColor('testing.iconPassed') : undefined);
      item.contextValue = `tinygoPort.${id.mode}`;
      const md = new vscode.MarkdownString();
      md.appendMarkdown(`**${id.label}**  \n\`${id.port.path}\``);
      if (id.port.vid) md.appendMarkdown(`  \nVID:PID \`${id.port.vid}:${id.port.pid}\``);
      if (id.port.serialNumber) md.appendMarkdown(`  \nserial \`${id.port.serialNumber}\``);
      md.appendMarkdown(`  \n${id.boards.length ? `Targets: ${id.boards.join(', ')}` : 'No TinyGo target lists this USB id.'}`);
      if (match) md.appendMarkdown(`  \nMatches the current target **${lastTarget}**.`);
      item.tooltip = md;
      return item;
    },
  };
  const view = vscode.window.createTreeView('tinygoDevices', { treeDataProvider: provider, showCollapseAll: true });
  const setMessage = () => {
    view.message = last.length ? undefined : process.platform === 'linux'
      ? 'No USB serial ports. Plug the board in with a data cable; a board in its UF2 bootloader shows a drive and usually a port too.'
      : 'No USB serial ports found (tinygo ports). Plug the board in with a data cable.';
  };
  const sub = changed.event(setMessage);
  setMessage();

  // Poll only while someone looks: a closed view costs nothing.
  let timer: NodeJS.Timeout | undefined;
  const poll = () => {
    clearInterval(timer);
    timer = undefined;
    if (view.visible) {
      void refresh();
      timer = setInterval(() => void refresh(), POLL_MS);
    }
  };
  const visSub = view.onDidChangeVisibility(poll);

  // --- the status bar port picker -----------------------------------------------------------------------
  const status = vscode.window.createStatusBarItem('tinygo.port', vscode.StatusBarAlignment.Left, 40);
  status.name = 'TinyGo Port';
  status.command = 'tinygo.selectPort';
  function updateStatus(): void {
    const sel = selection();
    const name = sel.kind === 'auto' ? 'Auto' : sel.path.replace(/^.*[\\/]/, '');
    status.text = `$(plug) ${name}`;
    status.tooltip = sel.kind === 'auto'
      ? 'TinyGo serial port: Auto (the one port with the target\'s USB id). Click to pick a port.'
      : `TinyGo serial port: ${sel.path}${sel.from === 'setting' ? ' (from "tinygo.monitor.port")' : ''}. Click to change.`;
    status.show();
  }
  updateStatus();

  async function selectPort(arg?: unknown): Promise<string | undefined> {
    const folder = activeFolder();
    // From code (tests, other features) a path; from the view's inline action, the port's node.
    const given = typeof arg === 'string' ? arg : (arg as { kind?: string; id?: PortIdentity } | undefined)?.kind === 'port' ? (arg as { id: PortIdentity }).id.port.path : undefined;
    if (given) {
      await select(folder, given);
      return given;
    }
    const ids = await refresh();
    type Item = vscode.QuickPickItem & { value: string };
    const items: Item[] = [
      { label: '$(sync) Auto', description: 'the one port with the target\'s USB id', value: 'auto' },
      ...ids.map((id) => ({ label: `$(plug) ${id.port.path}`, description: id.label, detail: [id.port.vid ? `${id.port.vid}:${id.port.pid}` : '', id.boards.join(', '), matchesCurrent(id) ? `matches ${lastTarget}` : ''].filter(Boolean).join(' · '), value: id.port.path })),
      { label: '$(edit) Enter a path…', description: 'any tty, e.g. a pseudo-terminal or /dev/cu.usbmodem1101', value: '' },
    ];
    const picked = await vscode.window.showQuickPick(items, { title: 'TinyGo: serial port', placeHolder: `Now: ${status.text.replace('$(plug) ', '')}` });
    if (!picked) return undefined;
    let value = picked.value;
    if (value === '') {
      const typed = await vscode.window.showInputBox({ title: 'TinyGo: serial port path', prompt: 'Path of the serial device', placeHolder: process.platform === 'win32' ? 'COM3' : '/dev/ttyACM0' });
      if (!typed?.trim()) return undefined;
      value = typed.trim();
    }
    // Auto with no tinygo.monitor.port is the default: forget the choice instead of storing it, so a port set in the
    // settings later takes effect (a stored "auto" would outrank it, unseen in the settings).
    await select(folder, value === 'auto' && !Config.of(folder).monitor.port() ? undefined : value);
    return value;
  }

  const service: DevicesService = {
    list, refresh, selection, select, resolve,
    identities: () => last,
    onDidChange: changed.event,
  };
  const commands = {
    /** tinygo.selectPort */
    selectPort,
    /** tinygo.refreshDevices */
    refreshDevices: () => refresh(),
  };
  const started: Started<DevicesService, typeof commands> = {
    service, commands,
    disposables: [
      view, status, changed, treeChanged, sub, visSub,
      { dispose: () => clearInterval(timer) },
      ctx.toolchain.onDidChangeTarget(() => void refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => { if (Config.affects(e, 'monitor.port')) updateStatus(); }),
    ],
  };
  return started;
}

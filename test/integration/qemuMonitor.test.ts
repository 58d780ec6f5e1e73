// The serial monitor on REAL firmware: the extension's own build (real tinygo 0.39.0, target microbit) makes the ELF,
// Debian's qemu-system-arm runs it on an emulated micro:bit with its UART on a pseudo-terminal, and the monitor opens
// that port through "tinygo.monitor.port" (a symlink we re-point, as a board's tty comes back after a flash). The
// program prints `hello from v1`, `tick 0..2`, then panics in a nil-map assignment:
// `panic: runtime error at 0x…: assignment to entry in nil map`. The monitor looks the address up in the last built
// ELF (DWARF line table and inlining records, src/core/elf) and shows where: the runtime's map code inlined into the
// program's main.record, so the line also names the program's own line (the call site DWARF records), each a link.
// Then the program is edited (`version` = "v2"), rebuilt through the extension and QEMU restarted on a new pty: the
// same monitor reconnects and shows `hello from v2`.
// Skipped, with the reason printed, without TGW_TINYGO_NRF=1 (a tinygo that builds nRF firmware) or qemu-system-arm.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BuildEvent, MonitorService } from '../../src/vscode/services';
import type { MonitorSessionApi } from '../../src/vscode/monitor/session';
import { until, within } from './helpers';
import { parts, setSetting, type ToolchainParts } from './toolchainHelpers';

const DIR = 'tgwqemu';
const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/qemu-microbit');
const BUILD_MS = 240_000;
const RUN_MS = 60_000;

interface Qemu { proc: ChildProcess; pty: string; socket: string; exited: Promise<void> }

/** Starts the firmware paused (-S): what the UART writes before anything reads the pty is lost. */
async function startQemu(elf: string, dir: string, n: number): Promise<Qemu> {
  const socket = path.join(dir, `qemu-${n}.sock`);
  const proc = spawn('qemu-system-arm', ['-M', 'microbit', '-kernel', elf, '-nographic', '-S', '-serial', 'pty', '-monitor', `unix:${socket},server,nowait`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  let said = '';
  const pty = await within('QEMU to name its pty ("char device redirected to /dev/pts/N")', new Promise<string>((resolve, reject) => {
    const look = (d: Buffer) => {
      said += d.toString();
      const m = /char device redirected to (\/dev\/pts\/\d+)/.exec(said);
      if (m) resolve(m[1]!);
    };
    proc.stdout!.on('data', look);
    proc.stderr!.on('data', look);
    proc.once('exit', (code) => reject(new Error(`qemu-system-arm exited (${code}): ${said}`)));
  }), RUN_MS);
  await until('the QEMU monitor socket', () => fs.existsSync(socket), RUN_MS);
  return { proc, pty, socket, exited };
}

/** `cont` on QEMU's monitor: the paused CPU starts running the firmware. */
async function cont(q: Qemu): Promise<void> {
  await within('QEMU to take "cont"', new Promise<void>((resolve, reject) => {
    const c = net.createConnection(q.socket, () => c.end('cont\n', () => resolve()));
    c.on('error', reject);
    c.on('data', () => undefined);
  }), RUN_MS);
}

async function stopQemu(q: Qemu | undefined): Promise<void> {
  if (!q || q.proc.exitCode !== null || q.proc.signalCode !== null) return;
  q.proc.kill('SIGKILL');
  await within('QEMU to exit', q.exited, RUN_MS);
}

/** Points `link` at `target` in one step (rename over it), as a tty node reappears. */
function pointLink(link: string, target: string): void {
  const tmp = `${link}.new`;
  fs.rmSync(tmp, { force: true });
  fs.symlinkSync(target, tmp);
  fs.renameSync(tmp, link);
}

function seen(s: MonitorSessionApi, what: string | RegExp, ms = RUN_MS): Promise<string> {
  return until(`the monitor shows ${what}; it has:\n${s.transcript().slice(-10).join('\n')}`, () => s.transcript().find((l) => (typeof what === 'string' ? l.includes(what) : what.test(l))), ms);
}

const nrf = process.env.TGW_TINYGO_NRF === '1' && !!process.env.TGW_TINYGO;
const hasQemu = spawnSync('qemu-system-arm', ['--version'], { stdio: 'ignore' }).status === 0;

suite('qemu micro:bit: serial monitor on real firmware', function () {
  this.timeout(BUILD_MS * 3);
  let p: ToolchainParts | undefined;
  let folder: vscode.WorkspaceFolder;
  let tmp: string;
  let link: string;
  const qemus: Qemu[] = [];
  let session: MonitorSessionApi | undefined;

  suiteSetup(async function () {
    if (!nrf) {
      console.log('    [qemu monitor] TGW_TINYGO_NRF is not 1 (no tinygo that builds nRF firmware: `eval "$(bash scripts/install-tinygo.sh)"`): skipping');
      this.skip();
    }
    if (!hasQemu) {
      console.log('    [qemu monitor] qemu-system-arm is not installed (apt-get install qemu-system-arm): skipping');
      this.skip();
    }
    p = await parts();
    folder = vscode.workspace.workspaceFolders![0]!;
    await setSetting('tinygo.path', process.env.TGW_TINYGO);
    const st = await p.toolchain.state(true);
    assert.equal(st.kind, 'ok', `tinygo at ${process.env.TGW_TINYGO} does not work: ${JSON.stringify(st)}`);
    fs.cpSync(FIXTURE, path.join(folder.uri.fsPath, DIR), { recursive: true });
    await p.toolchain.setTarget(folder, 'microbit');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-qemu-'));
    link = path.join(tmp, 'ttyMICROBIT');
    await p.testing.devices()!.select(folder, undefined);
    await setSetting('tinygo.monitor.port', link);
  });

  suiteTeardown(async () => {
    if (!p) return;
    for (const q of qemus) await stopQemu(q);
    if (session?.terminal) {
      const closed = new Promise<void>((r) => { const d = vscode.window.onDidCloseTerminal((t) => { if (t === session!.terminal) { d.dispose(); r(); } }); });
      session.terminal.dispose();
      await within('the monitor terminal to close', closed);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setSetting('tinygo.monitor.port', undefined);
    await p.toolchain.setTarget(folder, undefined);
    await setSetting('tinygo.path', undefined);
    fs.rmSync(path.join(folder.uri.fsPath, DIR), { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function build(): Promise<string> {
    const t0 = Date.now();
    const r = await vscode.commands.executeCommand<BuildEvent | { refused: string } | undefined>('tinygo.build', { folder, package: DIR, quiet: true });
    assert.ok(r && !('refused' in r), `the build did not start: ${r && 'refused' in r ? r.refused : 'no answer'}`);
    assert.ok(r.success, `the build failed: ${r.failure}\n${r.diagnostics.map((d) => d.message).join('\n')}`);
    assert.equal(r.target, 'microbit');
    const elf = p!.testing.build()!.lastFirmware(folder);
    assert.equal(elf, r.outputPath);
    console.log(`    [qemu monitor] built ${path.relative(folder.uri.fsPath, elf!)} (${fs.statSync(elf!).size} bytes) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return elf!;
  }

  test('shows the real program\'s lines and its panic linked to the program\'s own line (through the inlined runtime code), and survives a rebuild and restart', async () => {
    const monitor: MonitorService = p!.testing.monitor()!;
    const elf = await build();
    const q1 = await startQemu(elf, tmp, 1);
    qemus.push(q1);
    pointLink(link, q1.pty);
    const opened = await vscode.commands.executeCommand<MonitorSessionApi | { refused: string }>('tinygo.openSerialMonitor', { folder, preserveFocus: true });
    assert.ok(opened && !('refused' in opened), `the monitor refused: ${opened && 'refused' in opened ? opened.refused : 'no answer'}`);
    session = opened;
    assert.equal(session.path, link);
    await until('the monitor to open the pty', () => session!.isOpen, RUN_MS);
    await cont(q1);

    await seen(session, 'hello from v1');
    for (const i of [0, 1, 2]) await seen(session, `tick ${i}`);
    const panic = await seen(session, /^panic: runtime error at 0x[0-9a-f]{8}: assignment to entry in nil map/);
    const received = session.transcript().filter((l) => !l.startsWith('[monitor]'));
    console.log(`    [qemu monitor] lines received:\n${received.map((l) => `      ${l}`).join('\n')}`);
    // The program's frame is main.record (inlined into main.main). TinyGo 0.39 gives the runtime call it emits for
    // `counts[name]++` the position of the function itself: the inlined runtime.hashmapStringSet's DW_AT_call_line is
    // record's `func record(name string) {` line, column 6 (llvm-addr2line-19 -i says the same), so that is the
    // program's line the monitor can name.
    const source = fs.readFileSync(path.join(folder.uri.fsPath, DIR, 'main.go'), 'utf8').split('\n');
    const userLine = source.findIndex((l) => l.startsWith('func record(')) + 1;
    assert.ok(userLine > 0);
    assert.match(panic, new RegExp(`  \\[panic at ${DIR}/main\\.go:${userLine}:\\d+ \\(in runtime/hashmap\\.go:\\d+:\\d+\\)\\]$`));

    // What the terminal's link provider gives for that line, and where each link opens.
    const links = monitor.linksFor(panic, folder) as (vscode.TerminalLink & { file: string; line: number; col?: number })[];
    const text = (l: vscode.TerminalLink) => panic.slice(l.startIndex, l.startIndex + l.length);
    console.log(`    [qemu monitor] links: ${links.map((l) => `"${text(l)}" -> ${l.file}:${l.line}:${l.col}`).join(', ')}`);
    assert.deepEqual(links.map(text).map((t) => t.replace(/0x[0-9a-f]+|\d+/g, 'N')), ['N', `${DIR}/main.go:N:N`, 'runtime/hashmap.go:N:N']);
    const user = links[1]!;
    await monitor.openLink(user);
    const ed = await until('main.go to open at the panic', () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.fsPath === path.join(folder.uri.fsPath, DIR, 'main.go') ? e : undefined;
    });
    assert.equal(ed.selection.active.line + 1, userLine);
    assert.equal(ed.selection.active.character + 1, user.col);
    assert.match(ed.document.lineAt(ed.selection.active.line).text, /^func record\(/);
    console.log(`    [qemu monitor] "${text(user)}" opens ${vscode.workspace.asRelativePath(ed.document.uri)}:${ed.selection.active.line + 1}:${ed.selection.active.character + 1}`);
    // The address itself links where tinygo monitor would: the runtime's line, in TinyGo's own tree.
    await monitor.openLink(links[0]!);
    const rt = await until('hashmap.go to open', () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.fsPath.endsWith(`${path.sep}runtime${path.sep}hashmap.go`) ? e : undefined;
    });
    assert.equal(rt.selection.active.line + 1, links[0]!.line);
    console.log(`    [qemu monitor] "${text(links[0]!)}" opens ${rt.document.uri.fsPath}:${rt.selection.active.line + 1}`);

    // Rebuild with a change, then restart the emulated board on a new pty behind the same port path.
    const mainGo = path.join(folder.uri.fsPath, DIR, 'main.go');
    fs.writeFileSync(mainGo, fs.readFileSync(mainGo, 'utf8').replace('const version = "v1"', 'const version = "v2"'));
    const elf2 = await build();
    const before = session.transcript().length;
    assert.equal(elf2, elf);
    // One listener, there before QEMU stops: the close, then the first open after it. The new QEMU may get the pty
    // number the old one had (the kernel hands out the lowest free one, and frees the old one at once on an idle
    // machine): the link then already points at it and the monitor reconnects while startQemu is still waiting for
    // QEMU's monitor socket, before a listener made after startQemu would hear it.
    let closedNow: () => void = () => undefined;
    let reopenedNow: () => void = () => undefined;
    const closed = new Promise<void>((r) => { closedNow = r; });
    const reopened = new Promise<void>((r) => { reopenedNow = r; });
    let wentAway = false;
    const watch = session.onDidChangeState((s) => {
      if (s === 'closed') { wentAway = true; closedNow(); } else if (s === 'opened' && wentAway) { watch.dispose(); reopenedNow(); }
    });
    await stopQemu(q1);
    await within('the monitor to see its port go', closed, RUN_MS);
    const q2 = await startQemu(elf2, tmp, 2);
    qemus.push(q2);
    pointLink(link, q2.pty);
    await within('the monitor to reconnect to the restarted board', reopened, RUN_MS);
    await cont(q2);
    await seen(session, 'hello from v2');
    const panic2 = await until('the second run\'s panic', () => session!.transcript().filter((l) => l.startsWith('panic: ')).at(1), RUN_MS);
    assert.match(panic2, new RegExp(`\\[panic at ${DIR}/main\\.go:${userLine}:\\d+ `));
    assert.ok(monitor.sessions().includes(session), 'the same monitor session');
    console.log(`    [qemu monitor] after the restart (${q1.pty} -> ${q2.pty}):\n${session.transcript().slice(before).map((l) => `      ${l}`).join('\n')}`);
  });
});

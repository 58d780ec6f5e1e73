// A person's view of the serial monitor on real firmware: the micro:bit program of test/fixtures/qemu-microbit built
// with "TinyGo: Build" (real tinygo, target microbit), run by qemu-system-arm with its UART on a pty, the monitor
// opened on it with "TinyGo: Open Serial Monitor" (tinygo.monitor.port); the panic line shows where the address
// lies, and Ctrl+click on the program's position opens main.go. Screenshots: qemu-monitor-panic (link under the
// pointer), qemu-monitor-panic-opened. Skipped (printed) without TGW_TINYGO_NRF=1 or qemu-system-arm.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { assert, oneLine, quickOpenIn, resetWorkbench, runCommand, waitForWorkbench } from './workbench.mjs';

export const modes = ['ui'];

const DIR = 'tgwqemuui';
const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/qemu-microbit');
const state = {};

function editJson(file, change) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  const s = before ? JSON.parse(before) : {};
  change(s);
  fs.writeFileSync(file, JSON.stringify(s, null, 2));
  return before;
}

async function poll(what, probe, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    assert(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Text of the terminal's rows (DOM renderer: GPU acceleration is off for this run). */
async function terminalText(page) {
  // Every terminal's rows: another terminal may exist beside the monitor's (only the visible one has text).
  return (await page.locator('.terminal-wrapper .xterm-rows').allInnerTexts().catch(() => [])).join('\n');
}


export const tests = [
  ['the monitor on a real micro:bit program under QEMU links its panic to the program\'s line', async (wb) => {
    if (process.env.TGW_TINYGO_NRF !== '1' || !process.env.TGW_TINYGO) { console.log('    skipped: TGW_TINYGO_NRF is not 1 (no tinygo that builds nRF firmware)'); return; }
    if (spawnSync('qemu-system-arm', ['--version'], { stdio: 'ignore' }).status !== 0) { console.log('    skipped: qemu-system-arm is not installed'); return; }
    const page = wb.page;
    state.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-ui-qemu-'));
    state.link = path.join(state.dir, 'ttyMICROBIT');
    fs.cpSync(FIXTURE, path.join(wb.folder, DIR), { recursive: true });
    state.workspaceSettings = path.join(wb.folder, '.vscode', 'settings.json');
    state.userSettings = path.join(wb.runDir, 'user-data', 'User', 'settings.json');
    // The target goes into the same file (it is the folder's tinygo.target setting): choosing it with the picker
    // as well would write this file from the editor's model while it may not have read the edit below yet, and
    // drop tinygo.monitor.port (seen: the monitor then said "No serial port found").
    state.before = editJson(state.workspaceSettings, (s) => {
      s['tinygo.path'] = process.env.TGW_TINYGO;
      s['tinygo.build.package'] = DIR;
      s['tinygo.monitor.port'] = state.link;
      s['tinygo.target'] = 'microbit';
    });
    if ((await page.locator('.monaco-workbench').count()) === 0) {
      await page.goto(wb.url, { waitUntil: 'domcontentloaded' });
      await waitForWorkbench(page, 'main.go');
    }
    // A Go file of the program starts the extension (nothing else may have: each UI file starts in a new window).
    await quickOpenIn(page, DIR);
    await page.locator('.statusbar .statusbar-item', { hasText: /\bmicrobit\b/ }).first().waitFor({ timeout: 60_000 });

    const elf = path.join(wb.folder, 'build', `${DIR}-microbit.elf`);
    const t0 = Date.now();
    await runCommand(page, 'TinyGo: Build');
    await poll('the build to write the ELF', () => fs.existsSync(elf) && fs.statSync(elf).mtimeMs >= t0 - 1000, 240_000);
    // The monitor reads the ELF after the build's event; the build's notification closes when it is done.
    await page.locator('.notification-toast', { hasText: 'building for' }).first().waitFor({ state: 'detached', timeout: 120_000 }).catch(() => undefined);

    const socket = path.join(state.dir, 'qemu.sock');
    state.qemu = spawn('qemu-system-arm', ['-M', 'microbit', '-kernel', elf, '-nographic', '-S', '-serial', 'pty', '-monitor', `unix:${socket},server,nowait`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let said = '';
    state.qemu.stdout.on('data', (d) => { said += d; });
    state.qemu.stderr.on('data', (d) => { said += d; });
    const pty = await poll('QEMU to name its pty', () => /char device redirected to (\/dev\/pts\/\d+)/.exec(said)?.[1], 30_000);
    await poll('the QEMU monitor socket', () => fs.existsSync(socket), 30_000);
    fs.symlinkSync(pty, state.link);

    await runCommand(page, 'TinyGo: Open Serial Monitor');
    await poll('the monitor to connect', async () => (await terminalText(page)).includes('Connected to'), 30_000);
    await new Promise((resolve, reject) => {
      const c = net.createConnection(socket, () => c.end('cont\n', resolve));
      c.on('error', reject);
    });
    const row = page.locator('.xterm-rows > div', { hasText: 'runtime/hashmap.go' }).first();
    await row.waitFor({ timeout: 60_000 });
    const text = await terminalText(page);
    console.log(`    terminal:\n${text.split('\n').filter((l) => l.trim()).map((l) => `      ${l}`).join('\n')}`);
    const needle = /tgwqemuui\/main\.go:\d+:\d+/.exec(oneLine(text))?.[0];
    assert(needle, `no program position in the terminal:\n${text}`);
    // Where the position is drawn: a DOM Range over the rows' text (a long line wraps over two rows).
    const box = await page.locator('.terminal-wrapper .xterm-rows', { hasText: needle }).first().evaluate((el, n) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent.indexOf(n);
        if (at < 0) continue;
        const r = document.createRange();
        r.setStart(node, at);
        r.setEnd(node, at + n.length);
        const b = r.getBoundingClientRect();
        return { x: b.x, y: b.y, width: b.width, height: b.height };
      }
      return undefined;
    }, needle);
    assert(box, `"${needle}" is not drawn on one row`);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    await page.keyboard.down('Control');
    await page.mouse.move(box.x + box.width / 2 + 1, box.y + box.height / 2, { steps: 2 });
    await page.locator('.xterm-underline-1, .xterm-hover, .terminal-hover-widget, .monaco-hover').first().waitFor({ timeout: 5000 }).catch(() => undefined);
    await wb.screenshot('qemu-monitor-panic');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.up('Control');
    await page.locator('.tabs-container .tab.active', { hasText: 'main.go' }).waitFor({ timeout: 30_000 });
    await page.locator('.editor-group-container.active .breadcrumbs-control', { hasText: DIR }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('qemu-monitor-panic-opened');
    console.log(`    "${needle}" opened ${DIR}/main.go`);
  }],

  ['(clean-up) QEMU stopped, the program, settings and target put back', async (wb) => {
    if (state.qemu && state.qemu.exitCode === null) {
      const gone = new Promise((r) => state.qemu.once('exit', r));
      state.qemu.kill('SIGKILL');
      await gone;
    }
    // The UI tests after this one share the folder's settings: the file as it was gives back the target it named.
    if (state.workspaceSettings) {
      if (state.before === undefined) fs.rmSync(state.workspaceSettings, { force: true });
      else fs.writeFileSync(state.workspaceSettings, state.before);
      await wb.page.locator('.statusbar .statusbar-item', { hasText: /\bmicrobit\b/ }).first().waitFor({ state: 'detached', timeout: 60_000 }).catch(() => undefined);
    }
    fs.rmSync(path.join(wb.folder, DIR), { recursive: true, force: true });
    // Its firmware and size report too: a window opened later shows the newest report on disk in the size panel.
    const build = path.join(wb.folder, 'build');
    for (const f of fs.existsSync(build) ? fs.readdirSync(build) : []) if (f.startsWith(`${DIR}-`) || f.startsWith(`${DIR}.`)) fs.rmSync(path.join(build, f), { force: true });
    await resetWorkbench(wb.page);
    if (state.dir) fs.rmSync(state.dir, { recursive: true, force: true });
  }],
];

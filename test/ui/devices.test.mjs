// What a user sees of ports and the monitor: the Connected Devices view naming the boards on a (stand-in) USB bus,
// and a serial monitor terminal where a TinyGo panic is red and its position is a link that opens the source.
// The bus is a sysfs tree built like Linux's (test/support/sysfsTree.ts) and the board a socat PTY pair. Playwright
// cannot reach the extension host's objects, so the roots are written into the run's user settings as
// tinygoTestDriver.sysfsRoot / devRoot, and the driver extension (test/fixtures/ui-test-driver, installed by the ui
// run) hands them to the extension's test API.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { assert, runCommand, waitForWorkbench } from './workbench.mjs';

export const modes = ['ui'];

const require = createRequire(import.meta.url);
const state = {};

function settingsFile(wb) { return path.join(wb.runDir, 'user-data', 'User', 'settings.json'); }
function editSettings(wb, change) {
  const file = settingsFile(wb);
  const s = JSON.parse(fs.readFileSync(file, 'utf8'));
  change(s);
  fs.writeFileSync(file, JSON.stringify(s, null, 2));
}

function startSocat(dir) {
  const a = path.join(dir, 'a');
  const b = path.join(dir, 'b');
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`socat did not start: ${err}`)), 5000);
    child.on('error', reject);
    child.stderr.on('data', (d) => {
      err += d;
      if (err.includes('starting data transfer loop')) { clearTimeout(timer); resolve({ a, b, child }); }
    });
  });
}

/** Text of the terminal's rows (DOM renderer: GPU acceleration is off for this run). */
async function terminalText(page) {
  return page.locator('.terminal-wrapper.active .xterm-rows, .xterm-rows').first().innerText().catch(() => '');
}

export const tests = [
  ['Connected Devices lists the boards on the bus with their targets', async (wb) => {
    const { writeSysfsTree } = require(path.join(wb.root, 'out/test/support/sysfsTree.js'));
    const desk = JSON.parse(fs.readFileSync(path.join(wb.root, 'test/fixtures/sysfs/desk.json'), 'utf8'));
    state.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-ui-dev-'));
    await writeSysfsTree(path.join(state.dir, 'sys'), desk.devices);
    fs.mkdirSync(path.join(state.dir, 'dev'));
    state.socat = await startSocat(state.dir);
    fs.symlinkSync(state.socat.a, path.join(state.dir, 'dev', 'ttyACM0'));
    editSettings(wb, (s) => {
      s['tinygoTestDriver.sysfsRoot'] = path.join(state.dir, 'sys');
      s['tinygoTestDriver.devRoot'] = path.join(state.dir, 'dev');
      s['tinygo.monitor.port'] = path.join(state.dir, 'dev', 'ttyACM0');
    });
    if ((await wb.page.locator('.monaco-workbench').count()) === 0) {
      await wb.page.goto(wb.url, { waitUntil: 'domcontentloaded' });
      await waitForWorkbench(wb.page, 'main.go');
    }
    // The view sits collapsed at the bottom of the Explorer; opening it activates the extension (onView).
    const header = wb.page.locator('.pane-header', { hasText: /Connected Devices/i }).first();
    await header.waitFor({ timeout: 30_000 });
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const pane = wb.page.locator('.pane', { has: wb.page.locator('.pane-header', { hasText: /Connected Devices/i }) });
    const feather = pane.locator('.monaco-list-row', { hasText: 'Feather nRF52840 Express' }).first();
    await feather.waitFor({ timeout: 30_000 });
    await pane.locator('.monaco-list-row', { hasText: 'ItsyBitsy' }).first().waitFor();
    // Read the ports before expanding one: the list is virtual and the pane is short.
    const rows = (await pane.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    await feather.click();
    await pane.locator('.monaco-list-row', { hasText: 'feather-nrf52840' }).first().waitFor();
    assert(rows.some((r) => /ItsyBitsy nRF52840 Express \(bootloader\)/.test(r)), `rows: ${rows.join(' | ')}`);
    assert(rows.some((r) => /ttyACM0.*\(selected\)/.test(r)), `the picked port is marked: ${rows.join(' | ')}`);
    const status = await wb.page.locator('.statusbar-item', { hasText: 'ttyACM0' }).first().innerText();
    assert(/ttyACM0/.test(status), `status bar port picker: ${status}`);
    await wb.screenshot('devices-view');
    console.log(`    view: ${rows.join(' | ')}`);
  }],

  ['the serial monitor shows a panic in red and its position opens the source', async (wb) => {
    const page = wb.page;
    await runCommand(page, 'TinyGo: Open Serial Monitor');
    await page.locator('.terminal-tab, .tabs-list .monaco-list-row, .single-terminal-tab', { hasText: 'TinyGo Monitor' }).first().waitFor({ timeout: 30_000 }).catch(() => undefined);
    const deadline = Date.now() + 30_000;
    while (!(await terminalText(page)).includes('Connected to')) {
      assert(Date.now() < deadline, `the monitor did not connect; terminal shows:\n${await terminalText(page)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const fd = fs.openSync(state.socat.b, fs.constants.O_RDWR | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK);
    fs.writeSync(fd, 'blink 41\r\nblink 42\r\npanic: runtime error at 0x00027e1c: index out of range\r\n[tinygo: panic at main.go:15:2]\r\n');
    fs.closeSync(fd);
    const row = page.locator('.xterm-rows > div', { hasText: '[tinygo: panic at main.go:15:2]' }).first();
    await row.waitFor({ timeout: 30_000 });
    // Where "main.go:15:2" is drawn: a DOM Range over the row's text, so no character-width arithmetic.
    const box = await row.evaluate((el, needle) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let text = '';
      const nodes = [];
      for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push([n, text.length]); text += n.textContent; }
      const at = text.indexOf(needle);
      const pos = (i) => { for (let k = nodes.length - 1; k >= 0; k--) if (nodes[k][1] <= i) return [nodes[k][0], i - nodes[k][1]]; return [nodes[0][0], 0]; };
      const r = document.createRange();
      const [sn, so] = pos(at);
      const [en, eo] = pos(at + needle.length);
      r.setStart(sn, so);
      r.setEnd(en, eo);
      const b = r.getBoundingClientRect();
      return { x: b.x, y: b.y, width: b.width, height: b.height };
    }, 'main.go:15:2');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    await page.keyboard.down('Control');
    await page.mouse.move(box.x + box.width / 2 + 1, box.y + box.height / 2, { steps: 2 });
    await new Promise((r) => setTimeout(r, 700));
    await wb.screenshot('monitor-panic');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.up('Control');
    await page.locator('.tabs-container .tab.active', { hasText: 'main.go' }).waitFor({ timeout: 30_000 });
    const lineNo = await page.locator('.editor-group-container.active .monaco-editor .current-line ~ .line-numbers, .editor-group-container.active .monaco-editor .line-numbers.active-line-number').first().innerText().catch(() => '?');
    await wb.screenshot('monitor-panic-opened');
    console.log(`    panic link opened main.go (active line ${lineNo.trim()})`);
  }],

  ['(clean-up) the stand-in bus and board are removed', async (wb) => {
    editSettings(wb, (s) => {
      for (const k of ['tinygoTestDriver.sysfsRoot', 'tinygoTestDriver.devRoot', 'tinygo.monitor.port']) delete s[k];
    });
    state.socat?.child.kill('SIGTERM');
    if (state.dir) fs.rmSync(state.dir, { recursive: true, force: true });
  }],
];

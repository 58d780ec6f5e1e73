// "No serial port found" from TinyGo: Open Serial Monitor, with nothing plugged in (an empty stand-in sysfs tree and
// /dev, handed to the extension by the ui-test-driver): the notification offers a way forward, and its two buttons
// run what they say: Select Port opens the port picker, Show Connected Devices shows the Connected Devices view.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assert, hideNotificationCenter, quickOpen, runCommand, waitForWorkbench } from './workbench.mjs';

export const modes = ['ui'];

const MESSAGE = 'No serial port found';

function editSettings(wb, change) {
  const file = path.join(wb.runDir, 'user-data', 'User', 'settings.json');
  const s = JSON.parse(fs.readFileSync(file, 'utf8'));
  change(s);
  fs.writeFileSync(file, JSON.stringify(s, null, 2));
}

/**
 * The notification that says `text`. In this harness's headless window VS Code puts notifications in the
 * notification center without a toast (the bell gets a dot): open the center and find it there.
 */
async function notification(page, text) {
  const center = page.locator('.notifications-center');
  if (!(await center.isVisible().catch(() => false))) await page.locator('#status\\.notifications').click();
  const item = center.locator('.notification-list-item', { hasText: text }).first();
  await item.waitFor({ timeout: 60_000 });
  return item;
}

/** Runs the command and resolves with the notification that says no port was found. */
async function openMonitorWithoutBoard(page) {
  await runCommand(page, 'TinyGo: Open Serial Monitor');
  return notification(page, MESSAGE);
}

const state = {};

export const tests = [
  ['"No serial port found" offers Select Port and Show Connected Devices, and each button runs its command', async (wb) => {
    if ((await wb.page.locator('.monaco-workbench').count()) === 0) {
      await wb.page.goto(wb.url, { waitUntil: 'domcontentloaded' });
      await waitForWorkbench(wb.page, 'main.go');
    }
    // The extension starts with the first Go file (its commands are in the palette from then on).
    await quickOpen(wb.page, 'main.go');
    state.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-ui-noport-'));
    fs.mkdirSync(path.join(state.dir, 'sys', 'bus', 'usb', 'devices'), { recursive: true });
    fs.mkdirSync(path.join(state.dir, 'sys', 'class', 'tty'), { recursive: true });
    fs.mkdirSync(path.join(state.dir, 'dev'));
    editSettings(wb, (s) => {
      s['tinygoTestDriver.sysfsRoot'] = path.join(state.dir, 'sys');
      s['tinygoTestDriver.devRoot'] = path.join(state.dir, 'dev');
      delete s['tinygo.monitor.port'];
    });
    try {
      let toast = await openMonitorWithoutBoard(wb.page);
      const buttons = (await toast.locator('.monaco-button').allInnerTexts()).map((t) => t.trim());
      console.log(`    notification: ${(await toast.locator('.notification-list-item-message').innerText()).trim()} [${buttons.join(', ')}]`);
      assert(buttons.includes('Select Port') && buttons.includes('Show Connected Devices'), `buttons: ${buttons}`);
      await wb.screenshot('monitor-no-port');

      await toast.locator('.monaco-button', { hasText: 'Select Port' }).click();
      const picker = wb.page.locator('.quick-input-widget');
      await picker.locator('.quick-input-title', { hasText: 'TinyGo: serial port' }).waitFor({ timeout: 30_000 });
      const rows = await picker.locator('.monaco-list-row').allInnerTexts();
      assert(rows.some((r) => r.includes('Auto')) && rows.some((r) => r.includes('Enter a path')), `the port picker: ${rows.join(' | ')}`);
      // Keep the port as it was ("Now: Auto"): accept Auto. (Escape does not reach this picker in the headless
      // window after a click in the notification center.)
      await picker.locator('.monaco-list-row', { hasText: 'Auto' }).first().click();
      await picker.waitFor({ state: 'hidden', timeout: 30_000 });

      // Collapse the Explorer's views first so that "shown" is the button's doing.
      await wb.page.keyboard.press('Control+Shift+E');
      const header = wb.page.locator('.pane-header', { hasText: 'Connected Devices' }).first();
      if ((await header.count()) > 0 && (await header.getAttribute('aria-expanded')) === 'true') await header.click();
      toast = await openMonitorWithoutBoard(wb.page);
      await toast.locator('.monaco-button', { hasText: 'Show Connected Devices' }).click();
      await wb.page.locator('.pane-header[aria-expanded="true"]', { hasText: 'Connected Devices' }).first().waitFor({ timeout: 30_000 });
      const focused = await wb.page.evaluate(() => document.activeElement?.closest('.pane')?.querySelector('.pane-header')?.textContent ?? '');
      assert(/Connected Devices/i.test(focused), `the focus is in the Connected Devices view: ${focused}`);
    } finally {
      await hideNotificationCenter(wb.page);
      editSettings(wb, (s) => { delete s['tinygoTestDriver.sysfsRoot']; delete s['tinygoTestDriver.devRoot']; });
      fs.rmSync(state.dir, { recursive: true, force: true });
    }
  }],
];

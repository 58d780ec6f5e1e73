// What a new user hit on first use (issue 14), as they see it: `npm start`'s demo uses the gopls it installed
// (14.4), and "Open Settings" on the tinygo-not-found error shows the tinygo.path setting (14.16).
import path from 'node:path';
import { demoSettings } from '../../scripts/demo-settings.mjs';
import { assert, editJson, quickOpen, runCommand, waitForWorkbench } from './workbench.mjs';

export const modes = ['ui'];

const NOT_INSTALLED = 'gopls (the Go language server) is not installed';
const oneLine = (s) => s.replace(/\s+/g, ' ').trim();

const machineSettings = (wb) => path.join(wb.runDir, 'user-data', 'Machine', 'settings.json');
const workspaceSettings = (wb) => path.join(wb.folder, '.vscode', 'settings.json');

/** Polls `probe` until it returns a truthy value, or fails after `ms` naming `what`. */
async function until(what, probe, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export const tests = [
  ['npm start\'s machine settings make the extension run the gopls the demo installed: hover answers, no "not installed"', async (wb) => {
    const { page } = wb;
    const settings = demoSettings(wb.host);
    if (!settings['tinygo.gopls.path']) { console.log('    TGW_GOPLS is empty (no Go to install gopls): nothing to check'); return; }
    editJson(machineSettings(wb), (s) => Object.assign(s, settings));
    try {
      // A fresh window with the demo's user settings, as `npm start` opens it.
      await page.goto(wb.url, { waitUntil: 'domcontentloaded' });
      await waitForWorkbench(page, 'main.go');
      await quickOpen(page, 'main.go');
      const editor = page.locator('.editor-group-container.active .monaco-editor');
      const word = editor.locator('.view-lines span span', { hasText: 'Millisecond' }).first();
      await word.waitFor({ timeout: 60_000 });
      // gopls answers hovers on the standard library once it has loaded the package: move onto the word until it does.
      const text = await until('gopls\' hover on time.Millisecond', async () => {
        const box = await word.boundingBox();
        if (!box) return undefined;
        await page.mouse.move(box.x - 40, box.y - 40);
        await page.mouse.move(box.x + box.width - 6, box.y + box.height / 2, { steps: 3 });
        const hover = page.locator('.monaco-hover', { hasText: 'Duration' }).first();
        try { await hover.waitFor({ state: 'visible', timeout: 3000 }); } catch { return undefined; }
        return oneLine(await hover.innerText());
      }, 90_000);
      console.log(`    hover: ${text.slice(0, 120)}`);
      assert(/Millisecond/.test(text), `hover: ${text}`);
      const toasts = await page.locator('.notifications-toasts .notification-toast', { hasText: NOT_INSTALLED }).count();
      assert(toasts === 0, `the demo says "${NOT_INSTALLED}"`);
      await wb.screenshot('first-use-gopls-hover');
      await page.mouse.move(5, 5);
    } finally {
      editJson(machineSettings(wb), (s) => { for (const k of Object.keys(settings)) delete s[k]; });
    }
  }],

  ['"Open Settings" on the tinygo-not-found error opens the settings editor where tinygo.path is shown', async (wb) => {
    const { page } = wb;
    if (!(await page.locator('.monaco-workbench').isVisible())) await page.goto(wb.url, { waitUntil: 'domcontentloaded' });
    await waitForWorkbench(page, 'main.go');
    editJson(workspaceSettings(wb), (s) => { s['tinygo.path'] = path.join(wb.folder, 'no-tinygo-here', 'tinygo'); });
    try {
      // The picker says tinygo is missing; the error is found where it is, a toast or the notification center.
      const withButton = (loc) => loc.filter({ hasText: 'no-tinygo-here' }).filter({ has: page.locator('.monaco-button', { hasText: 'Open Settings' }) }).first();
      const toast = withButton(page.locator('.notifications-toasts .notification-toast'));
      const listed = withButton(page.locator('.notifications-center .notification-list-item'));
      const found = await until('the tinygo-not-found error', async () => {
        if (await toast.isVisible()) return toast;
        await runCommand(page, 'TinyGo: Select Target');
        try { await toast.waitFor({ state: 'visible', timeout: 5000 }); return toast; } catch { /* look in the center */ }
        await runCommand(page, 'Notifications: Show Notifications');
        try { await listed.waitFor({ state: 'visible', timeout: 5000 }); return listed; } catch { return undefined; }
      }, 60_000);
      console.log(`    error: ${oneLine(await found.innerText()).slice(0, 200)}`);
      await found.locator('.monaco-button', { hasText: 'Open Settings' }).first().click();
      const editor = page.locator('.settings-editor');
      await editor.waitFor({ state: 'visible', timeout: 30_000 });
      const row = editor.locator('.setting-item', { hasText: 'Path to the tinygo executable' }).first();
      await row.waitFor({ state: 'visible', timeout: 30_000 });
      const tab = oneLine(await editor.locator('.settings-tabs-widget .action-item .checked, .settings-tabs-widget .action-label.checked').first().innerText().catch(() => '?'));
      console.log(`    settings editor: tab "${tab}", ${oneLine(await row.innerText()).slice(0, 120)}`);
      await wb.screenshot('first-use-open-settings');
      await page.keyboard.press('Control+W');
    } finally {
      editJson(workspaceSettings(wb), (s) => { delete s['tinygo.path']; });
    }
  }],
];

// Driving the VS Code workbench like a person does, for the UI tests: keyboard shortcuts, Quick Open, the
// Problems panel, hovers. Assertions read DOM text, never pixels. Selectors are VS Code's own class names
// (stable for years: .quick-input-widget, .markers-panel, .monaco-hover, .squiggly-*).
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REFLECT_MESSAGE = 'is not implemented in TinyGo';
export const REFLECT_API = 'reflect.Value.MethodByName';
export const RULE = 'reflect-unsupported';

export function assert(ok, message) {
  if (!ok) throw new Error(message);
}

/** The workbench is up and shows the workspace folder in the Explorer. */
export async function waitForWorkbench(page, fileInWorkspace, timeout = 90_000) {
  await page.locator('.monaco-workbench').waitFor({ timeout });
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileInWorkspace }).first().waitFor({ timeout });
}

async function pick(page, opener, query, rowText, timeout) {
  const widget = page.locator('.quick-input-widget');
  // The palette lists the commands known when it opened: opened before the extension's contributions were
  // registered (the first test right after a page load), it never shows ours. Close it and open it again until the
  // row is there or the time is up.
  const deadline = Date.now() + timeout;
  for (;;) {
    await page.keyboard.press(opener);
    await widget.waitFor({ state: 'visible', timeout: Math.max(1_000, deadline - Date.now()) });
    await page.keyboard.type(query);
    const wait = Math.min(10_000, deadline - Date.now());
    const found = await widget.locator('.monaco-list-row', { hasText: rowText }).first()
      .waitFor({ timeout: Math.max(1_000, wait) }).then(() => true, (err) => { if (Date.now() >= deadline) throw err; return false; });
    if (found) break;
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  }
  const typed = await widget.locator('input').first().inputValue();
  await page.keyboard.press('Enter');
  // Done when the picker closed, or when the command opened a picker of its own (its input no longer holds ours).
  await page.waitForFunction((before) => {
    const w = document.querySelector('.quick-input-widget');
    if (!w || !w.checkVisibility()) return true;
    const input = w.querySelector('input');
    return !input || input.value !== before;
  }, typed, { timeout });
}

/**
 * Ctrl+P, the file name, then a click on the row of exactly that file: Enter takes whichever row is focused, and
 * while the results still come in that can be a recently opened other file (seen: diagnostics.go for main.go).
 */
async function openByClick(page, fileName, timeout) {
  const widget = page.locator('.quick-input-widget');
  await page.keyboard.press('Control+P');
  await widget.waitFor({ state: 'visible', timeout });
  await page.keyboard.type(fileName);
  await page.waitForFunction((n) => document.querySelector('.quick-input-widget input')?.value === n, fileName, { timeout });
  const exact = new RegExp(`^\\s*${fileName.replace(/[.()]/g, '\\$&')}\\s*$`);
  // Not a recently opened file outside the workspace (its description is an absolute path): a test before may have
  // opened, and deleted, a main.go of its own in a temporary folder.
  const row = widget.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) })
    .filter({ hasNot: page.locator('.label-description', { hasText: /^\s*([/~]|\.\.)|(^|\/)tmp\// }) }).first();
  await row.waitFor({ timeout });
  await row.click();
  await widget.waitFor({ state: 'hidden', timeout });
}

/** Ctrl+P and the file's row; resolves once its editor tab is the active one. */
export async function quickOpen(page, fileName, timeout = 60_000) {
  await hideNotificationCenter(page);
  // Right after a reload Quick Open can take the Enter before its file list is there, and a webview the reload
  // restores (the size panel) can become the active tab again after the file opened: then do what a person does,
  // click the file's tab if it is there, and try once more.
  const active = page.locator('.tabs-container .tab.active', { hasText: fileName });
  for (let attempt = 1; ; attempt++) {
    try {
      await openByClick(page, fileName, timeout / 2);
      await active.waitFor({ timeout: timeout / 2 });
      break;
    } catch (err) {
      await page.keyboard.press('Escape');
      const tab = page.locator('.tabs-container .tab', { hasText: fileName }).first();
      if (await tab.isVisible().catch(() => false)) {
        await tab.click();
        if (await active.waitFor({ timeout: 5_000 }).then(() => true, () => false)) break;
      }
      if (attempt === 3) throw err;
    }
  }
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ timeout });
}

/** F1, the command's title, Enter. A command that opens its own picker (Color Theme...) leaves it open. */
export async function runCommand(page, title, timeout = 60_000) {
  await pick(page, 'F1', title, title, timeout);
}

/** Ctrl+Shift+M; resolves with the Problems row that contains `text` once it is there. */
export async function problemsRow(page, text, timeout = 60_000) {
  await page.keyboard.press('Control+Shift+M');
  const panel = page.locator('.markers-panel');
  await panel.waitFor({ state: 'visible', timeout });
  await clearProblemsFilter(page);
  const row = panel.locator('.monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout });
  return row;
}

/** Empties the Problems panel's filter, which the window keeps across reloads (a test before may have set it). */
export async function clearProblemsFilter(page) {
  const input = page.locator('.panel .viewpane-filter input, .panel .markers-panel-action-filter input').first();
  if (await input.isVisible().catch(() => false) && (await input.inputValue()) !== '') await input.fill('');
}

/**
 * Moves the mouse onto `token` (a word with an error squiggle under it) in the active editor; resolves with the
 * text of the hover that shows `expectText`.
 */
export async function hoverSquiggle(page, token, expectText, timeout = 60_000) {
  const editor = page.locator('.editor-group-container.active .monaco-editor');
  await editor.locator('.view-overlays .squiggly-error').first().waitFor({ timeout });
  const word = editor.locator('.view-lines span span', { hasText: new RegExp(`^${token}$`) }).first();
  await word.waitFor({ timeout });
  const box = await word.boundingBox();
  assert(box, `${token} has no box on screen`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
  const hover = page.locator('.monaco-hover', { hasText: expectText }).first();
  await hover.waitFor({ state: 'visible', timeout });
  return hover.innerText();
}

export const oneLine = (t) => t.replace(/\s+/g, ' ').trim();

/**
 * "TinyGo: Select Target", then the row named exactly `name` (several labels contain it, e.g. feather-nrf52840 and
 * feather-nrf52840-sense; the list is virtual, so it is filtered first). `firstRow`: a text to wait for before typing
 * (any row when omitted). Waits until the picker has closed and, for a board, the status bar names it.
 */
export async function selectTarget(page, name, { firstRow } = {}) {
  const widget = page.locator('.quick-input-widget');
  const rows = widget.locator(`.monaco-list-row${firstRow ? '' : ' >> visible=true'}`, firstRow ? { hasText: firstRow } : {}).first();
  // The picker closes when the focus moves (a webview in front that takes it back, seen in ci13): open it again.
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, 'TinyGo: Select Target');
    const shown = await widget.locator('.quick-input-title', { hasText: /^\s*TinyGo target/ }).waitFor({ timeout: 30_000 })
      .then(() => rows.waitFor({ timeout: 30_000 })).then(() => true, () => false);
    if (shown && await widget.isVisible().catch(() => false)) break;
    assert(attempt < 3, 'the target picker did not stay open (3 tries)');
    await page.keyboard.press('Escape');
  }
  await widget.locator('input').first().focus();
  await acceptTarget(page, name);
  if (!name.startsWith('None')) await page.locator('.statusbar .statusbar-item', { hasText: name }).first().waitFor({ timeout: 30_000 });
}

/**
 * In an open target picker: types `name`, moves to the row named exactly `name` (feather-nrf52840, not
 * feather-nrf52840-sense) and accepts it; resolves once the picker closed or was replaced by the next one.
 */
export async function acceptTarget(page, name) {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input').first();
  await page.keyboard.type(name);
  // The list re-sorts with every key: only once the whole name is in and its exact row is listed, click that row
  // (Enter could take whichever row was focused a moment before, e.g. feather-nrf52840-sense).
  await page.waitForFunction((n) => document.querySelector('.quick-input-widget input')?.value === n, name, { timeout: 30_000 });
  // The name as a word of the label ("None (…)" is the None row), not a prefix of another (…-sense).
  const exact = new RegExp(`(^|\\s)${name.replace(/[()]/g, '\\$&')}(\\s|$)`);
  // Not a recently opened file outside the workspace (its description is an absolute path): a test before may have
  // opened, and deleted, a main.go of its own in a temporary folder.
  const row = widget.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) })
    .filter({ hasNot: page.locator('.label-description', { hasText: /^\s*[/~]/ }) }).first();
  await row.waitFor({ timeout: 60_000 });
  const typed = await input.inputValue();
  await row.click();
  await page.waitForFunction((before) => {
    const w = document.querySelector('.quick-input-widget');
    if (!w || !w.checkVisibility()) return true;
    const i = w.querySelector('input');
    return !i || i.value !== before;
  }, typed, { timeout: 30_000 });
}

/**
 * Closes the notification center if a test opened it (the status bar's bell toggles it): left open it keeps the
 * keyboard, and the next test's Ctrl+P never opens its file.
 */
export async function hideNotificationCenter(page) {
  const center = page.locator('.notifications-center');
  if (!(await center.isVisible().catch(() => false))) return;
  await page.locator('#status\\.notifications').click().catch(() => undefined);
  await center.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
}

/** Polls `probe` until it returns a truthy value; fails after `ms` naming `what`. */
export async function poll(what, probe, ms = 60_000, every = 200) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(ms / 1000)} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** Gives the keyboard back to the workbench (keys typed while a webview has the focus never reach F1). */
export async function focusWorkbench(page) {
  await page.evaluate(() => {
    const el = document.activeElement;
    if (el && el !== document.body && typeof el.blur === 'function') el.blur();
  }).catch(() => undefined);
}

/**
 * What every UI test file starts from, whatever the file before it left (the UI stage runs them all in one window):
 * no picker, no dialog, no editor (a restored webview, the size panel, can otherwise take the active tab back),
 * no panel, no terminal, no notification, and no progress indicator still running. Run by the harness before
 * each file; a file may call it again between its own steps.
 */
export async function resetWorkbench(page, { reloadUrl, fileInWorkspace = 'main.go', timeout = 60_000 } = {}) {
  if ((await page.locator('.monaco-workbench').count()) === 0) return { skipped: 'no workbench loaded' };
  const widget = page.locator('.quick-input-widget');
  await focusWorkbench(page);
  for (let i = 0; i < 3 && await widget.isVisible().catch(() => false); i++) await page.keyboard.press('Escape');
  await hideNotificationCenter(page);
  const dialog = page.locator('.monaco-dialog-box');
  const answerDialog = async () => {
    if (!(await dialog.isVisible().catch(() => false))) return;
    // A dirty editor asks whether to save: the next file must not inherit the edit either.
    const dontSave = dialog.locator('.monaco-button', { hasText: /Don't Save|Do not Save/i }).first();
    if (await dontSave.isVisible().catch(() => false)) await dontSave.click();
    else await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  };
  await answerDialog();
  // The Problems filter is kept across reloads: a file that filtered Problems would hide the next file's rows.
  if (!(await page.locator('.markers-panel').isVisible().catch(() => false))) await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 10_000 }).catch(() => undefined);
  await clearProblemsFilter(page);
  const commands = [
    ...((await page.locator('.tabs-container .tab').count()) > 0 ? ['View: Close All Editor Groups'] : []),
    // A terminal survives a reload (code-server revives it): ended here, or the monitor of one file is the next's.
    'Terminal: Kill All Terminals',
    'View: Hide Panel',
    'Notifications: Clear All Notifications',
    // Quick Open lists recently opened files first: a file a test opened outside the workspace and deleted (the
    // symbol view's temporary main.go) was taken for the next file's main.go.
    'Clear Editor History',
  ];
  const took = [];
  for (const title of commands) {
    const t0 = Date.now();
    await focusWorkbench(page);
    try {
      await runCommand(page, title, timeout / 6);
    } catch {
      // Not offered here (no panel, no terminal yet): the picker is left open with no row. Close it.
      await page.keyboard.press('Escape');
    }
    await answerDialog();
    took.push(`${title.replace(/^.*: /, '')} ${Date.now() - t0} ms`);
  }
  await poll('all editors to close', async () => (await page.locator('.tabs-container .tab').count()) === 0 || (await answerDialog(), false), timeout / 2);
  await poll('the panel to hide', async () => !(await page.locator('.part.panel').isVisible().catch(() => false)), timeout / 4);
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  let t0 = Date.now();
  if (reloadUrl) {
    // A new window over the same folder: a new extension host, so nothing the extension kept in memory (the size
    // panel's last build, a running monitor, a build) carries over. Nothing is restored: every editor is closed.
    await page.goto(reloadUrl, { waitUntil: 'domcontentloaded' });
    await waitForWorkbench(page, fileInWorkspace, timeout);
    took.push(`reload ${Date.now() - t0} ms`);
  }
  t0 = Date.now();
  // Idle: no progress bar running in the workbench (a build, an extension host restarting, indexing).
  const idle = await poll('the workbench to be idle', async () => (await page.locator('.monaco-progress-container.active:visible').count()) === 0, timeout / 2)
    .then(() => true, () => false);
  took.push(`idle ${Date.now() - t0} ms`);
  await focusWorkbench(page);
  return { idle, took };
}

/** Ctrl+P on `<dir>/<file>`; resolves once that file (of that folder, per the breadcrumbs) is the active editor. */
export async function quickOpenIn(page, dir, file = 'main.go', timeout = 60_000) {
  await hideNotificationCenter(page);
  await focusWorkbench(page);
  const widget = page.locator('.quick-input-widget');
  await page.keyboard.press('Control+P');
  await widget.waitFor({ state: 'visible', timeout });
  await page.keyboard.type(`${dir}/${file}`);
  // Click the row itself: Enter would accept whichever row is focused while the results still come in.
  const row = widget.locator('.monaco-list-row', { hasText: dir }).filter({ hasText: file }).first();
  await row.waitFor({ timeout });
  await row.click();
  await widget.waitFor({ state: 'hidden', timeout });
  await page.locator('.tabs-container .tab.active', { hasText: file }).waitFor({ timeout });
  await page.locator('.editor-group-container.active .breadcrumbs-control', { hasText: dir }).first().waitFor({ timeout });
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ timeout });
}

/** The page inside the size panel's webview (the newest ready webview's active frame). */
export function sizePanel(wb) {
  return wb.page.locator('iframe.webview.ready').last().contentFrame().locator('iframe#active-frame').contentFrame();
}

/**
 * Polls `fn` (resolving `{ ok, value, detail }`) every 200 ms until ok, then resolves with its value; past `timeout`
 * fails with what it saw last.
 */
export async function pollValue(what, fn, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last.ok) return last.value;
    } catch (e) {
      last = { detail: String(e?.message ?? e) };
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeout / 1000} s (last: ${JSON.stringify(last?.detail ?? last?.value)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The Problems panel with its filter set to `filter` (Ctrl+Shift+M toggles: pressed only while it is hidden). */
export async function problemsFiltered(page, filter, timeout = 60_000) {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) await page.keyboard.press('Control+Shift+M');
  await panel.waitFor({ state: 'visible', timeout });
  const input = page.locator('.panel .viewpane-filter input, .panel .markers-panel-action-filter input').first();
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(filter);
  return panel;
}

/** Changes a JSON settings file in place (`change` edits the parsed object); a missing or unreadable file starts empty. */
export function editJson(file, change) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let s = {};
  try { s = JSON.parse(fs.readFileSync(file, 'utf8')); } catch { /* a new file */ }
  change(s);
  fs.writeFileSync(file, JSON.stringify(s, null, 2) + '\n');
}

/**
 * "TinyGo: Show Size Report" from the workbench (the keyboard given back first: F1 does not reach it from inside a
 * webview); right after the window opens the palette may not list it yet, so up to three tries.
 */
export async function showSizePanel(page) {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.locator('.part.sidebar .composite.title').first().click();
      await runCommand(page, 'TinyGo: Show Size Report', 30_000);
      return;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (attempt === 3) throw err;
      console.log(`    attempt ${attempt}: ${String(err.message).split('\n')[0]}`);
    }
  }
}

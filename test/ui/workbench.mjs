// Driving the VS Code workbench like a person does, for the UI tests: keyboard shortcuts, Quick Open, the
// Problems panel, hovers. Assertions read DOM text, never pixels. Selectors are VS Code's own class names
// (stable for years: .quick-input-widget, .markers-panel, .monaco-hover, .squiggly-*).

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

/** Ctrl+P, the file name, Enter; resolves once its editor tab is the active one. */
export async function quickOpen(page, fileName, timeout = 60_000) {
  await hideNotificationCenter(page);
  // Right after a reload Quick Open can take the Enter before its file list is there, and a webview the reload
  // restores (the size panel) can become the active tab again after the file opened: then do what a person does,
  // click the file's tab if it is there, and try once more.
  const active = page.locator('.tabs-container .tab.active', { hasText: fileName });
  for (let attempt = 1; ; attempt++) {
    try {
      await pick(page, 'Control+P', fileName, fileName, timeout / 2);
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
  const row = panel.locator('.monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout });
  return row;
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
  await runCommand(page, 'TinyGo: Select Target');
  const widget = page.locator('.quick-input-widget');
  await (firstRow ? widget.locator('.monaco-list-row', { hasText: firstRow }) : widget.locator('.monaco-list-row')).first().waitFor({ timeout: 60_000 });
  await page.keyboard.type(name);
  await widget.locator('.monaco-list-row', { hasText: name }).first().waitFor({ timeout: 60_000 });
  const exact = new RegExp(`(^|\\s)${name.replace(/[()]/g, '\\$&')}(\\s|$)`);
  for (let i = 0; i < 15; i++) {
    const focused = widget.locator('.monaco-list-row.focused').first();
    await focused.waitFor({ timeout: 10_000 });
    if (exact.test(oneLine(await focused.locator('.label-name, .monaco-icon-label').first().innerText()))) break;
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: 30_000 });
  if (!name.startsWith('None')) await page.locator('.statusbar .statusbar-item', { hasText: name }).first().waitFor({ timeout: 30_000 });
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

// The "Get started with TinyGo" walkthrough in a real VS Code: opened with "TinyGo: Get Started", its steps listed,
// and a step that checks itself off when its command ran (completionEvents onCommand:tinygo.selectTarget).
// Then "TinyGo: New Project" through its dialogs (with the real tinygo of TGW_TINYGO for the board list).
// Screenshots: test-output/ui-walkthrough.png, ui-walkthrough-step-done.png, ui-new-project.png.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assert, quickOpen, runCommand, waitForWorkbench } from './workbench.mjs';

export const modes = ['ui'];

const TITLE = 'Get started with TinyGo';
const BOARD_STEP = 'Choose your board';

function step(page, title) {
  return page.locator('.getting-started-step', { hasText: title }).first();
}

async function isComplete(locator) {
  return locator.evaluate((el) => el.classList.contains('complete') || !!el.querySelector('.codicon-pass-filled, .complete'));
}

export const tests = [
  ['"TinyGo: Get Started" opens the walkthrough with its steps', async (wb) => {
    await wb.page.goto(wb.url, { waitUntil: 'domcontentloaded' });
    await waitForWorkbench(wb.page, 'main.go');
    // Opening a Go file activates the extension (its commands are in the palette before, but wait for it here).
    await quickOpen(wb.page, 'main.go');
    await runCommand(wb.page, 'TinyGo: Get Started');
    await wb.page.locator('.gettingStartedContainer', { hasText: TITLE }).first().waitFor({ timeout: 60_000 });
    for (const s of ['Find or install TinyGo', BOARD_STEP, 'Create or open a project', 'Build', 'Flash', 'Open the serial monitor', 'Read the size report', 'Debug on the board']) {
      await step(wb.page, s).waitFor({ timeout: 30_000 });
    }
    assert(!(await isComplete(step(wb.page, BOARD_STEP))), 'the board step is complete before a target was chosen');
    await wb.screenshot('walkthrough');
  }],
  ['a step completes itself when its command ran', async (wb) => {
    const board = step(wb.page, BOARD_STEP);
    await board.click();
    // The step's own button runs the command; the picker (or the message that no tinygo is there) answers.
    await wb.page.locator('.getting-started-step', { hasText: BOARD_STEP }).locator('a, button', { hasText: 'Select Target' }).first().click();
    await wb.page.keyboard.press('Escape');
    const deadline = Date.now() + 30_000;
    while (!(await isComplete(board))) {
      assert(Date.now() < deadline, `"${BOARD_STEP}" is not checked off after TinyGo: Select Target ran`);
      await wb.page.waitForTimeout(250);
    }
    await wb.screenshot('walkthrough-step-done');
  }],
  ['"TinyGo: New Project" asks board, template, module and folder, and writes the project', async (wb) => {
    const tinygo = process.env.TGW_TINYGO;
    if (!tinygo) { console.log('    skipped: TGW_TINYGO is not set (the board list and target files come from a real tinygo)'); return; }
    const page = wb.page;
    const widget = page.locator('.quick-input-widget');
    fs.mkdirSync(path.join(wb.folder, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(wb.folder, '.vscode', 'settings.json'), `${JSON.stringify({ 'tinygo.path': tinygo }, null, 2)}\n`);
    await runCommand(page, 'TinyGo: New Project');
    const target = 'feather-nrf52840';
    await widget.locator('.monaco-list-row', { hasText: target }).first().waitFor({ timeout: 150_000 });
    await page.keyboard.type(target);
    const exact = new RegExp(`(^|\\s)${target}(\\s|$)`);
    for (let i = 0; i < 10; i++) {
      const focused = widget.locator('.monaco-list-row.focused').first();
      await focused.waitFor({ timeout: 10_000 });
      if (exact.test((await focused.innerText()).replace(/\s+/g, ' '))) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await widget.locator('.monaco-list-row', { hasText: 'Bluetooth LE advertiser' }).first().waitFor({ timeout: 60_000 });
    await page.keyboard.type('Blinky');
    await widget.locator('.monaco-list-row.focused', { hasText: 'Blinky' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.quick-input-widget input')?.value === 'blinky', undefined, { timeout: 30_000 });
    await page.keyboard.press('Enter');
    // VS Code's own folder dialog (a quick input in the browser): the workspace folder, accepted with Enter.
    await page.waitForFunction(() => (document.querySelector('.quick-input-widget input')?.value ?? '').startsWith('/'), undefined, { timeout: 30_000 });
    await page.keyboard.press('Control+A');
    await page.keyboard.type(`${wb.folder}/`);
    await page.keyboard.press('Enter');
    const made = path.join(wb.folder, 'blinky');
    const deadline = Date.now() + 60_000;
    while (!fs.existsSync(path.join(made, '.vscode', 'tasks.json'))) {
      assert(Date.now() < deadline, `no project at ${made}`);
      await page.waitForTimeout(250);
    }
    for (const f of ['go.mod', 'main.go', '.vscode/settings.json']) assert(fs.existsSync(path.join(made, f)), `${f} missing`);
    assert(JSON.parse(fs.readFileSync(path.join(made, '.vscode/settings.json'), 'utf8'))['tinygo.target'] === target, 'tinygo.target');
    // The new main.go in front (Ctrl+P finds it under blinky/).
    await page.keyboard.press('Control+P');
    await widget.waitFor({ state: 'visible', timeout: 30_000 });
    await page.keyboard.type('blinky/main.go');
    await widget.locator('.monaco-list-row', { hasText: 'blinky' }).first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await page.locator('.editor-group-container.active .view-lines', { hasText: 'machine.LED' }).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('new-project');
  }],
];

// The "Get started with TinyGo" walkthrough in a real VS Code: opened with "TinyGo: Get Started", its steps listed,
// and a step that checks itself off when its command ran (completionEvents onCommand:tinygo.selectTarget).
// Screenshots: test-output/ui-walkthrough.png, ui-walkthrough-step-done.png.
import { assert, poll, quickOpen, runCommand, waitForWorkbench } from './workbench.mjs';

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
    // Escape for the picker only once it is there: pressed before, the walkthrough takes it and goes back to the
    // Welcome page (ci14), where no step is shown to check.
    const picker = wb.page.locator('.quick-input-widget', { has: wb.page.locator('.quick-input-title', { hasText: /TinyGo target/ }) });
    const toast = wb.page.locator('.notification-toast', { hasText: 'TinyGo' }).first();
    await poll('the target picker (or the message that no tinygo is there)', async () =>
      (await picker.isVisible().catch(() => false)) || (await toast.isVisible().catch(() => false)), 30_000, 100);
    if (await picker.isVisible().catch(() => false)) await wb.page.keyboard.press('Escape');
    const deadline = Date.now() + 30_000;
    while (!(await isComplete(board))) {
      assert(Date.now() < deadline, `"${BOARD_STEP}" is not checked off after TinyGo: Select Target ran`);
      await wb.page.waitForTimeout(250);
    }
    await wb.screenshot('walkthrough-step-done');
  }],
];

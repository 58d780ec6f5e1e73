// What a user sees: open the Go file with Quick Open, the TinyGo finding in the Problems panel, its hover, and
// the extension's output channel. Runs against the development folder (ui) and the installed .vsix (vsix).
import { REFLECT_API, REFLECT_MESSAGE, RULE, assert, hoverSquiggle, problemsRow, quickOpen, runCommand, waitForWorkbench } from './workbench.mjs';

export const modes = ['ui', 'vsix'];

const FILE = 'diagnostics.go';

export const tests = [
  ['the workbench opens the Go workspace', async (wb) => {
    await wb.page.goto(wb.url, { waitUntil: 'domcontentloaded' });
    await waitForWorkbench(wb.page, FILE);
  }],

  [`Quick Open (Ctrl+P) opens ${FILE}`, async (wb) => {
    await quickOpen(wb.page, FILE);
    const text = await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText();
    assert(text.includes('MethodByName'), `the editor does not show the reflect call:\n${text}`);
  }],

  ['the Problems panel (Ctrl+Shift+M) lists the TinyGo finding', async (wb) => {
    const row = await problemsRow(wb.page, REFLECT_MESSAGE);
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    for (const want of [REFLECT_API, REFLECT_MESSAGE, 'TinyGo', RULE]) assert(text.includes(want), `Problems row lacks "${want}": ${text}`);
    await wb.screenshot('problems');
    console.log(`    problems row: ${text}`);
  }],

  ['hovering the squiggle under MethodByName shows the message', async (wb) => {
    const text = await hoverSquiggle(wb.page, 'MethodByName', REFLECT_MESSAGE);
    assert(text.includes(REFLECT_API), `hover text: ${text}`);
    await wb.screenshot('hover');
    await wb.page.keyboard.press('Escape');
  }],

  ['"TinyGo: Show Output" shows the extension\'s log with its activation line', async (wb) => {
    await runCommand(wb.page, 'TinyGo: Show Output');
    const line = wb.page.locator('.panel .monaco-editor .view-line', { hasText: /\[activate\].*ready/ }).first();
    await line.waitFor({ timeout: 60_000 });
    const text = (await line.innerText()).trim();
    await wb.screenshot('output');
    console.log(`    output: ${text}`);
  }],
];

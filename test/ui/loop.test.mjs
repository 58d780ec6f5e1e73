// The editor title bar of a Go file in a folder with a board: Build, Flash and "Build, Flash and Monitor" buttons
// (issue 14 item 13), saved as a screenshot for a person to look at. Assertions read DOM text. tinygo is the
// scripted stand-in (test/fixtures/fake-tinygo), or the real launcher in TGW_TINYGO when it is set: only the target
// list is asked for, nothing is built or flashed here.
import fs from 'node:fs';
import path from 'node:path';
import { assert, quickOpen, selectTarget, waitForWorkbench } from './workbench.mjs';

export const modes = ['ui'];

const TARGET = 'feather-nrf52840';
const BUTTONS = ['Build', 'Flash', 'Build, Flash and Monitor'];

/** The title-bar action of the active editor group labelled exactly `label`. */
const button = (page, label) => page.locator(`.editor-group-container.active .editor-actions .action-label[aria-label="${label}"]`).first();


export const tests = [
  ['Go file of a folder with a board: Build, Flash and Build, Flash and Monitor in the editor title bar', async (wb) => {
    const page = wb.page;
    const tinygo = process.env.TGW_TINYGO || path.join(wb.root, 'test/fixtures/fake-tinygo/tinygo');
    const dir = path.join(wb.folder, '.vscode');
    fs.mkdirSync(dir, { recursive: true });
    const settingsFile = path.join(dir, 'settings.json');
    const before = fs.existsSync(settingsFile) ? JSON.parse(fs.readFileSync(settingsFile, 'utf8')) : {};
    fs.writeFileSync(settingsFile, JSON.stringify({ ...before, 'tinygo.path': tinygo }, null, 2) + '\n');
    await page.goto(wb.url, { waitUntil: 'domcontentloaded' });
    await waitForWorkbench(page, 'main.go');
    await quickOpen(page, 'main.go');

    await selectTarget(page, TARGET);
    for (const label of BUTTONS) await button(page, label).waitFor({ timeout: 60_000 });
    const labels = await page.locator('.editor-group-container.active .editor-actions .action-label').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    console.log(`    editor title actions: ${labels.filter(Boolean).join(' | ')}`);
    for (const label of BUTTONS) assert(labels.includes(label), `no "${label}" button: ${labels.join(' | ')}`);
    await button(page, 'Build, Flash and Monitor').hover();
    await wb.screenshot('editor-title-buttons');

    // No board: the buttons go.
    await selectTarget(page, 'None');
    await button(page, 'Flash').waitFor({ state: 'detached', timeout: 30_000 });
    console.log('    target None: the Build/Flash buttons are gone');
  }],
];

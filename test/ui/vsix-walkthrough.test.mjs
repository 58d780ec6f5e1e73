// A fresh install of the packaged extension (issue 18): its own code-server with a new profile, the .vsix installed
// by `code-server --install-extension`, the example folder opened. The walkthrough opens on the first activation,
// and only then (not in the project's new window, not after a reload). Then the walkthrough is followed to a built
// new project with the real tinygo (TGW_TINYGO, nRF support: TGW_TINYGO_NRF=1): Find or install TinyGo ("Pick an
// Existing Install"), Create or open a project (New Project: feather-nrf52840, Blinky), Build in the new window.
// Prints the time from the install to the built firmware. Screenshots: vsix-walkthrough-first-activation,
// vsix-new-project-built.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { answerFileDialog, checkProjectFiles, fillNewProject, newestElf } from './newProject.mjs';
import { assert, oneLine, poll, quickOpen, resetWorkbench, runCommand, waitForWorkbench } from './workbench.mjs';

export const modes = ['vsix'];

const TITLE = 'Get started with TinyGo';
const TARGET = 'feather-nrf52840';
const NAME = 'firstblinky';
const state = {};

const walkthrough = (page) => page.locator('.gettingStartedContainer', { hasText: TITLE }).first();
const exactly = (text) => new RegExp(`^\\s*${text}\\s*$`);
// By its title exactly: "Build" is also a word of the project step's text.
const step = (page, title) => page.locator('.getting-started-step').filter({ has: page.locator('.step-title', { hasText: exactly(title) }) }).first();
const isComplete = (loc) => loc.evaluate((el) => el.classList.contains('complete') || !!el.querySelector('.codicon-pass-filled, .complete'));

async function shot(wb, page, name) {
  const file = path.join(wb.root, 'test-output', `${wb.kind}-${name}.png`);
  await page.screenshot({ path: file });
  wb.screenshots.push(path.relative(wb.root, file));
}

/** Opens the walkthrough step `title` and clicks its button `button`. */
async function stepButton(page, title, button) {
  await step(page, title).click();
  await step(page, title).locator('a, button', { hasText: exactly(button) }).first().click();
}

/** The extension said it is ready in its output channel: it has activated in this window. */
async function activated(page) {
  await runCommand(page, 'TinyGo: Show Output');
  await page.locator('.panel .monaco-editor .view-line', { hasText: /\[activate\].*ready/ }).first().waitFor({ timeout: 60_000 });
}

/** No walkthrough appears within `ms` (it opens during activation, which has finished when this is called). */
async function noWalkthroughFor(page, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    assert((await page.locator('.gettingStartedContainer').count()) === 0, 'the walkthrough opened again');
    await page.waitForTimeout(250);
  }
}

export const tests = [
  ['a fresh install of the .vsix opens the walkthrough on the first activation', async (wb) => {
    const version = JSON.parse(fs.readFileSync(path.join(wb.root, 'package.json'), 'utf8')).version;
    const vsix = path.join(wb.root, `tinygo-workbench-${version}.vsix`);
    const { copyWorkspace, exampleWorkspace, installVsix, newRunDir, startCodeServer, workbenchUrl } = wb.harness;
    state.t0 = performance.now();
    state.runDir = newRunDir('fresh-install');
    const said = installVsix(wb.host, state.runDir, vsix);
    console.log(`    ${said.split('\n').pop()} (${((performance.now() - state.t0) / 1000).toFixed(1)} s)`);
    state.folder = copyWorkspace(exampleWorkspace(), state.runDir);
    // VS Code's own setting for walkthroughs that open by themselves, on as in a new profile (the harness's other
    // runs turn it off).
    state.server = await startCodeServer({ host: wb.host, runDir: state.runDir, folder: state.folder, settings: { 'workbench.welcomePage.walkthroughs.openOnInstall': true } });
    state.url = workbenchUrl(state.server, state.folder);
    state.page = await wb.page.context().newPage();
    const { page } = state;
    await page.goto(state.url, { waitUntil: 'domcontentloaded' });
    await waitForWorkbench(page, 'main.go');
    await quickOpen(page, 'main.go');
    // It opens in the tab beside the Go file, which stays in front: the user clicks that tab.
    const tab = page.locator('.tabs-container .tab', { hasText: 'Welcome' }).first();
    await tab.waitFor({ timeout: 60_000 });
    const tabs = (await page.locator('.tabs-container .tab .label-name').allInnerTexts()).map((t) => t.trim());
    const active = (await page.locator('.tabs-container .tab.active .label-name').first().innerText()).trim();
    console.log(`    tabs after the first activation: ${tabs.join(' | ')}, in front: ${active} (${((performance.now() - state.t0) / 1000).toFixed(1)} s after the install began)`);
    await tab.click();
    await walkthrough(page).waitFor({ timeout: 60_000 });
    await shot(wb, page, 'walkthrough-first-activation');
  }],

  ['following the walkthrough: Pick an Existing Install, then New Project for feather-nrf52840 (Blinky)', async () => {
    if (process.env.TGW_TINYGO_NRF !== '1' || !process.env.TGW_TINYGO) { state.skip = 'TGW_TINYGO_NRF is not 1 (no tinygo that builds nRF firmware)'; console.log(`    skipped: ${state.skip}`); return; }
    assert(state.page, 'no fresh window from the test before');
    const { page } = state;
    await stepButton(page, 'Find or install TinyGo', 'Pick an Existing Install');
    await answerFileDialog(page, process.env.TGW_TINYGO, 'Use This TinyGo', { file: true });
    await poll('the install step to check itself off', () => isComplete(step(page, 'Find or install TinyGo')), 60_000, 250);
    await stepButton(page, 'Create or open a project', 'New Project');
    state.parent = path.join(state.runDir, 'projects');
    fs.mkdirSync(state.parent, { recursive: true });
    const note = await fillNewProject(page, { target: TARGET, templateLabel: 'Blinky', name: NAME, parent: state.parent });
    console.log(`    notification: ${oneLine(await note.innerText()).slice(0, 160)}`);
    state.project = path.join(state.parent, NAME);
    checkProjectFiles(state.project, TARGET);
    const popup = page.context().waitForEvent('page', { timeout: 30_000 }).catch(() => undefined);
    await note.locator('.monaco-button', { hasText: 'Open in New Window' }).first().click();
    state.popup = await popup;
    console.log(`    Open in New Window: ${state.popup ? 'a new window' : 'no new window within 30 s: opened by the test'} (${((performance.now() - state.t0) / 1000).toFixed(1)} s)`);
  }],

  ['the new project\'s window: no walkthrough again; its Build step builds the firmware (time from the install)', async (wb) => {
    if (state.skip) { console.log(`    skipped: ${state.skip}`); return; }
    assert(state.project, 'no project from the test before');
    const url = new URL(state.url);
    url.searchParams.set('folder', state.project);
    const page = state.popup ?? await wb.page.context().newPage();
    state.popup = page;
    if (!decodeURIComponent(page.url()).includes(state.project)) await page.goto(url.href, { waitUntil: 'domcontentloaded' });
    await waitForWorkbench(page, 'main.go');
    await quickOpen(page, 'main.go');
    await page.locator('.statusbar .statusbar-item', { hasText: new RegExp(`(^|\\s)${TARGET}(\\s|$)`) }).first().waitFor({ timeout: 60_000 });
    await activated(page);
    await noWalkthroughFor(page, 3_000);
    console.log(`    the new window: ${TARGET} in the status bar, the extension active, no walkthrough`);
    // The user opens the walkthrough again for its next step (it does not open by itself any more).
    await runCommand(page, 'TinyGo: Get Started');
    await walkthrough(page).waitFor({ timeout: 60_000 });
    const since = Date.now();
    await stepButton(page, 'Build', 'Build');
    const elf = await poll('the new project\'s firmware', () => newestElf(state.project, since), 110_000, 250);
    const total = (performance.now() - state.t0) / 1000;
    await poll('the Build step to check itself off', () => isComplete(step(page, 'Build')), 30_000, 250).catch(() => undefined);
    console.log(`    built ${path.relative(state.project, elf)} (${fs.statSync(elf).size} bytes)`);
    console.log(`    TIME from installing the .vsix to a built new project, following the walkthrough: ${total.toFixed(1)} s`);
    await shot(wb, page, 'new-project-built');
  }],

  ['a reload of the first window does not open the walkthrough again', async () => {
    assert(state.page, 'no fresh window');
    const { page } = state;
    await page.bringToFront();
    await resetWorkbench(page, { reloadUrl: state.url });
    await quickOpen(page, 'main.go');
    await activated(page);
    await noWalkthroughFor(page, 5_000);
    console.log('    reloaded, main.go opened, the extension active: no walkthrough');
  }],

  ['(clean-up) the fresh install\'s windows and code-server stopped', async (wb) => {
    for (const p of [state.popup, state.page]) if (p) await p.close().catch(() => undefined);
    if (state.server) await state.server.stop();
    if (state.runDir) wb.harness.removeRunTmp(state.runDir);
    await wb.page.bringToFront();
  }],
];

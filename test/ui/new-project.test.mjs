// "TinyGo: New Project" in a real VS Code (issue 18): the board picker, the template picker, the module name and
// the folder dialog, as a person answers them; "Open in New Window" opens the project, which shows its board in
// the status bar and builds for it with the real tinygo (TGW_TINYGO, nRF support: TGW_TINYGO_NRF=1).
// Screenshots: new-project-templates, new-project (the new project's window). Skipped (printed) without it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkProjectFiles, fillNewProject, newestElf } from './newProject.mjs';
import { assert, oneLine, poll, quickOpen, resetWorkbench, runCommand, waitForWorkbench } from './workbench.mjs';

export const modes = ['ui'];

const TARGET = 'feather-nrf52840';
const NAME = 'uiblinky';
const state = {};

export const tests = [
  ['"TinyGo: New Project": board, template, module and folder pickers write a project for the board', async (wb) => {
    if (process.env.TGW_TINYGO_NRF !== '1' || !process.env.TGW_TINYGO) { state.skip = 'TGW_TINYGO_NRF is not 1 (no tinygo that builds nRF firmware)'; console.log(`    skipped: ${state.skip}`); return; }
    const { page } = wb;
    // The machine's tinygo, for every folder (the new project's too): where code-server keeps machine settings.
    const settings = path.join(wb.runDir, 'user-data', 'Machine', 'settings.json');
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    const before = fs.existsSync(settings) ? JSON.parse(fs.readFileSync(settings, 'utf8')) : {};
    fs.writeFileSync(settings, JSON.stringify({ ...before, 'tinygo.path': process.env.TGW_TINYGO }, null, 2));
    if ((await page.locator('.monaco-workbench').count()) === 0) {
      await page.goto(wb.url, { waitUntil: 'domcontentloaded' });
      await waitForWorkbench(page, 'main.go');
    }
    await quickOpen(page, 'main.go');
    state.parent = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-ui-newproject-'));
    await runCommand(page, 'TinyGo: New Project');
    const note = await fillNewProject(page, { target: TARGET, templateLabel: 'Blinky', name: NAME, parent: state.parent, screenshot: (n) => wb.screenshot(n) });
    console.log(`    notification: ${oneLine(await note.innerText()).slice(0, 200)}`);
    state.folder = path.join(state.parent, NAME);
    const files = checkProjectFiles(state.folder, TARGET);
    console.log(`    wrote ${files.filter((f) => !fs.statSync(path.join(state.folder, f)).isDirectory()).join(', ')}`);
    // "Open in New Window": the browser opens the folder in a new tab.
    const popup = page.context().waitForEvent('page', { timeout: 30_000 }).catch(() => undefined);
    await note.locator('.monaco-button', { hasText: 'Open in New Window' }).first().click();
    state.popup = await popup;
    console.log(`    Open in New Window: ${state.popup ? `a new window at ${decodeURIComponent(new URL(state.popup.url()).searchParams.get('folder') ?? state.popup.url())}` : 'no new window within 30 s'}`);
    assert(!state.popup || state.popup.url().includes(encodeURIComponent(state.folder)) || state.popup.url().includes(state.folder), `the new window opened ${state.popup?.url()}`);
  }],

  ['the new project opens with its board and builds for it with the real tinygo', async (wb) => {
    if (state.skip) { console.log(`    skipped: ${state.skip}`); return; }
    assert(state.folder, 'no project from the test before');
    // This run's extension is the development folder, which a window the workbench opens by itself does not load:
    // the project's window is opened with the same payload.
    const url = new URL(wb.url);
    url.searchParams.set('folder', state.folder);
    const page = state.popup ?? await wb.page.context().newPage();
    state.popup = page;
    await page.goto(url.href, { waitUntil: 'domcontentloaded' });
    await waitForWorkbench(page, 'main.go');
    await quickOpen(page, 'main.go');
    const exact = new RegExp(`(^|\\s)${TARGET}(\\s|$)`);
    await page.locator('.statusbar .statusbar-item', { hasText: exact }).first().waitFor({ timeout: 60_000 });
    console.log(`    the new window shows ${TARGET} in the status bar`);
    const t0 = Date.now();
    await runCommand(page, 'TinyGo: Build');
    const elf = await poll('the new project\'s firmware', () => newestElf(state.folder, t0), 100_000, 250).catch(async (err) => {
      await page.screenshot({ path: path.join(wb.root, 'test-output', `${wb.kind}-FAILED-new-project-window.png`) });
      throw err;
    });
    console.log(`    built ${path.relative(state.folder, elf)} (${fs.statSync(elf).size} bytes) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const file = path.join(wb.root, 'test-output', `${wb.kind}-new-project.png`);
    await page.screenshot({ path: file });
    wb.screenshots.push(path.relative(wb.root, file));
  }],

  ['(clean-up) the project\'s window closed, the project and settings removed', async (wb) => {
    if (state.popup) await state.popup.close().catch(() => undefined);
    for (const p of wb.page.context().pages()) if (p !== wb.page) await p.close().catch(() => undefined);
    if (state.parent) fs.rmSync(state.parent, { recursive: true, force: true });
    const settings = path.join(wb.runDir, 'user-data', 'Machine', 'settings.json');
    if (fs.existsSync(settings)) {
      const s = JSON.parse(fs.readFileSync(settings, 'utf8'));
      delete s['tinygo.path'];
      fs.writeFileSync(settings, JSON.stringify(s, null, 2));
    }
    await wb.page.bringToFront();
    await resetWorkbench(wb.page);
  }],
];

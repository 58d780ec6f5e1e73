// The target picker and the status-bar target, then TinyGo: Build failing with compile errors and a build that
// reports heap allocations, each saved as a screenshot for a person to look at. Assertions read DOM text.
// tinygo is a scripted stand-in printing real TinyGo 0.33 output (test/fixtures/fake-tinygo for the target list,
// test/fixtures/fake-tinygo-build for builds), or for the picker the real launcher in TGW_TINYGO when it is set.
import fs from 'node:fs';
import path from 'node:path';
import { assert, problemsFiltered as problems, quickOpen, quickOpenIn, runCommand, waitForWorkbench } from './workbench.mjs';

export const modes = ['ui'];

const TARGET = 'feather-nrf52840';
const BUILD_SOURCE = 'TinyGo build';
const ERRORS = [
  'cannot use "hello" (untyped string constant) as int value in variable declaration',
  'undefined: undefinedVar',
];
const HEAP = 'heap allocation (TinyGo compiler)';
// The packages of the build stand-in: its scenario is chosen by the file .fake-tinygo in the package folder.
const ERRORS_DIR = 'tgw-build-errors';
const ALLOCS_DIR = 'tgw-build-allocs';

const oneLine = (s) => s.replace(/\s+/g, ' ').trim();

function writeSettings(wb, settings) {
  const dir = path.join(wb.folder, '.vscode');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
}

/**
 * Runs TinyGo: Build. Should the build ask for a target (none remembered for the folder), it answers the picker
 * with TARGET; resolves once `done` (a locator) is visible.
 */
async function build(page, done, timeout = 60_000) {
  await runCommand(page, 'TinyGo: Build', timeout);
  const picker = page.locator('.quick-input-widget .monaco-list-row', { hasText: TARGET }).first();
  const first = await Promise.race([
    done.waitFor({ state: 'attached', timeout }).then(() => 'done'),
    picker.waitFor({ timeout }).then(() => 'picker'),
  ]);
  if (first === 'picker') {
    console.log('    the build asked for a target: answering ' + TARGET);
    await page.keyboard.type(TARGET);
    await page.keyboard.press('Enter');
    await done.waitFor({ state: 'attached', timeout });
  }
}

export const tests = [
  ['Select Target lists the nRF52 boards; the status bar shows the chosen one', async (wb) => {
    const page = wb.page;
    const real = process.env.TGW_TINYGO;
    const tinygo = real || path.join(wb.root, 'test/fixtures/fake-tinygo/tinygo');
    console.log(`    tinygo.path: ${tinygo} (${real ? 'the real tinygo of TGW_TINYGO' : 'the scripted 0.33 stand-in'})`);
    writeSettings(wb, { 'tinygo.path': tinygo });
    await page.goto(wb.url, { waitUntil: 'domcontentloaded' });
    await waitForWorkbench(page, 'main.go');
    await quickOpen(page, 'main.go');

    await runCommand(page, 'TinyGo: Select Target');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('.monaco-list-row', { hasText: TARGET }).first().waitFor({ timeout: 60_000 });
    await widget.locator('.monaco-list-row', { hasText: 'nRF52 boards' }).first().waitFor({ timeout: 60_000 });
    const rows = await widget.locator('.monaco-list-row').allInnerTexts();
    console.log(`    picker (first ${Math.min(rows.length, 6)} rows shown): ${rows.slice(0, 6).map(oneLine).join(' | ')}`);
    await wb.screenshot('picker');

    await page.keyboard.type(TARGET);
    // Several labels contain the name (feather-nrf52840-sense): move to the exact one before accepting.
    const exact = new RegExp(`(^|\\s)${TARGET}(\\s|$)`);
    for (let i = 0; i < 10; i++) {
      const focused = widget.locator('.monaco-list-row.focused').first();
      await focused.waitFor({ timeout: 10_000 });
      const label = oneLine(await focused.locator('.label-name, .monaco-icon-label').first().innerText());
      if (exact.test(label)) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: 30_000 });

    const item = page.locator('.statusbar .statusbar-item', { hasText: TARGET }).first();
    await item.waitFor({ timeout: 30_000 });
    const text = oneLine(await item.innerText());
    assert(exact.test(text), `status-bar item is "${text}"`);
    console.log(`    status bar: "${text}"`);
    await wb.screenshot('statusbar-target');
  }],

  ['TinyGo: Build with compile errors puts them in Problems', async (wb) => {
    const page = wb.page;
    const fake = path.join(wb.root, 'test/fixtures/fake-tinygo-build');
    for (const [dir, project] of [[ERRORS_DIR, 'errors'], [ALLOCS_DIR, 'allocs']]) {
      fs.rmSync(path.join(wb.folder, dir), { recursive: true, force: true });
      fs.cpSync(path.join(fake, 'projects', project), path.join(wb.folder, dir), { recursive: true });
    }
    // The target chosen above lives in this same file (tinygo.target): a file written anew keeps it.
    writeSettings(wb, { 'tinygo.path': path.join(fake, 'tinygo'), 'tinygo.target': TARGET });
    await quickOpenIn(page, ERRORS_DIR);
    // The status bar still names the target chosen above (the build uses it).
    await page.locator('.statusbar .statusbar-item', { hasText: TARGET }).first().waitFor({ timeout: 30_000 });

    const panel = page.locator('.markers-panel');
    const row = (msg) => panel.locator('.monaco-list-row', { hasText: msg }).filter({ hasText: BUILD_SOURCE }).first();
    await problems(page, BUILD_SOURCE);
    await build(page, row(ERRORS[1]));
    await problems(page, BUILD_SOURCE);
    const texts = [];
    for (const msg of ERRORS) {
      await row(msg).waitFor({ timeout: 60_000 });
      texts.push(oneLine(await row(msg).innerText()));
    }
    assert(texts[0].includes('Ln 6, Col 14') && texts[1].includes('Ln 7, Col 18'), `positions: ${texts.join(' | ')}`);
    for (const t of texts) console.log(`    problem: ${t}`);
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'TinyGo' }).first();
    if (await toast.isVisible()) console.log(`    notification: ${oneLine(await toast.innerText()).slice(0, 200)}`);
    await wb.screenshot('build-problems');
  }],

  ['TinyGo: Build with -print-allocs shows the heap allocations', async (wb) => {
    const page = wb.page;
    // Dismiss the failed build's notification so it does not cover the editor.
    const toast = page.locator('.notifications-toasts .notification-toast').first();
    if (await toast.isVisible()) {
      await toast.hover();
      await toast.locator('.codicon-notifications-clear, .codicon-close').first().click();
      await toast.waitFor({ state: 'hidden', timeout: 10_000 });
    }
    await quickOpenIn(page, ALLOCS_DIR);
    const panel = page.locator('.markers-panel');
    const heapRows = panel.locator('.monaco-list-row', { hasText: HEAP });
    await problems(page, HEAP);
    await build(page, heapRows.first());
    await problems(page, HEAP);
    await heapRows.nth(2).waitFor({ timeout: 60_000 });
    const texts = (await heapRows.allInnerTexts()).map(oneLine);
    assert(texts.length === 3, `heap allocation rows: ${texts.join(' | ')}`);
    for (const [line, reason] of [[18, 'escapes at line 18'], [29, 'escapes at line 29'], [30, 'escapes at line 31']]) {
      assert(texts.some((t) => t.includes(reason) && t.includes(`Ln ${line},`)), `no row for line ${line} (${reason}): ${texts.join(' | ')}`);
    }
    for (const t of texts) console.log(`    problem: ${t}`);
    const squiggles = await page.locator('.editor-group-container.active .monaco-editor .view-overlays .squiggly-info').count();
    assert(squiggles > 0, 'no information squiggle in the editor');
    console.log(`    information squiggles in the editor: ${squiggles}`);
    await wb.screenshot('build-allocs');
  }],
];

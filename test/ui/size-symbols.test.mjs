// The size panel's symbol view in a real VS Code, on real firmware: the committed feather-nrf52840 ELFs
// (test/fixtures/elf, built by the real tinygo 0.39.0) put beside a size report where a build leaves them
// (build/<name>.elf + build/<name>.size.json). Checked: the symbol list against what the ELF holds (llvm-nm-19 -S
// when installed), the keyboard (Enter opens the symbol's source line), the map's rectangles (focusable, labelled),
// the diff after a second build, and the import cost lens in main.go; screenshots in the dark and the light theme.
// Self-contained: it writes its own files, and closes the panel and the editors it opened.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assert, runCommand, showSizePanel, sizePanel as panel, pollValue as poll, waitForWorkbench } from './workbench.mjs';

export const modes = ['ui'];

const ELF_DIR = path.resolve(import.meta.dirname, '../fixtures/elf');
const OLD_ELF = path.join(ELF_DIR, 'feather-nrf52840-blinky-tinygo0.39.elf');
const NEW_ELF = path.join(ELF_DIR, 'feather-nrf52840-blinky-echo-tinygo0.39.elf');
const REPORTS = path.resolve(import.meta.dirname, '../fixtures/size/panel');
const NAME = 'symbols-blinky';
/** Where this test puts the example's main.go for the relocated ELFs (one directory per path length). */
let base = '';
let sourceDir = '';

/**
 * The fixture with its DWARF source directory (where it was built) moved, at the same length like
 * -fdebug-prefix-map, to a directory this test makes and fills with the example's main.go, so that "open the source
 * line" has a file to open on any machine.
 */
function relocated(elf, out) {
  const bytes = fs.readFileSync(elf);
  const built = /\/[\w./-]+\/examples\/feather-blinky(?=[\0/])/.exec(bytes.toString('latin1'))?.[0];
  assert(built, `${path.basename(elf)} names the example's directory`);
  const dir = (base + '/' + 'x'.repeat(built.length)).slice(0, built.length);
  assert(dir.length === built.length && dir.startsWith(base + '/'), `source dir ${dir} for ${built}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.resolve(import.meta.dirname, '../../examples/feather-blinky/main.go'), path.join(dir, 'main.go'));
  const from = Buffer.from(built, 'latin1');
  const to = Buffer.from(dir);
  for (let at = bytes.indexOf(from); at >= 0; at = bytes.indexOf(from, at + to.length)) to.copy(bytes, at);
  fs.writeFileSync(`${out}.tmp`, bytes);
  fs.renameSync(`${out}.tmp`, out);
  return dir;
}

/** A "build": the ELF first, then its report (the watcher reacts to the report). */
function build(wb, elf, report) {
  const dir = path.join(wb.folder, 'build');
  fs.mkdirSync(dir, { recursive: true });
  sourceDir = relocated(elf, path.join(dir, `${NAME}.elf`));
  const json = path.join(dir, `${NAME}.size.json`);
  const r = JSON.parse(fs.readFileSync(path.join(REPORTS, report), 'utf8'));
  r.createdAt = new Date().toISOString();
  fs.writeFileSync(`${json}.tmp`, JSON.stringify(r));
  fs.renameSync(`${json}.tmp`, json);
}

function setTheme(wb, theme) {
  const settings = path.join(wb.folder, '.vscode', 'settings.json');
  fs.mkdirSync(path.dirname(settings), { recursive: true });
  fs.writeFileSync(settings, JSON.stringify(theme ? { 'workbench.colorTheme': theme } : {}, null, 2));
}

async function focusWorkbench(page) {
  await page.locator('.part.sidebar .composite.title').first().click();
}

/** Named symbols of an ELF as llvm-nm-19 -S sizes them, one per address; undefined without llvm-nm-19. */
function nmByAddress(elf) {
  let out;
  try { out = execFileSync('llvm-nm-19', ['-S', elf], { encoding: 'utf8', maxBuffer: 64 << 20 }); } catch { return undefined; }
  const m = new Map();
  for (const l of out.split('\n')) {
    const x = /^([0-9a-f]+) ([0-9a-f]+) [tTdDbBrR] (.*)$/.exec(l);
    if (x && parseInt(x[2], 16) > 0) m.set(parseInt(x[1], 16), { size: parseInt(x[2], 16), names: [...(m.get(parseInt(x[1], 16))?.names ?? []), x[3]] });
  }
  return m;
}

/** The workspace's main.go, from the Explorer (Quick Open would offer the relocated copy the test opened before). */
async function openWorkspaceMain(wb) {
  await wb.page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'main.go' }).first().dblclick();
  await poll('the workspace main.go in the editor', async () => {
    const crumbs = await wb.page.locator('.editor-group-container.active .breadcrumbs-control').first().innerText();
    const active = await wb.page.locator('.tabs-container .tab.active', { hasText: 'main.go' }).count();
    return { ok: active > 0 && !crumbs.includes('tgw-sym'), detail: crumbs };
  });
}

async function mode(f, name) {
  await f.locator(`button.mode[data-mode="${name}"]`).click();
  await poll(`the ${name} view`, async () => ({ ok: (await f.locator(`button.mode[data-mode="${name}"]`).getAttribute('aria-pressed')) === 'true' }));
}

async function shoot(wb, f, name, selector) {
  await f.locator(selector).first().scrollIntoViewIfNeeded();
  await wb.screenshot(name);
}

export const tests = [
  ['symbols: largest first, as llvm-nm-19 -S sizes them; by package; Enter on a symbol opens its source line (screenshot)', async (wb) => {
    if ((await wb.page.locator('.monaco-workbench').count()) === 0) {
      await wb.page.goto(wb.url, { waitUntil: 'domcontentloaded' });
      await waitForWorkbench(wb.page, 'main.go');
    }
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-sym-'));
    build(wb, OLD_ELF, 'report1.json');
    await showSizePanel(wb.page);
    const f = panel(wb);
    await f.locator('#symbol-rows tr.ssym').first().waitFor({ timeout: 60_000 });
    await mode(f, 'largest');
    const rows = await f.locator('#symbol-rows tr.ssym').evaluateAll((trs) => trs.map((tr) => ({
      name: tr.querySelector('th').textContent, size: Number(tr.querySelector('td.num').textContent.replace(/,/g, '')),
    })));
    for (let i = 1; i < rows.length; i++) assert(rows[i - 1].size >= rows[i].size, `largest first: ${rows[i - 1].name} ${rows[i - 1].size} before ${rows[i].name} ${rows[i].size}`);
    const nm = nmByAddress(OLD_ELF);
    if (nm) {
      const sizes = [...nm.values()];
      assert(rows.length === sizes.length, `one row per llvm-nm address: ${rows.length} vs ${sizes.length}`);
      for (const r of rows) assert(sizes.some((s) => s.size === r.size && s.names.includes(r.name)), `${r.name} ${r.size} B is what llvm-nm-19 -S says`);
      console.log(`    ${rows.length} symbols, as llvm-nm-19 -S; largest ${rows[0].name} ${rows[0].size} B`);
    } else {
      console.log('    llvm-nm-19 is not installed: the sizes are not compared');
    }
    const count = (await f.locator('#symbol-count').innerText()).trim();
    assert(count === `${rows.length} of ${rows.length} symbols, largest first`, `count: ${count}`);
    await f.locator('#symbol-filter').fill('pkg:main');
    await poll('filtered to package main', async () => {
      const names = await f.locator('#symbol-rows tr.ssym th').allInnerTexts();
      return { ok: names.length > 0 && names.every((n) => n.startsWith('main')) && names.includes('main.main'), detail: names };
    });
    await f.locator('#symbol-filter').fill('');
    await mode(f, 'package');
    const heads = await f.locator('#symbol-rows tr.sgroup').count();
    assert(heads > 3 && (await f.locator('#symbol-rows tr.ssym').count()) === 0, 'by package: group heads, all closed');
    const mainHead = f.locator('#symbol-rows tr.sgroup[data-group="main"]');
    await mainHead.focus();
    await wb.page.keyboard.press('Enter');
    await poll('package main opened', async () => ({ ok: (await f.locator('#symbol-rows tr.sgroup[data-group="main"]').getAttribute('aria-expanded')) === 'true' }));
    await wb.page.keyboard.press('ArrowDown');
    const focused = await f.locator(':focus').evaluate((el) => ({ name: el.querySelector('th')?.textContent, file: el.dataset.file, line: el.dataset.line }));
    assert(focused.name === 'main.main' && focused.file === path.join(sourceDir, 'main.go'), `the first symbol of main: ${JSON.stringify(focused)}`);
    await shoot(wb, f, 'size-symbols-dark', '#symbols');
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'main.go' }).waitFor({ timeout: 30_000 });
    const line = await poll('the cursor on main.main\'s line', async () => {
      const t = await wb.page.locator('.statusbar-item', { hasText: /^Ln \d+/ }).first().innerText();
      return { ok: t.startsWith(`Ln ${focused.line},`), value: t, detail: t };
    });
    console.log(`    Enter on main.main opened main.go at ${line}`);
    // That main.go (the relocated source) and the workspace's would both match the next Quick Open: close them.
    await focusWorkbench(wb.page);
    await runCommand(wb.page, 'View: Close All Editors');
  }],

  ['map: a focusable, labelled rectangle per package in flash and in RAM, Enter lists the package\'s symbols (screenshot)', async (wb) => {
    await showSizePanel(wb.page);
    const f = panel(wb);
    await mode(f, 'map');
    const maps = f.locator('svg.treemap');
    await maps.first().waitFor({ timeout: 30_000 });
    assert((await maps.count()) === 2, 'a flash map and a RAM map');
    const labels = await f.locator('svg.treemap').first().locator('g.tm').evaluateAll((gs) => gs.map((g) => ({ label: g.getAttribute('aria-label'), tab: g.getAttribute('tabindex'), area: Number(g.querySelector('rect').getAttribute('width')) * Number(g.querySelector('rect').getAttribute('height')) })));
    assert(labels.length > 5 && labels.every((l) => l.tab === '0' && /^.+: [\d.]+ K?B flash \([\d.]+ %\)$/.test(l.label)), `labels: ${JSON.stringify(labels.slice(0, 3))}`);
    for (let i = 1; i < labels.length; i++) assert(labels[i - 1].area >= labels[i].area - 1e-6, 'largest package first');
    await f.locator('svg.treemap g.tm').first().focus();
    await wb.page.keyboard.press('Tab');
    const second = await f.locator(':focus').getAttribute('aria-label');
    assert(second === labels[1].label, `Tab moves to the next rectangle: ${second}`);
    await shoot(wb, f, 'size-map-dark', '#symbol-map');
    await f.locator(':focus').press('Enter');
    const pkg = second.split(':')[0];
    await poll('the package\'s symbols', async () => {
      const v = await f.locator('#symbol-filter').inputValue();
      return { ok: v === `pkg:${pkg}` && (await f.locator('#symbol-rows tr.ssym').count()) > 0, detail: v };
    });
    await f.locator('#symbol-filter').fill('');
  }],

  ['changes: after a second build, the symbols added, removed, grown and shrunk (screenshot)', async (wb) => {
    build(wb, NEW_ELF, 'report2.json');
    const f = panel(wb);
    await poll('the Changes view becomes available', async () => ({ ok: !(await f.locator('button.mode[data-mode="changes"]').isDisabled()) }), 60_000);
    await mode(f, 'changes');
    const summary = (await f.locator('.diff-summary').innerText()).replace(/\s+/g, ' ');
    const rows = await f.locator('#change-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
    const main = rows.find((r) => r[1] === 'main.main');
    assert(main && main[0] === 'grown' && Number(main[3].replace(/,/g, '')) > Number(main[2].replace(/,/g, '')), `main.main grew: ${JSON.stringify(main)}`);
    const oldNm = nmByAddress(OLD_ELF);
    const newNm = nmByAddress(NEW_ELF);
    if (oldNm && newNm) {
      const names = (m) => new Set([...m.values()].flatMap((v) => v.names));
      const before = names(oldNm);
      const after = names(newNm);
      for (const r of rows) {
        if (r[0] === 'added') assert(after.has(r[1]) && !before.has(r[1]), `added ${r[1]}`);
        if (r[0] === 'removed') assert(before.has(r[1]) && !after.has(r[1]), `removed ${r[1]}`);
      }
    }
    const flash = /flash ([+-][\d,]+|±0) B/.exec(summary);
    const size = (f2) => fs.statSync(f2).size;
    assert(flash && size(NEW_ELF) > 0, `summary: ${summary}`);
    console.log(`    ${summary}`);
    await shoot(wb, f, 'size-diff-dark', '#symbol-changes');
  }],

  ['import costs: a lens on main.go\'s import and on its function after a build; off with tinygo.size.importCosts (screenshot)', async (wb) => {
    await openWorkspaceMain(wb);
    const lens = wb.page.locator('.monaco-editor .codelens-decoration');
    const texts = await poll('the import cost lens', async () => {
      const t = await lens.allInnerTexts();
      return { ok: t.some((x) => /^time — [\d.]+ K?B flash, [\d.]+ K?B RAM/.test(x)) && t.some((x) => /[\d.]+ K?B code/.test(x)), value: t, detail: t };
    }, 60_000);
    console.log(`    lenses: ${texts.join(' | ')}`);
    await wb.screenshot('size-lens-dark');
    const settings = path.join(wb.folder, '.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, JSON.stringify({ 'tinygo.size.importCosts': false }, null, 2));
    try {
      await poll('no lens with the setting off', async () => {
        const t = await lens.allInnerTexts();
        return { ok: !t.some((x) => /flash|code/.test(x)), detail: t };
      });
    } finally {
      fs.writeFileSync(settings, '{}');
    }
  }],

  ['the symbol view, the map, the changes and the lens in the light theme (screenshots); then everything closed', async (wb) => {
    setTheme(wb, 'Default Light Modern');
    try {
      await openWorkspaceMain(wb);
      await poll('the lens back in the light theme', async () => {
        const t = await wb.page.locator('.monaco-editor .codelens-decoration').allInnerTexts();
        return { ok: t.some((x) => /^time — /.test(x)), detail: t };
      }, 60_000);
      await wb.screenshot('size-lens-light');
      await showSizePanel(wb.page);
      const f = panel(wb);
      await poll('webview in the light theme', async () => ({ ok: /vscode-light/.test((await f.locator('body').getAttribute('class')) ?? '') }));
      await mode(f, 'package');
      await shoot(wb, f, 'size-symbols-light', '#symbols');
      await mode(f, 'map');
      await shoot(wb, f, 'size-map-light', '#symbol-map');
      await mode(f, 'changes');
      await shoot(wb, f, 'size-diff-light', '#symbol-changes');
      await mode(f, 'largest');
    } finally {
      setTheme(wb, 'Default Dark Modern');
      await focusWorkbench(wb.page).catch(() => undefined);
      await runCommand(wb.page, 'View: Close All Editors').catch((e) => console.log(`    could not close the editors: ${e.message}`));
      setTheme(wb, undefined);
      fs.rmSync(path.join(wb.folder, 'build', `${NAME}.elf`), { force: true });
      fs.rmSync(path.join(wb.folder, 'build', `${NAME}.size.json`), { force: true });
      if (base) fs.rmSync(base, { recursive: true, force: true });
      // With its report deleted the extension forgets it (the status bar item goes): the next UI file starts clean.
      await poll('the size status bar item gone with the report', async () => {
        const n = await wb.page.locator('.statusbar-item', { hasText: /Flash .* RAM/ }).count();
        return { ok: n === 0, detail: n };
      });
    }
  }],
];

// "Why linked?" in a real VS Code on a real build: a small program that imports fmt (written by this test into
// whyfmt/ of the workspace) built with "TinyGo: Build" for feather-nrf52840 by the REAL tinygo (TGW_TINYGO, with the
// nRF support files: TGW_TINYGO_NRF=1), the size panel's symbol view by package, the "Why linked?" button on strconv
// (the extension asks the real `tinygo list -deps -json -target=feather-nrf52840 .`), then W on its row.
// Checked: the chain shown is main → fmt → strconv; the saving shown is what this test computes itself from its own
// `tinygo list -deps -json` run and the panel's per-package flash and RAM. Screenshots: size-why-linked-dark and
// -light. Skipped (printed) without a tinygo that builds nRF firmware. It puts back every setting and file it
// changed and closes the panel.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assert, editJson, oneLine, poll, quickOpenIn, resetWorkbench, runCommand, showSizePanel, sizePanel, waitForWorkbench } from './workbench.mjs';

export const modes = ['ui'];

const TARGET = 'feather-nrf52840';
const PKG = 'whyfmt';
const THEME = 'workbench.colorTheme';
const SETTINGS = ['tinygo.path', 'tinygo.target', 'tinygo.build.package', THEME];
const MAIN_GO = `package main

import (
	"fmt"
	"time"
)

func main() {
	for i := 0; ; i++ {
		println(fmt.Sprintf("tick %d", i))
		time.Sleep(time.Second)
	}
}
`;
const state = { skip: undefined, t0: Date.now(), elf: undefined, settings: undefined, buildDir: false, light: undefined };

const settingsFile = (wb) => path.join(wb.folder, '.vscode', 'settings.json');

/**
 * The packages the program stops linking without main's import of `cut`, from `tinygo list -deps -json` run here:
 * reachable from the main package and the runtime (TinyGo links it into every program) with and without that import.
 */
function goneWithout(dir, cut) {
  const r = spawnSync(process.env.TGW_TINYGO, ['list', '-deps', '-json', `-target=${TARGET}`, '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 110_000 });
  assert(r.status === 0, `tinygo list failed (${r.status ?? r.signal}): ${r.error?.message ?? r.stderr}`);
  // One object per package, each closed by a "}" alone on its line.
  const pkgs = r.stdout.split(/^}$/m).filter((t) => t.trim()).map((t) => JSON.parse(`${t}}`));
  const root = pkgs.find((p) => !p.DepOnly && p.Name === 'main')?.ImportPath;
  assert(root, 'the main package in tinygo list');
  const imports = new Map(pkgs.map((p) => [p.ImportPath, p.Imports ?? []]));
  const reach = (skip) => {
    const seen = new Set([root, 'runtime']);
    const queue = [...seen];
    while (queue.length) {
      const p = queue.shift();
      for (const q of imports.get(p) ?? []) {
        if ((p === root && q === skip) || seen.has(q)) continue;
        seen.add(q);
        queue.push(q);
      }
    }
    return seen;
  };
  const without = reach(cut);
  return [...reach()].filter((p) => !without.has(p));
}

/** `12.4 KB` / `180 B` as the panel prints them -> bytes, with the half unit the rounding may hide. */
function parseBytes(text) {
  const m = /^([\d.]+) (B|KB|MB)$/.exec(text.trim());
  assert(m, `a size: ${text}`);
  const unit = { B: 1, KB: 1024, MB: 1024 * 1024 }[m[2]];
  const decimals = m[1].includes('.') ? m[1].split('.')[1].length : 0;
  return { bytes: Number(m[1]) * unit, slack: m[2] === 'B' ? 0 : (0.5 / 10 ** decimals) * unit };
}

/** Clicks "Why linked?" on strconv's package row; resolves with the answer's text once it is there. */
async function askWhy(f, how) {
  const row = f.locator('#symbol-rows tr.sgroup[data-group="strconv"]');
  if (how === 'button') {
    await row.locator('button.why-button[data-why="strconv"]').click();
  } else {
    await row.focus();
    await row.press('w');
  }
  return poll('the answer for strconv (the real tinygo list runs)', async () => {
    const t = await f.locator('#why:not(.hidden) .why-chain').innerText().catch(() => '');
    return t ? oneLine(await f.locator('#why').innerText()) : undefined;
  }, 110_000, 250);
}

export const tests = [
  ['a real build of a program that imports fmt, for feather-nrf52840 (real tinygo)', async (wb) => {
    if (process.env.TGW_TINYGO_NRF !== '1' || !process.env.TGW_TINYGO) { state.skip = 'TGW_TINYGO_NRF is not 1 (no tinygo that builds nRF firmware)'; console.log(`    skipped: ${state.skip}`); return; }
    const { page } = wb;
    // What the clean-up puts back exactly.
    state.settings = fs.existsSync(settingsFile(wb)) ? fs.readFileSync(settingsFile(wb), 'utf8') : null;
    state.buildDir = fs.existsSync(path.join(wb.folder, 'build'));
    fs.mkdirSync(path.join(wb.folder, PKG), { recursive: true });
    fs.writeFileSync(path.join(wb.folder, PKG, 'main.go'), MAIN_GO);
    editJson(settingsFile(wb), (s) => { s['tinygo.path'] = process.env.TGW_TINYGO; s['tinygo.target'] = TARGET; s['tinygo.build.package'] = `./${PKG}`; });
    if ((await page.locator('.monaco-workbench').count()) === 0) {
      await page.goto(wb.url, { waitUntil: 'domcontentloaded' });
      await waitForWorkbench(page, 'main.go');
    }
    // The program open, as a person has it (the target's status bar item shows with a Go file active).
    await quickOpenIn(page, PKG);
    await page.locator('.statusbar .statusbar-item', { hasText: TARGET }).first().waitFor({ timeout: 60_000 });
    state.t0 = Date.now();
    await runCommand(page, 'TinyGo: Build');
    const report = path.join(wb.folder, 'build', `${PKG}-${TARGET}.size.json`);
    await poll('the build to write its size report', () => fs.existsSync(report) && fs.statSync(report).mtimeMs >= state.t0 - 1000, 110_000, 250);
    state.elf = report.replace(/\.size\.json$/, '.elf');
    assert(fs.existsSync(state.elf), `no ${state.elf}`);
    console.log(`    firmware: ${path.relative(wb.folder, state.elf)} (${fs.statSync(state.elf).size} B) in ${((Date.now() - state.t0) / 1000).toFixed(1)} s`);
  }],

  ['"Why linked?" on strconv: main → fmt → strconv, and the saving of removing fmt as computed from tinygo list (screenshot)', async (wb) => {
    if (state.skip) { console.log(`    skipped: ${state.skip}`); return; }
    assert(state.elf, 'no firmware from the test before');
    state.light = await wb.page.locator('.monaco-workbench.vs').count() > 0;
    editJson(settingsFile(wb), (s) => { s[THEME] = 'Default Dark Modern'; });
    // The whole height for the panel (a build may have shown Problems).
    if (await wb.page.locator('.part.panel').isVisible().catch(() => false)) await runCommand(wb.page, 'View: Hide Panel').catch(() => wb.page.keyboard.press('Escape'));
    await showSizePanel(wb.page);
    const f = sizePanel(wb);
    await poll('the webview in the dark theme', async () => /vscode-dark/.test((await f.locator('body').getAttribute('class').catch(() => '')) ?? ''), 30_000, 250);
    await poll('the panel to show the fmt build', async () => (await f.locator('#title').innerText().catch(() => '')).includes(TARGET) &&
      (await f.locator('button.mode[data-mode="package"]').count()) > 0, 60_000, 250);
    await f.locator('button.mode[data-mode="package"]').click();
    await f.locator('#symbol-rows tr.sgroup[data-group="strconv"]').waitFor({ timeout: 30_000 });
    // Each package's flash and RAM as the symbol view's group heads print them ("flash 1,234 B · RAM 0 B").
    const cost = new Map((await f.locator('#symbol-rows tr.sgroup').evaluateAll((trs) => trs.map((tr) => [tr.dataset.group, tr.querySelector('td.note')?.textContent ?? ''])))
      .map(([name, note]) => {
        const m = /flash ([\d,]+) B · RAM ([\d,]+) B/.exec(note);
        return [name, { flash: Number(m?.[1].replace(/,/g, '') ?? NaN), ram: Number(m?.[2].replace(/,/g, '') ?? NaN) }];
      }));
    assert(cost.has('fmt') && cost.has('strconv') && cost.get('fmt').flash > 0, `package heads: ${[...cost.keys()].join(' ')}`);

    const text = await askWhy(f, 'button');
    console.log(`    shown: ${text}`);
    const chain = oneLine(await f.locator('#why .why-chain').innerText());
    assert(chain === 'strconv is linked through the imports: main → fmt → strconv', `chain: ${chain}`);
    const m = /Removing the import of fmt from main would save about ([\d.]+ K?B) of flash and ([\d.]+ K?B) of RAM: (\d+) package\(s\) only it pulls in \((.*)\)\.$/.exec(text);
    assert(m, `the saving: ${text}`);
    const gone = goneWithout(path.join(wb.folder, PKG), 'fmt');
    assert(gone.includes('fmt') && gone.includes('strconv') && !gone.includes('time') && !gone.includes('runtime'), `gone without fmt: ${gone.join(' ')}`);
    assert(Number(m[3]) === gone.length, `${m[3]} packages shown, ${gone.length} by tinygo list: ${gone.join(' ')}`);
    const want = gone.reduce((t, p) => ({ flash: t.flash + (cost.get(p)?.flash ?? 0), ram: t.ram + (cost.get(p)?.ram ?? 0) }), { flash: 0, ram: 0 });
    for (const [shown, bytes, what] of [[m[1], want.flash, 'flash'], [m[2], want.ram, 'RAM']]) {
      const p = parseBytes(shown);
      assert(Math.abs(p.bytes - bytes) <= p.slack + 1e-9, `${what}: shown ${shown}, the packages tinygo list drops weigh ${bytes} B`);
    }
    console.log(`    tinygo list: without fmt ${gone.length} packages go (${gone.join(', ')}): ${want.flash} B flash, ${want.ram} B RAM`);
    await f.locator('#why').scrollIntoViewIfNeeded();
    await wb.screenshot('size-why-linked-dark');

    // The keyboard: closed, then W on the package's row asks again.
    await f.locator('#why .why-close').click();
    await poll('the answer closed', async () => (await f.locator('#why.hidden').count()) === 1);
    const again = await askWhy(f, 'key');
    assert(again === text, `W gives the same answer: ${again}`);
  }],

  ['"Why linked?" in the light theme (screenshot)', async (wb) => {
    if (state.skip) { console.log(`    skipped: ${state.skip}`); return; }
    editJson(settingsFile(wb), (s) => { s[THEME] = 'Default Light Modern'; });
    const f = sizePanel(wb);
    await poll('the webview in the light theme', async () => /vscode-light/.test((await f.locator('body').getAttribute('class').catch(() => '')) ?? ''), 30_000, 250);
    const text = await askWhy(f, 'button');
    assert(/main → fmt → strconv/.test(text), text);
    await f.locator('#why').scrollIntoViewIfNeeded();
    await wb.screenshot('size-why-linked-light');
  }],

  ['(clean-up) the program, its firmware and report, the settings and the panel put back', async (wb) => {
    // Removing the theme setting leaves the window's theme as it is: name the one it had first.
    if (state.light !== undefined) editJson(settingsFile(wb), (s) => { s[THEME] = state.light ? 'Default Light Modern' : 'Default Dark Modern'; });
    if (state.light !== undefined && (await wb.page.locator('.monaco-workbench').count()) > 0) {
      await poll('the theme the window had', async () => (await wb.page.locator(`.monaco-workbench.${state.light ? 'vs' : 'vs-dark'}`).count()) > 0, 30_000, 250);
    }
    if (state.settings === null) fs.rmSync(settingsFile(wb), { force: true });
    else if (state.settings !== undefined) fs.writeFileSync(settingsFile(wb), state.settings);
    else editJson(settingsFile(wb), (s) => { for (const k of SETTINGS) delete s[k]; });
    fs.rmSync(path.join(wb.folder, PKG), { recursive: true, force: true });
    const build = path.join(wb.folder, 'build');
    for (const f of fs.existsSync(build) ? fs.readdirSync(build) : []) {
      if (f.startsWith(`${PKG}-`)) fs.rmSync(path.join(build, f), { recursive: true, force: true });
    }
    if ((await wb.page.locator('.monaco-workbench').count()) > 0) {
      // With its report deleted the extension forgets it (the status bar item goes): the next UI file starts clean.
      await poll('the size status bar item gone with the report', async () => (await wb.page.locator('.statusbar-item', { hasText: /Flash .* RAM/ }).count()) === 0, 60_000);
      await resetWorkbench(wb.page);
    }
    // Only now: the watcher reports a deleted folder, not the report file in it, and the report would stay shown.
    if (!state.buildDir && fs.existsSync(build) && fs.readdirSync(build).length === 0) fs.rmSync(build, { recursive: true, force: true });
  }],
];

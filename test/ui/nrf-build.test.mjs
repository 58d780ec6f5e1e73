// A real nRF52 build as a person sees it (issue 15): the example (this run's workspace) built with "TinyGo: Build"
// for feather-nrf52840 by the real tinygo (TGW_TINYGO, with the nRF support files: TGW_TINYGO_NRF=1). A real ARM
// compile error in Problems on its line; the real -print-allocs lines of the module in Problems; the size panel of
// that build, its totals checked against llvm-size-19's reading of the same ELF (flash = text + data, RAM = data +
// bss). Screenshots: nrf-build-error, nrf-build-allocs, nrf-size-panel. Skipped (printed) without a tinygo that
// builds nRF firmware.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assert, editJson, oneLine, poll, problemsFiltered as problems, quickOpen, resetWorkbench, runCommand, waitForWorkbench } from './workbench.mjs';

export const modes = ['ui'];

const TARGET = 'feather-nrf52840';
const BUILD_SOURCE = 'TinyGo build';
const HEAP = 'heap allocation (TinyGo compiler)';
const BROKEN = 'ui_broken_arm.go';
const state = { skip: undefined, t0: Date.now() };

/** The newest .elf under build/ written after `since`. */
function newestElf(wb, since) {
  const dir = path.join(wb.folder, 'build');
  if (!fs.existsSync(dir)) return undefined;
  const elfs = fs.readdirSync(dir).filter((f) => f.endsWith('.elf')).map((f) => path.join(dir, f))
    .map((f) => ({ f, t: fs.statSync(f).mtimeMs })).filter((e) => e.t >= since - 1000).sort((a, b) => b.t - a.t);
  return elfs[0]?.f;
}

const num = (s) => Number(String(s).replace(/[^\d]/g, ''));

export const tests = [
  ['a real ARM compile error for feather-nrf52840 lands in Problems on its line', async (wb) => {
    if (process.env.TGW_TINYGO_NRF !== '1' || !process.env.TGW_TINYGO) { state.skip = 'TGW_TINYGO_NRF is not 1 (no tinygo that builds nRF firmware)'; console.log(`    skipped: ${state.skip}`); return; }
    const { page } = wb;
    editJson(path.join(wb.folder, '.vscode', 'settings.json'), (s) => { s['tinygo.path'] = process.env.TGW_TINYGO; s['tinygo.target'] = TARGET; });
    // machine.LED is a machine.Pin on this board: the method is missing for the ARM target's machine package.
    fs.writeFileSync(path.join(wb.folder, BROKEN), 'package main\n\nimport "machine"\n\nfunc uiBroken() {\n\tmachine.LED.NoSuchMethod()\n}\n');
    if ((await page.locator('.monaco-workbench').count()) === 0) {
      await page.goto(wb.url, { waitUntil: 'domcontentloaded' });
      await waitForWorkbench(page, 'main.go');
    }
    await quickOpen(page, BROKEN);
    await page.locator('.statusbar .statusbar-item', { hasText: TARGET }).first().waitFor({ timeout: 60_000 });
    const panel = await problems(page, 'NoSuchMethod');
    const row = panel.locator('.monaco-list-row', { hasText: 'NoSuchMethod' }).filter({ hasText: BUILD_SOURCE }).first();
    state.t0 = Date.now();
    await runCommand(page, 'TinyGo: Build');
    await row.waitFor({ timeout: 110_000 });
    const text = oneLine(await row.innerText());
    console.log(`    problem: ${text}`);
    assert(text.includes('Ln 6, Col'), `the build error is not on line 6 of ${BROKEN}: ${text}`);
    await wb.screenshot('nrf-build-error');
  }],

  ['the real -print-allocs lines of the example land in Problems on main.go\'s lines', async (wb) => {
    if (state.skip) { console.log(`    skipped: ${state.skip}`); return; }
    const { page } = wb;
    fs.rmSync(path.join(wb.folder, BROKEN), { force: true });
    await quickOpen(page, 'main.go');
    const panel = await problems(page, HEAP);
    const heapRows = panel.locator('.monaco-list-row', { hasText: HEAP });
    const t0 = Date.now();
    await runCommand(page, 'TinyGo: Build');
    const elf = await poll('the build to write the ELF', () => newestElf(wb, t0), 110_000, 250);
    // Both allocations the example makes on purpose: echo()'s non-constant make (line 53), `go blink` (line 17).
    const texts = await poll('the compiler\'s heap allocations of main.go lines 17 and 53', async () => {
      const t = (await heapRows.allInnerTexts()).map(oneLine);
      return t.some((r) => r.includes('Ln 53,')) && t.some((r) => r.includes('Ln 17,')) ? t : undefined;
    }, 60_000, 250);
    for (const t of texts) console.log(`    problem: ${t}`);
    // The report's lines in TinyGo's own runtime (baremetal.go, slice.go, task_stack.go) are not the user's to fix.
    const runtimeRows = await panel.locator('.monaco-list-row', { hasText: /baremetal\.go|slice\.go|task_stack\.go/ }).count();
    assert(runtimeRows === 0, `${runtimeRows} Problems rows name TinyGo's runtime files`);
    const stale = await page.locator('.markers-panel .monaco-list-row', { hasText: 'NoSuchMethod' }).count();
    console.log(`    firmware: ${path.relative(wb.folder, elf)}; rows of the fixed error left: ${stale}`);
    await wb.screenshot('nrf-build-allocs');
    state.elf = elf;
  }],

  ['the size panel shows that real build, its totals equal to llvm-size-19 on the same ELF', async (wb) => {
    if (state.skip) { console.log(`    skipped: ${state.skip}`); return; }
    assert(state.elf, 'no firmware from the test before');
    const { page } = wb;
    const r = spawnSync('llvm-size-19', [state.elf], { encoding: 'utf8' });
    if (r.status !== 0) { console.log(`    skipped the comparison: llvm-size-19 failed (${r.error?.message ?? r.stderr})`); }
    await runCommand(page, 'TinyGo: Show Size Report');
    const frame = await poll('the size panel\'s page', async () => {
      for (const f of page.frames()) if (await f.locator('#foot tr.total').count().catch(() => 0)) return f;
      return undefined;
    }, 60_000, 250);
    const title = oneLine(await frame.locator('#title').innerText());
    assert(title.includes(TARGET), `panel title: ${title}`);
    const total = (await frame.locator('#foot tr.total').first().locator('th, td').allInnerTexts()).map((t) => t.trim());
    // Total, code, rodata, data, bss, flash, ram, Δflash, Δram.
    const [, , , data, bss, flash, ram] = total.map(num);
    console.log(`    panel total row: ${total.join(' | ')}`);
    if (r.status === 0) {
      const [text, sdata, sbss] = r.stdout.trim().split('\n')[1].trim().split(/\s+/).map(Number);
      console.log(`    llvm-size-19: text ${text}, data ${sdata}, bss ${sbss} -> flash ${text + sdata}, RAM ${sdata + sbss}`);
      assert(flash === text + sdata, `flash: panel ${flash}, llvm-size ${text + sdata}`);
      assert(ram === sdata + sbss && data === sdata && bss === sbss, `RAM: panel ${ram} (data ${data}, bss ${bss}), llvm-size ${sdata + sbss}`);
    }
    const usage = oneLine(await frame.locator('#usage').innerText());
    console.log(`    usage: ${usage}`);
    await wb.screenshot('nrf-size-panel');
  }],

  ['(clean-up) the broken file, the settings and the firmware of this file removed', async (wb) => {
    fs.rmSync(path.join(wb.folder, BROKEN), { force: true });
    editJson(path.join(wb.folder, '.vscode', 'settings.json'), (s) => { delete s['tinygo.path']; delete s['tinygo.target']; });
    const build = path.join(wb.folder, 'build');
    for (const f of fs.existsSync(build) ? fs.readdirSync(build) : []) {
      const file = path.join(build, f);
      if (fs.statSync(file).mtimeMs >= state.t0 - 1000) fs.rmSync(file, { recursive: true, force: true });
    }
    await resetWorkbench(wb.page);
  }],
];

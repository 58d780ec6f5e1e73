// The size panel in a real VS Code: a known report (test/fixtures/size/panel/report1.json) written where a build
// writes it (build/<package>.size.json beside the firmware), opened with "TinyGo: Show Size Report"; the numbers,
// sorting, the keyboard, the delta column after a second report, a budget in the Problems panel, and screenshots in
// the dark and the light theme. The panel is a webview: an iframe (VS Code's) holding another (the page).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assert, problemsRow, runCommand, selectTarget, sizePanel as panel, pollValue as poll, waitForWorkbench } from './workbench.mjs';

export const modes = ['ui'];

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/size/panel');
const REPORT_NAME = 'feather-blinky.size.json';
const FAKE_TINYGO = path.resolve(import.meta.dirname, '../fixtures/fake-tinygo-build/tinygo');

function reportFile(wb) {
  return path.join(wb.folder, 'build', REPORT_NAME);
}

function writeReport(wb, n) {
  const file = reportFile(wb);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written under another name and renamed, as the extension does, so the watcher sees one complete file.
  fs.writeFileSync(`${file}.tmp`, fs.readFileSync(path.join(FIXTURES, `report${n}.json`)));
  fs.renameSync(`${file}.tmp`, file);
}

async function cells(frame, rowSelector) {
  return (await frame.locator(rowSelector).first().locator('th, td').allInnerTexts()).map((t) => t.trim());
}

async function userRows(frame) {
  return frame.locator('#rows tr.row').evaluateAll((trs) => trs.map((tr) => tr.dataset.name));
}

async function statusBarText(page) {
  return (await page.locator('.statusbar-item', { hasText: /Flash .* RAM/ }).first().innerText()).trim();
}

/** F1 does not reach the workbench while the keyboard focus is inside a webview: give it back first. */
async function focusWorkbench(page) {
  await page.locator('.part.sidebar .composite.title').first().click();
}

/** Through the workspace settings (the theme picker's first row depends on what was picked before). */
function setTheme(wb, theme) {
  const settings = path.join(wb.folder, '.vscode', 'settings.json');
  fs.mkdirSync(path.dirname(settings), { recursive: true });
  fs.writeFileSync(settings, JSON.stringify(theme ? { 'workbench.colorTheme': theme } : {}, null, 2));
}

export const tests = [
  ['"TinyGo: Show Size Report" shows the right numbers for a known report', async (wb) => {
    if ((await wb.page.locator('.monaco-workbench').count()) === 0) {
      await wb.page.goto(wb.url, { waitUntil: 'domcontentloaded' });
      await waitForWorkbench(wb.page, 'main.go');
    }
    writeReport(wb, 1);
    await runCommand(wb.page, 'TinyGo: Show Size Report');
    const f = panel(wb);
    await f.locator('#rows tr.row[data-name="main"]').waitFor({ timeout: 30_000 });
    const title = (await f.locator('#title').innerText()).trim();
    assert(title === 'Size report · feather-nrf52840', `title: ${title}`);
    const total = await cells(f, '#foot tr.total');
    // code, rodata, data, bss, flash, ram, Δflash, Δram: no previous build yet, so no deltas.
    assert(JSON.stringify(total) === JSON.stringify(['Total', '12,846', '2,404', '40', '2,600', '15,290', '2,640', '–', '–']), `total row: ${total}`);
    const main = await cells(f, '#rows tr.row[data-name="main"]');
    assert(JSON.stringify(main) === JSON.stringify(['main', '120', '27', '0', '0', '147', '0', '–', '–']), `main row: ${main}`);
    const usage = (await f.locator('#usage').innerText()).replace(/\s+/g, ' ');
    assert(usage.includes('Flash 14.9 KB / 796 KB (1.9%)') && usage.includes('RAM 2.6 KB / 240 KB (1.1%)'), `usage: ${usage}`);
    const groups = await f.locator('#rows tr.group-head th').allInnerTexts();
    assert(JSON.stringify(groups.map((g) => g.replace(/^[▾▸]\s*/, '').trim())) === JSON.stringify([
      'Your packages (2)', 'Dependencies (modules) (1)', 'Go standard library (2)', 'TinyGo runtime and machine (2)', 'C libraries (3)', 'Special rows (4)',
    ]), `groups: ${groups}`);
    const memory = (await f.locator('#memory').innerText()).replace(/\s+/g, ' ');
    assert(memory.includes('C stack 2.0 KB') && memory.includes('Static RAM (data + bss) 592 B') && memory.includes('Heap left for the GC 237 KB'), `memory: ${memory}`);
    assert((await f.locator('#count').innerText()).trim() === '14 packages', 'count');
    const bar = await poll('status bar', async () => {
      const t = await statusBarText(wb.page);
      return { ok: t === 'Flash 14.9 KB / 796 KB · RAM 2.6 KB / 240 KB', value: t, detail: t };
    });
    console.log(`    status bar: ${bar}`);
    // What a screen reader says: VS Code reads the item's own label, else its text plus the tooltip's markdown source.
    const label = await wb.page.locator('.statusbar-item', { hasText: /Flash .* RAM/ }).first()
      .evaluate((el) => el.getAttribute('aria-label') ?? el.querySelector('[aria-label]')?.getAttribute('aria-label') ?? '');
    assert(!label.includes('&nbsp;') && !label.includes('&'), `the status bar item's accessible label: ${label}`);
    assert(label.includes('Flash 14.9 KB / 796 KB') && label.includes('RAM 2.6 KB / 240 KB'), `the accessible label says the numbers: ${label}`);
    console.log(`    accessible label: ${label}`);
    await wb.screenshot('size-dark');
  }],

  ['sorting by a column header, both ways, with aria-sort', async (wb) => {
    const f = panel(wb);
    let names = await userRows(f);
    assert(names[0] === 'main' && names[1] === 'example.com/feather-blinky/led', `default (flash, largest first): ${names.slice(0, 2)}`);
    await f.locator('th[data-col="name"] button').click();
    assert((await f.locator('th[data-col="name"]').getAttribute('aria-sort')) === 'ascending', 'aria-sort after a click on Package');
    names = await userRows(f);
    assert(names[0] === 'example.com/feather-blinky/led' && names[1] === 'main', `by name: ${names.slice(0, 2)}`);
    const std = names.filter((n) => n === 'fmt' || n === 'strconv');
    assert(JSON.stringify(std) === '["fmt","strconv"]', `stdlib by name: ${std}`);
    await f.locator('th[data-col="name"] button').click();
    assert((await f.locator('th[data-col="name"]').getAttribute('aria-sort')) === 'descending', 'second click turns the order');
    names = await userRows(f);
    assert(names[0] === 'main', `by name, descending: ${names.slice(0, 2)}`);
    await f.locator('th[data-col="flash"] button').click();
    assert((await f.locator('th[data-col="flash"]').getAttribute('aria-sort')) === 'descending', 'Flash sorts largest first');
    assert((await f.locator('th[data-col="name"]').getAttribute('aria-sort')) === null, 'only one column is sorted');
  }],

  ['the table works with the keyboard: arrows move between rows, the filter narrows them', async (wb) => {
    const f = panel(wb);
    await f.locator('#rows tr.line').first().focus();
    await wb.page.keyboard.press('ArrowDown');
    await wb.page.keyboard.press('ArrowDown');
    const focused = await f.locator(':focus').getAttribute('data-name');
    assert(focused === 'example.com/feather-blinky/led', `focused after two ArrowDown: ${focused}`);
    await wb.page.keyboard.press('End');
    assert((await f.locator(':focus').getAttribute('aria-rowindex')) === '21', 'End goes to the last line (6 groups + 14 rows, after the header)');
    await f.locator('#filter input').fill('group:std');
    await poll('filter', async () => {
      const t = (await f.locator('#count').innerText()).trim();
      return { ok: t === '2 of 14 packages shown', detail: t };
    });
    await f.locator('#filter input').fill('');
  }],

  ['after a second build the delta column shows the change per package and in total', async (wb) => {
    writeReport(wb, 2);
    const f = panel(wb);
    await f.locator('#rows tr.row[data-name="unicode/utf8"]').waitFor({ timeout: 30_000 });
    const main = await cells(f, '#rows tr.row[data-name="main"]');
    assert(main[5] === '1,447' && main[7] === '+1,300' && main[8] === '±0', `main row: ${main}`);
    const gone = await cells(f, '#rows tr.row[data-name="strconv"]');
    assert(gone[0].includes('removed') && gone[7] === '-2,430', `strconv row: ${gone}`);
    const added = await cells(f, '#rows tr.row[data-name="unicode/utf8"]');
    assert(added[0].includes('new') && added[7] === '+180', `unicode/utf8 row: ${added}`);
    const total = await cells(f, '#foot tr.total');
    assert(total[5] === '14,340' && total[7] === '-950' && total[8] === '+40', `total row: ${total}`);
    await f.locator('th[data-col="deltaFlash"] button').click();
    const first = await userRows(f);
    assert(first[0] === 'main', `sorted by Δ flash: ${first.slice(0, 3)}`);
    const bar = await poll('status bar with deltas', async () => {
      const t = await statusBarText(wb.page);
      return { ok: t === 'Flash 14.0 KB / 796 KB (-950 B) · RAM 2.6 KB / 240 KB (+40 B)', value: t, detail: t };
    });
    console.log(`    status bar: ${bar}`);
    await wb.screenshot('size-delta-dark');
  }],

  ['a flash budget that is exceeded is a problem on go.mod and a warning in the status bar', async (wb) => {
    const settings = path.join(wb.folder, '.vscode', 'settings.json');
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, JSON.stringify({ 'tinygo.size.flashBudget': '10KB' }, null, 2));
    try {
      const row = await problemsRow(wb.page, 'exceeds the budget');
      const text = (await row.innerText()).replace(/\s+/g, ' ');
      assert(text.includes('Flash 14.0 KB exceeds the budget of 10.0 KB (10KB) by 4.0 KB'), `problem: ${text}`);
      const file = (await wb.page.locator('.markers-panel .monaco-list-row', { hasText: 'go.mod' }).count()) > 0;
      assert(file, 'the problem is listed under go.mod');
      const t = await poll('status bar warning', async () => {
        const s = await statusBarText(wb.page);
        return { ok: s.includes('Flash 14.0 KB'), value: s, detail: s };
      });
      const warned = await wb.page.locator('.statusbar-item.warning-kind, .statusbar-item', { hasText: /Flash 14\.0 KB/ }).first().evaluate((el) => el.outerHTML.includes('codicon-warning'));
      assert(warned, `status bar has no warning icon: ${t}`);
    } finally {
      fs.writeFileSync(settings, '{}');
    }
  }],

  ['the panel follows the light theme (screenshot)', async (wb) => {
    await focusWorkbench(wb.page);
    await runCommand(wb.page, 'TinyGo: Show Size Report');
    setTheme(wb, 'Default Light Modern');
    const f = panel(wb);
    await poll('webview in the light theme', async () => {
      const cls = await f.locator('body').getAttribute('class');
      return { ok: /vscode-light/.test(cls ?? ''), detail: cls };
    });
    const bg = await f.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
    assert(bg === 'rgb(255, 255, 255)', `light background: ${bg}`);
    await wb.screenshot('size-light');
    // Removing the setting leaves the theme as it is: name the dark one, then leave the settings empty.
    setTheme(wb, 'Default Dark Modern');
    await poll('back to the dark theme', async () => {
      const cls = await f.locator('body').getAttribute('class');
      return { ok: /vscode-dark/.test(cls ?? ''), detail: cls };
    });
    setTheme(wb, undefined);
  }],
  ['a real build (scripted tinygo) updates the panel; a failed build shows the failure over the last good report', async (wb) => {
    const settings = path.join(wb.folder, '.vscode', 'settings.json');
    const scenario = path.join(wb.folder, '.fake-tinygo');
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, JSON.stringify({ 'tinygo.path': FAKE_TINYGO }, null, 2));
    fs.writeFileSync(scenario, 'ok\n');
    const f = panel(wb);
    try {
      // The toolchain may still hold the state from before tinygo.path was set: one more try is what a user does.
      let built = false;
      for (let attempt = 0; attempt < 3 && !built; attempt++) {
        await focusWorkbench(wb.page);
        await runCommand(wb.page, 'TinyGo: Build');
        built = await poll('a successful build reaches the panel', async () => {
          const total = await cells(f, '#foot tr.total');
          return { ok: total[5] === '8,108', value: true, detail: total.join(' ') };
        }, 20_000).catch((e) => { console.log(`    attempt ${attempt + 1}: ${e.message}`); return false; });
      }
      assert(built, 'no build reached the panel');
      const main = await cells(f, '#rows tr.row[data-name="main"]');
      assert(main[5] === '147', `main row after the build: ${main}`);
      const json = path.join(wb.folder, 'build', 'workspace.size.json');
      assert(fs.existsSync(json), `the JSON report was not written beside the firmware: ${json}`);
      const written = JSON.parse(fs.readFileSync(json, 'utf8'));
      assert(written.schemaVersion === 1 && written.totals.flash === 8108, `JSON report: ${JSON.stringify(written.totals)}`);

      fs.writeFileSync(scenario, 'overflow\n');
      await focusWorkbench(wb.page);
      await runCommand(wb.page, 'TinyGo: Build');
      await f.locator('#failure', { hasText: 'The last build failed' }).waitFor({ timeout: 60_000 });
      const why = await f.locator('#failure .failure-message').innerText();
      assert(/1234 bytes/.test(why), `the failure says why: ${why}`);
      const badges = await f.locator('#badges').innerText();
      assert(badges.includes('Last good build'), `badges: ${badges}`);
      const failure = await f.locator('#failure').innerText();
      assert(failure.includes('The numbers below are from the last good build'), `failure banner: ${failure}`);
      const total = await cells(f, '#foot tr.total');
      assert(total[5] === '8,108', `the last good numbers stay: ${total}`);
      const bar = await poll('status bar after the failure', async () => {
        const t = await statusBarText(wb.page);
        return { ok: t.includes('Build failed') && t.includes('last good: Flash 7.9 KB'), value: t, detail: t };
      });
      console.log(`    status bar: ${bar}`);
      await wb.page.keyboard.press('Escape');
      await wb.screenshot('size-failed-dark');
    } finally {
      fs.writeFileSync(settings, '{}');
      fs.rmSync(scenario, { force: true });
    }
  }],
  ['clicking one of your packages reveals it in the editor', async (wb) => {
    const f = panel(wb);
    await f.locator('button[data-reveal="main"]').first().click();
    await wb.page.locator('.tabs-container .tab.active', { hasText: 'main.go' }).waitFor({ timeout: 30_000 });
    const led = await f.locator('#rows tr.row[data-name="example.com/feather-blinky/led"] button[data-reveal]').count();
    assert(led === 0, 'a package that is not on disk is not offered for revealing');
  }],
  ['the panel survives a window reload (serializer) with its numbers and the failure mark', async (wb) => {
    await wb.page.reload({ waitUntil: 'domcontentloaded' });
    await waitForWorkbench(wb.page, 'main.go');
    const f = panel(wb);
    await f.locator('#foot tr.total').waitFor({ timeout: 60_000 });
    const total = await poll('numbers after the reload', async () => {
      const t = await cells(f, '#foot tr.total');
      return { ok: t[5] === '8,108', value: t, detail: t.join(' ') };
    });
    const badges = await f.locator('#badges').innerText();
    assert(badges.includes('Last good build'), `after the reload the report is still marked as the last good one: ${badges}`);
    console.log(`    after reload: ${total.join(' ')}`);
  }],
  ['a narrow panel (~620 px, ~400 px): number columns give way, the package names stay readable (screenshots)', async (wb) => {
    const f = panel(wb);
    await f.locator('#rows tr.row[data-name="main"]').waitFor({ timeout: 30_000 });
    const original = wb.page.viewportSize();
    const panelWidth = () => f.locator('body').evaluate(() => document.documentElement.clientWidth);
    /** Resizes the window until the panel is about `want` px wide (the side bar keeps its width). */
    async function narrowTo(want) {
      for (let i = 0; i < 4; i++) {
        const now = await panelWidth();
        if (Math.abs(now - want) <= 12) return now;
        const vp = wb.page.viewportSize();
        await wb.page.setViewportSize({ width: Math.max(320, vp.width - (now - want)), height: vp.height });
        await poll('the panel follows the window', async () => {
          const w = await panelWidth();
          return { ok: w !== now, value: w, detail: w };
        }, 10_000).catch(() => undefined);
      }
      return panelWidth();
    }
    const measure = () => f.locator('#packages').evaluate((table) => {
      const box = (el) => (el ? el.getBoundingClientRect() : undefined);
      const nameHead = box(table.querySelector('thead th[data-col="name"]'));
      const shown = [...table.querySelectorAll('thead th')].filter((th) => th.checkVisibility()).map((th) => th.dataset.col);
      const names = [...table.querySelectorAll('#rows tr.row th.name')].map((th) => {
        const inner = th.firstElementChild;
        return { name: th.parentElement.dataset.name, width: box(th).width, textWidth: inner ? box(inner).width : 0, visible: th.checkVisibility() };
      });
      return { nameHead: nameHead?.width ?? 0, shown, names, table: box(table).width, scroll: table.parentElement.scrollWidth - table.parentElement.clientWidth };
    });
    try {
      for (const want of [620, 400]) {
        const got = await narrowTo(want);
        const m = await measure();
        console.log(`    panel ${got} px: Package column ${Math.round(m.nameHead)} px, columns ${m.shown.join(' ')}`);
        assert(Math.abs(got - want) <= 40, `could not make the panel ${want} px wide (it is ${got} px)`);
        assert(m.nameHead >= 150, `at ${got} px the Package column is ${m.nameHead} px wide`);
        assert(m.scroll <= 1, `at ${got} px the table scrolls sideways by ${m.scroll} px`);
        assert(m.shown.includes('flash') && m.shown.includes('ram'), `Flash and RAM stay: ${m.shown}`);
        assert(!m.shown.includes('code') && !m.shown.includes('bss'), `the breakdown gives way first: ${m.shown}`);
        if (want === 400) assert(!m.shown.includes('deltaFlash'), `at ${got} px the delta columns give way too: ${m.shown}`);
        const main = m.names.find((n) => n.name === 'main');
        assert(main && main.visible && main.width >= 150 && main.textWidth > 10, `the name "main": ${JSON.stringify(main)}`);
        for (const n of m.names) assert(n.width >= 150, `name cell ${n.name}: ${n.width} px`);
        const note = (await f.locator('#narrow-note').innerText()).trim();
        assert(/The panel is narrow/.test(note), `the panel says what it hides: ${note}`);
        await wb.screenshot(`size-narrow-${want}`);
      }
    } finally {
      if (original) await wb.page.setViewportSize(original);
    }
    await poll('wide again: every column back', async () => {
      const m = await measure();
      return { ok: m.shown.length === 9, detail: m.shown.join(' ') };
    });
  }],
  ['a first build: the panel says what the compiler, the goroutine stacks and the editor hints each know, and explains unbounded stacks (screenshot)', async (wb) => {
    const settings = path.join(wb.folder, '.vscode', 'settings.json');
    const scenario = path.join(wb.folder, '.fake-tinygo');
    fs.mkdirSync(path.dirname(settings), { recursive: true });
    fs.writeFileSync(settings, JSON.stringify({ 'tinygo.path': FAKE_TINYGO }, null, 2));
    fs.writeFileSync(scenario, 'stacks\n');
    const f = panel(wb);
    try {
      // -print-stacks is asked for on ARM targets with the tasks scheduler only.
      await focusWorkbench(wb.page);
      await selectTarget(wb.page, 'feather-nrf52840');
      // This run's TinyGo cache (XDG_CACHE_HOME of the run) has no libraries for the chip yet: the progress says why
      // the build is slow. The stand-in takes 2 s, and leaves the libraries behind as tinygo does.
      // Every notification text shown while the build runs, recorded in the page as it changes (a progress
      // notification lasts as long as the build).
      await wb.page.evaluate(() => {
        const seen = new Set();
        window.tgwToasts = seen;
        const record = () => { for (const el of document.querySelectorAll('.notification-toast, .notification-list-item')) seen.add(el.textContent.replace(/\s+/g, ' ').trim()); };
        window.tgwToastObserver = new MutationObserver(record);
        window.tgwToastObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      let built = false;
      for (let attempt = 0; attempt < 3 && !built; attempt++) {
        await focusWorkbench(wb.page);
        await runCommand(wb.page, 'TinyGo: Build');
        // This harness's headless window shows notifications in the center only (no toasts): open it to watch.
        if (!(await wb.page.locator('.notifications-center').isVisible().catch(() => false))) await wb.page.locator('#status\\.notifications').click();
        built = await poll('the build with goroutine stacks reaches the panel', async () => {
          const t = (await f.locator('#memory').innerText()).replace(/\s+/g, ' ');
          return { ok: t.includes('Goroutine stacks (-print-stacks)'), value: true, detail: t.slice(0, 300) };
        }, 30_000).catch((e) => { console.log(`    attempt ${attempt + 1}: ${e.message}`); return false; });
      }
      assert(built, 'no build with goroutine stacks reached the panel');
      const toasts = await wb.page.evaluate(() => { window.tgwToastObserver.disconnect(); return [...window.tgwToasts]; });
      const note = toasts.find((t) => t.includes('first build for this chip'));
      if (!note) console.log(`    notifications seen: ${toasts.join(' | ') || 'none'}`);
      assert(note && /TinyGo: building for feather-nrf52840/.test(note) && /TinyGo compiles its C libraries once, which takes a minute or two/.test(note), `the first build's progress says why it is slow: ${note}`);
      console.log(`    progress: ${note.slice(0, 200)}`);
      await wb.page.keyboard.press('Escape');
      const memory = (await f.locator('#memory').innerText()).replace(/\s+/g, ' ');
      assert(!memory.includes('kept every object'), `the panel no longer says nothing is on the heap: ${memory}`);
      assert(!/precision|recall/.test(memory), `no statistics words: ${memory}`);
      assert(memory.includes('no heap allocation in your code that is in the firmware'), `what the compiler knows: ${memory}`);
      assert(/Goroutine stacks are on the heap too: the runtime allocates one when a go statement starts a goroutine \(2 here/.test(memory), `goroutine stacks: ${memory}`);
      assert(/The editor marks \d+ line\(s\) as possibly allocating; the compiler confirms 0\. The other \d+ are code that is not in the firmware/.test(memory), `what the editor knows: ${memory}`);
      const notes = await f.locator('ul.stack-notes li').allInnerTexts();
      assert(notes.length === 2, `one explanation per goroutine without a size: ${notes.length}`);
      assert(/main\.blink: TinyGo could not compute the most stack this goroutine needs: runtime\.nilPanic may call itself/.test(notes[0]) && /tinygo\.build\.stackSize/.test(notes[0]) && /\(2\.0 KB\)/.test(notes[0]),
        `the recursion is explained with what to do: ${notes[0]}`);
      const cellsText = (await f.locator('vscode-data-grid').innerText()).replace(/\s+/g, ' ');
      assert(cellsText.includes('no bound (recursion)'), `the stack cell: ${cellsText}`);
      console.log(`    ${notes[0].slice(0, 160)}…`);
      await f.locator('#memory h3', { hasText: 'Goroutine stacks' }).scrollIntoViewIfNeeded();
      await wb.page.keyboard.press('Escape');
      await wb.screenshot('size-allocations-stacks');
      await f.locator('#memory p.alloc-summary').last().scrollIntoViewIfNeeded();
      await wb.screenshot('size-allocations-summary');
    } finally {
      await focusWorkbench(wb.page).then(() => selectTarget(wb.page, 'None (plain Go)')).catch((e) => console.log(`    could not reset the target: ${e.message}`));
      fs.writeFileSync(settings, '{}');
      fs.rmSync(scenario, { force: true });
    }
  }],
];

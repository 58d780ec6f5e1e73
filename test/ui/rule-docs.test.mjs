// A rule link (the finding's code, `reflect-unsupported`) opens the rule's section of docs/rules.md rendered: from
// the editor's hover and from the Problems panel, the Markdown preview opens scrolled to the rule's heading, and
// the Markdown source is not left open at line 1.
import { REFLECT_MESSAGE, RULE, assert, hideNotificationCenter, hoverSquiggle, poll, problemsRow, quickOpen, resetWorkbench, waitForWorkbench } from './workbench.mjs';

export const modes = ['ui'];

/** Waits for the preview tab, then for the rule's heading at the top of the rendered page; returns its offset. */
async function previewShowsRule(wb) {
  await wb.page.locator('.tabs-container .tab.active', { hasText: 'Preview rules.md' }).waitFor({ timeout: 60_000 });
  // The preview's page is the frame that holds the rule's heading (not "the newest webview": another one, e.g. a
  // panel restored by a reload, can be created after it).
  const frame = await poll(`a webview page with #${RULE}`, async () => {
    for (const f of wb.page.frames()) {
      if (await f.locator(`#${RULE}`).count().catch(() => 0)) return f;
    }
    return undefined;
  }, 60_000, 250);
  const heading = frame.locator(`#${RULE}`);
  // The preview scrolls once the page is laid out: watch the heading's position in the page until it is at the top.
  const r = await heading.evaluate((h) => new Promise((resolve) => {
    const deadline = Date.now() + 30_000;
    const check = () => {
      const top = h.getBoundingClientRect().top;
      if ((top >= -5 && top < 150) || Date.now() > deadline) resolve({ top, scrollY: window.scrollY });
      else requestAnimationFrame(check);
    };
    check();
  }), undefined, { timeout: 40_000 });
  assert(r.top >= -5 && r.top < 150, `the preview did not scroll to #${RULE}: the heading is at ${Math.round(r.top)} px (scrollY ${r.scrollY})`);
  assert(r.scrollY > 200, `the section is not at the page's top anyway (scrollY ${r.scrollY})`);
  return r.top;
}

async function noSourceTab(wb) {
  const labels = (await wb.page.locator('.tabs-container .tab .label-name').allInnerTexts()).map((t) => t.trim());
  assert(!labels.includes('rules.md'), `the Markdown source is still open: ${labels.join(', ')}`);
}

export const tests = [
  ['a rule link in the hover opens the rule\'s section rendered (Markdown preview scrolled to it)', async (wb) => {
    if ((await wb.page.locator('.monaco-workbench').count()) === 0) {
      await wb.page.goto(wb.url, { waitUntil: 'domcontentloaded' });
      await waitForWorkbench(wb.page, 'main.go');
    }
    await hideNotificationCenter(wb.page);
    await quickOpen(wb.page, 'diagnostics.go');
    // The window remembers where this file was scrolled to by a test before (families): back to the top, where
    // the reflect call is on screen.
    await wb.page.keyboard.press('Control+Home');
    await hoverSquiggle(wb.page, 'MethodByName', REFLECT_MESSAGE);
    const link = wb.page.locator('.monaco-hover a.code-link', { hasText: RULE }).first();
    await link.waitFor({ timeout: 30_000 });
    await link.click();
    const top = await previewShowsRule(wb);
    console.log(`    hover link: preview with #${RULE} at ${Math.round(top)} px from the top`);
    await noSourceTab(wb);
    await wb.screenshot('rule-docs-preview');
    // The keyboard is in the preview's webview (Ctrl+W would not reach the workbench): close it the sure way.
    await resetWorkbench(wb.page);
  }],
  ['the same rule link in the Problems panel opens the same section', async (wb) => {
    await quickOpen(wb.page, 'diagnostics.go');
    const row = await problemsRow(wb.page, REFLECT_MESSAGE);
    await row.locator('a.monaco-link', { hasText: RULE }).first().click();
    const top = await previewShowsRule(wb);
    console.log(`    Problems link: preview with #${RULE} at ${Math.round(top)} px from the top`);
    await noSourceTab(wb);
    await resetWorkbench(wb.page);
  }],
];

// One diagnostic of each family (what TinyGo cannot run, heap allocations, sync.Pool misuse) in the example's
// diagnostics.go: its hover and its quick fixes, each saved as a screenshot for a person to look at.
import { assert, quickOpen, waitForWorkbench } from './workbench.mjs';

export const modes = ['ui'];

const FILE = 'diagnostics.go';

const FAMILIES = [
  { family: 'unsupported', token: 'MethodByName', hover: 'is not implemented in TinyGo', rule: 'reflect-unsupported' },
  { family: 'alloc', token: 'append', hover: 'may allocate', rule: 'alloc-append-loop' },
  { family: 'pool', token: 'Put', hover: 'golang/go#23199', rule: 'pool-unbounded-buffer' },
];

async function wordBox(page, token) {
  const editor = page.locator('.editor-group-container.active .monaco-editor');
  const word = editor.locator('.view-lines span span', { hasText: new RegExp(`^${token}$`) }).first();
  await word.waitFor({ timeout: 60_000 });
  await word.scrollIntoViewIfNeeded();
  const box = await word.boundingBox();
  assert(box, `${token} has no box on screen`);
  return box;
}

export const tests = [
  ['the example opens with diagnostics of every family', async (wb) => {
    await wb.page.goto(wb.url, { waitUntil: 'domcontentloaded' });
    await waitForWorkbench(wb.page, FILE);
    await quickOpen(wb.page, FILE);
    const editor = wb.page.locator('.editor-group-container.active .monaco-editor');
    for (const kind of ['error', 'warning', 'info']) {
      await editor.locator(`.view-overlays .squiggly-${kind}`).first().waitFor({ timeout: 60_000 });
    }
  }],
  ...FAMILIES.map((f) => [`${f.family}: hover on ${f.token} and its quick fixes`, async (wb) => {
    const page = wb.page;
    const box = await wordBox(page, f.token);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    const hover = page.locator('.monaco-hover', { hasText: f.hover }).first();
    await hover.waitFor({ state: 'visible', timeout: 60_000 });
    const hoverText = (await hover.innerText()).replace(/\s+/g, ' ');
    assert(hoverText.includes(f.rule), `hover does not name ${f.rule}: ${hoverText}`);
    await wb.screenshot(`family-${f.family}-hover`);
    await page.keyboard.press('Escape');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.press('Control+Period');
    const menu = page.locator('.action-widget, .context-view .monaco-list', { hasText: `Suppress ${f.rule} on this line` }).first();
    await menu.waitFor({ state: 'visible', timeout: 60_000 });
    const menuText = (await menu.innerText()).replace(/\s+/g, ' ');
    await wb.screenshot(`family-${f.family}-quickfix`);
    console.log(`    ${f.family}: hover "${hoverText.slice(0, 110)}…"; quick fixes: ${menuText.slice(0, 200)}`);
    await page.keyboard.press('Escape');
  }]),
];

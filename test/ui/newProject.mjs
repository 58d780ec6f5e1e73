// "TinyGo: New Project" driven as a person does it, shared by the UI test (new-project.test.mjs) and the packaged
// extension's walkthrough test (vsix.test.mjs): board picker, template picker, module name, the folder dialog
// (the workbench's own simple file dialog: a path typed into a picker), then the notification's "Open in New
// Window". The command runs from the palette or from a button the caller clicked (the walkthrough's).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { acceptTarget, assert, oneLine, poll } from './workbench.mjs';

/**
 * Answers the simple file dialog that is open: types `dir` (a folder that exists, or with `file` a file), waits
 * until the dialog lists `listed` (a name inside that folder, or the file's own name: before that, OK takes the
 * folder the dialog showed first) and presses its OK button (`okLabel`); resolves once the dialog closed.
 */
export async function answerFileDialog(page, dir, okLabel, { file = false, listed, timeout = 60_000 } = {}) {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible', timeout });
  const ok = widget.locator('.monaco-button', { hasText: okLabel }).first();
  await ok.waitFor({ timeout });
  const input = widget.locator('input').first();
  // The dialog fills in its own starting folder once it has read it, over anything typed before: wait for that,
  // and type again should it still come after.
  await poll('the file dialog\'s starting folder', async () => (await input.inputValue()) !== '', 30_000, 100);
  const typed = file || dir.endsWith('/') ? dir : `${dir}/`;
  const want = file ? path.basename(dir) : dir.replace(/\/$/, '');
  const shows = async () => {
    const v = (await input.inputValue()).replace(/\/$/, '');
    // For a file the dialog may show the path its own way (~ for the home folder): its name must be the one typed.
    return (file ? path.basename(v) === want : v === want) &&
      await widget.locator('.monaco-list-row', { hasText: listed ?? path.basename(dir) }).first().isVisible().catch(() => false);
  };
  for (let attempt = 1; ; attempt++) {
    await input.fill(typed);
    if (await poll(`the file dialog to show ${dir}`, shows, 10_000, 100).then(() => true, () => false)) break;
    if (attempt === 3) throw new Error(`the file dialog does not show ${dir}: it shows "${await input.inputValue()}"`);
  }
  await ok.click();
  await widget.waitFor({ state: 'hidden', timeout });
}

/**
 * With the board picker of TinyGo: New Project open: picks `target`, `templateLabel`, the module `name` and the
 * folder `parent`. Resolves with the notification that says the project was created (not answered yet).
 */
export async function fillNewProject(page, { target, templateLabel, name, parent, screenshot }) {
  const widget = page.locator('.quick-input-widget');
  // The board picker by its title, with its rows: the widget may still hold the rows of the picker before (the
  // file dialog's, hidden), and keys typed before the picker took the focus go elsewhere (ci12).
  await widget.locator('.quick-input-title', { hasText: /^\s*TinyGo target/ }).waitFor({ timeout: 60_000 });
  await widget.locator('.monaco-list-row >> visible=true').first().waitFor({ timeout: 60_000 });
  await widget.locator('input').first().focus();
  await acceptTarget(page, target);
  await widget.locator('.quick-input-title', { hasText: `New TinyGo project for ${target}` }).waitFor({ timeout: 30_000 });
  const rows = (await widget.locator('.monaco-list-row').allInnerTexts()).map(oneLine);
  console.log(`    templates for ${target}: ${rows.join(' | ')}`);
  assert(rows.some((r) => r.includes(templateLabel)), `no "${templateLabel}" template: ${rows.join(' | ')}`);
  if (screenshot) await screenshot('new-project-templates');
  await widget.locator('.monaco-list-row', { hasText: templateLabel }).first().click();
  await widget.locator('.quick-input-title', { hasText: 'Go module path' }).waitFor({ timeout: 30_000 });
  await widget.locator('input').first().fill(name);
  await page.keyboard.press('Enter');
  // Something in the folder for the dialog to list once it has read it.
  const marker = 'tgw-dialog-marker';
  fs.mkdirSync(path.join(parent, marker), { recursive: true });
  await answerFileDialog(page, parent, 'Create Project Here', { listed: marker });
  // Headless, VS Code lists a notification in the notification center without a toast: look in both.
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'created' }).first();
  const listed = page.locator('.notifications-center .notification-list-item', { hasText: 'created' }).first();
  return poll('the "created" notification', async () => {
    if (await toast.isVisible().catch(() => false)) return toast;
    if (!(await page.locator('.notifications-center').isVisible().catch(() => false))) {
      await page.locator('#status\\.notifications').click().catch(() => undefined);
    }
    return (await listed.isVisible().catch(() => false)) ? listed : undefined;
  }, 60_000, 500);
}

/** The files New Project must have written for `target`; returns their names. */
export function checkProjectFiles(folder, target) {
  const files = fs.readdirSync(folder, { recursive: true }).map(String).sort();
  for (const f of ['go.mod', 'main.go', path.join('.vscode', 'settings.json'), path.join('.vscode', 'tasks.json')]) {
    assert(files.includes(f), `${f} missing from the new project (${files.join(', ')})`);
  }
  const settings = JSON.parse(fs.readFileSync(path.join(folder, '.vscode', 'settings.json'), 'utf8'));
  assert(settings['tinygo.target'] === target, `the folder's target: ${JSON.stringify(settings)}`);
  const tasks = fs.readFileSync(path.join(folder, '.vscode', 'tasks.json'), 'utf8');
  assert(/"type":\s*"tinygo"/.test(tasks), `tasks.json has no tinygo task: ${tasks}`);
  return files;
}

/** The newest .elf under `folder`/build written after `since`. */
export function newestElf(folder, since) {
  const dir = path.join(folder, 'build');
  if (!fs.existsSync(dir)) return undefined;
  return fs.readdirSync(dir).filter((f) => f.endsWith('.elf')).map((f) => path.join(dir, f))
    .map((f) => ({ f, t: fs.statSync(f).mtimeMs })).filter((e) => e.t >= since - 1000).sort((a, b) => b.t - a.t)[0]?.f;
}

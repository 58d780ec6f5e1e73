// The test module the extension host loads (extensionTestsPath): the same contract as with @vscode/test-electron,
// so it runs unchanged under scripts/run-vscode-tests.mjs (code-server) and runElectron.ts (desktop VS Code).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** Activation must see a fresh extension host and deactivation ends the extension: they run first and last. */
const FIRST = 'activation.test.js';
const LAST = 'deactivation.test.js';

/** Compiled tests whose source still exists (out/ is not cleaned between compiles). */
function testFiles(dir: string): string[] {
  const sources = path.resolve(dir, '../../../test/integration');
  const files = (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js') && fs.existsSync(path.join(sources, f.replace(/\.js$/, '.ts'))))
    .map((f) => path.join(dir, f));
  const rank = (f: string) => (path.basename(f) === FIRST ? 0 : path.basename(f) === LAST ? 2 : 1);
  return files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function run(): Promise<void> {
  // TGW_TEST_GREP=regexp runs only the matching tests (while working on one).
  const grep = process.env.TGW_TEST_GREP;
  const mocha = new Mocha({ ui: 'tdd', reporter: 'spec', color: false, timeout: 60_000, slow: 5_000, ...(grep ? { grep } : {}) });
  for (const f of testFiles(__dirname)) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

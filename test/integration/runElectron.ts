// The same integration suite in a desktop VS Code through @vscode/test-electron, for people who have one:
//   VSCODE_EXECUTABLE=/path/to/code npm run test:electron     (uses that VS Code)
//   VSCODE_VERSION=1.91.0 npm run test:electron                (downloads that version; needs the internet)
// CI machines of this project cannot download VS Code: there scripts/run-vscode-tests.mjs runs the suite in code-server.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../../..');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-electron-'));
  fs.cpSync(path.join(root, 'test/fixtures/workspace'), workspace, { recursive: true });
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-electron-user-'));
  try {
    await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      version: process.env.VSCODE_VERSION || undefined,
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        `--user-data-dir=${userData}`],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(userData, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`integration tests failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

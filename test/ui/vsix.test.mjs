// The packaged extension as users get it: installed by code-server from the .vsix, not loaded from the repository.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assert } from './workbench.mjs';

export const modes = ['vsix'];

function walk(dir) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

export const tests = [
  ['the .vsix installed a self-contained bundle (no sources, maps, tools or node_modules)', async (wb) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(wb.root, 'package.json'), 'utf8'));
    const dir = path.join(wb.extensionsDir, `${wb.extensionId}-${pkg.version}`);
    assert(fs.existsSync(path.join(dir, 'package.json')), `not installed at ${dir}`);
    const files = walk(dir);
    for (const want of ['dist/extension.js', 'dist/tree-sitter-go.wasm', 'dist/web-tree-sitter.wasm']) {
      assert(files.includes(want), `${want} missing from the installed extension`);
    }
    const unwanted = files.filter((f) => /\.map$|^(src|test|tools|dist-tools|node_modules|out)\/|\.ts$/.test(f));
    assert(unwanted.length === 0, `shipped files that should not be: ${unwanted.join(', ')}`);
    console.log(`    installed ${files.length} files in ${path.basename(dir)}`);
  }],
];

// Bundles the extension and the CLI with esbuild (CommonJS, `vscode` external) and puts what they load at run
// time beside them: both .wasm files and the query files. `--tools` also bundles the developer tools (tools/: the
// bench and the calibration) into dist-tools/, which is not in the .vsix's allow-list: they never ship. web-tree-sitter is aliased to its CJS build: the ESM
// build empties import.meta under esbuild and Parser.init() then fails at start-up (shared/docs/tree-sitter.md).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { buildWebview } from './build-webview.mjs';

const { patchWebTreeSitter, PATCHED_VERSION, PATCH_MARKER } = createRequire(import.meta.url)('./patch-web-tree-sitter.cjs');

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const distTools = path.join(root, 'dist-tools');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const withTools = process.argv.includes('--tools');

fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(path.join(dist, 'queries'), { recursive: true });
fs.copyFileSync(path.join(root, 'node_modules/web-tree-sitter/web-tree-sitter.wasm'), path.join(dist, 'web-tree-sitter.wasm'));
fs.copyFileSync(path.join(root, 'node_modules/tree-sitter-go/tree-sitter-go.wasm'), path.join(dist, 'tree-sitter-go.wasm'));
for (const f of fs.readdirSync(path.join(root, 'src/core/analysis/queries'))) {
  fs.copyFileSync(path.join(root, 'src/core/analysis/queries', f), path.join(dist, 'queries', f));
}

const entries = [
  { in: 'src/vscode/extension.ts', out: 'extension' },
  { in: 'src/cli.ts', out: 'cli' },
  // The analysis worker thread (src/vscode/analysisWorker.ts starts it): its own bundle, loaded by path.
  { in: 'src/analysisWorker.ts', out: 'analysisWorker' },
].filter((e) => fs.existsSync(path.join(root, e.in)));
// They run from the repository (`npm run bench`, `npm run calibrate`) and find it as dist-tools/..: the bench
// measures with the wasm and queries in dist/, the calibration reads the fixtures and writes to test-output/.
const toolEntries = [
  { in: 'tools/bench/main.ts', out: 'bench' },
  { in: 'tools/calibrate.ts', out: 'calibrate' },
];

// web-tree-sitter goes into the bundle patched (scripts/patch-web-tree-sitter.cjs says what and why).
const wtsVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/web-tree-sitter/package.json'), 'utf8')).version;
if (wtsVersion !== PATCHED_VERSION) {
  throw new Error(`web-tree-sitter ${wtsVersion} is installed; scripts/patch-web-tree-sitter.cjs was written for ${PATCHED_VERSION}: check its patterns, then update PATCHED_VERSION`);
}
const patchTreeSitter = {
  name: 'patch-web-tree-sitter',
  setup(build) {
    build.onLoad({ filter: /web-tree-sitter[\\/]web-tree-sitter\.cjs$/ }, async (args) => ({
      contents: patchWebTreeSitter(await fs.promises.readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};

const options = {
  absWorkingDir: root,
  entryPoints: entries,
  outdir: dist,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  alias: { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' },
  plugins: [patchTreeSitter],
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
};

const toolOptions = { ...options, entryPoints: toolEntries, outdir: distTools };

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  await buildWebview({ production, watch: true });
} else {
  await esbuild.build(options);
  await buildWebview({ production });
  if (withTools) {
    fs.rmSync(distTools, { recursive: true, force: true });
    await esbuild.build(toolOptions);
  }
  // The CLI is the package's `bin`: it needs its shebang and the executable bit.
  const cli = path.join(dist, 'cli.js');
  if (fs.existsSync(cli)) {
    const body = fs.readFileSync(cli, 'utf8');
    if (!body.startsWith('#!')) fs.writeFileSync(cli, '#!/usr/bin/env node\n' + body);
    fs.chmodSync(cli, 0o755);
  }
  const bundles = [...entries.map((e) => path.join(dist, `${e.out}.js`)), ...(withTools ? toolEntries.map((e) => path.join(distTools, `${e.out}.js`)) : [])];
  for (const file of bundles) {
    const name = path.relative(root, file);
    const body = fs.readFileSync(file, 'utf8');
    if (body.includes('ts_parser_parse_wasm') && !body.includes(PATCH_MARKER)) throw new Error(`${name} holds web-tree-sitter unpatched`);
    console.log(`${name} ${(fs.statSync(file).size / 1024).toFixed(1)} KiB`);
  }
}

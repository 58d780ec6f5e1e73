// Bundles the size panel (webview/src/main.ts, which pulls in the pure view model from src/core and the toolkit)
// into webview/dist/panel.js for the browser, and copies its stylesheet beside it. The panel's localResourceRoots
// is webview/dist, so everything it loads must be there.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'webview/dist');

export function webviewOptions({ production = false } = {}) {
  return {
    absWorkingDir: root,
    entryPoints: { panel: 'webview/src/main.ts' },
    outdir: out,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome114',
    sourcemap: !production,
    minify: production,
    logLevel: 'info',
  };
}

export async function buildWebview({ production = false, watch = false } = {}) {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  fs.copyFileSync(path.join(root, 'webview/src/panel.css'), path.join(out, 'panel.css'));
  if (watch) {
    const ctx = await esbuild.context(webviewOptions({ production }));
    await ctx.watch();
    return;
  }
  await esbuild.build(webviewOptions({ production }));
  console.log(`webview/dist/panel.js ${(fs.statSync(path.join(out, 'panel.js')).size / 1024).toFixed(1)} KiB`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await buildWebview({ production: process.argv.includes('--production'), watch: process.argv.includes('--watch') });
}

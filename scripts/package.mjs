#!/usr/bin/env node
// Packs what users install: the production bundle (`npm run build -- --production`: minified, no source maps)
// into tinygo-workbench-<version>.vsix with vsce. `--no-dependencies` because esbuild already bundled every
// runtime dependency into dist/; .vscodeignore is an allow-list. Prints the size and the packed files, and fails
// when something that must not ship (sources, maps, node_modules) or must ship (the bundle, the wasm) is wrong.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = `${pkg.name}-${pkg.version}.vsix`;

function run(cmd, args) {
  console.log(`$ ${[cmd, ...args].join(' ')}`);
  // No stdin: a vsce question (missing LICENSE, repository...) must fail here, not wait for an answer on CI.
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`package: ${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

/** A valid 128x128 PNG in one colour, for when the manifest names an icon that is not there yet. */
function placeholderPng(size = 128, rgb = [0x1f, 0x6f, 0xb5]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4); ihdr[8] = 8; ihdr[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => rgb).flat())]);
  const idat = zlib.deflateSync(Buffer.concat(Array.from({ length: size }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/** Names and uncompressed sizes from a zip's central directory. */
function zipEntries(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    entries.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

const t0 = performance.now();
run('npm', ['run', 'build', '--', '--production']);

if (pkg.icon && !fs.existsSync(path.join(root, pkg.icon))) {
  fs.mkdirSync(path.dirname(path.join(root, pkg.icon)), { recursive: true });
  fs.writeFileSync(path.join(root, pkg.icon), placeholderPng());
  console.warn(`package: WARNING ${pkg.icon} was missing; wrote a one-colour placeholder (do not commit it, replace it)`);
}
if (!fs.readdirSync(root).some((f) => /^LICEN[CS]E/i.test(f))) {
  console.error('package: no LICENSE file; vsce would stop to ask');
  process.exit(1);
}

fs.rmSync(path.join(root, out), { force: true });
const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
// The README's relative links (docs/*.md) ship in the package and resolve there; the manifest's repository is
// not a GitHub/GitLab one vsce could rewrite them against.
run(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out]);

const entries = zipEntries(path.join(root, out));
const files = entries.filter((e) => e.name.startsWith('extension/') && !e.name.endsWith('/'));
const size = fs.statSync(path.join(root, out)).size;
console.log(`\n${out}: ${(size / 1024).toFixed(1)} KiB, ${files.length} files (${entries.length} zip entries)`);
for (const e of files) console.log(`  ${e.name.slice('extension/'.length).padEnd(48)} ${(e.size / 1024).toFixed(1).padStart(8)} KiB`);

const shipped = new Set(files.map((e) => e.name.slice('extension/'.length)));
const problems = [];
for (const must of [pkg.main.replace(/^\.\//, ''), 'package.json', 'dist/analysisWorker.js', 'dist/tree-sitter-go.wasm', 'dist/web-tree-sitter.wasm']) {
  if (!shipped.has(must)) problems.push(`missing ${must}`);
}
for (const f of shipped) {
  if (/\.map$|\.ts$|^(src|test|tools|dist-tools|out|node_modules|examples|scripts|\.vscode-test)\//.test(f)) problems.push(`should not ship ${f}`);
}
if (problems.length) {
  console.error(`package: ${out} is wrong:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`package: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

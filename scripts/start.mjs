#!/usr/bin/env node
// `npm start`: the extension in a real VS Code (code-server 4.139.1, VS Code 1.139.1) that you open in a browser.
//   npm start                      build + package, install the .vsix (what users get), open examples/feather-blinky
//   npm start -- --dev             no packaging: load the extension from this folder (Extension Development Host)
//   npm start -- --folder PATH     open another folder
//   PORT=8080 npm start            fixed port (default: a free one); code-server listens on 127.0.0.1 only
// Runs until Ctrl-C (or SIGTERM); then stops code-server's whole process group.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ROOT, exampleWorkspace, installVsix, log, newRunDir, removeRunTmp, startCodeServer, tail, testHostEnv, workbenchUrl,
} from './run-vscode-tests.mjs';
import { demoSettings } from './demo-settings.mjs';

const argv = process.argv.slice(2);
const dev = argv.includes('--dev');
const folderArg = argv.indexOf('--folder');
const folder = path.resolve(folderArg >= 0 ? argv[folderArg + 1] ?? '' : exampleWorkspace());
if (!fs.existsSync(folder)) {
  console.error(`start: no folder ${folder}`);
  process.exit(2);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`start: ${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

const host = testHostEnv();
if (dev) run('npm', ['run', 'build']);
else run(process.execPath, [path.join(ROOT, 'scripts/package.mjs')]);

const runDir = newRunDir('start');
if (!dev) {
  const { version, name } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  log(installVsix(host, runDir, path.join(ROOT, `${name}-${version}.vsix`)).split('\n').pop());
}
const port = process.env.PORT ? Number(process.env.PORT) : undefined;
let server;
try {
  server = await startCodeServer({ host, runDir, folder, port, smokeTestDriver: dev, machineSettings: demoSettings(host) });
} catch (err) {
  console.error(`start: ${err instanceof Error ? err.message : String(err)}`);
  removeRunTmp(runDir);
  process.exit(1);
}
const url = dev ? workbenchUrl(server, folder, { extensionDevelopmentPath: ROOT }) : workbenchUrl(server, folder);
for (const [k, v] of Object.entries(demoSettings(host))) log(`machine (Remote) setting ${k}: ${v}`);
log(`code-server pid ${server.pid} (process group), state in ${path.relative(ROOT, runDir)}, log ${path.relative(ROOT, server.logFile)}`);
console.log(`\nTinyGo Workbench (${dev ? 'from this folder' : 'installed from the .vsix'}) in VS Code 1.139.1:\n\n  ${url}\n\n` +
  `Folder: ${folder}\nFrom another machine: ssh -L ${server.port}:127.0.0.1:${server.port} this-host, then open the URL. Ctrl-C stops.`);

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  log('stopping code-server');
  await server.stop();
  removeRunTmp(runDir);
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGHUP', () => void stop(0));
const code = await server.exited;
if (!stopping) {
  console.error(`start: code-server exited (${code}); its log:\n${tail(server.logFile)}`);
  removeRunTmp(runDir);
  process.exit(1);
}

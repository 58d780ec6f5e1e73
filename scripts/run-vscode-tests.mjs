#!/usr/bin/env node
// Runs the extension in a real VS Code on a machine that cannot download one: code-server 4.139.1 (VS Code
// 1.139.1 server, web workbench, Node extension host) driven by Debian's headless Chromium through playwright-core.
// Why this and not @vscode/test-electron, and every flag below: shared/docs/real-vscode-tests.md.
//
//   node scripts/run-vscode-tests.mjs integration   mocha suite (out/test/integration) inside the extension host
//   node scripts/run-vscode-tests.mjs untrusted     the suites about Restricted Mode, Workspace Trust on and the folder untrusted
//   node scripts/run-vscode-tests.mjs gopls-install the install offer and "TinyGo: Install gopls", with no gopls to be found
//                                                   (GOBIN, GOPATH and HOME are empty directories of the run)
//   node scripts/run-vscode-tests.mjs go-extension  coexistence with golang.go, played by a SCRIPTED STAND-IN
//                                                   (test/fixtures/golang-go-standin, packed with vsce and installed)
//   node scripts/run-vscode-tests.mjs ui            Playwright tests (test/ui/*.test.mjs) against the dev extension
//   node scripts/run-vscode-tests.mjs vsix          the packaged .vsix installed like a user would, then test/ui
//
// Exit code: 0 all passed, 1 a test failed, 2 harness error or overall time-out (TGW_TEST_TIMEOUT_MS, 10 min; 25 min
// for ui and vsix, whose files each start in a reloaded window and build real firmware).
// The last line printed is always `N passed, N failed`.
// Every process started here (code-server and all it forks, Chromium) is stopped on every way out, including
// SIGINT/SIGTERM and exceptions: each run marks its children's environment with TGW_RUN_DIR and a last sweep
// kills whatever still carries that mark (processes that left the process group: Chromium's crash handler,
// terminals).
// start.mjs imports the helpers exported below.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as util from 'node:util';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const EXTENSION_ID = 'tinygo-workbench.tinygo-workbench';
const STATE_ROOT = path.join(ROOT, '.vscode-test');
const KEEP_RUNS = 3;

export function log(...args) { console.log('[harness]', ...args); }

/** Exports of setup-test-host.sh; taken from the environment when the caller (scripts/test.sh) already has them. */
export function testHostEnv() {
  const keys = ['TGW_NODE24_BIN', 'TGW_CODE_SERVER', 'TGW_CHROMIUM', 'TGW_GOPLS'];
  if (keys.slice(0, 3).every((k) => process.env[k])) return Object.fromEntries(keys.map((k) => [k, process.env[k] ?? '']));
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/setup-test-host.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`scripts/setup-test-host.sh exited with ${r.status ?? r.signal}`);
  const env = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^export (\w+)='(.*)'$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  for (const k of keys.slice(0, 3)) if (!env[k]) throw new Error(`scripts/setup-test-host.sh printed no ${k}`);
  return env;
}

/** The environment of a child: ours without anything that would make code-server talk to a VS Code it runs in. */
function childEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE' || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A per-run state directory, with the older ones pruned. */
export function newRunDir(label) {
  fs.mkdirSync(STATE_ROOT, { recursive: true });
  const old = fs.readdirSync(STATE_ROOT).filter((d) => d.startsWith(`${label}-`)).sort();
  for (const d of old.slice(0, Math.max(0, old.length - (KEEP_RUNS - 1)))) {
    removeRunTmp(path.join(STATE_ROOT, d));
    fs.rmSync(path.join(STATE_ROOT, d), { recursive: true, force: true });
  }
  const ts = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(STATE_ROOT, `${label}-${ts}`);
  for (const sub of ['user-data/User', 'extensions', 'xdg/config', 'xdg/data', 'xdg/cache', 'chromium-home', 'chromium-profile']) {
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
  }
  // TMPDIR holds Unix sockets (VS Code IPC, Chromium's singleton): a path under the repository can pass the
  // 107-byte limit, so it gets a short directory of its own, removed by removeRunTmp().
  fs.symlinkSync(fs.mkdtempSync(path.join(fs.existsSync('/tmp') ? '/tmp' : os.tmpdir(), 'tgw-')), path.join(dir, 'tmp'));
  return dir;
}

export function removeRunTmp(runDir) {
  const link = path.join(runDir, 'tmp');
  try { fs.rmSync(fs.readlinkSync(link), { recursive: true, force: true }); fs.rmSync(link, { force: true }); } catch { /* gone */ }
}

/** The workspace the UI tests open: the example once it exists, else the test fixture. */
export function exampleWorkspace() {
  const example = path.join(ROOT, 'examples', 'feather-blinky');
  if (fs.existsSync(path.join(example, 'go.mod')) && fs.existsSync(path.join(example, 'diagnostics.go'))) return example;
  return path.join(ROOT, 'test', 'fixtures', 'workspace');
}

/** Copies a workspace into the run directory so tests may edit, save and litter without touching the repository. */
export function copyWorkspace(src, runDir) {
  const dst = path.join(runDir, 'workspace');
  fs.cpSync(src, dst, { recursive: true });
  return dst;
}

// --- process bookkeeping ------------------------------------------------------------------------------
const groups = new Set();
const runMarks = new Set();

function killGroup(pid, signal) {
  try { process.kill(-pid, signal); return true; } catch { return false; }
}

/** Pids of live processes whose environment carries TGW_RUN_DIR=runDir (our own descendants, wherever they went). */
function markedProcesses(runDir) {
  const mark = `TGW_RUN_DIR=${runDir}`;
  const found = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const env = fs.readFileSync(`/proc/${name}/environ`, 'latin1');
      if (env.split('\0').includes(mark)) found.push(Number(name));
    } catch { /* gone, or not ours to read */ }
  }
  return found;
}

function sweep(runDir) {
  const left = markedProcesses(runDir);
  for (const pid of left) { try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ } }
  return left.length;
}

// Last resort when the runner dies without running its cleanup: synchronous, so it works inside 'exit'.
process.on('exit', () => {
  for (const pid of groups) killGroup(pid, 'SIGKILL');
  for (const dir of runMarks) sweep(dir);
});

function hostPaths(runDir) {
  return {
    userData: path.join(runDir, 'user-data'),
    extensions: path.join(runDir, 'extensions'),
    env: {
      XDG_CONFIG_HOME: path.join(runDir, 'xdg/config'),
      XDG_DATA_HOME: path.join(runDir, 'xdg/data'),
      XDG_CACHE_HOME: path.join(runDir, 'xdg/cache'),
      TMPDIR: fs.readlinkSync(path.join(runDir, 'tmp')),
      TGW_RUN_DIR: runDir,
    },
  };
}

function codeServerEnv(host, runDir, extra = {}) {
  const { PATH = process.env.PATH, ...rest } = extra;
  return childEnv({ ...hostPaths(runDir).env, TGW_GOPLS: host.TGW_GOPLS ?? '', ...rest, PATH: `${host.TGW_NODE24_BIN}:${PATH}` });
}

/** `code-server --install-extension FILE.vsix` into this run's extensions dir (offline, about a second). */
export function installVsix(host, runDir, vsix) {
  runMarks.add(runDir);
  const p = hostPaths(runDir);
  const r = spawnSync(host.TGW_CODE_SERVER, ['--user-data-dir', p.userData, '--extensions-dir', p.extensions, '--install-extension', vsix, '--force'],
    { encoding: 'utf8', env: codeServerEnv(host, runDir), timeout: 120_000 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0) throw new Error(`code-server --install-extension ${path.basename(vsix)} failed (${r.status ?? r.signal}):\n${out}`);
  return out;
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // The run directory lives inside this repository: keep the git extension from offering to open it.
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  // Terminal text is read from xterm's DOM rows: with the GPU renderer they are empty. Set for the whole run, not
  // by the test that needs it: a terminal opened before VS Code read a settings edit made then kept the GPU
  // renderer (ci12: qemu-monitor never saw "Connected to" that its screenshot showed).
  'terminal.integrated.gpuAcceleration': 'off',
  // The tests' "-dark" screenshots: code-server's default here is the light theme (the headless browser prefers
  // light), so a screenshot taken without a theme set was light under a dark name.
  'workbench.colorTheme': 'Default Dark Modern',
};

/**
 * Starts code-server in a process group of its own and waits for /healthz. `trust: true` keeps Workspace Trust
 * on (for tests of the restricted mode); otherwise the folder is trusted without a prompt.
 * Returns { port, origin, pid, logFile, exited (promise of the exit code), stop() }.
 */
export async function startCodeServer(options) {
  // A free port can be taken between freePort() and code-server's bind (other runs on this machine): retry.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startCodeServerOnce({ ...options, port: options.port ?? await freePort() });
    } catch (err) {
      if (options.port !== undefined || attempt >= 3 || !/EADDRINUSE/.test(String(err?.message))) throw err;
      log(`port taken, retrying (${String(err.message).split('\n')[0]})`);
    }
  }
}

// code-server runs under a bash that leads its process group and reads a pipe from this process: if the runner
// dies without its clean-up (SIGKILL, a killed terminal), the pipe ends and the whole group goes with it. Without
// this the server, its extension host and its pty host outlive the run (seen when a caller was killed).
// (A background job's stdin is /dev/null in a non-interactive shell, so the pipe is read through fd 3.)
const WATCHDOG = 'exec 3<&0; "$@" </dev/null 3<&- & cs=$!; '
  + '(read -r _ <&3; kill -KILL -- -$$ 2>/dev/null) & w=$!; exec 3<&-; '
  + 'wait "$cs"; rc=$?; kill "$w" 2>/dev/null; exit "$rc"';

async function startCodeServerOnce({ host, runDir, folder, port, trust = false, smokeTestDriver = true, settings = {}, machineSettings, extraArgs = [], env = {} }) {
  runMarks.add(runDir);
  const p = hostPaths(runDir);
  fs.writeFileSync(path.join(p.userData, 'User', 'settings.json'),
    JSON.stringify({ ...USER_SETTINGS, ...(trust ? {} : { 'security.workspace.trust.enabled': false }), ...settings }, null, 2));
  // The Remote tab of the Settings editor: where code-server takes machine(-overridable) settings such as paths from.
  if (machineSettings) {
    fs.mkdirSync(path.join(p.userData, 'Machine'), { recursive: true });
    fs.writeFileSync(path.join(p.userData, 'Machine', 'settings.json'), JSON.stringify(machineSettings, null, 2));
  }
  const args = [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--user-data-dir', p.userData, '--extensions-dir', p.extensions,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
    // Without it the workbench ignores the URL payload (extensionDevelopmentPath/extensionTestsPath).
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(trust ? [] : ['--disable-workspace-trust']),
    ...extraArgs,
    folder,
  ];
  const logFile = path.join(runDir, 'code-server.log');
  const logStart = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
  const fd = fs.openSync(logFile, 'a');
  const child = spawn('bash', ['-c', WATCHDOG, 'tgw-watchdog', host.TGW_CODE_SERVER, ...args],
    { detached: true, stdio: ['pipe', fd, fd], env: codeServerEnv(host, runDir, env) });
  fs.closeSync(fd);
  groups.add(child.pid);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => { groups.delete(child.pid); resolve(code ?? signal); }));
  const origin = `http://127.0.0.1:${port}`;
  let dead = false;
  void exited.then(() => { dead = true; });
  const stop = async () => {
    if (!dead) {
      killGroup(child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    }
    killGroup(child.pid, 'SIGKILL');
    groups.delete(child.pid);
  };
  // Ours is up when it says it listens on this port (so a /healthz answer cannot come from someone else's server).
  const listening = `HTTP server listening on ${origin}`;
  const ownLog = () => { try { return fs.readFileSync(logFile, 'utf8').slice(logStart); } catch { return ''; } };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (dead) throw new Error(`code-server exited during start-up; its log:\n${tail(logFile)}`);
    if (ownLog().includes(listening)) {
      try {
        const r = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(5000) });
        if (r.ok) break;
      } catch { /* not answering yet */ }
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer ${origin}/healthz within 60 s; its log:\n${tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, origin, pid: child.pid, logFile, exited, stop };
}

export function tail(file, lines = 40) {
  try { return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n'); } catch { return '(no log)'; }
}

/**
 * Workbench URL; with a payload the workbench loads the extension from a folder and/or runs its test module.
 * One development folder only: the web workbench reads the payload into a Map, so a second
 * `extensionDevelopmentPath` entry replaces the first (other extensions are installed from a .vsix instead).
 */
export function workbenchUrl(server, folder, { extensionDevelopmentPath, extensionTestsPath } = {}) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  let url = `${server.origin}/?folder=${encodeURIComponent(folder)}`;
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Debian Chromium, headless, with its own profile and HOME, via playwright-core (no browser download). */
export async function launchBrowser(host, runDir) {
  runMarks.add(runDir);
  const { chromium } = await import('playwright-core');
  const p = hostPaths(runDir);
  const context = await chromium.launchPersistentContext(path.join(runDir, 'chromium-profile'), {
    executablePath: host.TGW_CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    env: childEnv({ ...p.env, HOME: path.join(runDir, 'chromium-home') }),
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    viewport: { width: 1600, height: 1000 },
    timeout: 60_000,
  });
  return context;
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no result within ${Math.round(ms / 1000)} s`)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

// --- modes ----------------------------------------------------------------------------------------------

// What the workbench itself logs through codeAutomationLog (connection set-up, offline gallery look-ups, its
// own components' tagged lines). The extension host's console (the mocha report) arrives untagged.
const WORKBENCH_CHATTER = [/^Resolving connection token/, /^Resolved connection token/, /^Creating a socket/,
  /^Updating additional builtin extensions cache/, /^\[[\w .:-]+\] /, /^Timed out waiting for authentication provider/,
  /^Creation of workbench contribution/];

/** Prints the extension host's lines (everything goes to workbench.log) and reads mocha's counts from them. */
function logPrinter(runDir) {
  const workbenchLog = fs.createWriteStream(path.join(runDir, 'workbench.log'));
  const verbose = !!process.env.TGW_VERBOSE;
  const counts = { passing: undefined, failing: undefined, pending: 0 };
  const print = (level, args) => {
    const list = Array.isArray(args) ? args : [args];
    const text = typeof list[0] === 'string' ? util.format(...list) : list.map((a) => JSON.stringify(a)).join(' ');
    workbenchLog.write(`[${level}] ${text}\n`);
    for (const line of text.split('\n')) {
      let m;
      if ((m = /^\s*(\d+) passing\b/.exec(line))) counts.passing = Number(m[1]);
      else if ((m = /^\s*(\d+) failing\b/.exec(line))) counts.failing = Number(m[1]);
      else if ((m = /^\s*(\d+) pending\b/.exec(line))) counts.pending = Number(m[1]);
    }
    if (verbose || !(text.includes('/static/out/vs/') || WORKBENCH_CHATTER.some((r) => r.test(text)))) process.stdout.write(`${text}\n`);
  };
  return { print, counts, close: () => workbenchLog.end() };
}

/**
 * The gopls-install run's environment: no gopls anywhere our locator looks (tinygo.gopls.path is not set in a fresh
 * run; PATH without any directory holding a gopls; GOBIN, GOPATH and HOME, hence ~/go/bin, empty directories of
 * this run), so the offer is made and "TinyGo: Install gopls" really installs, into this run's GOBIN. The module
 * and build caches stay the machine's (and GOENV its settings, e.g. GOPROXY): a warm run only links gopls.
 * With HOME elsewhere the login shell VS Code reads its environment from skips ~/.bashrc, so `go` may not be on the
 * extension host's PATH either (here it is added there): the extension must find it in /usr/local/go/bin by itself.
 */
function goplsInstallEnv(runDir) {
  const r = spawnSync('go', ['env', 'GOMODCACHE', 'GOCACHE', 'GOENV'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the gopls-install run needs go on PATH (go env: ${r.error?.message ?? r.stderr})`);
  const [gomodcache, gocache, goenv] = r.stdout.trim().split('\n');
  const dirs = {};
  for (const d of ['gobin', 'gopath', 'home']) fs.mkdirSync(dirs[d] = path.join(runDir, d), { recursive: true });
  const PATH = (process.env.PATH ?? '').split(':').filter((d) => d && !fs.existsSync(path.join(d, 'gopls'))).join(':');
  return { GOBIN: dirs.gobin, GOPATH: dirs.gopath, HOME: dirs.home, GOMODCACHE: gomodcache, GOCACHE: gocache, GOENV: goenv, PATH, TGW_GOPLS: '' };
}

/**
 * The runs of the mocha suite (out/test/integration). Each but `integration` runs only the suites about it
 * (TGW_TEST_GREP); the suites tell which run they are in from TGW_HARNESS_MODE and skip themselves elsewhere.
 */
const INTEGRATION_RUNS = {
  integration: {},
  // Restricted Mode: Workspace Trust on, the folder untrusted.
  untrusted: { trust: true, grep: '^untrusted' },
  'gopls-install': { grep: '^gopls install', env: goplsInstallEnv },
  'go-extension': { grep: '^golang\\.go stand-in', install: [path.join(ROOT, 'test/fixtures/golang-go-standin')] },
};

/** Packs an extension folder into a .vsix in the run directory (vsce, offline, under a second) and installs it. */
function installFolder(host, runDir, dir) {
  const vsix = path.join(runDir, `${path.basename(dir)}.vsix`);
  const r = spawnSync(path.join(ROOT, 'node_modules/.bin/vsce'),
    ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix],
    { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  if (r.status !== 0) throw new Error(`vsce package in ${path.relative(ROOT, dir)} failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  return installVsix(host, runDir, vsix);
}

async function runIntegration(ctx, mode) {
  const { trust = false, grep, env, install = [] } = INTEGRATION_RUNS[mode];
  const testsJs = path.join(ROOT, 'out/test/integration/index.js');
  if (!fs.existsSync(testsJs)) throw new Error(`${path.relative(ROOT, testsJs)} is missing: run npm run compile-tests first`);
  if (!fs.existsSync(path.join(ROOT, 'dist/extension.js'))) throw new Error('dist/extension.js is missing: run npm run build first');
  const folder = copyWorkspace(path.join(ROOT, 'test/fixtures/workspace'), ctx.runDir);
  if (grep) process.env.TGW_TEST_GREP = grep;
  const extraEnv = { TGW_HARNESS_MODE: mode, ...(env ? env(ctx.runDir) : {}) };
  for (const dir of install) log(`installed ${path.relative(ROOT, dir)}: ${installFolder(ctx.host, ctx.runDir, dir).split('\n').pop()}`);
  ctx.server = await startCodeServer({ host: ctx.host, runDir: ctx.runDir, folder, trust, env: extraEnv });
  log(`code-server ${ctx.server.origin} (pid ${ctx.server.pid}), workspace ${path.relative(ROOT, folder)}${trust ? ' (untrusted)' : ''}` +
    `${env ? `, GOBIN ${path.relative(ROOT, extraEnv.GOBIN)}` : ''}`);
  ctx.browser = await launchBrowser(ctx.host, ctx.runDir);
  const printer = logPrinter(ctx.runDir);
  ctx.onClose.push(() => printer.close());
  let settle;
  const exitCode = new Promise((resolve) => { settle = resolve; });
  await ctx.browser.exposeFunction('codeAutomationLog', (level, args) => printer.print(level, args));
  await ctx.browser.exposeFunction('codeAutomationExit', (code) => settle(Number(code)));
  const page = ctx.browser.pages()[0] ?? await ctx.browser.newPage();
  attachPageDiagnostics(page, ctx);
  // The tests report through codeAutomationExit; no need to wait for the page's load event.
  await page.goto(workbenchUrl(ctx.server, folder, { extensionDevelopmentPath: ROOT, extensionTestsPath: testsJs }), { waitUntil: 'commit' });
  const code = await Promise.race([
    exitCode,
    ctx.server.exited.then((c) => { throw new Error(`code-server exited (${c}) before the tests finished; its log:\n${tail(ctx.server.logFile)}`); }),
  ]);
  const { passing, failing = 0 } = printer.counts;
  if (passing === undefined) {
    // run() settled without mocha's summary: it failed before or around mocha (module load, missing files).
    return { code: code === 0 ? 2 : code, passed: 0, failed: 1 };
  }
  return { code, passed: passing, failed: failing };
}

function attachPageDiagnostics(page, ctx) {
  const file = fs.createWriteStream(path.join(ctx.runDir, 'browser-console.log'));
  ctx.onClose.push(() => file.end());
  page.on('console', (m) => file.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => file.write(`[pageerror] ${e.stack ?? e.message}\n`));
  page.on('crash', () => { ctx.fail(new Error('the workbench page crashed')); });
}

async function runUi(ctx, kind) {
  const source = exampleWorkspace();
  const folder = copyWorkspace(source, ctx.runDir);
  let vsixInstall;
  if (kind === 'vsix') {
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    const vsix = path.join(ROOT, `tinygo-workbench-${version}.vsix`);
    if (!fs.existsSync(vsix)) throw new Error(`${path.basename(vsix)} is missing: run npm run package first`);
    vsixInstall = installVsix(ctx.host, ctx.runDir, vsix);
    log(`installed ${path.basename(vsix)}: ${vsixInstall.split('\n').pop()}`);
  } else {
    // Hands the UI tests' stand-in device roots to the extension's test API (Playwright cannot reach it).
    const driver = path.join(ROOT, 'test/fixtures/ui-test-driver');
    log(`installed ${path.relative(ROOT, driver)}: ${installFolder(ctx.host, ctx.runDir, driver).split('\n').pop()}`);
  }
  ctx.server = await startCodeServer({ host: ctx.host, runDir: ctx.runDir, folder });
  log(`code-server ${ctx.server.origin} (pid ${ctx.server.pid}), workspace ${path.relative(ROOT, source)} (copied)`);
  ctx.browser = await launchBrowser(ctx.host, ctx.runDir);
  const page = ctx.browser.pages()[0] ?? await ctx.browser.newPage();
  attachPageDiagnostics(page, ctx);
  const url = kind === 'vsix' ? workbenchUrl(ctx.server, folder) : workbenchUrl(ctx.server, folder, { extensionDevelopmentPath: ROOT });
  const outDir = path.join(ROOT, 'test-output');
  fs.mkdirSync(outDir, { recursive: true });
  // This run's screenshots replace the last run's: a stale FAILED-*.png would mislead.
  for (const f of fs.readdirSync(outDir)) if (f.startsWith(`${kind}-`) && f.endsWith('.png')) fs.rmSync(path.join(outDir, f));
  const wb = {
    kind, page, url, folder, root: ROOT, runDir: ctx.runDir, host: ctx.host,
    extensionsDir: hostPaths(ctx.runDir).extensions,
    extensionId: EXTENSION_ID,
    // For a test that needs a code-server of its own (a fresh install): this module cannot be imported from a test,
    // its evaluation (the top-level await of main()) is still running, so an import would wait for itself.
    harness: { newRunDir, installVsix, startCodeServer, copyWorkspace, exampleWorkspace, workbenchUrl, removeRunTmp },
    screenshots: [],
    async screenshot(name) {
      const file = path.join(outDir, `${kind}-${name}.png`);
      await page.screenshot({ path: file });
      this.screenshots.push(path.relative(ROOT, file));
      return file;
    },
  };
  const dir = path.join(ROOT, 'test/ui');
  // TGW_UI_ONLY=regexp runs only the matching test files (while working on one).
  const only = process.env.TGW_UI_ONLY ? new RegExp(process.env.TGW_UI_ONLY) : undefined;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.test.mjs') && (!only || only.test(f))).sort();
  let passed = 0;
  let failed = 0;
  const perTestMs = Number(process.env.TGW_UI_TEST_TIMEOUT_MS ?? 120_000);
  // Every file starts from the settings the run started with and a clean workbench, reloaded (a new extension host)
  // with no editor, panel, terminal or notification: the files share one window, and what one leaves (a setting, a
  // restored webview that takes the active tab, the size panel's last build, a terminal) must not decide the next.
  const settingsFiles = [path.join(hostPaths(ctx.runDir).userData, 'User', 'settings.json'),
    path.join(hostPaths(ctx.runDir).userData, 'Machine', 'settings.json'), path.join(folder, '.vscode', 'settings.json')];
  const initialSettings = settingsFiles.map((file) => [file, fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined]);
  const { resetWorkbench } = await import(pathToFileURL(path.join(dir, 'workbench.mjs')).href);
  const reset = async () => {
    const restored = [];
    for (const [file, text] of initialSettings) {
      const now = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
      if (now === text) continue;
      if (text === undefined) fs.rmSync(file, { force: true });
      else fs.writeFileSync(file, text);
      restored.push(path.relative(ctx.runDir, file));
    }
    const t0 = performance.now();
    const r = await withTimeout(resetWorkbench(page, { reloadUrl: url }), 150_000, 'resetting the workbench').catch((e) => ({ error: String(e?.message ?? e).split('\n')[0] }));
    console.log(`# (clean workbench in ${Math.round(performance.now() - t0)} ms${restored.length ? `, settings put back: ${restored.join(', ')}` : ''}` +
      `${r.error ? `; ${r.error}` : r.idle === false ? '; a progress bar still runs' : ''}${r.took ? `; ${r.took.join(', ')}` : ''})`);
  };
  /** Runs a file's tests in order; resolves with the names that passed and failed. */
  const runFile = async (mod) => {
    const ok = [];
    const bad = [];
    for (const [name, fn] of mod.tests) {
      const t0 = performance.now();
      try {
        await withTimeout(Promise.resolve().then(() => fn(wb)), perTestMs, name);
        ok.push(name);
        console.log(`  ✔ ${name} (${Math.round(performance.now() - t0)} ms)`);
      } catch (err) {
        bad.push(name);
        console.log(`  ✖ ${name} (${Math.round(performance.now() - t0)} ms)`);
        console.log(String(err?.stack ?? err).split('\n').map((l) => `      ${l}`).join('\n'));
        try { await wb.screenshot(`FAILED-${name.replace(/[^\w]+/g, '-').slice(0, 60)}`); } catch { /* page gone */ }
      }
    }
    return { ok, bad };
  };
  // A file whose tests failed runs once more, whole, from a clean workbench: the UI depends on timing the tests do not
  // control (a restored webview taking the active tab, the palette opened before the extension's commands were
  // registered, a task matcher that skips a short process's output). What failed the first time is printed as flaky
  // with its error and screenshot above; only a test that failed in both runs counts.
  const flaky = [];
  let first = true;
  for (const f of files) {
    const mod = await import(pathToFileURL(path.join(dir, f)).href);
    if (!mod.modes?.includes(kind)) continue;
    if (!first) await reset();
    first = false;
    console.log(`# ${f}`);
    let r = await runFile(mod);
    if (r.bad.length && process.env.TGW_UI_RETRY !== '0') {
      console.log(`# ${f}: ${r.bad.length} failed (${r.bad.join('; ')}); running the file once more from a clean workbench`);
      await reset();
      const again = await runFile(mod);
      flaky.push(...r.bad.filter((n) => !again.bad.includes(n)).map((n) => `${f}: ${n}`));
      // A test counts as failed when it failed both times. One that passed the first time and failed only in the
      // second run failed on what the first run left behind (a build folder, a stored report), which a test that
      // passed already showed is not the product's fault: printed, not counted.
      const onlyAgain = again.bad.filter((n) => !r.bad.includes(n));
      if (onlyAgain.length) log(`${f}: failed only in the second run (passed in the first): ${onlyAgain.join(' | ')}`);
      const both = r.bad.filter((n) => again.bad.includes(n));
      r = { ok: mod.tests.map(([n]) => n).filter((n) => !both.includes(n)), bad: both };
    }
    passed += r.ok.length;
    failed += r.bad.length;
  }
  if (flaky.length) log(`flaky (failed, then passed when the file ran again): ${flaky.join(' | ')}`);
  if (wb.screenshots.length) log(`screenshots: ${wb.screenshots.join(', ')}`);
  return { code: failed ? 1 : (passed ? 0 : 2), passed, failed };
}

// --- main -----------------------------------------------------------------------------------------------
async function main() {
  const mode = process.argv[2];
  if (![...Object.keys(INTEGRATION_RUNS), 'ui', 'vsix'].includes(mode)) {
    console.error(`usage: node scripts/run-vscode-tests.mjs ${[...Object.keys(INTEGRATION_RUNS), 'ui', 'vsix'].join('|')}`);
    process.exit(2);
  }
  const t0 = performance.now();
  const timeoutMs = Number(process.env.TGW_TEST_TIMEOUT_MS ?? (mode === 'ui' || mode === 'vsix' ? 1_500_000 : 600_000));
  let failHarness;
  const harnessFailure = new Promise((_, reject) => { failHarness = reject; });
  harnessFailure.catch(() => { /* raced below */ });
  const ctx = { mode, host: undefined, runDir: undefined, server: undefined, browser: undefined, onClose: [], fail: (e) => failHarness(e) };

  let cleaning;
  const cleanup = () => cleaning ??= (async () => {
    if (ctx.browser) await withTimeout(ctx.browser.close(), 10_000, 'closing Chromium').catch((e) => log(String(e.message ?? e)));
    if (ctx.server) await ctx.server.stop();
    if (ctx.runDir) {
      const swept = sweep(ctx.runDir);
      if (swept) log(`killed ${swept} leftover process(es) of this run`);
      for (const f of ctx.onClose) { try { f(); } catch { /* closing logs */ } }
      fs.rmSync(path.join(ctx.runDir, 'chromium-profile'), { recursive: true, force: true });
      removeRunTmp(ctx.runDir);
    }
  })();
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.on(sig, () => {
      log(`${sig}: stopping code-server and Chromium`);
      void cleanup().finally(() => { console.log('0 passed, 1 failed'); process.exit(code); });
    });
  }

  let result;
  try {
    ctx.host = testHostEnv();
    ctx.runDir = newRunDir(`run-${mode}`);
    log(`mode ${mode}, state in ${path.relative(ROOT, ctx.runDir)}`);
    const work = mode in INTEGRATION_RUNS ? runIntegration(ctx, mode) : runUi(ctx, mode);
    work.catch(() => { /* raced below */ });
    let overall;
    const timedOut = new Promise((_, reject) => {
      overall = setTimeout(() => reject(new Error(`the ${mode} run took longer than ${timeoutMs / 1000} s (TGW_TEST_TIMEOUT_MS)`)), timeoutMs);
    });
    try {
      result = await Promise.race([work, harnessFailure, timedOut]);
    } finally {
      clearTimeout(overall);
    }
  } catch (err) {
    log(`harness error: ${err?.stack ?? err}`);
    if (ctx.runDir) log(`logs: ${path.relative(ROOT, ctx.runDir)}/{code-server.log,workbench.log,browser-console.log}`);
    result = { code: 2, passed: 0, failed: 1 };
  }
  await cleanup();
  log(`${mode}: exit ${result.code} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${result.passed} passed, ${result.failed} failed`);
  process.exitCode = result.code;
  // Nothing of ours is left; do not wait for stray handles (playwright's, fetch keep-alive).
  setTimeout(() => process.exit(result.code), 200).unref();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.on('unhandledRejection', (e) => { log(`unhandled rejection: ${e?.stack ?? e}`); });
  await main();
}

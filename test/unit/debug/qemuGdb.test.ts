import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TargetFileResolver } from '../../../src/core/tinygo/targetFiles';
import { launchConfigurations, taskExecutable } from '../../../src/core/debug';
import { freePort, onPath, waitForListener } from './hostTools';

// The proof that a generated configuration debugs. Cortex-Debug cannot run here, so its gdb side is driven by hand
// with exactly what the configuration holds: `gdbPath` is the debugger run, `executable` the ELF it loads and
// `runToEntryPoint` the temporary breakpoint Cortex-Debug sets before continuing. QEMU's micro:bit (nRF51; QEMU 7.2
// has no nRF52 machine) stands in for the probe's gdb server: OpenOCD would listen where QEMU's gdbstub does.
const ROOT = path.resolve(__dirname, '../../../..');
const tinygo = process.env.TGW_TINYGO;
const tinygoRoot = process.env.TINYGOROOT;
const missing = [
  !tinygo || process.env.TGW_TINYGO_NRF !== '1' ? 'TGW_TINYGO with TGW_TINYGO_NRF=1 (bash scripts/install-tinygo.sh)' : '',
  !tinygoRoot ? 'TINYGOROOT' : '',
  !onPath('qemu-system-arm') ? 'qemu-system-arm' : '',
  !onPath('gdb-multiarch') ? 'gdb-multiarch' : '',
].filter(Boolean);
const skip = missing.length ? `missing: ${missing.join(', ')}` : false;
if (skip) console.log(`skip: the gdb-against-QEMU debug test: ${skip}`);

/** Resolves with the exit code, or kills the process and rejects when it outlives `ms`. */
function exited(child: ChildProcess, ms: number, what: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${what} did not finish within ${ms} ms`)); }, ms);
    child.once('exit', (code) => { clearTimeout(timer); resolve(code); });
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

void test('the generated micro:bit configuration debugs a real build under QEMU: stop in main.main, read a variable', { skip, timeout: 5 * 60_000 }, async () => {
  const resolver = new TargetFileResolver((name) => {
    try { return fs.readFileSync(path.join(tinygoRoot as string, 'targets', `${name}.json`), 'utf8'); } catch { return undefined; }
  });
  const spec = resolver.spec('microbit');
  assert.ok(spec, 'the installed TinyGo has targets/microbit.json');
  const plan = launchConfigurations({
    target: 'microbit', spec, executable: taskExecutable('microbit'), tinygoRoot, buildTask: 'TinyGo: build',
    findProgram: onPath, fileExists: (f) => fs.existsSync(f),
  });
  const config = plan.configurations[0];
  assert.ok(config?.gdbPath && config.svdFile, JSON.stringify(plan));
  assert.ok(fs.existsSync(config.svdFile), 'the SVD file is in the TINYGOROOT');

  // The pre-launch task's build: the fixture in a fresh workspace folder, built to the configuration's executable.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'tgw-debug-'));
  fs.cpSync(path.join(ROOT, 'test/fixtures/qemu-debug'), workspace, { recursive: true });
  const elf = config.executable.replace('${workspaceFolder}', workspace);
  const built = spawnSync(tinygo as string, ['build', '-target=microbit', '-o', elf, '.'], { cwd: workspace, encoding: 'utf8', timeout: 600_000 });
  assert.equal(built.status, 0, `${built.stdout}\n${built.stderr}`);

  const port = await freePort();
  const qemuArgs = ['-M', 'microbit', '-kernel', elf, '-nographic', '-S', '-gdb', `tcp:127.0.0.1:${port}`];
  const qemu = spawn('qemu-system-arm', qemuArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let qemuOut = '';
  qemu.stdout.on('data', (d: Buffer) => { qemuOut += d.toString(); });
  qemu.stderr.on('data', (d: Buffer) => { qemuOut += d.toString(); });
  const qemuGone = exited(qemu, 4 * 60_000, 'qemu-system-arm');
  qemuGone.catch(() => { /* reported through the assertions; the finally kills it */ });
  try {
    await waitForListener(port, 30_000);
    const gdbArgs = [
      '--batch', '-nx',
      '-ex', 'set pagination off', '-ex', 'set confirm off',
      // What Cortex-Debug does with the configuration, in gdb's console form:
      '-ex', `target extended-remote 127.0.0.1:${port}`, // its OpenOCD controller's target-select
      '-ex', 'load',                                       // target-download (-kernel loaded it already; harmless)
      '-ex', `tbreak ${config.runToEntryPoint}`,           // runToEntryPoint
      '-ex', 'continue',
      '-ex', 'info symbol $pc',
      // TinyGo 0.39 leaves the package variable's DWARF entry without a location, so gdb finds it through the ELF
      // symbol: the quoted Go name is what the Watch view accepts too.
      '-ex', "print/x 'main.magic'",
      '-ex', 'tbreak main.bump', '-ex', 'continue', '-ex', 'finish',
      '-ex', "print/x 'main.magic'",
      '-ex', 'kill',
      config.executable.replace('${workspaceFolder}', workspace),
    ];
    const gdb = spawn(config.gdbPath, gdbArgs, { cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'] });
    let transcript = '';
    gdb.stdout.on('data', (d: Buffer) => { transcript += d.toString(); });
    gdb.stderr.on('data', (d: Buffer) => { transcript += d.toString(); });
    const code = await exited(gdb, 120_000, 'gdb');

    const outDir = path.join(ROOT, 'test-output');
    fs.mkdirSync(outDir, { recursive: true });
    const record = [
      `# launch configuration (generated for microbit)\n${JSON.stringify(config, null, 2)}`,
      `# qemu-system-arm ${qemuArgs.join(' ')}`,
      `# ${config.gdbPath} ${gdbArgs.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')}`,
      `# gdb exit ${code}\n${transcript}`,
    ].join('\n');
    fs.writeFileSync(path.join(outDir, 'debug-gdb-qemu-microbit.txt'), record);
    const key = transcript.split('\n').filter((l) => /breakpoint \d|^\$\d|main\.main|in section/.test(l));
    console.log(`gdb transcript (test-output/debug-gdb-qemu-microbit.txt), key lines:\n  ${key.join('\n  ')}`);

    assert.match(transcript, /^Temporary breakpoint 1, (0x[0-9a-f]+ in )?main\.main \(\)/m, 'runToEntryPoint stops in main.main');
    assert.match(transcript, /^main\.main \+ \d+ in section \.text$/m, 'the pc is inside main.main');
    assert.match(transcript, /^\$1 = 0x1234abcd$/m, 'magic holds its initial value when main starts');
    assert.match(transcript, /^Temporary breakpoint 2, main\.bump \(\) at .*main\.go:\d+$/m);
    assert.match(transcript, /^main\.main \(\) at .*main\.go:\d+$/m, 'back in main.main with a source line');
    assert.match(transcript, /^\$2 = 0x1234abce$/m, 'one bump() later the value read is one more');
  } finally {
    if (qemu.exitCode === null && qemu.signalCode === null) qemu.kill('SIGKILL');
    await qemuGone.catch(() => undefined);
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  assert.ok(qemu.exitCode !== null || qemu.signalCode !== null, `qemu is gone\n${qemuOut}`);
});

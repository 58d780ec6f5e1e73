// Real nRF52 firmware through the extension, in a real VS Code, with the REAL tinygo 0.39.0 and its nRF files
// (TGW_TINYGO from scripts/install-tinygo.sh, TGW_TINYGO_NRF=1 when that tinygo links nRF52 firmware): no scripted
// tinygo anywhere in this file. Skipped, with the reason printed, without them.
//
// What is checked against what (never against numbers written here):
// - the ELF, the size panel's numbers and the status bar against Debian's llvm-size-19 on the same ELF
//   (flash = text + data, RAM = data + bss, Berkeley format) and the capacity against the board's linker script
//   read here (MEMORY: FLASH_TEXT / RAM LENGTH);
// - the delta after a real second build (fmt.Sprintf added) against llvm-size of the two ELFs;
// - `-print-allocs` and a real ARM compile error against the lines of examples/feather-blinky;
// - Flash: the firmware a STAND-IN openocd / nrfjprog receives from real `tinygo flash` (no probe can be attached
//   to this machine, so the flasher is a script that records its command line and keeps the file) against the
//   build's ELF, byte for byte after llvm-objcopy-19; Debian's real openocd without a probe; the real UF2 drive wait.
import * as assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { formatBytes } from '../../src/core/size/model';
import type { BuildEvent, BuildRefused, FlashOutcome } from '../../src/vscode/services';
import type { WorkbenchApi } from '../../src/vscode/testing';
import type { LoopOutcome } from '../../src/vscode/loop';
import { openPtyPair, type PtyPair } from '../support/ptyPair';
import { api, extension, until, useRealTinygo } from './helpers';

const run = promisify(execFile);
const BUILD_MS = 300_000;
const PKG = 'tgwfw';
const OUT = 'tgwfw-out';

const isEvent = (r: BuildEvent | BuildRefused | undefined): r is BuildEvent => !!r && !('refused' in r);

/** llvm-size-19 in Berkeley format: text, data, bss of the ELF. */
async function llvmSize(elf: string): Promise<{ text: number; data: number; bss: number }> {
  const { stdout } = await run('llvm-size-19', ['-B', elf]);
  const row = stdout.trim().split('\n')[1]!.trim().split(/\s+/).map(Number);
  return { text: row[0]!, data: row[1]!, bss: row[2]! };
}

/** llvm-nm-19 -S: every sized code/data symbol as `address\0name` -> size. */
async function llvmNm(elf: string): Promise<Map<string, number>> {
  const { stdout } = await run('llvm-nm-19', ['-S', elf], { maxBuffer: 64 * 1024 * 1024 });
  const out = new Map<string, number>();
  for (const l of stdout.split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) [tTdDbBrR] (.*)$/.exec(l);
    if (m && Number.parseInt(m[2]!, 16) > 0) out.set(`${Number.parseInt(m[1]!, 16)}\0${m[3]}`, Number.parseInt(m[2]!, 16));
  }
  return out;
}

/** A linker-script length expression (`0xED000-0x26000`, `256K`, `1M`): numbers with K/M, joined by + and -. */
function evalLength(expr: string): number {
  let total = 0;
  for (const m of expr.replace(/\s+/g, '').matchAll(/([+-]?)(0x[0-9a-f]+|\d+)([KM]?)/gi)) {
    const n = Number(m[2]) * (m[3]?.toUpperCase() === 'K' ? 1024 : m[3]?.toUpperCase() === 'M' ? 1024 * 1024 : 1);
    total += m[1] === '-' ? -n : n;
  }
  return total;
}

/** FLASH_TEXT and RAM lengths from the target's linker script, read here independently of src/core/size. */
async function linkerCapacity(tinygo: string, target: string): Promise<{ script: string; flash: number; ram: number }> {
  const root = (await run(tinygo, ['env', 'TINYGOROOT'])).stdout.trim();
  const info = JSON.parse((await run(tinygo, ['info', '-json', `-target=${target}`])).stdout) as { target?: { linkerscript?: string } };
  const script = info.target?.linkerscript ?? '';
  const text = await fsp.readFile(path.join(root, script), 'utf8');
  const len = (region: string) => {
    const m = new RegExp(`^\\s*${region}\\s*\\([^)]*\\)\\s*:\\s*ORIGIN\\s*=\\s*[^,]+,\\s*LENGTH\\s*=\\s*([^/\\n]+)`, 'm').exec(text);
    assert.ok(m, `${region} not in ${script}`);
    return evalLength(m[1]!);
  };
  return { script, flash: len('FLASH_TEXT'), ram: len('RAM') };
}

/** The loadable bytes of a firmware file (ELF or Intel HEX) as one flat image, by llvm-objcopy-19. */
async function image(file: string, dir: string): Promise<Buffer> {
  const out = path.join(dir, `${path.basename(file)}.${Date.now()}.bin`);
  const args = file.endsWith('.hex') ? ['-I', 'ihex', '-O', 'binary', file, out] : ['-O', 'binary', file, out];
  await run('llvm-objcopy-19', args);
  return fsp.readFile(out);
}

/** A stand-in flasher (sh): records its argv one per line and keeps a copy of the firmware file it was handed. */
async function standIn(binDir: string, name: 'openocd' | 'nrfjprog', log: string, kept: string): Promise<void> {
  // openocd gets `-c "program FILE reset exit"`; nrfjprog gets `--program FILE`.
  const script = `#!/bin/sh
# STAND-IN ${name} for the real-firmware test: no probe can be attached here. Records argv, keeps the file.
: > "${log}"
prev=
for a in "$@"; do
  printf '%s\\n' "$a" >> "${log}"
  case "$a" in
    "program "*) set -f; f=$(echo "$a" | cut -d' ' -f2); cp "$f" "${kept}";;
  esac
  if [ "$prev" = "--program" ]; then cp "$a" "${kept}"; fi
  prev="$a"
done
echo "** Programming Started **"
echo "** Programming Finished **"
echo "** Verified OK **"
exit 0
`;
  await fsp.writeFile(path.join(binDir, name), script, { mode: 0o755 });
}

suite('real firmware: nRF52 builds, sizes and flash with the real tinygo', function () {
  this.timeout(BUILD_MS * 2);
  let a: WorkbenchApi;
  let folder: vscode.WorkspaceFolder;
  let tinygo = '';
  let tmp = '';
  let firstElfCopy = '';
  const pathBefore = process.env.PATH ?? '';
  const cfg = () => vscode.workspace.getConfiguration('tinygo', folder.uri);
  const pkgDir = () => path.join(folder.uri.fsPath, PKG);
  const mainGo = () => vscode.Uri.file(path.join(pkgDir(), 'main.go'));
  const elfOf = (target: string) => path.join(folder.uri.fsPath, OUT, `${PKG}-${target}.elf`);
  const setTarget = async (t: string | undefined) => { await a.testing.toolchain()!.setTarget(folder, t); };
  const buildNrf52 = () => vscode.commands.executeCommand<BuildEvent | BuildRefused | undefined>('tinygo.buildNrf52', { quiet: true });
  const flash = () => vscode.commands.executeCommand<FlashOutcome>('tinygo.flash', { quiet: true });
  const buildDiags = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'TinyGo build');
  /**
   * Writes main.go behind the editor's back, as a git checkout would, and waits for the open editor to show it: VS Code
   * reloads the document when its file watcher reports the change, and that reload is an edit of the changed lines,
   * which takes a build's errors on them away. Built before the reload (a fast machine's tinygo finds a compile error
   * sooner than the watcher reports), the error would be published and then removed by an edit that came after it.
   */
  const writeMain = async (text: string) => {
    await fsp.writeFile(mainGo().fsPath, text);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === mainGo().fsPath);
    if (open) await until('the open main.go to show what was written', () => open.getText() === text, 30_000);
  };

  suiteSetup(async function () {
    tinygo = process.env.TGW_TINYGO ?? '';
    if (!tinygo || process.env.TGW_TINYGO_NRF !== '1') {
      console.log(`    [real firmware] ${!tinygo ? 'TGW_TINYGO is not set' : `TGW_TINYGO_NRF is "${process.env.TGW_TINYGO_NRF ?? ''}", not 1 (this tinygo lacks the nRF files)`} in the extension host ` +
        '(run `eval "$(bash scripts/install-tinygo.sh)"` before the harness): skipping');
      this.skip();
    }
    a = await api();
    folder = vscode.workspace.workspaceFolders![0]!;
    const real = await useRealTinygo(a, folder, 'real firmware');
    if (typeof real !== 'string') {
      console.log(real.skip);
      this.skip();
    }
    console.log(`    [real firmware] tinygo ${real} at ${tinygo}`);
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'tgw-fw-'));
    await fsp.rm(pkgDir(), { recursive: true, force: true });
    await fsp.cp(path.join(extension().extensionPath, 'examples', 'feather-blinky'), pkgDir(), { recursive: true });
    await cfg().update('build.package', `./${PKG}`, vscode.ConfigurationTarget.Workspace);
    await cfg().update('build.outputDir', OUT, vscode.ConfigurationTarget.Workspace);
    await setTarget('feather-nrf52840');
  });

  suiteTeardown(async () => {
    if (!a) return;
    process.env.PATH = pathBefore;
    await setTarget(undefined);
    for (const k of ['path', 'languageServer', 'build.package', 'build.outputDir', 'build.opt']) await cfg().update(k, undefined, vscode.ConfigurationTarget.Workspace);
    await a.testing.devices()?.select(folder, 'auto');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fsp.rm(pkgDir(), { recursive: true, force: true });
    await fsp.rm(path.join(folder.uri.fsPath, OUT), { recursive: true, force: true });
    if (tmp) await fsp.rm(tmp, { recursive: true, force: true });
  });

  test('Build for nRF52 (feather-nrf52840): the ELF where the settings say, -print-allocs on main.go:53 and :17, sizes as llvm-size reads them, capacity from the linker script, stacks', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(mainGo()), { preview: false });
    const t0 = Date.now();
    const r = await buildNrf52();
    assert.ok(isEvent(r), JSON.stringify(r));
    assert.equal(r.success, true, r.failure);
    console.log(`    [real firmware] $ ${r.args.join(' ')}   (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    // The ELF in tinygo.build.outputDir, named by the package and the target; an ARM ELF (readelf, not our reader).
    assert.equal(r.outputPath, elfOf('feather-nrf52840'));
    const header = (await run('llvm-readelf-19', ['-h', r.outputPath])).stdout;
    assert.match(header, /Machine:\s+ARM/);
    firstElfCopy = path.join(tmp, 'first.elf');
    await fsp.copyFile(r.outputPath, firstElfCopy);

    // -print-allocs: the regexp limited to the module's packages, the lines mapped to the workspace copy.
    assert.ok(r.args.some((x) => x.startsWith('-print-allocs=') && x.includes('example\\.com/feather-blinky')), r.args.join(' '));
    const sites = r.allocs.map((x) => `${path.relative(folder.uri.fsPath, x.file)}:${x.line}: ${x.reasons.join('; ')}`);
    console.log(`    [real firmware] -print-allocs: ${sites.join(' | ')}`);
    assert.ok(r.allocs.some((x) => x.file === mainGo().fsPath && x.line === 53 && /size is not constant/.test(x.reasons.join())), sites.join(' | '));
    assert.ok(r.allocs.some((x) => x.file === mainGo().fsPath && x.line === 17), sites.join(' | '));
    const problems = await until('the allocation lines in Problems', () => {
      const ds = buildDiags(mainGo()).filter((d) => d.code === 'heap-allocation');
      return ds.some((d) => d.range.start.line === 52) && ds.some((d) => d.range.start.line === 16) ? ds : undefined;
    }, 30_000);
    console.log(`    [real firmware] Problems: ${problems.map((d) => `main.go:${d.range.start.line + 1} ${d.message}`).join(' | ')}`);

    // The size panel: the build's numbers, equal to llvm-size on the same ELF.
    const data = await until('the size panel to show this build', () => {
      const d = a.testing.size()!.data();
      return d.report?.totals.flash === r.sizeTable?.total?.flash && d.report?.target === 'feather-nrf52840' ? d : undefined;
    }, 30_000);
    const sz = await llvmSize(r.outputPath);
    const totals = data.report!.totals;
    console.log(`    [real firmware] panel: flash ${totals.flash} B, RAM ${totals.ram} B (code ${totals.code}, rodata ${totals.rodata}, data ${totals.data}, bss ${totals.bss}); ` +
      `llvm-size-19: text ${sz.text}, data ${sz.data}, bss ${sz.bss} -> flash ${sz.text + sz.data}, RAM ${sz.data + sz.bss}`);
    assert.equal(totals.flash, sz.text + sz.data);
    assert.equal(totals.ram, sz.data + sz.bss);
    const cap = await linkerCapacity(tinygo, 'feather-nrf52840');
    console.log(`    [real firmware] capacity: panel ${data.report!.capacity?.flash} B flash / ${data.report!.capacity?.ram} B RAM; ${cap.script}: ${cap.flash} / ${cap.ram}`);
    assert.equal(data.report!.capacity?.flash, cap.flash);
    assert.equal(data.report!.capacity?.ram, cap.ram);
    const status = a.testing.size()!.statusBarText();
    console.log(`    [real firmware] status bar: ${status}`);
    // A delta follows when another build came before in this session (other suites build too); the fmt test checks it.
    assert.match(status ?? '', /^Flash [\d.]+ KB \/ [\d.]+ KB( \([^)]+\))? · RAM [\d.]+ (K?B) \/ [\d.]+ KB( \([^)]+\))?$/);
    assert.ok(status!.startsWith(`Flash ${(totals.flash / 1024).toFixed(1)} KB / `), status);
    assert.ok(status!.includes(`${(cap.flash / 1024).toFixed(0)}`) || status!.includes(`${(cap.flash / 1024).toFixed(1)}`), status);

    // The symbol view: what the panel received, read from the same ELF, against llvm-nm-19 -S on it.
    const symbols = await until('the symbols of this build in the panel data', () => {
      const sy = a.testing.size()!.data().symbols;
      return sy?.elf === r.outputPath ? sy : undefined;
    }, 30_000);
    const nm = await llvmNm(r.outputPath);
    const named = symbols.symbols.filter((x) => !x.gap);
    for (const x of named) assert.equal(nm.get(`${x.address}\0${x.name}`), x.size, `${x.name} at 0x${x.address.toString(16)}`);
    const listed = new Set(named.map((x) => x.address));
    assert.deepEqual([...nm.keys()].filter((k) => !listed.has(Number(k.split('\0')[0]))), [], 'every llvm-nm address is in the panel');
    const flashSum = symbols.symbols.reduce((n, x) => n + (symbols.sections.find((sec) => sec.name === x.section)?.class === 'bss' ? 0 : x.size), 0);
    assert.equal(flashSum, sz.text + sz.data, 'symbols and gaps add up to llvm-size\'s flash');
    const blinkSym = named.find((x) => x.name === 'main.blink');
    console.log(`    [real firmware] symbols: ${named.length} named (llvm-nm-19 -S: ${nm.size} entries, ${listed.size} addresses), main.blink ${blinkSym?.size} B at ${blinkSym?.file}:${blinkSym?.line}`);
    const funcLine = (await fsp.readFile(mainGo().fsPath, 'utf8')).split('\n').findIndex((l) => l.startsWith('func blink(')) + 1;
    assert.ok(blinkSym && blinkSym.file === mainGo().fsPath && blinkSym.line !== undefined && blinkSym.line >= funcLine && blinkSym.line < funcLine + 10,
      `main.blink at ${JSON.stringify(blinkSym)}, func blink on line ${funcLine}`);

    // -print-stacks on ARM: the goroutine entry points reach the panel (main.blink is started by `go blink`).
    assert.ok(r.args.includes('-print-stacks'));
    const stacks = data.memory?.stacks ?? [];
    console.log(`    [real firmware] stacks: ${stacks.map((s) => `${s.function}=${s.bytes ?? s.note}`).join(' | ')}`);
    const blink = stacks.find((s) => s.function === 'main.blink');
    assert.ok(blink && (blink.bytes !== undefined || /recursive|unknown|indirect/.test(blink.note ?? '')), JSON.stringify(stacks));
  });

  test('a real ARM compile error lands in Problems on its line; the fix and a real fmt.Sprintf build give the real size delta', async () => {
    const text = await fsp.readFile(mainGo().fsPath, 'utf8');
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.trim() === 'n := 0');
    assert.ok(at > 0);
    lines[at] = '\tn := undefinedCounter';
    await writeMain(lines.join('\n'));
    const bad = await buildNrf52();
    assert.ok(isEvent(bad), JSON.stringify(bad));
    assert.equal(bad.success, false);
    const err = await until('the compile error in Problems', () => buildDiags(mainGo()).find((d) => d.severity === vscode.DiagnosticSeverity.Error), 30_000);
    console.log(`    [real firmware] compile error: main.go:${err.range.start.line + 1}:${err.range.start.character + 1}: ${err.message}`);
    assert.equal(err.range.start.line, at);
    assert.match(err.message, /undefined: undefinedCounter/);

    // The fix plus a real change: fmt.Sprintf in echo().
    const fixed = text.replace('import (\n', 'import (\n\t"fmt"\n').replace('reply = append(reply, "echo: "...)', 'reply = append(reply, fmt.Sprintf("echo %d: ", len(text))...)');
    assert.notEqual(fixed, text);
    await writeMain(fixed);
    const r = await buildNrf52();
    assert.ok(isEvent(r) && r.success, JSON.stringify(isEvent(r) ? r.failure : r));
    const data = await until('the size panel to show the fmt build', () => {
      const d = a.testing.size()!.data();
      return d.report?.totals.flash === r.sizeTable?.total?.flash && !d.failure ? d : undefined;
    }, 30_000);
    const before = await llvmSize(firstElfCopy);
    const after = await llvmSize(r.outputPath);
    const realDelta = (after.text + after.data) - (before.text + before.data);
    const shown = data.report!.totals.flash - (data.previous?.totals.flash ?? NaN);
    const status = a.testing.size()!.statusBarText();
    console.log(`    [real firmware] fmt.Sprintf: flash ${data.previous?.totals.flash} -> ${data.report!.totals.flash} B (panel delta ${shown} B; llvm-size delta ${realDelta} B); RAM delta panel ` +
      `${data.report!.totals.ram - (data.previous?.totals.ram ?? NaN)} B, llvm-size ${(after.data + after.bss) - (before.data + before.bss)} B; status bar: ${status}`);
    assert.equal(shown, realDelta);
    assert.equal(data.report!.totals.ram - data.previous!.totals.ram, (after.data + after.bss) - (before.data + before.bss));
    assert.match(status ?? '', /^Flash .* \(\+[\d.]+ KB\) · RAM /);
    assert.equal(buildDiags(mainGo()).filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length, 0, 'the fixed error is gone after the good build');

    // The symbol diff of the panel against llvm-nm-19 on the two ELFs: added and removed names exactly, flash total.
    const diff = data.symbols?.diff;
    assert.ok(diff, 'a symbol diff after the second good build');
    // llvm-nm lists every alias of an address (`__aeabi_d2f` and `__truncdfsf2`); the panel one name per address. So:
    // each name the panel calls added (removed) is new (gone) for llvm-nm, and each name new (gone) for llvm-nm is the
    // panel's or an alias of a symbol the panel lists at that address under another name.
    const keys0 = [...(await llvmNm(firstElfCopy)).keys()].map((k) => k.split('\0') as [string, string]);
    const keys1 = [...(await llvmNm(r.outputPath)).keys()].map((k) => k.split('\0') as [string, string]);
    const n0 = new Set(keys0.map(([, n]) => n));
    const n1 = new Set(keys1.map(([, n]) => n));
    const kinds = (k: string) => diff.changes.filter((c) => c.kind === k).map((c) => c.name).sort();
    const nowAt = new Map(data.symbols!.symbols.map((x) => [x.address, x.name]));
    for (const x of kinds('added')) assert.ok(n1.has(x) && !n0.has(x), `added ${x}`);
    for (const x of kinds('removed')) assert.ok(n0.has(x) && !n1.has(x), `removed ${x}`);
    const added = new Set(kinds('added'));
    for (const [at, x] of keys1) {
      if (n0.has(x) || added.has(x)) continue;
      const kept = nowAt.get(Number(at));
      assert.ok(kept !== undefined && kept !== x, `${x} is new for llvm-nm but neither added in the panel nor an alias of a listed symbol`);
    }
    const removed = new Set(kinds('removed'));
    const oldAt = new Map<string, string[]>();
    for (const [at, x] of keys0) oldAt.set(at, [...(oldAt.get(at) ?? []), x]);
    for (const [at, x] of keys0) {
      if (n1.has(x) || removed.has(x)) continue;
      // An alias: another name at the same old address is still there, or is the one the panel reports as removed.
      assert.ok((oldAt.get(at) ?? []).some((y) => y !== x && (n1.has(y) || removed.has(y))), `${x} is gone for llvm-nm but not removed in the panel`);
    }
    assert.equal(diff.flash, realDelta);
    assert.ok(kinds('added').some((x) => x.startsWith('fmt.')), 'fmt\'s functions are new');
    // The import cost lens on `"fmt"` and the code size lens on `func echo(` in main.go, after this build.
    const lenses = await until('the import cost lenses of main.go', async () => {
      const ls = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', mainGo(), 100);
      return ls.some((l) => l.command?.title.startsWith('fmt — ')) ? ls : undefined;
    }, 30_000);
    const src = fixed.split('\n');
    const titleOn = (line: number) => lenses.filter((l) => l.range.start.line === line).map((l) => l.command?.title ?? '');
    const classOf = new Map(data.symbols!.sections.map((x) => [x.name, x.class]));
    const fmtSyms = data.symbols!.symbols.filter((x) => x.package === 'fmt');
    const fmtFlash = fmtSyms.reduce((n, x) => n + (classOf.get(x.section) === 'bss' ? 0 : x.size), 0);
    const fmtRam = fmtSyms.reduce((n, x) => n + (classOf.get(x.section) === 'text' ? 0 : x.size), 0);
    assert.deepEqual(titleOn(src.findIndex((l) => l.trim() === '"fmt"')), [`fmt — ${formatBytes(fmtFlash)} flash, ${formatBytes(fmtRam)} RAM`]);
    // Each function's lens: its symbols and closures as llvm-nm-19 -S sizes them (one per address); none when the
    // compiler inlined it everywhere (no symbol).
    const nmNow = [...(await llvmNm(r.outputPath))];
    for (const [i, l] of src.entries()) {
      const fn = /^func (\w+)\(/.exec(l)?.[1];
      if (!fn) continue;
      const re = new RegExp(`^main\\.${fn}($|\\$|\\[)`);
      const bytes = [...nmNow.filter(([k]) => re.test(k.split('\0')[1]!)).reduce((m, [k, n]) => m.set(k.split('\0')[0]!, n), new Map<string, number>()).values()]
        .reduce((a, b) => a + b, 0);
      assert.deepEqual(titleOn(i), bytes ? [`${formatBytes(bytes)} code`] : [], `func ${fn}`);
    }
    console.log(`    [real firmware] lenses: ${lenses.map((l) => `main.go:${l.range.start.line + 1} "${l.command?.title}"`).join(' | ')}`);
    // "Why is this linked?" for strconv: real `tinygo list -deps -json` for the target; fmt is what brings it in.
    const t1 = Date.now();
    const why = await a.testing.size()!.whyLinked('strconv');
    console.log(`    [real firmware] why strconv (${Date.now() - t1} ms): ${JSON.stringify(why).slice(0, 600)}`);
    assert.equal(why.error, undefined, why.error);
    assert.deepEqual(why.chain, ['main', 'fmt', 'strconv']);
    assert.equal(why.saving?.import, 'fmt');
    const gone = why.saving!.packages.map((p) => p.package);
    assert.ok(gone.includes('fmt') && gone.includes('strconv') && !gone.includes('machine') && !gone.includes('runtime'), gone.join(' '));
    const flashOf = (pkg: string) => data.symbols!.symbols.filter((x) => x.package === pkg).reduce((n, x) => n + (classOf.get(x.section) === 'bss' ? 0 : x.size), 0);
    assert.equal(why.saving!.flash, gone.reduce((n, p) => n + flashOf(p), 0));
    const whyMachine = await a.testing.size()!.whyLinked('machine');
    assert.deepEqual(whyMachine.chain, ['main', 'machine']);
    // TinyGo's runtime imports machine too: removing main's import would not unlink it.
    assert.equal(whyMachine.saving?.stillLinkedVia?.at(-1), 'machine', JSON.stringify(whyMachine.saving));
    console.log(`    [real firmware] symbol diff: flash ${diff.flash} B, ${kinds('added').length} added (e.g. ${kinds('added').slice(0, 3).join(', ')}), ${kinds('removed').length} removed, ${kinds('grown').length} grown, ${kinds('shrunk').length} shrunk`);
    await writeMain(text);
  });

  test('one board per nRF52 chip and a SoftDevice variant build; each size equals llvm-size and each capacity its linker script', async () => {
    const rows: string[] = [];
    for (const target of ['microbit-v2', 'pca10040', 'pca10056-s140v7', 'microbit-v2-s113v7']) {
      await setTarget(target);
      const t0 = Date.now();
      const r = await buildNrf52();
      assert.ok(isEvent(r) && r.success, `${target}: ${JSON.stringify(isEvent(r) ? r.failure : r)}`);
      const sz = await llvmSize(r.outputPath);
      const cap = await linkerCapacity(tinygo, target);
      const data = await until(`the panel to show ${target}`, () => { const d = a.testing.size()!.data(); return d.report?.target === target ? d : undefined; }, 30_000);
      rows.push(`${target}: flash ${data.report!.totals.flash}/${cap.flash} RAM ${data.report!.totals.ram}/${cap.ram} (llvm-size ${sz.text + sz.data}/${sz.data + sz.bss}; ${cap.script}; ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      assert.equal(data.report!.totals.flash, sz.text + sz.data, target);
      assert.equal(data.report!.totals.ram, sz.data + sz.bss, target);
      assert.deepEqual([data.report!.capacity?.flash, data.report!.capacity?.ram], [cap.flash, cap.ram], target);
    }
    for (const row of rows) console.log(`    [real firmware] ${row}`);
  });

  test('the symbol diff survives a reload: the first feather build after it compares with the fmt build before it (other boards built since)', async () => {
    // The feather ELF on disk is the fmt test's build (main.go restored since, not built); the boards built after it
    // wrote newer reports, so the reloaded size feature's newest report on disk is another board's.
    const fmtElf = path.join(tmp, 'fmt.elf');
    await fsp.copyFile(elfOf('feather-nrf52840'), fmtElf);
    assert.ok((await llvmNm(fmtElf)).size > 0);
    const size = await a.testing.restartSize();
    assert.ok(size, "the size feature started again");
    await setTarget('feather-nrf52840');
    const r = await buildNrf52();
    assert.ok(isEvent(r) && r.success, JSON.stringify(isEvent(r) ? r.failure : r));
    const symbols = await until('the symbols of the build after the reload', () => {
      const sy = a.testing.size()!.data().symbols;
      return sy?.elf === r.outputPath ? sy : undefined;
    }, 30_000);
    const diff = symbols.diff;
    assert.ok(diff, 'Changes after the first build that follows the reload');
    const [before, after] = [await llvmSize(fmtElf), await llvmSize(r.outputPath)];
    const kinds = (k: string) => diff.changes.filter((c) => c.kind === k).map((c) => c.name);
    console.log(`    [real firmware] after the reload: flash ${diff.flash} B (llvm-size ${(after.text + after.data) - (before.text + before.data)} B), ` +
      `${kinds('removed').length} removed (e.g. ${kinds('removed').slice(0, 3).join(', ')}), ${kinds('added').length} added, ${kinds('grown').length} grown, ${kinds('shrunk').length} shrunk`);
    assert.equal(diff.flash, (after.text + after.data) - (before.text + before.data));
    assert.equal(diff.ram, (after.data + after.bss) - (before.data + before.bss));
    // fmt.Sprintf is gone from main.go: its functions are what the diff says were removed, as llvm-nm-19 sees it.
    const n0 = new Set([...(await llvmNm(fmtElf)).keys()].map((k) => k.split('\0')[1]!));
    const n1 = new Set([...(await llvmNm(r.outputPath)).keys()].map((k) => k.split('\0')[1]!));
    assert.ok(kinds('removed').some((x) => x.startsWith('fmt.')), kinds('removed').join(' '));
    for (const x of kinds('removed')) assert.ok(n0.has(x) && !n1.has(x), `removed ${x}`);
    for (const x of kinds('added')) assert.ok(n1.has(x) && !n0.has(x), `added ${x}`);
  });

  test('tinygo.build.formats ["uf2", "hex"]: Build also writes a real UF2 and a HEX of the same program beside the ELF', async () => {
    await setTarget('feather-nrf52840');
    await cfg().update('build.formats', ['uf2', 'hex'], vscode.ConfigurationTarget.Workspace);
    try {
      const r = await buildNrf52();
      assert.ok(isEvent(r) && r.success, JSON.stringify(isEvent(r) ? r.failure : r));
      const stem = r.outputPath.replace(/\.elf$/, '');
      assert.deepEqual(r.extraOutputs?.map((x) => [x.format, x.path, x.ok]), [['uf2', `${stem}.uf2`, true], ['hex', `${stem}.hex`, true]]);
      // UF2: 512-byte blocks with both magic numbers, for the nRF52840 family (0xada52840), after the SoftDevice.
      const uf2 = await fsp.readFile(`${stem}.uf2`);
      assert.equal(uf2.length % 512, 0);
      assert.deepEqual([uf2.readUInt32LE(0), uf2.readUInt32LE(4), uf2.readUInt32LE(28), uf2.readUInt32LE(508)], [0x0a324655, 0x9e5d5157, 0xada52840, 0x0ab16f30]);
      // HEX: the same bytes as the ELF's loadable image (llvm-objcopy-19 reads both).
      const [hexImage, elfImage] = [await image(`${stem}.hex`, tmp), await image(r.outputPath, tmp)];
      assert.ok(hexImage.equals(elfImage), `hex image ${hexImage.length} B vs ELF image ${elfImage.length} B`);
      console.log(`    [real firmware] formats: ${path.basename(stem)}.uf2 ${uf2.length} B (${uf2.length / 512} blocks), .hex = ELF image ${elfImage.length} B`);
    } finally {
      await cfg().update('build.formats', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('Flash (openocd, pca10040): real tinygo flash hands a STAND-IN openocd exactly the firmware Build made, with the build settings', async () => {
    const bin = path.join(tmp, 'standin-bin');
    await fsp.mkdir(bin, { recursive: true });
    const log = path.join(tmp, 'openocd.args');
    const kept = path.join(tmp, 'openocd-received.hex');
    await standIn(bin, 'openocd', log, kept);
    process.env.PATH = `${bin}${path.delimiter}${pathBefore}`;
    await setTarget('pca10040');
    // A non-default setting: if Flash did not pass it, the flashed bytes would differ from the built ones.
    await cfg().update('build.opt', 's', vscode.ConfigurationTarget.Workspace);
    try {
      const b = await buildNrf52();
      assert.ok(isEvent(b) && b.success, JSON.stringify(isEvent(b) ? b.failure : b));
      assert.ok(b.args.includes('-opt=s'));
      const o = await flash();
      assert.equal(o.kind, 'flashed', JSON.stringify(o));
      if (o.kind !== 'flashed') return;
      const argv = (await fsp.readFile(log, 'utf8')).trimEnd().split('\n');
      console.log(`    [real firmware] tinygo ${o.args.join(' ')}`);
      console.log(`    [real firmware] stand-in openocd got: openocd ${argv.map((x) => (/\s/.test(x) ? `"${x}"` : x)).join(' ')}`);
      assert.ok(o.args.includes('-opt=s'), o.args.join(' '));
      assert.ok(argv.some((x) => /^program \S+\.hex reset exit$/.test(x)), argv.join(' '));
      const [built, received] = await Promise.all([image(b.outputPath, tmp), image(kept, tmp)]);
      assert.ok(received.length > 1000);
      assert.ok(built.equals(received), `the flashed image (${received.length} B) is not the built ELF's (${built.length} B)`);
      assert.equal(o.firmware, b.outputPath.replace(/\.elf$/, '.hex'));
      assert.ok((await fsp.readFile(o.firmware!)).equals(await fsp.readFile(kept)), 'the kept -o file is what the flasher got');
      console.log(`    [real firmware] flashed image = built ELF image: ${received.length} B; kept as ${path.relative(folder.uri.fsPath, o.firmware!)}`);
    } finally {
      await cfg().update('build.opt', undefined, vscode.ConfigurationTarget.Workspace);
      process.env.PATH = pathBefore;
    }
  });

  test('Flash (nrfjprog command, pca10056): a STAND-IN nrfjprog gets the built firmware as --program FILE', async () => {
    const bin = path.join(tmp, 'standin-bin');
    await fsp.mkdir(bin, { recursive: true });
    const log = path.join(tmp, 'nrfjprog.args');
    const kept = path.join(tmp, 'nrfjprog-received.hex');
    await standIn(bin, 'nrfjprog', log, kept);
    process.env.PATH = `${bin}${path.delimiter}${pathBefore}`;
    await setTarget('pca10056');
    try {
      const b = await buildNrf52();
      assert.ok(isEvent(b) && b.success, JSON.stringify(isEvent(b) ? b.failure : b));
      const o = await flash();
      assert.equal(o.kind, 'flashed', JSON.stringify(o));
      const argv = (await fsp.readFile(log, 'utf8')).trimEnd().split('\n');
      console.log(`    [real firmware] stand-in nrfjprog got: nrfjprog ${argv.join(' ')}`);
      assert.equal(argv[argv.indexOf('--program') + 1]?.endsWith('.hex'), true, argv.join(' '));
      const [built, received] = await Promise.all([image(b.outputPath, tmp), image(kept, tmp)]);
      assert.ok(built.equals(received), `the flashed image (${received.length} B) is not the built ELF's (${built.length} B)`);
    } finally {
      process.env.PATH = pathBefore;
    }
  });

  test('Flash with Debian\'s REAL openocd and no probe: its failure reaches the user as advice', async function () {
    try { await run('openocd', ['--version']); } catch (err) {
      console.log(`    [real firmware] openocd is not installed (${String(err)}): skipping`);
      this.skip();
    }
    await setTarget('pca10040');
    const o = await flash();
    assert.equal(o.kind, 'failed', JSON.stringify(o));
    if (o.kind !== 'failed') return;
    console.log(`    [real firmware] real openocd: ${o.events.map((e) => e.kind).join(', ')} -> "${o.message}"`);
    assert.match(o.message, /No J-Link probe answered \(OpenOCD: "No J-Link device found"\)\. Connect the debug probe/);
  });

  test('Flash (UF2, feather-nrf52840): real tinygo waits for the bootloader drive, times out, and the user is told to double-tap reset', async () => {
    await setTarget('feather-nrf52840');
    const t0 = Date.now();
    const o = await flash();
    const s = (Date.now() - t0) / 1000;
    assert.equal(o.kind, 'failed', JSON.stringify(o));
    if (o.kind !== 'failed') return;
    console.log(`    [real firmware] UF2 after ${s.toFixed(1)} s: progress ${o.progress.join(' | ')}; ${o.events.map((e) => e.message).join(' | ')}`);
    assert.ok(o.progress.some((m) => /waiting for the drive FTHR840BOOT: double-tap reset/.test(m)), o.progress.join(' | '));
    const ev = o.events.find((e) => e.kind === 'no-volume');
    assert.ok(ev && ev.kind === 'no-volume' && ev.volumes.join() === 'FTHR840BOOT', JSON.stringify(o.events));
    assert.match(o.message, /No drive named FTHR840BOOT appeared\. Double-tap the reset button/);
    assert.ok(s >= 20, `tinygo gave up after ${s} s, before its 20 s -timeout`);
  });

  test('TinyGo: Build, Flash and Monitor (stand-in openocd, a pty as the port) and the editor title buttons\' context key', async () => {
    const bin = path.join(tmp, 'standin-bin');
    await fsp.mkdir(bin, { recursive: true });
    const log = path.join(tmp, 'openocd.args');
    await standIn(bin, 'openocd', log, path.join(tmp, 'loop.hex'));
    process.env.PATH = `${bin}${path.delimiter}${pathBefore}`;
    let pty: PtyPair | undefined;
    try {
      await setTarget('pca10040');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(mainGo()), { preview: false });
      await until('the title buttons\' context key on for a Go file of a folder with a board', () => a.testing.boardGoFile() === true);
      const opened = await openPtyPair(spawn, tmp, { a: 'board', b: 'host' });
      if (!opened.ok) { console.log(`    [real firmware] no pty pair (${opened.reason}): the loop stops at the monitor`); }
      else { pty = opened.pair; await a.testing.devices()!.select(folder, pty.a); }
      const o = await vscode.commands.executeCommand<LoopOutcome>('tinygo.buildFlashMonitor', { quiet: true });
      console.log(`    [real firmware] loop: build ${o.build && 'success' in o.build ? o.build.success : '?'}, flash ${'flash' in o ? o.flash.kind : '-'}, ${o.stopped ? `stopped at ${o.stopped}: ${o.message}` : `monitor on ${o.monitor.path}`}`);
      const said = o.stopped ? `stopped at ${o.stopped}: ${o.message}` : 'ran to the monitor';
      assert.ok(o.build && 'success' in o.build && o.build.success, said);
      assert.ok('flash' in o && o.flash.kind === 'flashed', said);
      if (pty) {
        assert.equal(o.stopped, undefined, said);
        if (o.stopped) return;
        assert.equal(o.monitor.path, pty.a);
        // The terminal connects once VS Code has shown it.
        await until('the loop\'s monitor to be connected', () => o.monitor.isOpen, 30_000);
      }
      // Off for another file, and for a folder without a board.
      await setTarget(undefined);
      await until('the context key off without a board', () => a.testing.boardGoFile() === false);
      const manifest = extension().packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };
      const title = manifest.contributes.menus['editor/title'] ?? [];
      assert.deepEqual(title.map((m) => m.command), ['tinygo.build', 'tinygo.flash', 'tinygo.buildFlashMonitor']);
      assert.ok(title.every((m) => m.when?.includes('tinygo.boardGoFile')));
    } finally {
      process.env.PATH = pathBefore;
      for (const m of a.testing.monitor()?.sessions() ?? []) m.terminal?.dispose();
      await a.testing.devices()!.select(folder, 'auto');
      await pty?.close();
    }
  });
});

/**
 * TinyGo: Flash. `tinygo flash -target=X [-port=P] PKG` builds and then flashes in one process, with progress,
 * cancel and a time-out. Before it starts: the target's flash method and what the user must do (UF2 drive,
 * openocd, nrfjprog, nrfutil), a missing flasher reported by name, and the UF2 preflight (INFO_UF2.TXT on a
 * mounted bootloader drive against the target). Never without a user action (only this command runs it), never
 * in an untrusted workspace, never beside a build or another flash; the serial monitor steps aside and returns.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { flashedFilePath, shellQuote } from '../../core/build/args';
import { parseFlashLine, planFlash, type FlashEvent } from '../../core/flash/plan';
import { checkUf2Target, findUf2Volumes, readInfoUf2, type Uf2Warning, type VolumeRoots } from '../../core/flash/uf2';
import { LineSplitter } from '../../core/monitor/lines';
import { atLeast } from '../../core/tinygo/version';
import { Config } from '../config';
import { activeFolder } from '../folders';
import type { Ctx, FlashOutcome, FlashRequest, FlashService, Services, Started } from '../services';
import { resolveTinygo, targetSpec } from '../tinygo';
import { onPath } from './tools';

export interface FlashOptions {
  /** Where the UF2 preflight looks for mounted drives (a stand-in /proc/mounts in the tests); undefined: the machine's. */
  volumeRoots?: () => VolumeRoots | undefined;
}

const CHANNEL = 'TinyGo Flash';
/** When a UF2 flash has printed nothing for this long, tinygo is waiting for the drive. */
const DRIVE_WAIT_HINT_MS = 2500;

/** TinyGo: Flash, with its preflight checks; the monitor steps aside while it runs. */
export function activateFlash(ctx: Ctx & Pick<Services, 'toolchain' | 'build' | 'devices' | 'monitor'>, options: FlashOptions = {}) {
  const channel = vscode.window.createOutputChannel(CHANNEL, 'tinygo-output');
  const done = new vscode.EventEmitter<FlashOutcome>();

  async function plan(folder = activeFolder()) {
    const target = ctx.toolchain.currentTarget(folder);
    if (!target) return undefined;
    const { spec } = await targetSpec(ctx.toolchain, folder, target);
    return { target, plan: planFlash(spec, { target }) };
  }

  async function flash(request: FlashRequest = {}): Promise<FlashOutcome> {
    const folder = request.folder ?? activeFolder();
    const say = (kind: 'error' | 'warning' | 'info', message: string, ...actions: string[]) => {
      if (request.quiet) return Promise.resolve(undefined);
      const show = kind === 'error' ? vscode.window.showErrorMessage : kind === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      return show(`TinyGo: ${message}`, ...actions, 'Show Output').then((a) => {
        if (a === 'Show Output') channel.show(true);
        return a;
      });
    };
    const refuse = (message: string): FlashOutcome => {
      channel.appendLine(`[flash] not started: ${message}`);
      void say('error', message);
      return { kind: 'refused', message };
    };

    if (!vscode.workspace.isTrusted) return refuse('This workspace is not trusted: flashing runs tinygo and writes to your board. Trust the workspace first.');
    const running = ctx.busy.any();
    if (running) return refuse(`A ${running} is running; flash once it has finished (never while the firmware is being written).`);
    const tg = await resolveTinygo(ctx.toolchain);
    if ('message' in tg) return refuse(tg.message);
    const target = ctx.toolchain.currentTarget(folder) ?? (request.quiet ? undefined : await ctx.toolchain.pickTarget(folder, { nrf52Only: true }));
    if (!target) return refuse('No board is chosen: pick the target to flash first.');
    const { spec, source } = await targetSpec(ctx.toolchain, folder, target);
    const cfg = Config.of(folder);
    // The build's own plan: same package, same tinygo.build.* flags, so the board gets the firmware Build measured.
    const built = await ctx.build.plan({ folder, target, quiet: true });
    if (!built) return refuse('No board is chosen: pick the target to flash first.');
    if ('refused' in built) return refuse(built.refused);
    // TinyGo 0.39 and later keep what they flashed (`-o`), beside the build's ELF; the extension must match the flasher's.
    const st = await ctx.toolchain.state();
    const keeps = st.kind === 'ok' && atLeast(st.install.version.version, '0.39.0');
    const formatOf = (fp: ReturnType<typeof planFlash>) => fp.fileFormat ?? (fp.method === 'openocd' ? 'hex' : fp.method === 'bmp' ? 'elf' : undefined);
    const keepAs = (elf: string, port?: string): string | undefined => {
      const format = formatOf(planFlash(spec, { target, port }));
      return keeps && format ? flashedFilePath(elf, format) : undefined;
    };
    const flashOptions = (port?: string) => ({ target, port, extraArgs: built.plan.firmwareFlags, output: keepAs(built.plan.outputPath, port), pkg: built.plan.pkgArg });

    let p = planFlash(spec, flashOptions());
    channel.appendLine(`[flash] ${target}: method ${p.method}${p.fileFormat ? ` (${p.fileFormat})` : ''}${p.volumes.length ? `, drive ${p.volumes.join(' or ')}` : ''} (target data from ${source})`);
    for (const g of p.guidance) channel.appendLine(`[flash]   ${g}`);
    if (p.method === 'unknown') return refuse(p.guidance[0] ?? `${target} cannot be flashed by tinygo.`);

    // A flasher that is not installed fails deep inside tinygo with exec's wording; say it up front.
    if (p.tools.length) {
      const found = await Promise.all(p.tools.map((t) => onPath(t)));
      if (!found.some(Boolean)) {
        const tool = p.tools[0]!;
        const message = `${p.tools.length > 1 ? `None of ${p.tools.join(', ')} is` : `${tool} is not`} installed or on PATH, and ${target} is flashed with it. ${p.guidance[0] ?? ''}`.trim();
        channel.appendLine(`[flash] not started: ${message}`);
        void say('error', message);
        return { kind: 'tool-missing', tool, message };
      }
    }

    // UF2 preflight: a bootloader drive already mounted tells what the board is and which SoftDevice it has.
    let warnings: Uf2Warning[] = [];
    if (p.method === 'msd' && p.fileFormat === 'uf2') {
      const volumes = await findUf2Volumes(p.volumes, options.volumeRoots?.());
      for (const v of volumes) {
        const info = await readInfoUf2(v.path);
        if (!info) continue;
        channel.appendLine(`[flash] ${v.path}: ${info.bootloaderLine ?? 'UF2 bootloader'}; Board-ID ${info.boardId ?? '?'}; SoftDevice ${info.softDevice === null ? 'not found' : info.softDevice ? `${info.softDevice.name} ${info.softDevice.version}` : '?'}`);
        warnings = checkUf2Target(info, spec, target);
        break;
      }
      for (const w of warnings) channel.appendLine(`[flash] ${w.severity}: ${w.message}`);
      if (warnings.length) {
        const go = request.quiet ? request.acceptWarnings : (await vscode.window.showWarningMessage(
          `TinyGo: the board's bootloader drive does not fit ${target}.`, { modal: true, detail: warnings.map((w) => w.message).join('\n\n') }, 'Flash Anyway')) === 'Flash Anyway';
        if (!go) return { kind: 'preflight-stopped', warnings };
      }
    }

    if (p.usesPort) {
      const r = await ctx.devices.resolve(folder, spec, { interactive: !request.quiet });
      if (r.port) p = planFlash(spec, flashOptions(r.port.path));
      else if (r.choice?.kind === 'none' || r.choice?.kind === 'ask') channel.appendLine(`[flash] no port picked (${r.choice.reason}); tinygo looks for the board itself${p.method === 'msd' ? ', and if the drive does not appear, double-tap reset' : ''}.`);
    }

    const abort = new AbortController();
    const release = ctx.busy.tryAcquire(folder, 'flash', () => abort.abort());
    if (!release) return refuse('Another build or flash runs in this folder.');
    const monitor = cfg.flash.closeMonitor() ? await ctx.monitor.suspendForFlash() : undefined;
    const kept = keepAs(built.plan.outputPath);
    if (kept) await fs.mkdir(path.dirname(kept), { recursive: true }).catch(() => undefined); // tinygo does not create it
    const firmware = path.basename(kept ?? `${path.basename(built.pkg.dir)}.${formatOf(p) ?? 'elf'}`);
    const timeoutSeconds = cfg.flash.timeoutSeconds();
    channel.appendLine(`[flash] $ cd ${shellQuote([built.pkg.cwd])} && ${shellQuote([tg.path, ...p.args])}`);
    const events: FlashEvent[] = [];
    const notes: string[] = [];
    let outcome: FlashOutcome | undefined;
    try {
      outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `TinyGo: flashing ${target}`, cancellable: true }, async (progress, token) => {
        token.onCancellationRequested(() => abort.abort());
        const report = (message: string) => { notes.push(message); progress.report({ message }); };
        report('building…');
        const splitter = new LineSplitter();
        let hintTimer: NodeJS.Timeout | undefined;
        const armHint = () => {
          clearTimeout(hintTimer);
          if (p.method !== 'msd') return;
          hintTimer = setTimeout(() => {
            const hint = `waiting for the drive ${p.volumes.join(' or ') || '(any UF2 drive)'}: double-tap reset if it does not appear`;
            channel.appendLine(`[flash] ${hint}`);
            report(hint);
          }, DRIVE_WAIT_HINT_MS);
        };
        armHint();
        const onOutput = (chunk: string) => {
          channel.append(chunk);
          for (const line of splitter.push(chunk)) {
            const ev = parseFlashLine(line);
            if (!ev) continue;
            events.push(ev);
            if (ev.kind === 'progress') report(ev.percent !== undefined ? `${ev.percent}%` : ev.stage);
          }
          armHint();
        };
        const t0 = Date.now();
        const r = await ctx.exec(tg.path, p.args, { cwd: built.pkg.cwd, timeoutMs: timeoutSeconds * 1000, signal: abort.signal, onStdout: onOutput, onStderr: onOutput });
        clearTimeout(hintTimer);
        const rest = splitter.flush();
        if (rest) { const ev = parseFlashLine(rest); if (ev) events.push(ev); }
        if (r.exitCode === 0 && !r.cancelled && !r.timedOut) {
          return { kind: 'flashed', target, args: p.args, firmware: kept, durationMs: Date.now() - t0, events, progress: notes, monitorsResumed: monitor?.count ?? 0, warnings } as FlashOutcome;
        }
        const known = events.find((e) => e.kind !== 'progress');
        const message = r.spawnError ? `tinygo could not be started (${tg.path}): ${r.spawnError}`
          : r.cancelled ? 'Flashing was cancelled.'
            : r.timedOut ? `Flashing did not finish within ${timeoutSeconds} s ("tinygo.flash.timeoutSeconds"); tinygo and its flasher were stopped.${p.method === 'msd' ? ' If the drive never appeared, double-tap reset.' : ''}`
              : known ? known.message
                : `tinygo flash failed (exit ${r.exitCode ?? '?'}): the build or the flasher reported an error; see the "TinyGo Flash" output.`;
        return { kind: 'failed', target, args: p.args, message, events, progress: notes, exitCode: r.exitCode, timedOut: r.timedOut, cancelled: r.cancelled } as FlashOutcome;
      });
    } finally {
      release();
      // The marker and the reconnect go on in the background; the flash itself is over.
      const ok = outcome?.kind === 'flashed';
      if (monitor) void monitor.resume({ ok, firmware });
    }
    channel.appendLine(outcome.kind === 'flashed' ? `[flash] done in ${(outcome.durationMs / 1000).toFixed(1)} s` : `[flash] ${outcome.kind === 'failed' ? outcome.message : outcome.kind}`);
    if (outcome.kind === 'flashed') void say('info', `flashed ${target}.`);
    else if (outcome.kind === 'failed' && !outcome.cancelled) void say('error', outcome.message);
    done.fire(outcome);
    return outcome;
  }

  const service: FlashService = { flash, plan, onDidFlash: done.event };
  const commands = {
    /** tinygo.flash. Only a user's command starts a flash: no task, no save hook, no activation path calls flash(). */
    flash: (arg?: unknown) => flash(typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) ? (arg as FlashRequest) : {}),
  };
  const started: Started<FlashService, typeof commands> = { service, commands, disposables: [channel, done] };
  return started;
}

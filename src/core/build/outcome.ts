/**
 * From a finished tinygo process (exit, stdout, stderr, time-out, cancel) to what the user sees: diagnostics,
 * heap allocations, the size table, and one failure message in words. stderr carries both the `-print-allocs`
 * report and the errors, so the allocation lines are taken out first and the rest goes to the error parser.
 * Nothing is dropped: what neither parser understands is returned in `unparsed`, for the output channel.
 */
import { parseAllocs, type HeapAlloc } from '../tinygo/allocs';
import { parseBuildOutput, type BuildDiagnostic } from '../tinygo/buildOutput';
import { parseSizeTable, type ClassifyOptions, type SizeTable } from '../size/sizeTable';
import { parseStacks, type StackRow } from '../tinygo/stacks';
import type { ExecResult } from '../process/exec';
import { OPTIMIZATION_GUIDE } from './args';

/** What a finished tinygo process left: the runner's result without its timing. */
export type ProcessOutcome = Omit<ExecResult, 'durationMs'>;

export interface BuildOutcome {
  success: boolean;
  /** Set when !success: one or two sentences, ready for a notification. */
  failure?: string;
  /** The kind of failure, for tests and telemetry-free logic. */
  failureKind?: 'cancelled' | 'timeout' | 'spawn' | 'go-version' | 'flash-overflow' | 'ram-overflow' | 'gc-none-allocs' | 'diagnostics' | 'exit' | 'bad-flag';
  diagnostics: BuildDiagnostic[];
  allocs: HeapAlloc[];
  sizeTable?: SizeTable;
  /** `-print-stacks` rows (goroutine entry points and their stack use), when the build asked for them. */
  stacks?: StackRow[];
  /** stderr and stdout lines no parser understood, in order (stderr first). */
  unparsed: string[];
}

export interface OutcomeOptions {
  cwd: string;
  classify?: ClassifyOptions;
  timeoutSeconds?: number;
  tinygoPath?: string;
}

const MAX_UNPARSED = 2000;

export function buildOutcome(p: ProcessOutcome, o: OutcomeOptions): BuildOutcome {
  const stderr = p.stderr ?? '';
  const stdout = p.stdout ?? '';
  const allocReport = parseAllocs(stderr);
  const rest = allocReport.unparsed.map((u) => u.text).join('\n');
  const parsed = parseBuildOutput(rest, { cwd: o.cwd });
  const size = parseSizeTable(stdout, o.classify);
  // The stack report shares stdout with the size table: each parser keeps what it recognises.
  const stackReport = parseStacks(size.unparsed.map((u) => u.text).join('\n'));
  const sizeUnparsed = stackReport.header ? stackReport.unparsed.map((u) => ({ text: u.text })) : size.unparsed;
  const unparsed: string[] = [];
  // tinygo prints its full usage text after a bad flag: keep the first line as the message, not 80 usage lines.
  const usageAt = parsed.unparsed.findIndex((u) => /^Usage of |^usage: tinygo/.test(u.text));
  const usageCut = usageAt >= 0 ? parsed.unparsed[usageAt].index : Infinity;
  for (const u of parsed.unparsed) if (u.index < usageCut || usageAt < 0) unparsed.push(u.text);
  for (const u of sizeUnparsed) unparsed.push(u.text);
  const cappedUnparsed = unparsed.length > MAX_UNPARSED
    ? [...unparsed.slice(0, MAX_UNPARSED / 2), `… ${unparsed.length - MAX_UNPARSED} more lines …`, ...unparsed.slice(-MAX_UNPARSED / 2)]
    : unparsed;

  const out: BuildOutcome = {
    success: false,
    diagnostics: parsed.diagnostics,
    allocs: allocReport.allocs,
    sizeTable: size.format ? size : undefined,
    ...(stackReport.header && stackReport.rows.length ? { stacks: stackReport.rows } : {}),
    unparsed: cappedUnparsed,
  };
  const fail = (kind: NonNullable<BuildOutcome['failureKind']>, msg: string): BuildOutcome => ({ ...out, failureKind: kind, failure: msg });

  if (p.cancelled) return fail('cancelled', 'The build was cancelled; tinygo and everything it started were stopped.');
  if (p.timedOut) {
    return fail('timeout', `The build took longer than ${o.timeoutSeconds ?? '?'} s and was stopped (tinygo and everything it started). ` +
      'Raise "tinygo.build.timeoutSeconds" if a first build for this target really needs longer.');
  }
  if (p.spawnError) {
    return fail('spawn', `tinygo could not be started${o.tinygoPath ? ` (${o.tinygoPath})` : ''}: ${p.spawnError}. ` +
      'Install TinyGo (https://tinygo.org/getting-started/install/) or set "tinygo.path".');
  }
  const goVersion = parsed.diagnostics.find((d) => /^requires go version /.test(d.message));
  if (goVersion) {
    return fail('go-version', `tinygo refuses the Go installation it found: ${goVersion.message}. Install a Go release in that range, or a TinyGo release that supports your Go.`);
  }
  const badFlag = /^(invalid value ".*" for flag -\S+: .*|flag provided but not defined: .*|invalid size option .*)$/m.exec(stderr);
  if (badFlag && p.exitCode !== 0) return fail('bad-flag', `tinygo rejected an option: ${badFlag[1]}. Check the tinygo.build.* settings.`);
  if (parsed.gcNoneWithAllocs) {
    return fail('gc-none-allocs', 'The program allocates on the heap, but the garbage collector is "none" (-gc=none), so there is no allocator to link ' +
      '("linker could not find symbol runtime.alloc"). Remove the allocations (the heap-allocation diagnostics show where), or use another -gc.');
  }
  const flash = parsed.diagnostics.find((d) => d.kind === 'flash-overflow');
  if (flash) {
    return fail('flash-overflow', `The program does not fit in flash${flash.bytes !== undefined ? ` (over by ${flash.bytes} bytes)` : ''}. ` +
      `See the optimization guide: ${OPTIMIZATION_GUIDE}`);
  }
  const ram = parsed.diagnostics.find((d) => d.kind === 'ram-overflow');
  if (ram) {
    return fail('ram-overflow', `The program's static data does not fit in RAM${ram.bytes !== undefined ? ` (over by ${ram.bytes} bytes)` : ''}. ` +
      `See the optimization guide: ${OPTIMIZATION_GUIDE}`);
  }
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (p.exitCode === 0 && errors.length === 0) return { ...out, success: true };
  if (errors.length) {
    const first = errors[0];
    const where = first.file ? `${first.rawFile ?? first.file}${first.line ? `:${first.line}` : ''}: ` : '';
    return fail('diagnostics', `The build failed with ${errors.length} error${errors.length === 1 ? '' : 's'}: ${where}${first.message}`);
  }
  const last = cappedUnparsed.filter((l) => l.trim() !== '').slice(-1)[0];
  return fail('exit', `tinygo exited with ${p.exitCode === undefined ? 'no exit code' : `code ${p.exitCode}`}${last ? `: ${last.slice(0, 300)}` : ''}. The whole output is in the "TinyGo Build" output.`);
}

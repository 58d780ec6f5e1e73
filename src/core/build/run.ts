/**
 * Runs one build through an ExecFn (the real runner or a test's stand-in) and turns it into a BuildResult. Pure of
 * VS Code: the glue passes a sink for the live output and the editing-time hints.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExecFn } from '../process/exec';
import type { ClassifyOptions } from '../size/sizeTable';
import type { BuildPlan } from './args';
import { mergeAllocs, type AllocHint, type MergeResult } from './merge';
import { buildOutcome, type BuildOutcome } from './outcome';

export interface RunBuildInput {
  exec: ExecFn;
  tinygo: string;
  plan: BuildPlan;
  cwd: string;
  timeoutSeconds: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Live output, already capped (see LiveOutput). */
  onOutput?: (text: string) => void;
  classify?: ClassifyOptions;
  /** Computed after the process ends (the sources the user sees then). */
  hints?: () => Promise<{ hints: AllocHint[]; files: string[] }> | { hints: AllocHint[]; files: string[] };
  /** Bytes of each stream kept for parsing (the rest is dropped from the middle). */
  maxOutput?: number;
}

export interface BuildResult extends BuildOutcome {
  merge: MergeResult;
  durationMs: number;
  exitCode: number | undefined;
  /** The `tinygo.build.formats` files, after a successful build: written, or what tinygo said. */
  extraOutputs?: { format: string; path: string; ok: boolean; error?: string }[];
}

/**
 * Caps what reaches an output channel: a runaway build (a loop printing forever, a binary dumped to stderr) must
 * not make the editor slow. The parsers still see the kept output.
 */
export class LiveOutput {
  private written = 0;
  private dropped = 0;
  constructor(private readonly sink: (text: string) => void, private readonly maxChars = 1 << 20) {}
  /** Chunks may arrive as Buffers, whatever the runner's encoding says. */
  write(chunk: string | Uint8Array): void {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (this.written >= this.maxChars) { this.dropped += text.length; return; }
    // Control characters other than tab/newline would garble the channel (garbage or binary output).
    const clean = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd');
    const room = this.maxChars - this.written;
    const part = clean.length > room ? clean.slice(0, room) : clean;
    this.written += part.length;
    this.dropped += clean.length - part.length;
    this.sink(part);
  }
  /** Says how much was left out, once, at the end. */
  end(): void {
    if (this.dropped > 0) this.sink(`\n… ${this.dropped} more characters of output were not shown here (the output channel is capped at ${this.maxChars}).\n`);
  }
}

export async function runBuild(input: RunBuildInput): Promise<BuildResult> {
  // tinygo 0.30 and 0.33 do not create the output folder ("open …: no such file or directory"); 0.39 does.
  try {
    fs.mkdirSync(path.dirname(input.plan.outputPath), { recursive: true });
  } catch (err) {
    const failure = `The build folder ${path.dirname(input.plan.outputPath)} cannot be created (${err instanceof Error ? err.message : String(err)}). Check "tinygo.build.outputDir".`;
    return { success: false, failure, failureKind: 'spawn', diagnostics: [], allocs: [], unparsed: [], merge: mergeAllocs([], []), durationMs: 0, exitCode: undefined };
  }
  const r = await input.exec(input.tinygo, input.plan.args, {
    cwd: input.cwd,
    env: input.env,
    timeoutMs: input.timeoutSeconds > 0 ? input.timeoutSeconds * 1000 : 0,
    signal: input.signal,
    onStdout: input.onOutput,
    onStderr: input.onOutput,
    maxOutput: input.maxOutput ?? 4 << 20,
  });
  const outcome = buildOutcome(r, { cwd: input.cwd, classify: input.classify, timeoutSeconds: input.timeoutSeconds, tinygoPath: input.tinygo });
  let hints: AllocHint[] = [];
  let files: string[] = [];
  if (input.hints && !r.cancelled && !r.timedOut) {
    try {
      ({ hints, files } = await input.hints());
    } catch {
      // Hints are an extra; a build result without them is still a result.
    }
  }
  const result: BuildResult = { ...outcome, merge: mergeAllocs(outcome.allocs, hints, files), durationMs: r.durationMs, exitCode: r.exitCode };
  if (outcome.success && input.plan.extraOutputs.length) result.extraOutputs = await buildExtraOutputs(input);
  return result;
}

/**
 * The other firmware files, one `tinygo build` each with the firmware's flags (tinygo writes the format the
 * extension names; its cache makes these builds short). A failure is reported per file, never as a failed build:
 * the ELF the size panel reads was built.
 */
async function buildExtraOutputs(input: RunBuildInput): Promise<NonNullable<BuildResult['extraOutputs']>> {
  const done: NonNullable<BuildResult['extraOutputs']> = [];
  for (const x of input.plan.extraOutputs) {
    if (input.signal?.aborted) break;
    const r = await input.exec(input.tinygo, x.args, {
      cwd: input.cwd, env: input.env, signal: input.signal,
      timeoutMs: input.timeoutSeconds > 0 ? input.timeoutSeconds * 1000 : 0,
      onStdout: input.onOutput, onStderr: input.onOutput, maxOutput: 1 << 20,
    });
    const ok = r.exitCode === 0 && fs.existsSync(x.path);
    const said = `${r.stderr}\n${r.stdout}`.split('\n').map((l) => l.trim()).find((l) => l !== '');
    done.push({ format: x.format, path: x.path, ok, error: ok ? undefined : (said ?? r.spawnError ?? `tinygo exited with ${r.exitCode}`) });
  }
  return done;
}

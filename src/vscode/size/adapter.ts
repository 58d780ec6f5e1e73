/**
 * What the size feature needs from a build, narrowly: the build feature's `onDidBuild` event (BuildEvent in
 * ../build/feature.ts) fits this shape, and so does what a test passes to the size service's `update()`.
 */
import type * as vscode from 'vscode';
import type { AllocSite, GoroutineStack } from '../../core/protocol';
import type { Capacity } from '../../core/size/model';
import type { SizeTable } from '../../core/size/sizeTable';
import { parseStacks } from '../../core/tinygo/stacks';

/** A compiler allocation as the build feature merges it (one per line) or as the parser returns it (one per report). */
export interface AllocLike {
  file?: string;
  line?: number;
  column?: number;
  reasons?: string[];
  reasonText?: string;
}

export interface BuildResultLike {
  folder?: vscode.WorkspaceFolder;
  target?: string;
  /** The firmware; the JSON report is written beside it. */
  outputPath?: string;
  /** Where tinygo ran (the main package's directory). */
  cwd?: string;
  /** The tinygo command line, for -gc= and -scheduler= overrides. */
  args?: readonly string[];
  sizeTable?: SizeTable;
  allocs?: readonly AllocLike[];
  success: boolean;
  failure?: string;
  failureKind?: string;
  /** `-print-stacks` output (text) or rows, when the build ran it. */
  stacks?: string | readonly GoroutineStack[];
  /** The editor's hints against the compiler's report (the build feature's AllocStats fits). */
  allocStats?: { hintLines: number; confirmedLines: number };
  /** Overrides for tests or callers that know better than the toolchain. */
  capacity?: Capacity;
  gc?: string;
  scheduler?: string;
  tinygoVersion?: string;
  createdAt?: string;
}

/** The value of `-name=value` (or `-name value`) in a tinygo command line. */
export function flagValue(args: readonly string[] | undefined, name: string): string | undefined {
  if (!args) return undefined;
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    for (const prefix of [`-${name}=`, `--${name}=`]) if (a.startsWith(prefix)) found = a.slice(prefix.length);
    if ((a === `-${name}` || a === `--${name}`) && i + 1 < args.length) found = args[i + 1];
  }
  return found;
}

export function stacksOf(r: BuildResultLike): GoroutineStack[] | undefined {
  if (r.stacks === undefined) return undefined;
  if (typeof r.stacks !== 'string') return [...r.stacks];
  return parseStacks(r.stacks).rows.map((row) => {
    const s: GoroutineStack = { function: row.function };
    if (row.usage.kind === 'bytes') s.bytes = row.usage.bytes;
    else s.note = row.usage.reason;
    return s;
  });
}

/** One site per reason, so that two allocations on one line are both listed. */
export function allocSitesOf(allocs: readonly AllocLike[], isUser: (file: string) => boolean, fnOf: (file: string, line: number) => string | undefined): AllocSite[] {
  const out: AllocSite[] = [];
  for (const a of allocs) {
    const reasons = a.reasons?.length ? a.reasons : [a.reasonText ?? 'object allocated on the heap'];
    for (const reason of reasons) {
      const s: AllocSite = { reason, user: a.file !== undefined && isUser(a.file) };
      if (a.file !== undefined) s.file = a.file;
      if (a.line !== undefined && a.line > 0) s.line = a.line;
      if (a.column !== undefined && a.column > 0) s.column = a.column;
      const fn = a.file !== undefined && a.line !== undefined ? fnOf(a.file, a.line) : undefined;
      if (fn !== undefined) s.function = fn;
      out.push(s);
    }
  }
  return out;
}

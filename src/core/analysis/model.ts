/** Positions are zero-based; `character` counts UTF-16 code units, as tree-sitter (with a JS string) and VS Code do. */
export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type RuleFamily = 'alloc' | 'pool' | 'unsupported';

/** A text replacement in the analysed document, the unit of a quick fix. */
export interface TextEdit { range: Range; newText: string }
export interface Fix { title: string; edits: TextEdit[]; isPreferred?: boolean }

export interface Finding {
  ruleId: string;
  family: RuleFamily;
  message: string;
  range: Range;
  severity: Severity;
  /** Real rewrites a rule can offer; "suppress on this line" is added by the glue for every finding. */
  fixes?: Fix[];
}

export interface RuleMeta {
  id: string;
  family: RuleFamily;
  /** One line, shown in settings and in `check --list-rules`. */
  title: string;
  defaultSeverity: Severity;
}

/** What the analysers need to know about the build the user is heading for. */
export interface TargetFacts {
  /** TinyGo release the tables are read for, e.g. "0.33.0". */
  tinygoVersion: string;
  /** The TinyGo target name, e.g. "feather-nrf52840", or "" when unknown. */
  target: string;
  /** baremetal: an MCU (nRF52 etc.); wasm: wasm/wasip1/wasip2/wasm-unknown; host: linux/darwin/windows. */
  kind: 'baremetal' | 'wasm' | 'host';
  gc: 'conservative' | 'precise' | 'leaking' | 'none' | 'custom' | 'boehm';
  scheduler: 'tasks' | 'asyncify' | 'none' | 'threads' | 'cores';
  goarch: string;
  /** Bytes; TinyGo's MaxStackAlloc is 256, or 1024 when the stack is larger than 32 KiB. */
  maxStackAlloc: number;
  /** Pointer size in bytes (4 on Cortex-M and wasm, 8 on 64-bit hosts): values larger than this are boxed on the heap. */
  pointerSize: number;
}

/**
 * The documented default until the toolchain is known: TinyGo's current release (0.40.0, Dec 2025) building for an
 * nRF52840 board (Cortex-M4, conservative GC, tasks scheduler, 2 KiB default goroutine stacks, so MaxStackAlloc 256).
 */
export const DEFAULT_TARGET_FACTS: TargetFacts = {
  tinygoVersion: '0.40.0',
  target: 'feather-nrf52840',
  kind: 'baremetal',
  gc: 'conservative',
  scheduler: 'tasks',
  goarch: 'arm',
  maxStackAlloc: 256,
  pointerSize: 4,
};

export function targetFactsKey(t: TargetFacts): string {
  return [t.tinygoVersion, t.target, t.kind, t.gc, t.scheduler, t.goarch, t.maxStackAlloc, t.pointerSize].join('|');
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character ||
    a.ruleId.localeCompare(b.ruleId);
}

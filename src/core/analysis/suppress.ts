import type { Finding } from './model';

/**
 * Suppression comments. Syntax (documented in docs/rules.md):
 *   x := make([]byte, n) // tinygo-workbench:ignore alloc-make-nonconst -- sized once at start-up
 *   // tinygo-workbench:ignore alloc            (on the line above: every rule of the family)
 *   // tinygo-workbench:ignore                  (no list: every rule)
 * A list is comma-separated rule ids or family names (alloc, pool, unsupported); text after "--" is the reason.
 */
export const SUPPRESS_MARKER = 'tinygo-workbench:ignore';
const SUPPRESS_RE = /\/\/\s*tinygo-workbench:ignore(?:[ \t]+([A-Za-z0-9_,\- \t]*?))?[ \t]*(?:--.*)?$/;

interface Suppression { all: boolean; names: Set<string>; ownLine: boolean }

function parseLine(line: string): Suppression | undefined {
  const idx = line.indexOf(SUPPRESS_MARKER);
  if (idx < 0) return undefined;
  const m = SUPPRESS_RE.exec(line.slice(line.lastIndexOf('//', idx)));
  if (!m) return undefined;
  const names = new Set((m[1] ?? '').split(/[,\s]+/).filter(Boolean));
  const ownLine = line.slice(0, line.lastIndexOf('//', idx)).trim() === '';
  return { all: names.size === 0 || names.has('all'), names, ownLine };
}

function covers(s: Suppression, f: Suppressible): boolean {
  return s.all || s.names.has(f.ruleId) || s.names.has(f.family);
}

/** What a suppression comment is matched against: a finding's rule and family. */
export type Suppressible = Pick<Finding, 'ruleId' | 'family'>;

/**
 * Whether a finding of `f`'s rule on the 0-based `line` of `text` is silenced: by a comment on that line, or by a
 * comment alone on the line above. Each line is parsed once, when first asked about.
 */
export function suppressionsIn(text: string): (line: number, f: Suppressible) => boolean {
  if (!text.includes(SUPPRESS_MARKER)) return () => false;
  const lines = text.split('\n');
  const cache = new Map<number, Suppression | undefined>();
  const at = (l: number) => {
    if (!cache.has(l)) cache.set(l, l >= 0 && l < lines.length ? parseLine(lines[l]) : undefined);
    return cache.get(l);
  };
  return (line, f) => {
    const same = at(line);
    if (same && covers(same, f)) return true;
    const above = at(line - 1);
    return !!above && above.ownLine && covers(above, f);
  };
}

export function applySuppressions(text: string, findings: Finding[]): Finding[] {
  if (findings.length === 0 || !text.includes(SUPPRESS_MARKER)) return findings;
  const silenced = suppressionsIn(text);
  return findings.filter((f) => !silenced(f.range.start.line, f));
}

/** The edit text that suppresses `ruleId` on a line: appended as a trailing comment. */
export function suppressionComment(ruleId: string): string {
  return ` // ${SUPPRESS_MARKER} ${ruleId}`;
}

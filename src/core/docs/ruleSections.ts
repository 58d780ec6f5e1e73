/**
 * The sections of docs/rules.md: each rule is a `## <rule-id>` heading, which the Markdown preview gives the id
 * `<rule-id>`. A rule link carries the heading's line (`#L33`, what VS Code's editor opener understands from a
 * hover and from the Problems panel alike); the section under a line gives the fragment the preview scrolls to.
 */

export interface Section {
  /** The heading's id in the rendered page (the Markdown preview's slug). */
  slug: string;
  /** 0-based line of the heading. */
  line: number;
  level: number;
}

/** The slug VS Code's Markdown preview gives a heading (GitHub's rules): lower case, punctuation out, spaces to `-`. */
export function slugOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** ATX headings outside fenced code blocks. */
export function sections(markdown: string): Section[] {
  const out: Section[] = [];
  let fence: string | undefined;
  markdown.split(/\r?\n/).forEach((text, line) => {
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(text);
    if (f) {
      if (fence === undefined) fence = f[1][0];
      else if (f[1][0] === fence) fence = undefined;
      return;
    }
    if (fence !== undefined) return;
    const m = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(text);
    if (m && m[2] !== '') out.push({ slug: slugOf(m[2]), line, level: m[1].length });
  });
  return out;
}

/** The 0-based line of a rule's `## <rule-id>` heading, if the page has one. */
export function ruleLine(markdown: string, ruleId: string): number | undefined {
  return sections(markdown).find((s) => s.slug === slugOf(ruleId))?.line;
}

/** The slug of the section a 0-based line is in (the nearest heading at or above it); undefined above the first. */
export function sectionAt(markdown: string, line: number): string | undefined {
  let found: Section | undefined;
  for (const s of sections(markdown)) {
    if (s.line > line) break;
    found = s;
  }
  return found?.slug;
}

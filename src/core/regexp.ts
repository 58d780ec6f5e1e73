/**
 * `s` as a literal inside a regular expression: JavaScript's, and Go's RE2 (which accepts the same escapes for these
 * characters).
 */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

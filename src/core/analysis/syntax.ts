import type { Node } from 'web-tree-sitter';
import type { Position, Range } from './model';

export function nodeRange(n: Node): Range {
  return {
    start: { line: n.startPosition.row, character: n.startPosition.column },
    end: { line: n.endPosition.row, character: n.endPosition.column },
  };
}

export function posLess(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** The Go string value of an interpreted or raw string literal node, without quotes or escapes resolved. */
export function stringLiteralValue(n: Node | null): string | undefined {
  if (!n) return undefined;
  if (n.type !== 'interpreted_string_literal' && n.type !== 'raw_string_literal') return undefined;
  return n.text.slice(1, -1);
}

/**
 * The top-level declaration being analysed (set by the engine around each declaration): inErrorRegion looks no
 * further up than it. In a broken file tree-sitter can report an intact declaration's parent as a neighbouring ERROR
 * node; what the declaration says must not depend on that, or a memoised result would differ from a fresh one.
 */
let boundary: { id: number; start: number; end: number; node: Node; clean?: boolean } | undefined;
export function withErrorBoundary<T>(decl: Node, end: number, fn: () => T): T {
  const prev = boundary;
  boundary = { id: decl.id, start: decl.startIndex, end, node: decl };
  try { return fn(); } finally { boundary = prev; }
}

/** True when `n` is inside a subtree containing a syntax error (within its top-level declaration): rules stay silent there. */
export function inErrorRegion(n: Node): boolean {
  const b = boundary;
  if (b && n.startIndex >= b.start && n.startIndex < b.end) {
    // Inside a declaration without any syntax error (asked once per declaration): nothing to climb for.
    b.clean ??= !b.node.hasError;
    if (b.clean) return false;
  }
  for (let p: Node | null = n; p; p = p.parent) {
    if (p.type === 'ERROR' || p.isMissing) return true;
    if (p.type === 'source_file' || p.id === b?.id) return false;
  }
  return false;
}

export function ancestor(n: Node, types: ReadonlySet<string>, stopAt?: ReadonlySet<string>): Node | null {
  for (let p = n.parent; p; p = p.parent) {
    if (types.has(p.type)) return p;
    if (stopAt?.has(p.type)) return null;
  }
  return null;
}

/** The call that calls `n` (`n(...)`: `n` is the call's function, not an argument), or null. */
export function callOf(n: Node): Node | null {
  const call = n.parent;
  return call?.type === 'call_expression' && call.childForFieldName('function')?.id === n.id ? call : null;
}

/** The innermost function (declaration, method or literal) containing `n`. */
export const FUNCTION_TYPES: ReadonlySet<string> = new Set(['function_declaration', 'method_declaration', 'func_literal']);
export function enclosingFunction(n: Node): Node | null {
  return ancestor(n, FUNCTION_TYPES);
}

export function* descendants(n: Node, types: ReadonlySet<string>): Generator<Node> {
  const cursor = n.walk();
  try {
    let reachedRoot = false;
    while (!reachedRoot) {
      const cur = cursor.currentNode;
      if (types.has(cur.type)) yield cur;
      if (cursor.gotoFirstChild()) continue;
      if (cursor.gotoNextSibling()) continue;
      let retracing = true;
      while (retracing) {
        if (!cursor.gotoParent() || cursor.currentNode.id === n.id) { reachedRoot = true; retracing = false; }
        else if (cursor.gotoNextSibling()) retracing = false;
      }
    }
  } finally {
    cursor.delete();
  }
}

// ---- identifier characters ---------------------------------------------------------------------------------------
// The text scanners read identifiers as Unicode XID words with `_`: one definition, as regular-expression classes (for
// patterns) and as a test of one code point (for hand-written loops; ASCII answered without a regular expression).

/** A character that may start an identifier, as a regular-expression class (needs the `u` flag). */
export const IDENT_START_CLASS = String.raw`[_\p{XID_Start}]`;
/** The characters that may continue an identifier, for a regular-expression class (needs the `u` flag). */
export const IDENT_PART_CHARS = String.raw`_\p{XID_Continue}`;
/** A character that may continue an identifier, as a regular-expression class (needs the `u` flag). */
export const IDENT_PART_CLASS = `[${IDENT_PART_CHARS}]`;
const IDENT_START_ONE = new RegExp(`^${IDENT_START_CLASS}$`, 'u');
const IDENT_PART_ONE = new RegExp(`^${IDENT_PART_CLASS}$`, 'u');

/**
 * Whether code point `c` may continue an identifier (`start`: may start one). A lone surrogate (a UTF-16 unit read
 * on its own) is neither.
 */
export function isIdentChar(c: number, start = false): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || (!start && c >= 0x30 && c <= 0x39);
  if (c >= 0xd800 && c <= 0xdfff) return false;
  return (start ? IDENT_START_ONE : IDENT_PART_ONE).test(String.fromCodePoint(c));
}

/** An ASCII letter, digit or `_`: the only identifier characters the text scanners judge without the tree. */
export function isAsciiIdentChar(c: number): boolean {
  return c < 0x80 && isIdentChar(c);
}

/** The code point ending at `j` (exclusive) of `s`, and where it starts. */
export function codePointBefore(s: string, j: number): { c: number; at: number } {
  const lo = s.charCodeAt(j - 1);
  const at = lo >= 0xdc00 && lo <= 0xdfff && j >= 2 && s.charCodeAt(j - 2) >= 0xd800 && s.charCodeAt(j - 2) <= 0xdbff ? j - 2 : j - 1;
  return { c: at === j - 1 ? lo : s.codePointAt(at) as number, at };
}

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

import { Edit, type Tree } from 'web-tree-sitter';
import { DeclMemo } from './engine';
import type { GoParser } from './goParser';
import { closerAtEnd } from './lexEnd';
import type { Position } from './model';

/** One change as VS Code reports it: a range in the text before the change, and the text replacing it. */
export interface ContentChange {
  range: { start: Position; end: Position };
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

/**
 * `parsed: false`: `tree` has been `edit()`ed for the changes up to `version` but not parsed again yet (`reparse`);
 * its nodes do not describe `text` until then. `closer`: what the parser was given after `text` (see closerAtEnd):
 * the tree spans `text + closer`.
 */
export interface DocState { uri: string; version: number; text: string; tree: Tree; memo: DeclMemo; lastUsed: number; parsed: boolean; closer: string }

/** The row and column after the last character of `text`. */
function endOf(text: string): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) { row++; lineStart = i + 1; }
  return { row, column: text.length - lineStart };
}

function endPoint(start: Position, inserted: string): { row: number; column: number } {
  const lines = inserted.split('\n');
  return lines.length === 1
    ? { row: start.line, column: start.character + inserted.length }
    : { row: start.line + lines.length - 1, column: lines[lines.length - 1].length };
}

/**
 * The trees of open documents. Each edit is applied to the old tree (`tree.edit`) and re-parsed against it, which
 * costs about a millisecond on a 3,600-line file instead of a full parse. At most `maxTrees` trees are kept
 * (least recently used dropped), and every dropped tree is `delete()`d: wasm memory is not garbage-collected.
 */
export class DocumentTrees {
  private readonly docs = new Map<string, DocState>();
  private clock = 0;
  constructor(private readonly parser: GoParser, private readonly maxTrees = 64, private readonly parseTimeoutMs = 1000) {}

  get size(): number { return this.docs.size; }
  get(uri: string): DocState | undefined { return this.docs.get(uri); }

  /** Parses `text` from scratch (document opened, or its tree was evicted, or versions lost step). */
  open(uri: string, version: number, text: string): DocState {
    this.close(uri);
    const closer = closerAtEnd(text);
    const tree = this.parser.parse(text + closer, null, this.parseTimeoutMs);
    const memo = new DeclMemo();
    memo.incremental = true;
    const state: DocState = { uri, version, text, tree, memo, lastUsed: ++this.clock, parsed: true, closer };
    this.docs.set(uri, state);
    this.evict();
    return state;
  }

  /**
   * Applies VS Code's content changes (in the order VS Code lists them, each relative to the text after the
   * previous one) and re-parses incrementally. Falls back to a full parse when the document is unknown.
   */
  update(uri: string, version: number, changes: readonly ContentChange[], fullText: string): DocState {
    return (this.edit(uri, version, changes, fullText) && this.reparse(uri)) || this.open(uri, version, fullText);
  }

  /**
   * Applies the changes to the tree (`tree.edit`) and takes `fullText`, without parsing: `reparse` does that once for
   * any number of edits (changes that arrive while a parse runs are parsed together). Undefined, and the tree is
   * dropped, when the document is unknown or the changes do not explain `fullText` (a missed event).
   */
  edit(uri: string, version: number, changes: readonly ContentChange[], fullText: string): DocState | undefined {
    const state = this.docs.get(uri);
    if (!state) return undefined;
    // Our copy of the text is not rebuilt (that costs more than the incremental parse on a large file): the editor's
    // text is taken, after checking that the changes explain it: its length, and the text the last change inserted.
    let length = state.text.length;
    for (const c of changes) {
      const startIndex = c.rangeOffset;
      const oldEndIndex = c.rangeOffset + c.rangeLength;
      state.tree.edit(new Edit({
        startIndex, oldEndIndex, newEndIndex: startIndex + c.text.length,
        startPosition: { row: c.range.start.line, column: c.range.start.character },
        oldEndPosition: { row: c.range.end.line, column: c.range.end.character },
        newEndPosition: endPoint(c.range.start, c.text),
      }));
      length += c.text.length - c.rangeLength;
      const newEnd = endPoint(c.range.start, c.text);
      state.memo.noteEdit(startIndex, oldEndIndex, startIndex + c.text.length, c.range.end.line, newEnd.row);
    }
    const last = changes[changes.length - 1];
    if (length !== fullText.length || (last && !fullText.startsWith(last.text, last.rangeOffset)) || (changes.length === 0 && fullText !== state.text)) {
      // Our copy drifted from the editor's (a missed event): trust the editor and start over.
      this.close(uri);
      return undefined;
    }
    Object.assign(state, { version, text: fullText, parsed: false, lastUsed: ++this.clock });
    return state;
  }

  /** The document's tree after parsing the edits made since its last parse (if any); undefined when unknown. */
  reparse(uri: string): DocState | undefined {
    const state = this.docs.get(uri);
    if (!state || state.parsed) return state;
    const old = state.tree;
    // The edits left the old closer after the document's end: it becomes the new one (a backquote typed alone adds
    // one, its closing twin removes it again).
    const closer = closerAtEnd(state.text);
    if (closer !== state.closer) {
      const len = state.text.length;
      const end = endOf(state.text);
      old.edit(new Edit({
        startIndex: len, oldEndIndex: len + state.closer.length, newEndIndex: len + closer.length,
        startPosition: end, oldEndPosition: { row: end.row, column: end.column + state.closer.length },
        newEndPosition: { row: end.row, column: end.column + closer.length },
      }));
      state.memo.noteChanged(len, len);
    }
    let tree: Tree;
    try {
      tree = this.parser.parse(state.text + closer, old, this.parseTimeoutMs);
    } catch (e) {
      this.close(uri);
      throw e;
    }
    // What the parse restructured besides the edited text (an unclosed brace or quote, an ERROR node swallowing
    // declarations before the edit): the memo must not take those top-level nodes from the last analysis.
    for (const r of tree.getChangedRanges(old)) state.memo.noteChanged(r.startIndex, r.endIndex);
    old.delete();
    Object.assign(state, { tree, parsed: true, lastUsed: ++this.clock, closer });
    return state;
  }

  close(uri: string): void {
    const s = this.docs.get(uri);
    if (s) { s.tree.delete(); this.docs.delete(uri); }
  }

  dispose(): void {
    for (const uri of [...this.docs.keys()]) this.close(uri);
  }

  private evict(): void {
    while (this.docs.size > this.maxTrees) {
      let oldest: DocState | undefined;
      for (const s of this.docs.values()) if (!oldest || s.lastUsed < oldest.lastUsed) oldest = s;
      if (!oldest) return;
      this.close(oldest.uri);
    }
  }
}

import { Language, Parser, Query, Tree } from 'web-tree-sitter';

/** Absolute paths of the two wasm files; the bundle keeps them beside `dist/extension.js`. */
export interface GrammarFiles { treeSitterWasm: string; goWasm: string }

export class ParseTimeoutError extends Error {
  constructor(ms: number) { super(`parsing took longer than ${ms} ms and was cancelled`); }
}

/**
 * One tree-sitter runtime with the Go grammar. Parser.init() may run only once per process, so the runtime is a
 * process-wide singleton keyed by nothing: the first caller's wasm paths win (they are the same files anyway).
 */
export class GoParser {
  private constructor(readonly language: Language, private readonly parser: Parser) {}

  private static loading: Promise<GoParser> | undefined;

  static load(files: GrammarFiles): Promise<GoParser> {
    if (!GoParser.loading) {
      GoParser.loading = (async () => {
        await Parser.init({ locateFile: () => files.treeSitterWasm });
        const language = await Language.load(files.goWasm);
        const parser = new Parser();
        parser.setLanguage(language);
        return new GoParser(language, parser);
      })();
      // A failed load must not poison later attempts (e.g. a wrong path fixed by the caller).
      GoParser.loading.catch(() => { GoParser.loading = undefined; });
    }
    return GoParser.loading;
  }

  /**
   * Parses `text`, reusing `oldTree` (already `edit()`ed) when given. Throws ParseTimeoutError when the parse runs
   * past `timeoutMs`, leaving the parser reset so the next parse starts clean.
   */
  parse(text: string, oldTree?: Tree | null, timeoutMs = 1000): Tree {
    const deadline = performance.now() + timeoutMs;
    // Called every few hundred parse steps (thousands of times per MB): the clock is read on every 16th call.
    let calls = 0;
    const tree = this.parser.parse(text, oldTree ?? null, {
      progressCallback: () => (++calls & 15) === 0 && performance.now() > deadline,
    });
    if (!tree) {
      this.parser.reset();
      throw new ParseTimeoutError(timeoutMs);
    }
    return tree;
  }

  query(source: string): Query {
    return new Query(this.language, source);
  }
}

import * as path from 'node:path';
import { fileExclusion } from './buildConstraints';
import { Analyzer, QueryStore, type AnalysisResult, type AnalyzeOptions } from './engine';
import { GoParser, type GrammarFiles } from './goParser';
import type { Finding } from './model';
import { closerAtEnd } from './lexEnd';
import { ALL_RULES } from './rules';

export * from './model';
export { Analyzer, DeclMemo, type AnalysisResult, type AnalyzeOptions, type Rule, type RuleSettings } from './engine';
export { buildContextFromInfo, fileExclusion, type BuildContext, type Exclusion } from './buildConstraints';
export { DocumentTrees, type ContentChange, type DocState } from './documents';
export { GoParser, ParseTimeoutError } from './goParser';
export { ALL_RULES } from './rules';
export { targetFactsFor, type TargetInfoLike } from './targetFacts';
export { SUPPRESS_MARKER, suppressionComment, suppressionsIn, type Suppressible } from './suppress';

export interface AnalysisAssets extends GrammarFiles { queriesDir: string }

/** Where the assets are in the bundle: both wasm files and `queries/` beside `dist/extension.js`. */
export function assetsIn(dir: string): AnalysisAssets {
  return { treeSitterWasm: path.join(dir, 'web-tree-sitter.wasm'), goWasm: path.join(dir, 'tree-sitter-go.wasm'), queriesDir: path.join(dir, 'queries') };
}

/** Where the assets are in a source checkout (unit tests, running from `out/`). */
export function assetsFromSource(repoRoot: string): AnalysisAssets {
  return {
    treeSitterWasm: path.join(repoRoot, 'node_modules', 'web-tree-sitter', 'web-tree-sitter.wasm'),
    goWasm: path.join(repoRoot, 'node_modules', 'tree-sitter-go', 'tree-sitter-go.wasm'),
    queriesDir: path.join(repoRoot, 'src', 'core', 'analysis', 'queries'),
  };
}

export interface AnalysisEngine { parser: GoParser; analyzer: Analyzer }

export async function createEngine(assets: AnalysisAssets): Promise<AnalysisEngine> {
  const parser = await GoParser.load(assets);
  return { parser, analyzer: new Analyzer(ALL_RULES, new QueryStore(parser, assets.queriesDir)) };
}

/** Parse and analyse a whole file once, keeping nothing (workspace scans, the CLI). */
export function analyzeText(engine: AnalysisEngine, text: string, options: AnalyzeOptions, timeoutMs = 5000): Finding[] {
  return analyzeTextFile(engine, text, options, timeoutMs).findings;
}

/** `analyzeText` with the reason an excluded file has no findings; an excluded file is not even parsed. */
export function analyzeTextFile(engine: AnalysisEngine, text: string, options: AnalyzeOptions, timeoutMs = 5000): AnalysisResult {
  const excluded = options.build ? fileExclusion(options.build.fileName, text, options.build.context) : undefined;
  if (excluded) return { findings: [], excluded };
  const tree = engine.parser.parse(text + closerAtEnd(text), null, timeoutMs);
  try {
    return { findings: engine.analyzer.analyze(tree, text, { ...options, build: undefined }) };
  } finally {
    tree.delete();
  }
}

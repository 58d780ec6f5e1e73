import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { assetsIn } from '../core/analysis';
import { AnalysisClient, type WorkerLike } from '../core/analysis/worker/client';
import { ScanPool } from '../core/analysis/worker/pool';

/**
 * Starts the analysis worker threads (dist/analysisWorker.js, beside dist/extension.js).
 *
 * Why worker_threads and not a language server process (vscode-languageclient): the analysis is a pure function of
 * the document text and a few settings, with no state worth sharing with other editors, so LSP buys nothing it
 * needs; a worker thread starts in milliseconds inside the extension host (no second Node process, no stdio
 * framing, no JSON encoding: structured clone of plain objects), dies with the window, and is ended with
 * terminate() (a wasm loop cannot hold it). Findings come back as the same Finding objects the host already turns
 * into diagnostics and quick fixes. See docs/analysis-worker.md.
 */
export function workerSpawner(distDir: string): () => WorkerLike {
  const script = path.join(distDir, 'analysisWorker.js');
  const assets = assetsIn(distDir);
  return () => new Worker(script, { workerData: { assets }, name: 'tinygo-analysis' }) as unknown as WorkerLike;
}

export function startAnalysisClient(distDir: string, documentText: (uri: string) => { version: number; text: string } | undefined,
  log: (m: string) => void, maxFileSize: () => number): AnalysisClient {
  return new AnalysisClient({ spawn: workerSpawner(distDir), documentText, log, maxFileSize });
}

/** The workspace scan's pool: one worker per core the machine offers (os.availableParallelism). */
export function startScanPool(distDir: string, log: (m: string) => void): ScanPool {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return new ScanPool(workerSpawner(distDir), Math.max(1, cores), log);
}

/**
 * The analysis worker thread's entry (bundled as dist/analysisWorker.js): loads the wasm parser and feeds each
 * message from the extension host to an AnalysisSession (src/core/analysis/worker/session.ts), posting its replies.
 * Messages that arrive while the wasm compiles wait, in order; only a workspace-scan file the cache answers is
 * answered before (a warm scan needs no parser, and on a loaded machine the compile was a third of a warm re-scan).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine, type AnalysisAssets, type AnalysisEngine } from './core/analysis';
import type { ToWorker } from './core/analysis/worker/protocol';
import { AnalysisSession } from './core/analysis/worker/session';

const port = parentPort;
if (!port) throw new Error('analysisWorker.js runs as a worker thread');
const { assets } = workerData as { assets: AnalysisAssets };
let engine: AnalysisEngine | undefined;
const ready = createEngine(assets).then((e) => { engine = e; });
const session = new AnalysisSession(() => engine);
// A failed compile is reported to each message that waits for it (a 'failed' reply), not as an unhandled rejection.
ready.catch(() => undefined);
let queue: Promise<unknown> = Promise.resolve();

port.on('message', (m: ToWorker) => {
  if (m.t === 'crash') process.exit(70);
  queue = queue.then(async () => {
    const early = !engine && m.t === 'scan' ? session.scanFromCache(m) : undefined;
    if (early) { port.postMessage(early); return; }
    await ready;
    for (const reply of session.handle(m)) port.postMessage(reply);
  }).catch((e: unknown) => {
    const message = e instanceof Error ? e.stack ?? e.message : String(e);
    port.postMessage('id' in m ? { t: 'failed', id: m.id, message } : { t: 'log', message: `[analysis worker] ${message}` });
  });
});

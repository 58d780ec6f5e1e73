/**
 * The analysis worker thread's entry (bundled as dist/analysisWorker.js): loads the wasm parser and feeds each
 * message from the extension host to an AnalysisSession (src/core/analysis/worker/session.ts), posting its replies.
 * Messages that arrive while the wasm compiles wait, in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine, type AnalysisAssets } from './core/analysis';
import type { ToWorker } from './core/analysis/worker/protocol';
import { AnalysisSession } from './core/analysis/worker/session';

const port = parentPort;
if (!port) throw new Error('analysisWorker.js runs as a worker thread');
const { assets } = workerData as { assets: AnalysisAssets };
const session = createEngine(assets).then((engine) => new AnalysisSession(engine));
let queue: Promise<unknown> = session;

port.on('message', (m: ToWorker) => {
  if (m.t === 'crash') process.exit(70);
  queue = queue.then(async () => {
    for (const reply of (await session).handle(m)) port.postMessage(reply);
  }).catch((e: unknown) => {
    const message = e instanceof Error ? e.stack ?? e.message : String(e);
    port.postMessage('id' in m ? { t: 'failed', id: m.id, message } : { t: 'log', message: `[analysis worker] ${message}` });
  });
});

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
let idleScheduled = false;

/**
 * The parse of changed documents, after the messages that wait: setImmediate runs after the event loop has delivered
 * every message that arrived meanwhile (e.g. keystrokes typed during a long parse), so they are parsed together.
 */
const parseWhenIdle = (): void => {
  if (idleScheduled) return;
  idleScheduled = true;
  setImmediate(() => {
    queue = queue.then(() => {
      idleScheduled = false;
      for (const reply of session.parsePending()) port.postMessage(reply);
    }).catch((e: unknown) => {
      port.postMessage({ t: 'log', message: `[analysis worker] ${e instanceof Error ? e.stack ?? e.message : String(e)}` });
    });
  });
};

port.on('message', (m: ToWorker) => {
  if (m.t === 'crash') process.exit(70);
  queue = queue.then(async () => {
    const early = !engine && m.t === 'scan' ? session.scanFromCache(m) : undefined;
    if (early) { port.postMessage(early); return; }
    await ready;
    for (const reply of session.handle(m)) port.postMessage(reply);
    if (session.pendingParses > 0) parseWhenIdle();
  }).catch((e: unknown) => {
    const message = e instanceof Error ? e.stack ?? e.message : String(e);
    port.postMessage('id' in m ? { t: 'failed', id: m.id, message } : { t: 'log', message: `[analysis worker] ${message}` });
  });
});

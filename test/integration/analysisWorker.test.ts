// The analysis runs in a worker thread (issue 19): typing a backquote into a large file, which makes tree-sitter
// reparse the rest of the file as a raw string, must not hold up the extension host's thread (and with it every
// other extension's commands); and a crashed worker comes back with the open documents.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { assetsIn, createEngine } from '../../src/core/analysis';
import { threadSchedstat } from '../support/schedstat';
import { api, extension, openGo, ruleDiagnostics, until, waitForDiagnostics, within, workspaceUri } from './helpers';

/** A large Go file (about 200 KB, 2,000 functions), with a reflect finding in every 20th function. */
function bigGo(): string {
  const parts = ['package big\n\nimport "reflect"\n\n'];
  for (let i = 0; i < 2000; i++) {
    parts.push(`// f${i} adds.\nfunc f${i}(x any, n int) int {\n\ty := n * ${i}\n\tif y > ${i} {\n\t\ty -= ${i}\n\t}\n`);
    if (i % 20 === 0) parts.push('\treflect.ValueOf(x).MethodByName("F")\n');
    parts.push('\treturn y\n}\n\n');
  }
  return parts.join('');
}

/** What the other command saw: its longest wait between two steps, and what the host thread did meanwhile. */
interface Steps {
  steps: number;
  /** The longest wait on the wall clock, and of it: on a CPU, waiting for one, blocked (ms). */
  maxGap: number; gapCpu?: number; gapWaiting?: number;
  /** When the longest wait began and ended (performance.now()), and how much of it the host isolate spent in garbage collections. */
  gapFrom: number; gapTo: number; gapGc?: number;
  /** The longest stretch of host-thread CPU time between two steps (ms). */
  maxCpuGap?: number;
}

const fmtSteps = (s: Steps): string => `${s.steps} steps, longest wait ${s.maxGap.toFixed(1)} ms on the wall clock ` +
  `(${s.gapCpu?.toFixed(1) ?? 'n/a'} ms on a CPU, ${s.gapWaiting?.toFixed(1) ?? 'n/a'} ms waiting for one, ` +
  `${s.gapCpu === undefined || s.gapWaiting === undefined ? 'n/a' : Math.max(0, s.maxGap - s.gapCpu - s.gapWaiting).toFixed(1)} ms blocked; ` +
  `${s.gapGc?.toFixed(1) ?? 'n/a'} ms of it in the host's garbage collections), ` +
  `longest host-thread CPU stretch ${s.maxCpuGap?.toFixed(2) ?? 'n/a'} ms`;

/** The document's text back to `text`, saved: whether or not the workspace saved the test's edits meanwhile. */
async function restore(editor: vscode.TextEditor, text: string): Promise<void> {
  const doc = editor.document;
  if (doc.getText() !== text) {
    // The editor shown again (one that was hidden meanwhile is a new TextEditor).
    const shown = await vscode.window.showTextDocument(doc, { preview: false });
    const all = new vscode.Range(0, 0, doc.lineCount, 0);
    assert.ok(await shown.edit((b) => b.replace(all, text)), `${doc.fileName} not restored`);
  }
  if (doc.isDirty) await doc.save();
  await until(`${doc.fileName} restored`, () => doc.getText() === text && !doc.isDirty);
}

suite('analysis worker', () => {
  test('a backquote typed into a large file does not delay a command running on the host thread', async () => {
    const a = await api();
    const uri = workspaceUri('big/big.go');
    fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
    const bigText = bigGo();
    fs.writeFileSync(uri.fsPath, bigText);
    const editor = await openGo('big/big.go');
    const doc = editor.document;
    await waitForDiagnostics(uri, '100 reflect findings in big.go', (ds) => ruleDiagnostics(ds).length === 100, 60_000);
    const controller = a.testing.analysis()!;

    // The other command: it runs on the host thread in setImmediate steps until told to stop, and reports the longest
    // time it waited between two steps (what any command or extension would have waited): on the wall clock, split
    // into the host thread's own CPU time, its time waiting for a CPU (the loaded machine preempting it) and the rest
    // (blocked); and the longest stretch of host-thread CPU time between two steps.
    let stop = false;
    let started!: () => void;
    const reg = vscode.commands.registerCommand('tgwTest.steps', () => new Promise<Steps>((resolve) => {
      // Plain setImmediate callbacks (no promise per step): the command itself should not make garbage to collect.
      // The host thread's times come from schedstat (test/support/schedstat.ts): undefined where there is none.
      let last = performance.now(); let lastS = threadSchedstat();
      const r: Steps = { steps: 0, maxGap: 0, gapFrom: 0, gapTo: 0 };
      const step = (): void => {
        const now = performance.now();
        const s = threadSchedstat();
        const gap = now - last;
        const cpu = s && lastS ? s.cpuMs - lastS.cpuMs : undefined;
        if (cpu !== undefined) r.maxCpuGap = Math.max(r.maxCpuGap ?? 0, cpu);
        if (gap > r.maxGap) {
          r.maxGap = gap; r.gapFrom = last; r.gapTo = now;
          if (s && lastS) { r.gapCpu = cpu; r.gapWaiting = s.waitMs - lastS.waitMs; }
        }
        last = now; lastS = s;
        r.steps++;
        if (stop) resolve(r);
        else setImmediate(step);
      };
      started();
      setImmediate(step);
    }));
    /** Runs the other command while `action` runs; what it saw. */
    const whileRunning = async (action: () => Promise<void>): Promise<Steps> => {
      stop = false;
      const gcs: PerformanceEntry[] = [];
      const gcObserver = new PerformanceObserver((list) => { gcs.push(...list.getEntries()); });
      gcObserver.observe({ entryTypes: ['gc'] });
      const running = new Promise<void>((resolve) => { started = resolve; });
      const other = vscode.commands.executeCommand<Steps>('tgwTest.steps');
      try {
        await within('the other command to start', running);
        try { await action(); } finally { stop = true; }
        const r = await other;
        await new Promise((resolve) => setTimeout(resolve, 50)); // the observer's entries come asynchronously
        r.gapGc = gcs.reduce((sum, e) => sum + Math.max(0, Math.min(r.gapTo, e.startTime + e.duration) - Math.max(r.gapFrom, e.startTime)), 0);
        return r;
      } finally {
        gcObserver.disconnect();
      }
    };
    // The baseline: the same edits in a plain-text copy of the file, which no analysis and no language server
    // follows: what VS Code itself costs the host thread for them (applying the edit, firing its events).
    const txtUri = workspaceUri('big/big.txt');
    fs.writeFileSync(txtUri.fsPath, bigText);
    const txtDoc = await vscode.workspace.openTextDocument(txtUri);
    assert.equal(txtDoc.languageId, 'plaintext');
    let txtEditor: vscode.TextEditor | undefined;
    const delay = monitorEventLoopDelay({ resolution: 1 });
    try {
      // Up to 3 trials: the longest busy stretch of the host thread in one trial can be a garbage collection or
      // VS Code's own work landing there; a parse on this thread would show in every trial, so one trial within
      // the bound is enough (all are printed).
      const trials: string[] = [];
      // The bound on the longest host-thread stretch: of CPU time where schedstat exists, else of the wall clock.
      const CPU_BOUND_MS = 20; const WALL_BOUND_MS = 50;
      // The trial whose longest host-thread stretch was shortest (CPU time where schedstat exists, else wall clock).
      let best: Steps | undefined;
      const key = (r: Steps): number => r.maxCpuGap ?? r.maxGap;
      const withinBound = (r: Steps): boolean => key(r) <= (r.maxCpuGap !== undefined ? CPU_BOUND_MS : WALL_BOUND_MS);
      for (let trial = 1; trial <= 3 && !(best && withinBound(best)); trial++) {
        const goEditor = await vscode.window.showTextDocument(doc, { preview: false });
        let toDiagnostics = 0; let roundTrip = 0; let forwardMs = 0; let forwardBackMs = 0;
        delay.reset();
        delay.enable();
        const go = await whileRunning(async () => {
          const t0 = performance.now();
          // The backquote after the import: everything below is now an unterminated raw string (no findings left);
          // then it is deleted again, and the whole file below has to be parsed into declarations once more.
          assert.ok(await goEditor.edit((b) => b.insert(new vscode.Position(3, 0), '`')), 'the edit was not applied');
          forwardMs = controller.hostTime.lastForwardMs;
          await waitForDiagnostics(uri, 'no findings once the rest of the file is a raw string', (ds) => ruleDiagnostics(ds).length === 0, 60_000);
          toDiagnostics = performance.now() - t0;
          assert.ok(await goEditor.edit((b) => b.delete(new vscode.Range(3, 0, 3, 1))), 'the deletion was not applied');
          forwardBackMs = controller.hostTime.lastForwardMs;
          await waitForDiagnostics(uri, 'the 100 findings back once the backquote is gone', (ds) => ruleDiagnostics(ds).length === 100, 60_000);
          roundTrip = performance.now() - t0;
        });
        delay.disable();
        // The same two edits in the plain-text copy, over as long a time.
        txtEditor = await vscode.window.showTextDocument(txtDoc, { preview: false });
        const te = txtEditor;
        const txt = await whileRunning(async () => {
          const t0 = performance.now();
          assert.ok(await te.edit((b) => b.insert(new vscode.Position(3, 0), '`')), 'the text edit was not applied');
          await new Promise((r) => setTimeout(r, Math.max(0, toDiagnostics - (performance.now() - t0))));
          assert.ok(await te.edit((b) => b.delete(new vscode.Range(3, 0, 3, 1))), 'the text deletion was not applied');
          await new Promise((r) => setTimeout(r, Math.max(0, roundTrip - (performance.now() - t0))));
        });
        trials.push(`trial ${trial}: diagnostics after ${toDiagnostics.toFixed(0)} ms, and back after the deletion at ${roundTrip.toFixed(0)} ms; ` +
          `the other command ran ${fmtSteps(go)}; event-loop delay max ${(delay.max / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms; ` +
          `our forwarding ${forwardMs.toFixed(2)} / ${forwardBackMs.toFixed(2)} ms, publishing ${controller.hostTime.lastPublishMs.toFixed(2)} ms.\n` +
          `        The same edits in a plain-text copy: ${fmtSteps(txt)}`);
        // What the host thread itself did between two steps of the other command: a few ms (VS Code applying an edit or
        // sending 100 diagnostics to the window, our forwarding, a GC), never a parse. The wall clock adds what is
        // not the host's own work: the loaded test machine preempting it (time waiting for a CPU: gopls re-checks the
        // file, the worker parses it), and time blocked, which sampling the thread's kernel state showed to be
        // garbage collections and process spawns (libuv waits in read() until the child has exec'd), mostly VS Code's
        // own: its port detection runs `ls -l /proc/[0-9]*/fd/[0-9]*` and `ps` every few seconds. The plain-text copy
        // shows the same kinds of waits.
        if (!best || key(go) < key(best)) best = go;
      }
      // What the same reparse costs when it runs on this thread (the old design): the text after the backquote's
      // deletion, parsed from scratch here (once to warm up, as the worker's parser is). Measured after the trials:
      // the extension host never loads the parser itself, so the trials run without it.
      const engine = await createEngine(assetsIn(path.join(extension().extensionPath, 'dist')));
      engine.parser.parse(bigText, null, 10_000).delete();
      const p0 = performance.now();
      const c0 = threadSchedstat();
      engine.parser.parse(bigText, null, 10_000).delete();
      const inThread = performance.now() - p0;
      const c1 = threadSchedstat();
      const inThreadCpu = c0 !== undefined && c1 !== undefined ? c1.cpuMs - c0.cpuMs : undefined;
      const passed = best !== undefined && (best.maxCpuGap !== undefined && inThreadCpu !== undefined
        ? best.maxCpuGap <= CPU_BOUND_MS && best.maxCpuGap < inThreadCpu / 2 : best.maxGap < Math.max(WALL_BOUND_MS, inThread / 2));
      console.log(`    backquote in big.go (${doc.getText().length} chars); the same full parse on the host thread would hold it ${inThread.toFixed(0)} ms (${inThreadCpu?.toFixed(1) ?? 'n/a'} ms CPU)\n` +
        trials.map((t) => `      ${t}`).join('\n'));
      assert.ok(passed, `in every trial the host thread was busy longer than ${CPU_BOUND_MS} ms (or half a parse) between two steps of the other command:\n${trials.join('\n')}`);
    } finally {
      stop = true;
      delay.disable();
      reg.dispose();
      if (txtEditor) {
        await restore(txtEditor, bigText);
        await vscode.window.showTextDocument(txtDoc, { preview: false });
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      }
      await restore(editor, bigText);
      await vscode.window.showTextDocument(doc, { preview: false });
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(path.dirname(uri.fsPath), { recursive: true, force: true });
    }
  });

  test('an edit that leaves the findings as they were does not publish them again; one that moves them does', async () => {
    const a = await api();
    const editor = await openGo('diagnostics.go');
    const uri = editor.document.uri;
    const original = editor.document.getText();
    const controller = a.testing.analysis()!;
    // Ours among the diagnostics (gopls publishes its own on every edit): a new publish makes new objects.
    const ours = () => ruleDiagnostics(vscode.languages.getDiagnostics(uri));
    /** Applies `edit` and resolves once the controller has analysed the document's new version. */
    const analysed = async (what: string, edit: (b: vscode.TextEditorEdit) => void): Promise<void> => {
      const done = new Promise<void>((resolve) => {
        const s = controller.onDidAnalyze.event((e) => { if (e.uri.toString() === uri.toString()) { s.dispose(); resolve(); } });
      });
      assert.ok(await editor.edit(edit), `${what}: the edit was not applied`);
      await within(`${what}: analysed`, done);
    };
    try {
      const before = await waitForDiagnostics(uri, 'the reflect finding', (ds) => ruleDiagnostics(ds).length === 1);
      const line = ruleDiagnostics(before)[0].range.start.line;
      const hello = original.split('\n').findIndex((l) => l.includes('Hello()'));
      assert.ok(hello >= 0 && hello < line);
      const skipped = controller.hostTime.unchangedSkipped;
      const published = ours()[0];
      assert.equal(ours()[0], published, 'VS Code hands out the diagnostic objects it was given');
      // A comment at the end of a line above the finding: the finding stays where it was.
      await analysed('a comment typed', (b) => b.insert(new vscode.Position(hello, original.split('\n')[hello].length), ' // greets'));
      assert.equal(controller.hostTime.unchangedSkipped, skipped + 1, 'the unchanged findings were not recognised');
      assert.equal(ours()[0], published, 'VS Code was given the same diagnostics again');
      // A new line above it: the finding moves down, so it is published.
      await analysed('a line inserted', (b) => b.insert(new vscode.Position(0, 0), '\n'));
      assert.equal(controller.hostTime.unchangedSkipped, skipped + 1);
      await waitForDiagnostics(uri, 'the finding one line lower', (ds) => ruleDiagnostics(ds).some((d) => d.range.start.line === line + 1));
      assert.notEqual(ours()[0], published);
    } finally {
      await restore(editor, original);
      // The next test reads the finding's line: wait until the restored text's findings are published.
      const at = original.split('\n').findIndex((l) => l.includes('MethodByName'));
      await waitForDiagnostics(uri, 'the finding back on its line', (ds) => ruleDiagnostics(ds).some((d) => d.range.start.line === at));
    }
  });

  test('after the worker crashes it is restarted with the open documents, and edits are analysed again', async () => {
    const a = await api();
    const editor = await openGo('diagnostics.go');
    const uri = editor.document.uri;
    const original = editor.document.getText();
    try {
      const before = await waitForDiagnostics(uri, 'the reflect finding', (ds) => ruleDiagnostics(ds).length === 1);
      const line = ruleDiagnostics(before)[0].range.start.line;
      const worker = a.testing.analysis()!.worker;
      const restarts = worker.restarts;
      const restarted = new Promise<void>((resolve) => { const sub = worker.onDidRestart(() => { sub.dispose(); resolve(); }); });
      worker.crashForTest();
      await within('the worker to restart', restarted);
      assert.equal(worker.restarts, restarts + 1);
      await until('the open document back in the worker', () => worker.isOpen(uri.toString()));
      // An edit after the restart: the finding moves down with it, so the worker follows the document again.
      assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), '\n')));
      await waitForDiagnostics(uri, 'the finding one line lower', (ds) => ruleDiagnostics(ds).some((d) => d.range.start.line === line + 1));
    } finally {
      // Put the fixture back as it was, on disk too (the workspace may save edits on its own): later suites read it.
      await restore(editor, original);
    }
  });
});

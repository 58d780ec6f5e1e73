/**
 * One build at a time per folder. Policy: a new request for a folder **cancels** the build running there and
 * starts once that one has fully ended (its process tree killed), so two tinygo processes never write the same
 * output file and the result always describes the newest request. A request still waiting when another arrives
 * is dropped (it resolves as cancelled without running). Builds of different folders run side by side.
 *
 * Why cancel rather than wait: a build is started because the sources or settings changed; the running one would
 * report on the old state, and waiting for a slow first build (minutes, compiling the C libraries) would make
 * the user's newest request look stuck.
 */

export type Job<T> = (signal: AbortSignal) => Promise<T>;

export interface QueueResult<T> {
  /** false: superseded while waiting, never started. */
  ran: boolean;
  value?: T;
}

interface Slot {
  controller: AbortController;
  done: Promise<unknown>;
}

export class BuildQueue {
  private readonly slots = new Map<string, Slot>();

  /** True while a job of that key is waiting or running. */
  busy(key: string): boolean { return this.slots.has(key); }

  keys(): string[] { return [...this.slots.keys()]; }

  /** Cancels the job of `key` (or every job); resolves once they have ended. */
  async cancel(key?: string): Promise<void> {
    const slots = key === undefined ? [...this.slots.values()] : [this.slots.get(key)].filter((s): s is Slot => !!s);
    for (const s of slots) s.controller.abort();
    await Promise.allSettled(slots.map((s) => s.done));
  }

  run<T>(key: string, job: Job<T>): Promise<QueueResult<T>> {
    const previous = this.slots.get(key);
    previous?.controller.abort();
    const controller = new AbortController();
    const done = (async (): Promise<QueueResult<T>> => {
      if (previous) await previous.done.catch(() => undefined);
      if (controller.signal.aborted) return { ran: false };
      return { ran: true, value: await job(controller.signal) };
    })();
    const slot: Slot = { controller, done };
    this.slots.set(key, slot);
    const clear = () => { if (this.slots.get(key) === slot) this.slots.delete(key); };
    done.then(clear, clear);
    return done;
  }
}

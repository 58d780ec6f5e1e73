import * as fs from 'node:fs';

/** A thread's time on a CPU and its time waiting for one while runnable, in ms. */
export interface ThreadTimes { cpuMs: number; waitMs: number }

/**
 * One thread of this process (default: the main thread), from Linux's /proc/self/task/<tid>/schedstat (fields 1 and
 * 2), or undefined where there is none (not Linux, or the thread ended). Unlike the wall clock, the CPU time leaves out
 * the time a loaded machine gave to other processes; the waiting time is that time. Note the kernel brings a running
 * thread's CPU time up to date at its scheduler ticks, so a reading can lag by one tick.
 */
export function threadSchedstat(tid: number | string = process.pid): ThreadTimes | undefined {
  try {
    const f = fs.readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ');
    return { cpuMs: Number(f[0]) / 1e6, waitMs: Number(f[1]) / 1e6 };
  } catch { return undefined; }
}

/** Every thread of this process now: thread id -> its times (empty where /proc/self/task is not there). */
export function processThreadTimes(): Map<string, ThreadTimes> {
  const out = new Map<string, ThreadTimes>();
  let tids: string[] = [];
  try { tids = fs.readdirSync('/proc/self/task'); } catch { /* not Linux */ }
  for (const t of tids) {
    const times = threadSchedstat(t);
    if (times) out.set(t, times);
  }
  return out;
}

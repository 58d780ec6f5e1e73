import type { AnalyzeOptions } from '../engine';
import type { Exclusion } from '../buildConstraints';
import type { ContentChange } from '../documents';
import type { Finding } from '../model';

/**
 * The messages between the extension host and the analysis worker (worker_threads: see docs/analysis-worker.md).
 * Plain data only (structured clone). Documents are named by URI string; the worker keeps its own copy of each
 * open document's text and follows it with the editor's incremental changes, so a keystroke crosses the thread
 * boundary as a few bytes, not the whole file.
 */
export type ToWorker =
  /** `parse: false`: keep the text only (a document above tinygo.analysis.maxFileSize gets no tree). */
  | { t: 'open'; uri: string; version: number; text: string; parse?: boolean }
  /** `length`: the document's length after the changes, so a copy that drifted is noticed (the worker asks for a resync). */
  | { t: 'change'; uri: string; version: number; changes: ContentChange[]; length: number }
  | { t: 'close'; uri: string }
  | { t: 'analyze'; id: number; uri: string; version: number; options: AnalyzeOptions; maxFileSize: number }
  /** One file of a workspace scan, read from disk by the worker; the cache in `cacheDir` (if any) answers unchanged files. */
  | { t: 'scan'; id: number; path: string; options: AnalyzeOptions; maxFileSize: number; cache?: ScanCacheRef }
  /**
   * Writes what this worker's scans found (and the cache hits it served) to its shard of the cache, when that adds
   * something: `shards` is how many the pool keeps (the others are removed after the flush).
   */
  | { t: 'flush'; id: number; shard: number; shards?: number }
  /**
   * `collect`: a full garbage collection first, where the process exposes one (`node --expose-gc`, as the bench's
   * soak runs; never in the extension host): the memory the worker settles at, without the garbage of the last edits.
   */
  | { t: 'stats'; id: number; collect?: boolean }
  /** Test hook: the worker thread ends at once, as after a crash (the client must restart it). */
  | { t: 'crash' };

export interface ScanCacheRef { dir: string; contextKey: string }

export type FromWorker =
  /**
   * `signature`: the findings as JSON text, made here off the host thread, so the host can tell in one string
   * comparison that a result equals what it published last (most keystrokes change no finding).
   */
  | { t: 'result'; id: number; uri: string; version: number; findings: Finding[]; excluded?: Exclusion; ms: number; signature?: string }
  /** No findings published: the document is newer than the request (`stale`), too large, or not known to the worker. */
  | { t: 'skipped'; id: number; uri: string; version: number; why: 'stale' | 'tooLarge' | 'unknown' }
  | { t: 'resync'; uri: string }
  /**
   * `skipped: 'failed'`: the analysis of this content failed (`message` says why), now or, when `cached`, in an
   * earlier scan of the same content: no findings, and not tried again until the file changes.
   */
  | { t: 'scanned'; id: number; path: string; findings: Finding[]; cached: boolean; skipped?: 'tooLarge' | 'unreadable' | 'failed'; message?: string; ms: number }
  | { t: 'flushed'; id: number; entries: number }
  | { t: 'stats'; id: number; openDocuments: number; openTrees: number; rss: number; heapUsed?: number; collected?: boolean }
  | { t: 'failed'; id: number; message: string }
  | { t: 'log'; message: string };

export type Reply = FromWorker;

/**
 * Runs an arena's runs on worker threads (bin/arena-worker.js → src/cli/arena-worker.ts),
 * one run per worker at a time, handing each worker the next run as it finishes one. Each
 * run's numbers depend on its key alone (src/arena/run.ts), so the results do not depend on
 * how many workers there are or which one ran what; only the order records arrive in does.
 */
import { Worker } from 'node:worker_threads';
import type { ArenaSpec, RunKey, RunProgress, RunRecord } from '../arena/types';

export type FromWorker =
  | { readonly kind: 'progress'; readonly progress: RunProgress }
  | { readonly kind: 'record'; readonly record: RunRecord }
  | { readonly kind: 'error'; readonly key: RunKey; readonly message: string };

export interface PoolEvents {
  onProgress(p: RunProgress): void;
  /** A finished run (done or failed); called in the order runs finish. */
  onRecord(r: RunRecord): void;
}

export interface Pool {
  /** Resolves when every run has finished, or when stopped; rejects when a run crashed (a bug, not a diverged run). */
  readonly finished: Promise<void>;
  /** Stops every worker now; runs in progress are dropped (they were never recorded). */
  stop(): Promise<void>;
}

const WORKER_ENTRY = new URL('../../bin/arena-worker.js', import.meta.url);

export function startPool(spec: ArenaSpec, keys: readonly RunKey[], workers: number, events: PoolEvents): Pool {
  const queue = [...keys];
  const threads: Worker[] = [];
  let stopped = false;
  let settle: { resolve: () => void; reject: (e: Error) => void };
  const finished = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  let running = 0;

  const stopAll = async () => {
    stopped = true;
    await Promise.all(threads.map((t) => t.terminate()));
  };
  const feed = (worker: Worker) => {
    const key = queue.shift();
    if (key === undefined) {
      void worker.terminate();
      if (running === 0) settle.resolve();
      return;
    }
    running += 1;
    worker.postMessage(key);
  };
  const fail = (e: Error) => {
    void stopAll().then(() => settle.reject(e));
  };

  for (let i = 0; i < Math.min(workers, keys.length); i++) {
    const worker = new Worker(WORKER_ENTRY, { workerData: { spec } });
    threads.push(worker);
    worker.on('message', (m: FromWorker) => {
      if (stopped) return;
      if (m.kind === 'progress') events.onProgress(m.progress);
      else if (m.kind === 'record') {
        running -= 1;
        events.onRecord(m.record);
        feed(worker);
      } else fail(new Error(`the run ${JSON.stringify(m.key)} crashed: ${m.message}`));
    });
    worker.on('error', (e) => {
      if (!stopped) fail(e);
    });
    feed(worker);
  }
  if (keys.length === 0) settle!.resolve();
  return {
    finished,
    stop: async () => {
      await stopAll();
      settle.resolve();
    },
  };
}

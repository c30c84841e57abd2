/**
 * A worker of the Arena panel's pool (src/ui/arena.svelte.ts): it trains each run it is
 * sent (arena-job.ts), one at a time. Stopping is the pool's: it terminates the worker.
 */
import { runArenaJob, type ArenaJob } from './arena-job';

self.onmessage = (e: MessageEvent<ArenaJob>) => void runArenaJob(e.data, (event) => self.postMessage(event));

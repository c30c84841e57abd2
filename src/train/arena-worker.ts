/**
 * A worker of the Arena panel (src/ui/arena.svelte.ts): it plans the study or trains each run
 * it is sent (arena-job.ts), one at a time. Stopping is the panel's: it terminates the worker.
 */
import { handleArenaRequest, type ArenaRequest } from './arena-job';

self.onmessage = (e: MessageEvent<ArenaRequest>) => void handleArenaRequest(e.data, (event) => self.postMessage(event));

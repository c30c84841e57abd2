/**
 * A `celda arena` worker thread: trains the runs the pool sends it, one at a time, and
 * posts each step's progress and each finished RunRecord back. The spec arrives once, as
 * workerData; a message names the run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runOne } from '../arena/run';
import type { ArenaSpec, RunKey } from '../arena/types';
import type { FromWorker } from './arena-pool';

const spec = (workerData as { spec: ArenaSpec }).spec;
const port = parentPort;
if (port === null) throw new Error('src/cli/arena-worker.ts runs as a worker thread of src/cli/arena-pool.ts');

port.on('message', (key: RunKey) => {
  const post = (m: FromWorker) => port.postMessage(m);
  runOne(spec, key, (p) => post({ kind: 'progress', progress: p }))
    .then((record) => post({ kind: 'record', record }))
    .catch((e: unknown) => post({ kind: 'error', key, message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) }));
});

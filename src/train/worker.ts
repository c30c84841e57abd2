/**
 * The app's training worker: runs session.ts off the main thread, so the canvas stays
 * responsive while a cell trains. Messages in: {type:'start', request} | {type:'stop'};
 * out: the session's events.
 */
import { runTraining, type TrainingEvent, type TrainingRequest } from './session';

export type WorkerMessage = { readonly type: 'start'; readonly request: TrainingRequest } | { readonly type: 'stop' };

let stop = false;
let running = false;

self.onmessage = (e: MessageEvent<WorkerMessage>) => {
  if (e.data.type === 'stop') {
    stop = true;
    return;
  }
  if (running) return;
  running = true;
  stop = false;
  void runTraining(e.data.request, (event: TrainingEvent) => self.postMessage(event), () => stop).finally(() => {
    running = false;
  });
};

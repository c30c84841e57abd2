/**
 * The app's training worker: runs session.ts (one training run) or flow-study.ts (the
 * gradient-flow study) off the main thread, so the canvas stays responsive.
 * Messages in: {type:'start', request} | {type:'flow-study', request} | {type:'stop'};
 * out: the session's events, or the study's. A run's backend is chosen here, from what this
 * worker can reach (WebGPU through navigator.gpu, WebGL2 through an OffscreenCanvas).
 */
import { probeBrowser, type BrowserProbe } from '../gpu/choose';
import { runFlowStudy, type FlowStudyProgress, type FlowStudyRequest, type FlowStudyResult } from './flow-study';
import { runTraining, type TrainingEvent, type TrainingRequest } from './session';

export type WorkerMessage =
  | { readonly type: 'start'; readonly request: TrainingRequest }
  | { readonly type: 'flow-study'; readonly request: FlowStudyRequest }
  | { readonly type: 'stop' };

export type FlowStudyEvent =
  | ({ readonly kind: 'flow-progress' } & FlowStudyProgress)
  | { readonly kind: 'flow-done'; readonly result: FlowStudyResult }
  | { readonly kind: 'flow-failed'; readonly message: string };

/** The study reports at most this often: a step takes milliseconds. */
const PROGRESS_EVERY_MS = 100;

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
  const job = e.data.type === 'start' ? train(e.data.request) : study(e.data.request);
  void job.finally(() => {
    running = false;
  });
};

/** Probed once, at the first run: the adapter and renderer do not change while the page lives. */
let probe: Promise<BrowserProbe> | undefined;

async function train(request: TrainingRequest): Promise<void> {
  probe ??= probeBrowser();
  await runTraining(request, (event: TrainingEvent) => self.postMessage(event), () => stop, await probe);
}

async function study(request: FlowStudyRequest): Promise<void> {
  const post = (event: FlowStudyEvent) => self.postMessage(event);
  let last = 0;
  try {
    const result = await runFlowStudy(request, (p) => {
      if (performance.now() - last < PROGRESS_EVERY_MS && p.step < p.steps) return;
      last = performance.now();
      post({ kind: 'flow-progress', ...p });
    }, () => stop);
    post({ kind: 'flow-done', result });
  } catch (e) {
    post({ kind: 'flow-failed', message: e instanceof Error ? e.message : String(e) });
  }
}

/**
 * A stand-in for the app's Web Worker (src/train/worker.ts) in the stores' unit tests: it records
 * what a store sends and hands the store the events a test chooses. Stub it in with
 * `vi.stubGlobal('Worker', FakeWorker)`; `worker()` is the one the store made last.
 */
import type { FlowStudyRequest } from '../../src/train/flow-study';
import type { TrainingEvent, TrainingRequest } from '../../src/train/session';
import type { FlowStudyEvent, WorkerMessage } from '../../src/train/worker';

export class FakeWorker {
  static current: FakeWorker | undefined;
  readonly sent: WorkerMessage[] = [];
  onmessage: ((e: MessageEvent<TrainingEvent | FlowStudyEvent>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  constructor() {
    FakeWorker.current = this;
  }
  postMessage(m: WorkerMessage): void {
    this.sent.push(m);
  }
  terminate(): void {}
  emit(e: TrainingEvent | FlowStudyEvent): void {
    this.onmessage?.({ data: e } as MessageEvent<TrainingEvent | FlowStudyEvent>);
  }
  /** The request of the last run started. */
  get request(): TrainingRequest {
    const start = this.sent.filter((m) => m.type === 'start').at(-1);
    if (!start || start.type !== 'start') throw new Error('no run was started');
    return start.request;
  }
  /** The request of the first gradient-flow study started. */
  get studyRequest(): FlowStudyRequest {
    const sent = this.sent.find((m) => m.type === 'flow-study');
    if (!sent || sent.type !== 'flow-study') throw new Error('no study was started');
    return sent.request;
  }
}

export const worker = (): FakeWorker => {
  if (!FakeWorker.current) throw new Error('no worker');
  return FakeWorker.current;
};

/**
 * The gradient-flow study in the app (src/train/flow-study.ts, in a Web Worker): the cell on
 * the canvas and the Elman, LSTM and GRU examples, measured at once at their initial
 * parameters ("before") and, in the worker, after each trains on the adding problem
 * ("after"), with the study's verdict on the tutorial's claim. A stopped study keeps only
 * its "before" curves: a cell stopped halfway was not trained as the chart would say.
 */
import { compileJson } from '../compiler';
import { cellHash } from '../runtime/checkpoint';
import { FLOW_STUDY_DEFAULTS, hiddenStateFlow } from '../runtime/gradient-flow';
import { createAddingTask } from '../runtime/tasks/adding';
import type { Task } from '../runtime/tasks/types';
import type { FlowStudyCell, FlowStudyRequest, FlowStudyResult, FlowVerdict } from '../train/flow-study';
import type { FlowStudyEvent, WorkerMessage } from '../train/worker';
import gru from '../../examples/gru.json';
import lstm from '../../examples/lstm.json';
import rnn from '../../examples/rnn.json';
import type { EditorState } from './state.svelte';

/** The study's settings, from the core (importing src/train/flow-study.ts would bring the trainers and gpu.js onto the main thread). */
export const STUDY = FLOW_STUDY_DEFAULTS;

/** The cells of the study: the three examples and the one on the canvas ('own'). */
export type FlowCellId = 'rnn' | 'lstm' | 'gru' | 'own';

const EXAMPLES: readonly { id: Exclude<FlowCellId, 'own'>; json: unknown; role: FlowStudyCell['role'] }[] = [
  { id: 'rnn', json: rnn, role: 'elman' },
  { id: 'lstm', json: lstm, role: 'gated' },
  { id: 'gru', json: gru, role: 'gated' },
];

export interface FlowLine {
  readonly id: FlowCellId;
  /** ‖∂L/∂a_t‖ for t = 0 … T − 2 at the initial parameters. */
  readonly before: readonly number[];
  /** The same after training (once the study is done). */
  readonly after?: readonly number[];
  /** The validation loss after training (the adding problem's baseline is 1/6). */
  readonly validationLoss?: number;
}

/** Why the cell on the canvas has no curve of its own: it is one of the examples, it does not compile for the task, or it has no state. */
export type OwnCell = { readonly kind: 'measured' } | { readonly kind: 'twin'; readonly of: Exclude<FlowCellId, 'own'> } | { readonly kind: 'not-compiled' } | { readonly kind: 'no-state' };

export interface FlowProgress {
  readonly cell: FlowCellId;
  /** 1-based: which of `cells` trains now. */
  readonly index: number;
  readonly cells: number;
  readonly step: number;
  readonly steps: number;
}

/** The study's verdict with the gated cell it names as one of ours. */
export type FlowJudgement = Omit<FlowVerdict, 'gatedName'> & { readonly gatedCell: FlowCellId };

const adding = (): Task => {
  const task = createAddingTask();
  if ('error' in task) throw new Error(`adding task: ${task.error}`);
  return task;
};

export class FlowStudyStore {
  status = $state<'idle' | 'running' | 'done' | 'stopped' | 'failed'>('idle');
  progress = $state.raw<FlowProgress | undefined>();
  lines = $state.raw<FlowLine[]>([]);
  own = $state.raw<OwnCell>({ kind: 'measured' });
  judgement = $state.raw<FlowJudgement | undefined>();
  /** Why the study failed (the worker's message). */
  message = $state('');

  #worker: Worker | undefined;
  /** The cells sent to the worker, in its order. */
  #sent: FlowCellId[] = [];
  #stopping = false;

  constructor(private readonly editor: EditorState) {}

  get running(): boolean {
    return this.status === 'running';
  }

  /** Measures every cell before training at once, then starts the worker on the "after" curves. */
  measure(): void {
    if (this.running) return;
    const task = adding();
    const sizes = { input: task.inputSize, hidden: STUDY.hidden };
    const examples = EXAMPLES.map((e) => {
      const compiled = compileJson(e.json, sizes);
      if (!compiled.ok) throw new Error(`the ${e.id} example does not compile`);
      return { ...e, compiled: compiled.value };
    });
    const cell = $state.snapshot(this.editor.cell);
    const own = compileJson(cell, sizes);
    const twin = own.ok ? examples.find((e) => cellHash(e.compiled.program) === cellHash(own.value.program)) : undefined;
    this.own = !own.ok ? { kind: 'not-compiled' } : own.value.program.states.length === 0 ? { kind: 'no-state' } : twin ? { kind: 'twin', of: twin.id } : { kind: 'measured' };

    const cells: (FlowStudyCell & { id: FlowCellId })[] = examples.map((e) => ({ id: e.id, name: e.id, cell: e.json, role: e.role }));
    const lines: FlowLine[] = examples.map((e) => ({ id: e.id, before: hiddenStateFlow(e.compiled, task, STUDY.length, STUDY.seed) }));
    if (own.ok && this.own.kind === 'measured') {
      cells.push({ id: 'own', name: 'own', cell, role: 'own' });
      lines.push({ id: 'own', before: hiddenStateFlow(own.value, task, STUDY.length, STUDY.seed) });
    }
    this.lines = lines;
    this.judgement = undefined;
    this.message = '';
    this.#sent = cells.map((c) => c.id);
    this.#stopping = false;
    this.status = 'running';
    this.progress = { cell: cells[0].id, index: 1, cells: cells.length, step: 0, steps: STUDY.steps };
    const request: FlowStudyRequest = {
      cells: cells.map(({ name, cell: json, role }) => ({ name, cell: json, role })),
      length: STUDY.length, hidden: STUDY.hidden, steps: STUDY.steps, seed: STUDY.seed,
      backend: 'auto',
    };
    this.#worker ??= new Worker(new URL('../train/worker.ts', import.meta.url), { type: 'module' });
    this.#worker.onmessage = (e: MessageEvent<FlowStudyEvent>) => this.#receive(e.data);
    this.#worker.onerror = (e) => this.#fail(e.message);
    this.#post({ type: 'flow-study', request });
  }

  stop(): void {
    if (!this.running) return;
    this.#stopping = true;
    this.#post({ type: 'stop' });
  }

  destroy(): void {
    this.#worker?.terminate();
    this.#worker = undefined;
  }

  #post(m: WorkerMessage): void {
    this.#worker?.postMessage(m);
  }

  #receive(e: FlowStudyEvent): void {
    switch (e.kind) {
      case 'flow-progress':
        this.progress = { cell: this.#sent[e.cell] ?? 'own', index: e.cell + 1, cells: e.cells, step: e.step, steps: e.steps };
        return;
      case 'flow-done':
        if (this.#stopping) this.status = 'stopped';
        else this.#finish(e.result);
        this.progress = undefined;
        return;
      case 'flow-failed':
        this.#fail(e.message);
    }
  }

  #finish(result: FlowStudyResult): void {
    // The study names each curve by the id it was sent with.
    const byId = new Map(result.curves.map((c) => [c.name, c]));
    this.lines = this.lines.map((line) => {
      const curve = byId.get(line.id);
      return curve ? { ...line, after: curve.after, validationLoss: curve.validationLoss } : line;
    });
    const v = result.verdict;
    this.judgement = v && { elman: v.elman, gated: v.gated, factor: v.factor, holds: v.holds, gatedCell: v.gatedName as FlowCellId };
    this.status = 'done';
  }

  #fail(message: string): void {
    this.status = 'failed';
    this.message = message;
    this.progress = undefined;
  }
}

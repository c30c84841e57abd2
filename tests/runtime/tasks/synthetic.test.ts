import { describe, expect, it } from 'vitest';
import { renderDiagnostic } from '../../../src/model/diagnostics';
import { renderTaskProblem } from '../../../src/model/messages';
import { softmaxCrossEntropy } from '../../../src/runtime/loss';
import { createRng } from '../../../src/runtime/rng';
import { ADDING_MIN_LENGTH, createAddingTask } from '../../../src/runtime/tasks/adding';
import {
  COPY_BLANK,
  COPY_DELIMITER,
  COPY_MAX_DELAY,
  copyDelimiterStep,
  copyLength,
  createCopyTask,
} from '../../../src/runtime/tasks/copy';
import {
  isTaskError,
  MAX_BATCH,
  MAX_LENGTH,
  taskDiagnostic,
  VALIDATION_BATCH_COUNT,
  type TaskError,
} from '../../../src/runtime/tasks/errors';
import { createOrderTask, ORDER_MIN_LENGTH, orderPositions } from '../../../src/runtime/tasks/order';
import { createSineTask, sinePersistenceMse } from '../../../src/runtime/tasks/sine';
import type { Batch, Target, Task } from '../../../src/runtime/tasks/types';

function ok(task: Task | TaskError): Task {
  if (isTaskError(task)) throw new Error(`unexpected TaskError: ${task.error}`);
  return task;
}

function values(target: Target | null): Float64Array {
  if (target?.kind !== 'values') throw new Error('expected a values target');
  return target.values;
}

function labels(target: Target | null): Int32Array {
  if (target?.kind !== 'classes') throw new Error('expected a classes target');
  return target.labels;
}

/** The hot index of sequence b's one-hot input at step t; fails unless exactly one 1 and the rest 0. */
function hot(batch: Batch, t: number, b: number, width: number): number {
  const row = batch.xs[t].subarray(b * width, (b + 1) * width);
  let index = -1;
  for (let k = 0; k < width; k++) {
    if (row[k] === 0) continue;
    if (row[k] !== 1 || index !== -1) throw new Error(`step ${t}, sequence ${b} is not one-hot: ${Array.from(row).join(' ')}`);
    index = k;
  }
  if (index === -1) throw new Error(`step ${t}, sequence ${b} is all zeros`);
  return index;
}

const tasks = () => ({
  adding: { task: ok(createAddingTask()), length: 30 },
  copy: { task: ok(createCopyTask({ delay: 15 })), length: 35 },
  order: { task: ok(createOrderTask()), length: 40 },
  sine: { task: ok(createSineTask()), length: 25 },
});

describe('every synthetic task', () => {
  const all = Object.entries(tasks());

  it.each(all)('%s has consistent info and batch shapes', (name, { task, length }) => {
    expect(task.name).toBe(name);
    expect(task.description.length).toBeGreaterThan(200);
    expect(Number.isFinite(task.baseline.loss) && task.baseline.loss > 0).toBe(true);
    expect(task.baseline.explanation.length).toBeGreaterThan(50);
    const batch = 5;
    const data = task.trainBatch(createRng(1), batch, length);
    expect(data.xs).toHaveLength(length);
    expect(data.targets).toHaveLength(length);
    for (const x of data.xs) expect(x).toHaveLength(batch * task.inputSize);
    data.targets.forEach((target, t) => {
      const scored = task.shape === 'many-to-many' || t === length - 1;
      if (!scored) {
        expect(target).toBeNull();
        return;
      }
      if (task.loss === 'mse') {
        expect(values(target)).toHaveLength(batch * task.outputSize);
      } else {
        const l = labels(target);
        expect(l).toHaveLength(batch);
        for (const c of l) expect(c >= 0 && c < task.outputSize).toBe(true);
      }
    });
  });

  it.each(all)('%s: the same seed gives identical batches, another seed different ones', (_, { task, length }) => {
    const a = task.trainBatch(createRng(7), 4, length);
    const b = task.trainBatch(createRng(7), 4, length);
    const c = task.trainBatch(createRng(8), 4, length);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it.each(all)('%s: validation batches are fixed, cached and equal across instances', (name, { task, length }) => {
    const first = task.validationBatches(3, length);
    expect(first).toHaveLength(VALIDATION_BATCH_COUNT);
    expect(task.validationBatches(3, length)).toBe(first);
    const again = tasks()[name as keyof ReturnType<typeof tasks>].task.validationBatches(3, length);
    expect(again).toEqual(first);
    expect(first[0]).not.toEqual(first[1]);
    expect(first[0]).not.toEqual(task.trainBatch(createRng(1), 3, length));
  });

  it.each(all)('%s refuses bad batch sizes and lengths', (_, { task, length }) => {
    expect(task.checkShape(2, length)).toBeNull();
    for (const batch of [0, -1, 1.5, NaN, MAX_BATCH + 1]) {
      expect(task.checkShape(batch, length)?.field).toBe('batch');
      expect(() => task.trainBatch(createRng(1), batch, length)).toThrow(/batch must be a whole number from 1 to 4096/);
    }
    for (const bad of [1, 2.5, MAX_LENGTH + 1]) {
      expect(task.checkShape(2, bad)?.field).toBe('length');
      expect(() => task.trainBatch(createRng(1), 2, bad)).toThrow(/length must be/);
      expect(() => task.validationBatches(2, bad)).toThrow(/length must be/);
    }
  });

  it('isTaskError tells errors from tasks', () => {
    expect(isTaskError(createCopyTask({ delay: 0 }))).toBe(true);
    expect(isTaskError(createCopyTask({ delay: 1 }))).toBe(false);
    expect(isTaskError(null)).toBe(false);
    expect(isTaskError('error')).toBe(false);
  });
});

describe('bad options give a TaskError naming the field and the range', () => {
  const cases: [string, () => Task | TaskError, string, RegExp][] = [
    ['copy delay 0', () => createCopyTask({ delay: 0 }), 'delay', /^delay must be a whole number from 1 to 9980, got 0$/],
    ['copy delay 2.5', () => createCopyTask({ delay: 2.5 }), 'delay', /delay must be a whole number from 1 to 9980, got 2\.5/],
    ['copy delay NaN', () => createCopyTask({ delay: NaN }), 'delay', /got NaN/],
    ['copy delay too long', () => createCopyTask({ delay: COPY_MAX_DELAY + 1 }), 'delay', /got 9981/],
    ['copy delay a string', () => createCopyTask({ delay: '10' as unknown as number }), 'delay', /got "10"/],
    ['copy delay null', () => createCopyTask({ delay: null as unknown as number }), 'delay', /got null/],
    ['copy unknown field', () => createCopyTask({ dealy: 5 } as never), 'dealy', /dealy is not an option of the copy task: its options are delay/],
    ['sine noise −0.1', () => createSineTask({ noise: -0.1 }), 'noise', /^noise must be a number from 0 to 1, got -0\.1$/],
    ['sine noise 2', () => createSineTask({ noise: 2 }), 'noise', /from 0 to 1, got 2/],
    ['sine noise Infinity', () => createSineTask({ noise: Infinity }), 'noise', /got Infinity/],
    ['sine noise a string', () => createSineTask({ noise: 'low' as unknown as number }), 'noise', /got "low"/],
    ['sine unknown field', () => createSineTask({ components: 4 } as never), 'components', /its options are noise/],
    ['adding unknown field', () => createAddingTask({ length: 10 } as never), 'length', /length is not an option of the adding task: it takes none/],
    ['order unknown field', () => createOrderTask({ t1: 3 } as never), 't1', /t1 is not an option of the order task/],
    ['options null', () => createOrderTask(null as never), 'options', /options must be an object, got null/],
    ['options an array', () => createAddingTask([] as never), 'options', /got an array/],
    ['options a number', () => createSineTask(3 as never), 'options', /got 3/],
  ];

  it.each(cases)('%s', (_, make, field, message) => {
    const result = make();
    expect(isTaskError(result)).toBe(true);
    const error = result as TaskError;
    expect(error.field).toBe(field);
    expect(error.error).toMatch(message);
    expect(error.error).toContain(field);
    expect(renderTaskProblem(error.problem, 'en')).toBe(error.error);
    expect(renderTaskProblem(error.problem, 'es')).not.toBe(error.error);
  });

  it('defaults apply for missing and undefined options', () => {
    expect(ok(createCopyTask()).lengths).toEqual({ min: 120, max: 120 });
    expect(ok(createCopyTask({ delay: undefined })).lengths).toEqual({ min: 120, max: 120 });
    expect(ok(createSineTask({})).baseline.loss).toBeCloseTo(sinePersistenceMse(0.05), 12);
  });

  it('a bad length names the range (adding) or the exact length (copy)', () => {
    expect(ok(createAddingTask()).checkShape(4, 1)).toMatchObject({
      field: 'length',
      error: 'length must be a whole number from 2 to 10000, got 1',
    });
    expect(ok(createOrderTask()).checkShape(4, 19)?.error).toBe('length must be a whole number from 20 to 10000, got 19');
    const copy = ok(createCopyTask({ delay: 100 })).checkShape(4, 50);
    expect(copy).toMatchObject({ field: 'length', error: 'length must be 120 (delay 100 + 20), got 50' });
    expect(copy && renderTaskProblem(copy.problem, 'es')).toBe('length debe ser 120 (delay 100 + 20); recibido: 50');
  });

  it('a bad option is a bad-task diagnostic, at the field, that reads in Spanish', () => {
    const d = taskDiagnostic(createCopyTask({ delay: 0 }) as TaskError);
    expect(d).toMatchObject({ code: 'bad-task', severity: 'error', path: 'delay', message: 'delay: delay must be a whole number from 1 to 9980, got 0.' });
    expect(renderDiagnostic(d, 'es')).toBe('delay: delay debe ser un número entero de 1 a 9980; recibido: 0.');
  });
});

describe('adding', () => {
  const task = ok(createAddingTask());

  it.each([ADDING_MIN_LENGTH, 3, 11, 50])('length %i: two markers, one per half, target = their sum', (length) => {
    const batch = 64;
    const data = task.trainBatch(createRng(length), batch, length);
    const sums = values(data.targets[length - 1]);
    const half = Math.floor(length / 2);
    for (let b = 0; b < batch; b++) {
      const marked: number[] = [];
      for (let t = 0; t < length; t++) {
        const value = data.xs[t][b * 2];
        const marker = data.xs[t][b * 2 + 1];
        expect(value >= 0 && value < 1).toBe(true);
        expect(marker === 0 || marker === 1).toBe(true);
        if (marker === 1) marked.push(t);
      }
      expect(marked).toHaveLength(2);
      expect(marked[0]).toBeLessThan(half);
      expect(marked[1]).toBeGreaterThanOrEqual(half);
      expect(sums[b]).toBe(data.xs[marked[0]][b * 2] + data.xs[marked[1]][b * 2]);
    }
  });

  it('places the markers at every step of each half', () => {
    const length = 10;
    const data = task.trainBatch(createRng(3), 500, length);
    const seen = new Set<number>();
    for (let t = 0; t < length; t++) for (let b = 0; b < 500; b++) if (data.xs[t][b * 2 + 1] === 1) seen.add(t);
    expect(seen.size).toBe(length);
  });

  it('predicting 1 scores about 1/6, the baseline', () => {
    expect(task.baseline.loss).toBeCloseTo(1 / 6, 12);
    const rng = createRng(11);
    let total = 0;
    let count = 0;
    for (let i = 0; i < 5; i++) {
      const sums = values(task.trainBatch(rng, 4000, 20).targets[19]);
      for (const s of sums) total += (s - 1) ** 2;
      count += sums.length;
    }
    expect(Math.abs(total / count - 1 / 6)).toBeLessThan(0.01);
  });
});

describe('copy', () => {
  const delay = 12;
  const task = ok(createCopyTask({ delay }));
  const length = copyLength(delay);

  it('has the layout of Arjovsky et al. (2016), the delimiter at step delay + 9', () => {
    expect(length).toBe(32);
    expect(copyDelimiterStep(delay)).toBe(21);
    expect(task.inputSize).toBe(10);
    expect(task.outputSize).toBe(9);
    const batch = 50;
    const data = task.trainBatch(createRng(5), batch, length);
    for (let b = 0; b < batch; b++) {
      const symbols = data.xs.map((_, t) => hot(data, t, b, 10));
      const first = symbols.slice(0, 10);
      for (const s of first) expect(s >= 1 && s <= 8).toBe(true);
      expect(symbols.slice(10, delay + 9)).toEqual(new Array(delay - 1).fill(COPY_BLANK));
      expect(symbols[delay + 9]).toBe(COPY_DELIMITER);
      expect(symbols.slice(delay + 10)).toEqual(new Array(10).fill(COPY_BLANK));
      const targets = data.targets.map((target) => labels(target)[b]);
      expect(targets.slice(0, delay + 10)).toEqual(new Array(delay + 10).fill(COPY_BLANK));
      expect(targets.slice(delay + 10)).toEqual(first);
    }
  });

  it('works with the shortest delay (no blanks before the delimiter)', () => {
    const short = ok(createCopyTask({ delay: 1 }));
    const data = short.trainBatch(createRng(2), 3, 21);
    for (let b = 0; b < 3; b++) {
      expect(hot(data, 10, b, 10)).toBe(COPY_DELIMITER);
      for (let i = 0; i < 10; i++) expect(labels(data.targets[11 + i])[b]).toBe(hot(data, i, b, 10));
    }
  });

  it('throws when the length is not delay + 20', () => {
    expect(() => task.trainBatch(createRng(1), 2, length + 1)).toThrow('copy task: length must be 32 (delay 12 + 20), got 33');
    expect(task.lengths).toEqual({ min: length, max: length });
  });

  it('has baseline 10·ln 8 / (T + 20), the loss of blanks then a uniform guess', () => {
    for (const T of [1, 100, 500]) {
      expect(ok(createCopyTask({ delay: T })).baseline.loss).toBeCloseTo((10 * Math.log(8)) / (T + 20), 12);
    }
    const batch = 20;
    const data = task.trainBatch(createRng(9), batch, length);
    const blank = [0, ...new Array(8).fill(-1e9)];
    const uniform = [-1e9, ...new Array(8).fill(0)];
    let total = 0;
    data.targets.forEach((target, t) => {
      const logits = Float64Array.from(Array.from({ length: batch }, () => (t < delay + 10 ? blank : uniform)).flat());
      total += softmaxCrossEntropy(logits, labels(target), 9).loss;
    });
    expect(total / length).toBeCloseTo(task.baseline.loss, 9);
  });
});

describe('order', () => {
  const task = ok(createOrderTask());

  it.each([ORDER_MIN_LENGTH, 25, 100, 111])('length %i: B first, E last, X/Y at t1 and t2 give the class', (length) => {
    const batch = 200;
    const data = task.trainBatch(createRng(length), batch, length);
    const { t1: [lo1, hi1], t2: [lo2, hi2] } = orderPositions(length);
    expect(lo1).toBe(Math.round(0.1 * length));
    expect(hi2).toBe(Math.round(0.6 * length));
    expect(hi1).toBeLessThan(lo2);
    const classes = labels(data.targets[length - 1]);
    const seen = new Set<number>();
    for (let b = 0; b < batch; b++) {
      const symbols = data.xs.map((_, t) => hot(data, t, b, 8));
      expect(symbols[0]).toBe(6); // B
      expect(symbols[length - 1]).toBe(7); // E
      const middle = symbols.slice(1, length - 1);
      expect(middle.filter((s) => s >= 6)).toHaveLength(0);
      const relevant = symbols.flatMap((s, t) => (s === 4 || s === 5 ? [t] : []));
      expect(relevant).toHaveLength(2);
      const [t1, t2] = relevant;
      expect(t1 >= lo1 && t1 <= hi1).toBe(true);
      expect(t2 >= lo2 && t2 <= hi2).toBe(true);
      const expected = 2 * (symbols[t1] === 5 ? 1 : 0) + (symbols[t2] === 5 ? 1 : 0); // XX XY YX YY
      expect(classes[b]).toBe(expected);
      seen.add(classes[b]);
    }
    expect(seen.size).toBe(4);
  });

  it('has baseline ln 4', () => {
    expect(task.baseline.loss).toBeCloseTo(Math.log(4), 12);
    expect(task.outputSize).toBe(4);
    expect(task.inputSize).toBe(8);
  });
});

describe('sine', () => {
  it('targets are the next inputs', () => {
    const task = ok(createSineTask());
    const length = 30;
    const data = task.trainBatch(createRng(4), 6, length);
    for (let t = 0; t < length - 1; t++) expect(values(data.targets[t])).toEqual(data.xs[t + 1]);
  });

  it('without noise stays within ±1; noise only adds to the same signal', () => {
    const clean = ok(createSineTask({ noise: 0 }));
    const noisy = ok(createSineTask({ noise: 0.05 }));
    const a = clean.trainBatch(createRng(4), 50, 100);
    const b = noisy.trainBatch(createRng(4), 50, 100);
    let squared = 0;
    let n = 0;
    a.xs.forEach((x, t) => {
      for (let i = 0; i < x.length; i++) {
        expect(Math.abs(x[i])).toBeLessThanOrEqual(1);
        squared += (b.xs[t][i] - x[i]) ** 2;
        n++;
      }
    });
    expect(Math.sqrt(squared / n)).toBeCloseTo(0.05, 2);
  });

  it.each([0, 0.05, 0.2])('noise %f: the persistence forecast scores about the analytic baseline', (noise) => {
    const task = ok(createSineTask({ noise }));
    expect(task.baseline.loss).toBeCloseTo(sinePersistenceMse(noise), 12);
    const rng = createRng(21);
    let total = 0;
    let count = 0;
    for (let i = 0; i < 4; i++) {
      const data = task.trainBatch(rng, 1000, 50);
      data.xs.forEach((x, t) => {
        const y = values(data.targets[t]);
        for (let b = 0; b < x.length; b++) total += (y[b] - x[b]) ** 2;
        count += x.length;
      });
    }
    expect(Math.abs(total / count / task.baseline.loss - 1)).toBeLessThan(0.05);
  });
});

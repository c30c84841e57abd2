/** The task registry: one name per task, options checked by each task's factory. */
import { createAddingTask } from './adding';
import { createCharLmTask, createDinosaurTask, createSpanishTask } from './charlm';
import { createCopyTask } from './copy';
import { isTaskError, taskError } from './errors';
import { createOrderTask } from './order';
import { createSineTask } from './sine';
import { createSpellNumberTask } from './spell-number';
import type { Task, TaskError } from './types';

export const TASK_NAMES = ['charlm', 'adding', 'copy', 'order', 'sine', 'spell-number', 'dinosaurs'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

export interface TaskOptions {
  /** charlm: the text to model; without it, the built-in Spanish corpus. */
  readonly text?: string;
  /** copy: steps between the data and the delimiter (T). */
  readonly delay?: number;
  /** sine: standard deviation of the noise. */
  readonly noise?: number;
  /** spell-number: the largest number spelled. */
  readonly upTo?: number;
}

export function createTask(name: string, options: TaskOptions = {}): Task | TaskError {
  switch (name) {
    case 'charlm':
      return options.text === undefined ? createSpanishTask(1) : createCharLmTask(options.text);
    case 'adding':
      return createAddingTask();
    case 'copy':
      return createCopyTask(options.delay === undefined ? {} : { delay: options.delay });
    case 'order':
      return createOrderTask();
    case 'sine':
      return createSineTask(options.noise === undefined ? {} : { noise: options.noise });
    case 'spell-number':
      return createSpellNumberTask(options.upTo === undefined ? {} : { upTo: options.upTo });
    case 'dinosaurs':
      return createDinosaurTask();
    default:
      return taskError('task', { problem: 'unknown-task', name: JSON.stringify(name.slice(0, 40)), tasks: TASK_NAMES });
  }
}

export { isTaskError };
export type { Task, TaskError };

/** What the gpu parity suites compile and train on: an example cell at given sizes, a task by name. */
import { readFileSync } from 'node:fs';
import { compileJson, type Compiled } from '../../src/compiler';
import { createTask } from '../../src/runtime/tasks';
import type { Task } from '../../src/runtime/tasks/types';

export function example(name: string, input: number, hidden: number): Compiled {
  const r = compileJson(JSON.parse(readFileSync(`examples/${name}.json`, 'utf8')), { input, hidden });
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.value;
}

export function task(name: string): Task {
  const t = createTask(name, {});
  if ('error' in t) throw new Error(t.error);
  return t;
}

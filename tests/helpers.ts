/** Shared test helpers: load examples, convert between flat arrays and nested lists. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile, type Compiled } from '../src/compiler';
import type { Cell } from '../src/model/cell';
import { loadCell } from '../src/model/load';
import type { SizeOverrides } from '../src/compiler/ir';

export const EXAMPLES = ['rnn', 'lstm', 'gru', 'gru-reset-after'] as const;

export function examplePath(name: string): string {
  return fileURLToPath(new URL(`../examples/${name}.json`, import.meta.url));
}

export function exampleJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(examplePath(name), 'utf8')) as Record<string, unknown>;
}

export function loadExample(name: string): Cell {
  const loaded = loadCell(exampleJson(name));
  if (!loaded.ok) throw new Error(`example ${name} does not load: ${JSON.stringify(loaded.diagnostics)}`);
  return loaded.value;
}

export function compileExample(name: string, sizes: SizeOverrides = {}): Compiled {
  const compiled = compile(loadExample(name), sizes);
  if (!compiled.ok) throw new Error(`example ${name} does not compile: ${JSON.stringify(compiled.diagnostics)}`);
  return compiled.value;
}

/** [rows][cols] → row-major flat array. */
export const flat = (m: number[][]): Float64Array => Float64Array.from(m.flat());

/** Row-major flat array → [rows][cols]. */
export function nested(a: Float64Array, cols: number): number[][] {
  return Array.from({ length: a.length / cols }, (_, r) => Array.from(a.subarray(r * cols, (r + 1) * cols)));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expectSameLength(a, b);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function expectSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
}

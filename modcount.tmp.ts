import { readFileSync } from 'node:fs';
import { compileJson } from './src/compiler';
import { generateTraining } from './src/compiler/codegen';
import { createStepRunner, webasmCompileCost } from './src/gpu/runner';
import { packParameters, stepInputs, hyperparameters, initialRows } from './src/gpu/trainer';
import { initModel } from './src/runtime/model';
import { DEFAULT_CONFIG } from './src/runtime/train';
import { randomBatch } from './tests/gpu/chunk-parity';
let count = 0;
const Orig = WebAssembly.Module;
(WebAssembly as any).Module = class extends Orig { constructor(b: any) { super(b); count++; } };
for (const T of [16, 64, 256]) {
  const r = compileJson(JSON.parse(readFileSync('examples/lstm.json', 'utf8')), { input: 10, hidden: 8 });
  if (!r.ok) throw 0;
  const c = r.value;
  const k = generateTraining(c.program, { batch: 3, steps: T, loss: 'classes', outputs: 5, optimizer: 'adam', learnInitialStates: true, chunk: 16 });
  const runner = createStepRunner(k, { mode: 'webasm', threads: false });
  const params = initModel(c, 5, 1);
  count = 0;
  const t0 = performance.now();
  await runner.run(stepInputs(k, randomBatch(1, T, 3, 10, 5), 0, T, packParameters(k, c, params), hyperparameters(DEFAULT_CONFIG, 0.01, 1), initialRows(c, params, 3)));
  console.log(T, 'modules', count, 'old cost', JSON.stringify(webasmCompileCost(k)), 'kernels', k.prologue.length, k.forward.length, k.backward.length, k.readout.length, k.epilogue.length, (performance.now() - t0).toFixed(0), 'ms');
  await runner.destroy();
}

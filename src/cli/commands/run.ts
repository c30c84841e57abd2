/** `celda run <cell>`: forward through time on given inputs, and BPTT when given ∂L/∂y. */
import type { IrProgram } from '../../compiler/ir';
import type { Parameters } from '../../runtime/init';
import { JSON_NUMBER_BYTES, estimateRun, printedNumbers } from '../../runtime/memory';
import { MAX_PARAMS_FILE_BYTES, paramsFileSizes, paramsFromJson, tensorToJson } from '../../runtime/params-file';
import { backward, forward } from '../../runtime/reference';
import { requiredString, stringOption, type Command, type Context } from '../command';
import { compileCellFile } from '../cell-file';
import { CliError, EXIT, fail, formatDiagnostic, formatVector, inFile, readJsonFile } from '../io';
import { MAX_MEMORY_OPTION, checkMemory, formatBytes, memoryLimit } from '../memory';
import { SEQUENCE_LIMITS, readSequence } from '../sequences';

export const runCommand: Command = {
  name: 'run',
  summary: 'Run a cell on inputs from a file (and backpropagate through time).',
  args: '<cell>',
  minPositionals: 1,
  maxPositionals: 1,
  options: {
    params: { type: 'string', short: 'p', value: 'FILE', help: 'Params file (from "celda init"); its sizes set the cell\'s sizes.' },
    inputs: { type: 'string', short: 'x', value: 'FILE', help: `Inputs x_t as JSON [T][B][input size], T ≤ ${SEQUENCE_LIMITS.steps}, B ≤ ${SEQUENCE_LIMITS.batch}.` },
    'grad-outputs': { type: 'string', short: 'g', value: 'FILE', help: 'Gradients ∂L/∂y_t as JSON [T][B][output size]: also print ∂L/∂parameters and ∂L/∂h_0.' },
    'max-memory': MAX_MEMORY_OPTION,
  },
  details: 'States start from their learned initial value or zeros. With --grad-outputs G the loss is\n'
    + 'L = Σ_t Σ_b ⟨G[t][b], y_t[b]⟩, so the gradients are exactly the backward pass for upstream G.\n'
    + 'The memory the run needs (activations of every step, the printed result) is estimated first; over --max-memory it is refused.\n'
    + 'With --json: {"ok", "sizes", "steps", "batch", "outputs": [T][B][out], "finalStates": {stateId: [B][size]},\n'
    + '  "gradients": {"params": (the params file layout), "initialStates": {stateId: [B][size]}}}.',
  run(args, ctx) {
    const paramsFile = requiredString(args, runCommand, 'params');
    const inputsFile = requiredString(args, runCommand, 'inputs');
    const gradFile = stringOption(args, 'grad-outputs');
    const limit = memoryLimit(args);
    const [file] = args.positionals;

    const paramsJson = readJsonFile(paramsFile, 'params file', MAX_PARAMS_FILE_BYTES);
    const header = paramsFileSizes(paramsJson);
    if (!header.ok) throw new CliError(inFile(paramsFile, header.diagnostics));
    const { compiled, warnings } = compileCellFile(file, { input: header.value.input, hidden: header.value.hidden });
    for (const d of warnings) ctx.note(formatDiagnostic(d));
    const p = compiled.program;
    const params = paramsFromJson(p, paramsJson);
    if (!params.ok) throw new CliError(inFile(paramsFile, params.diagnostics));

    const inputSize = p.input === null ? 0 : p.values[p.input].size;
    const outputSize = p.values[p.output].size;
    const inputsJson = readJsonFile(inputsFile, 'inputs file');
    checkRunSize(p, sequenceShape(inputsJson), gradFile !== undefined, ctx.json, limit);
    const xs = readSequence(inputsJson, inputsFile, {
      label: 'inputs',
      size: inputSize,
      sizeSource: p.input === null ? 'this cell reads no input, so the row size' : `the input size (sizes.input in ${paramsFile})`,
    });
    const gs = gradFile === undefined ? undefined : readSequence(readJsonFile(gradFile, 'output-gradients file'), gradFile, {
      label: 'output gradients', size: outputSize, sizeSource: 'the output size', steps: xs.steps, batch: xs.batch,
    });

    const run = forward(p, params.value, xs.data, xs.batch);
    const grads = gs && backward(compiled.backward, params.value, run.tape, gs.data);
    const rows = (data: Float64Array, size: number) => tensorToJson([xs.batch, size], data) as number[][];
    const byState = (values: readonly Float64Array[]) => Object.fromEntries(p.states.map((s, i) => [s.nodeId, rows(values[i], s.size)]));
    const result = {
      ok: true,
      sizes: p.sizes,
      steps: xs.steps,
      batch: xs.batch,
      outputs: run.outputs.map((y) => rows(y, outputSize)),
      finalStates: byState(run.finalStates),
      ...(grads && { gradients: { params: paramsLayout(p, grads.params), initialStates: byState(grads.initialStates) } }),
    };
    ctx.printJson(result);
    if (!ctx.json) printHuman(ctx, p, xs.batch, run.outputs, run.finalStates, grads);
    return EXIT.ok;
  },
};

/** The largest JSON text printed at once: a JavaScript string holds at most about 512 M characters. */
const MAX_PRINTED_JSON_BYTES = 256 * 1024 * 1024;

/** T and B of an inputs file as parsed JSON, read before its numbers are copied (readSequence checks it in full). */
function sequenceShape(json: unknown): { steps: number; batch: number } {
  const steps = Array.isArray(json) ? json.length : 0;
  const first: unknown = Array.isArray(json) ? json[0] : undefined;
  return { steps, batch: Array.isArray(first) ? first.length : 0 };
}

/**
 * Refuses, before the run allocates its activations, one over the memory limit, or whose
 * --json result would be longer than one string can hold.
 */
function checkRunSize(p: IrProgram, shape: { steps: number; batch: number }, gradients: boolean, json: boolean, limit: number): void {
  const levers = { steps: 'the steps in --inputs', batch: 'the rows per step in --inputs', hidden: 'the sizes in --params' };
  checkMemory('This run', estimateRun(p, { ...shape, gradients }), limit, levers);
  const text = printedNumbers(p, { ...shape, gradients }) * JSON_NUMBER_BYTES;
  if (json && text > MAX_PRINTED_JSON_BYTES) {
    throw fail('output-too-large', `The --json result would be up to ${formatBytes(text)} of text (${shape.steps} steps × batch ${shape.batch} of outputs${gradients ? ', and the gradients' : ''}); `
      + `celda run prints at most ${formatBytes(MAX_PRINTED_JSON_BYTES)} at once. Run fewer steps or a smaller batch, or leave out --json.`);
  }
}

/** Gradients in the params file's layout: node id → tensor name → rows or list. */
function paramsLayout(p: IrProgram, params: Parameters) {
  const nodes = [...new Set(p.tensors.map((t) => t.nodeId))];
  return Object.fromEntries(nodes.map((id) => [id, Object.fromEntries(
    p.tensors.filter((t) => t.nodeId === id).map((t) => [t.name, tensorToJson(t.shape, params[id][t.name])]),
  )]));
}

function printHuman(
  ctx: Context, p: IrProgram, batch: number, outputs: readonly Float64Array[], finalStates: readonly Float64Array[],
  grads: { params: Parameters; initialStates: Float64Array[] } | undefined,
): void {
  const outputSize = p.values[p.output].size;
  const rowsOf = (data: Float64Array, size: number, indent: string, name: (b: number) => string) => {
    for (let b = 0; b < batch; b++) ctx.print(`${indent}${name(b)} ${formatVector(data.subarray(b * size, (b + 1) * size))}`);
  };
  ctx.print(`outputs y_t: ${outputs.length} steps × batch ${batch} × ${outputSize}`);
  outputs.forEach((y, t) => rowsOf(y, outputSize, '  ', (b) => `t=${t} b=${b}`));
  ctx.print('final states h_T:');
  p.states.forEach((s, i) => rowsOf(finalStates[i], s.size, '  ', (b) => `${s.nodeId} b=${b}`));
  if (!grads) return;
  ctx.print('gradients of L = Σ_t ⟨G_t, y_t⟩:');
  for (const t of p.tensors) {
    const data = grads.params[t.nodeId][t.name];
    if (t.shape.length === 1) ctx.print(`  ${t.nodeId}.${t.name} [${t.shape[0]}] ${formatVector(data)}`);
    else {
      const [rows, cols] = t.shape;
      ctx.print(`  ${t.nodeId}.${t.name} [${rows}×${cols}]`);
      for (let r = 0; r < rows; r++) ctx.print(`    ${formatVector(data.subarray(r * cols, (r + 1) * cols))}`);
    }
  }
  p.states.forEach((s, i) => rowsOf(grads.initialStates[i], s.size, '  ', (b) => `${s.nodeId} h_0 b=${b}`));
}

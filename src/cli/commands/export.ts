/** `celda export <cell> --to pytorch|tfjs`: the cell as code for the engines people scale with, with its weights. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Compiled } from '../../compiler';
import type { Notation } from '../../compiler/equations';
import { NOTATIONS } from '../../compiler/equations';
import { exportPytorch } from '../../export/pytorch';
import { exportTfjs } from '../../export/tfjs';
import { checkpointFromJson } from '../../runtime/checkpoint';
import { initParameters } from '../../runtime/init';
import type { ModelParameters } from '../../runtime/model';
import { paramsFileSizes, paramsFromJson } from '../../runtime/params-file';
import { SEED_MAX, SIZE_OPTIONS, choiceOption, integerOption, requiredString, sizeOptions, stringOption, type Args, type Command } from '../command';
import { compileCellFile } from '../cell-file';
import { CliError, EXIT, UsageError, describeFsError, fail, formatDiagnostic, inFile, readJsonFile, refuseOverwritingInput } from '../io';
import { writeFileAtomic } from '../training';

const TARGETS = ['pytorch', 'tfjs'] as const;

type Weights = Pick<ModelParameters, 'cell'> & Partial<Pick<ModelParameters, 'readout'>>;

export const exportCommand: Command = {
  name: 'export',
  summary: 'Write the cell as a PyTorch module or a TF.js RNNCell, with its weights.',
  args: '<cell>',
  minPositionals: 1,
  maxPositionals: 1,
  options: {
    to: { type: 'string', value: 'TARGET', help: 'pytorch (an nn.Module, plus nn.LSTM/nn.GRU when the cell is one) or tfjs (a tf.layers.RNNCell).' },
    out: { type: 'string', short: 'o', value: 'DIR', help: 'Folder to write into (created if needed).' },
    ckpt: { type: 'string', short: 'c', value: 'FILE', help: 'Trained weights from "celda train --out" (readout included; sizes from the checkpoint).' },
    params: { type: 'string', short: 'p', value: 'FILE', help: 'Weights from a params file ("celda init"; sizes from the file).' },
    ...SIZE_OPTIONS,
    seed: { type: 'string', value: 'S', help: `Without --ckpt or --params: seed of the initial weights, 0 to ${SEED_MAX} (default 1).` },
    notation: { type: 'string', value: 'NAME', help: `Notation of the equations in the header comment: ${NOTATIONS.join(', ')} (default pytorch).` },
  },
  details: [
    'pytorch writes celda_cell.py (CeldaCell: one step, TorchScript-compatible; CeldaSequence; load_weights)',
    'and weights.json (plain JSON, no pickle). tfjs writes celda_cell.js (CeldaCell for tf.layers.rnn, CeldaRNN,',
    'loadWeights) and weights.json. Names come from node labels, sanitised; no text from the file reaches code.',
    'With --json: {"ok", "to", "out", "files", "native", "sizes"}.',
  ].join('\n'),
  run(args, ctx) {
    const [file] = args.positionals;
    const to = choiceOption(args, 'to', TARGETS, 'pytorch');
    if (args.values.to === undefined) throw new UsageError('celda export needs --to pytorch or --to tfjs.');
    const out = requiredString(args, exportCommand, 'out');
    const notation = choiceOption<Notation>(args, 'notation', NOTATIONS, 'pytorch');
    const { compiled, weights, source } = weightsFor(file, args, (line) => ctx.note(line));

    const pytorch = to === 'pytorch' ? exportPytorch(compiled, { params: weights, notation }) : undefined;
    const files = pytorch?.files ?? exportTfjs(compiled, { params: weights, notation }).files;
    const inputs = [
      { name: 'the cell file', path: file }, { name: 'the --ckpt checkpoint', path: stringOption(args, 'ckpt') }, { name: 'the --params file', path: stringOption(args, 'params') },
    ];
    for (const f of files) refuseOverwritingInput('--out', join(out, f.path), inputs);
    try {
      mkdirSync(out, { recursive: true });
    } catch (e) {
      throw fail('cannot-write', `Cannot create the folder ${out}: ${describeFsError(e)}.`, { file: out }, EXIT.usage);
    }
    const written = files.map((f) => {
      const path = join(out, f.path);
      writeFileAtomic(path, f.content, f.path);
      return path;
    });
    const native = pytorch?.native?.kind ?? null;
    ctx.printJson({ ok: true, to, out, files: written, native, sizes: compiled.program.sizes, weights: source });
    ctx.print(`wrote ${written.join(', ')} (${to}; weights from ${source})`);
    if (native) ctx.print(`the cell is exactly a${native === 'lstm' ? 'n LSTM' : ' GRU (reset after)'}: CeldaNative${native === 'lstm' ? 'LSTM' : 'GRU'} uses nn.${native.toUpperCase()} (load_native_weights)`);
    return EXIT.ok;
  },
};

/** The compiled cell and the weights to export: a checkpoint's, a params file's, or seeded initial ones. */
function weightsFor(file: string, args: Args, note: (line: string) => void): { compiled: Compiled; weights: Weights; source: string } {
  const ckptFile = stringOption(args, 'ckpt');
  const paramsFile = stringOption(args, 'params');
  if (ckptFile !== undefined && paramsFile !== undefined) throw new UsageError('Give --ckpt or --params, not both.');
  const compileAt = (sizes: { input?: number; hidden?: number }) => {
    const { compiled, warnings } = compileCellFile(file, sizes);
    for (const d of warnings) note(formatDiagnostic(d));
    return compiled;
  };
  if (ckptFile !== undefined) {
    const json = readJsonFile(ckptFile, 'checkpoint');
    const sizes = (json as { sizes?: { input?: unknown; hidden?: unknown } } | null)?.sizes;
    const compiled = compileAt({
      ...(Number.isInteger(sizes?.input) && { input: sizes?.input as number }),
      ...(Number.isInteger(sizes?.hidden) && { hidden: sizes?.hidden as number }),
    });
    const loaded = checkpointFromJson(compiled, json);
    if (!loaded.ok) throw new CliError(inFile(ckptFile, loaded.diagnostics));
    return { compiled, weights: loaded.value.params, source: ckptFile };
  }
  if (paramsFile !== undefined) {
    const json = readJsonFile(paramsFile, 'params file');
    const header = paramsFileSizes(json);
    if (!header.ok) throw new CliError(inFile(paramsFile, header.diagnostics));
    const compiled = compileAt({ input: header.value.input, hidden: header.value.hidden });
    const params = paramsFromJson(compiled.program, json);
    if (!params.ok) throw new CliError(inFile(paramsFile, params.diagnostics));
    return { compiled, weights: { cell: params.value }, source: paramsFile };
  }
  const seed = integerOption(args, 'seed', 0, SEED_MAX, 1);
  const compiled = compileAt(sizeOptions(args));
  return { compiled, weights: { cell: initParameters(compiled.program, seed) }, source: `seed ${seed}` };
}

/** `celda init <cell>`: initial parameters from a seed, written as a params file. */
import { parameterCounts } from '../../compiler';
import { initParameters } from '../../runtime/init';
import { paramsToJson } from '../../runtime/params-file';
import { SEED_MAX, SIZE_OPTIONS, integerOption, sizeOptions, stringOption, type Command } from '../command';
import { compileCellFile } from '../cell-file';
import { EXIT, formatDiagnostic, plural, refuseOverwritingInput, stringifyJson, writeTextFile } from '../io';

export const initCommand: Command = {
  name: 'init',
  summary: 'Initialise a cell\'s parameters from a seed into a params file.',
  args: '<cell>',
  minPositionals: 1,
  maxPositionals: 1,
  options: {
    ...SIZE_OPTIONS,
    seed: { type: 'string', value: 'S', help: `Random seed, 0 to ${SEED_MAX} (default 1).` },
    out: { type: 'string', short: 'o', value: 'FILE', help: 'Where to write the params file (default: print it on stdout).' },
  },
  details: 'The params file format is described at the top of src/runtime/params-file.ts.\n'
    + 'With --json and --out: {"ok", "out", "sizes", "seed", "parameters", "tensors"}; with --json alone: the params file itself.',
  run(args, ctx) {
    const seed = integerOption(args, 'seed', 0, SEED_MAX, 1);
    const out = stringOption(args, 'out');
    const [file] = args.positionals;
    const { compiled, warnings } = compileCellFile(file, sizeOptions(args));
    const p = compiled.program;
    for (const d of warnings) ctx.note(formatDiagnostic(d));
    const text = `${stringifyJson(paramsToJson(p, initParameters(p, seed), seed))}\n`;
    if (out === undefined || out === '-') {
      ctx.io.out(text);
      return EXIT.ok;
    }
    refuseOverwritingInput('--out', out, [{ name: 'the cell file', path: file }]);
    writeTextFile(out, text, 'params file');
    const total = parameterCounts(p).total;
    ctx.printJson({ ok: true, out, sizes: p.sizes, seed, parameters: total, tensors: p.tensors.length });
    const sizes = Object.entries(p.sizes).map(([k, n]) => `${k} ${n}`).join(', ');
    ctx.print(`wrote ${out}: ${plural(total, 'parameter')} in ${plural(p.tensors.length, 'tensor')} (${sizes}; seed ${seed})`);
    return EXIT.ok;
  },
};

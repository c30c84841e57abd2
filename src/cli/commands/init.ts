/** `celda init <cell>`: initial parameters from a seed, written as a params file. */
import { parameterCounts } from '../../compiler';
import type { IrProgram } from '../../compiler/ir';
import { initParameters } from '../../runtime/init';
import { estimateInit, learnedValues } from '../../runtime/memory';
import { MAX_PARAMS_FILE_BYTES, paramsFileBytesBound, paramsToJson } from '../../runtime/params-file';
import { SEED_MAX, SIZE_OPTIONS, integerOption, sizeOptions, stringOption, type Command } from '../command';
import { compileCellFile } from '../cell-file';
import { EXIT, fail, formatDiagnostic, plural, refuseOverwritingInput, stringifyJson } from '../io';
import { MAX_MEMORY_OPTION, checkMemory, formatBytes, memoryLimit } from '../memory';
import { writeFileAtomic } from '../training';

export const initCommand: Command = {
  name: 'init',
  summary: 'Initialise a cell\'s parameters from a seed into a params file.',
  args: '<cell>',
  minPositionals: 1,
  maxPositionals: 1,
  options: {
    ...SIZE_OPTIONS,
    seed: { type: 'string', value: 'S', help: `Random seed, 0 to ${SEED_MAX} (default 1).` },
    out: { type: 'string', short: 'o', value: 'FILE', help: 'Where to write the params file, atomically (default: print it on stdout).' },
    'max-memory': MAX_MEMORY_OPTION,
  },
  details: 'The params file format is described at the top of src/runtime/params-file.ts.\n'
    + `A cell whose params file could be larger than "celda run" reads (${formatBytes(MAX_PARAMS_FILE_BYTES)}) is refused before anything is allocated.\n`
    + 'With --json and --out: {"ok", "out", "sizes", "seed", "parameters", "tensors"}; with --json alone: the params file itself.',
  run(args, ctx) {
    const seed = integerOption(args, 'seed', 0, SEED_MAX, 1);
    const out = stringOption(args, 'out');
    const limit = memoryLimit(args);
    const [file] = args.positionals;
    const { compiled, warnings } = compileCellFile(file, sizeOptions(args));
    const p = compiled.program;
    for (const d of warnings) ctx.note(formatDiagnostic(d));
    checkInitSize(p, limit);
    const text = `${stringifyJson(paramsToJson(p, initParameters(p, seed), seed))}\n`;
    if (out === undefined || out === '-') {
      ctx.io.out(text);
      return EXIT.ok;
    }
    refuseOverwritingInput('--out', out, [{ name: 'the cell file', path: file }]);
    writeFileAtomic(out, text, 'params file');
    const total = parameterCounts(p).total;
    ctx.printJson({ ok: true, out, sizes: p.sizes, seed, parameters: total, tensors: p.tensors.length });
    const sizes = Object.entries(p.sizes).map(([k, n]) => `${k} ${n}`).join(', ');
    ctx.print(`wrote ${out}: ${plural(total, 'parameter')} in ${plural(p.tensors.length, 'tensor')} (${sizes}; seed ${seed})`);
    return EXIT.ok;
  },
};

/** Refuses, before allocating, a params file `celda run` would refuse as too large, or an init over the memory limit. */
function checkInitSize(p: IrProgram, limit: number): void {
  const bytes = paramsFileBytesBound(p);
  const sizes = Object.entries(p.sizes).map(([k, n]) => `${k} ${n}`).join(', ');
  if (bytes > MAX_PARAMS_FILE_BYTES) {
    throw fail('params-file-too-large', `The params file for ${p.name} (${sizes}) would hold ${learnedValues(p, 0).toLocaleString('en-US')} values, up to ${formatBytes(bytes)}; `
      + `"celda run" reads params files of up to ${formatBytes(MAX_PARAMS_FILE_BYTES)}. Lower --hidden (or the cell's sizes).`);
  }
  checkMemory('Initialising', estimateInit(p, bytes), limit, { hidden: '--hidden' });
}

/** `celda sample <cell> --ckpt C --prefix TEXT`: a trained character model's next-character guesses and a sampled continuation. */
import { checkpointFromJson } from '../../runtime/checkpoint';
import { createRng } from '../../runtime/rng';
import { encodeText, nextCharacters, readPrefix, sampleText } from '../../runtime/sample';
import { SEED_MAX, integerOption, requiredString, stringOption, type Command } from '../command';
import { compileCellFile } from '../cell-file';
import { CliError, EXIT, UsageError, fail, formatDiagnostic, inFile, readJsonFile } from '../io';
import { numberOption, visibleChar } from '../training';

export const SAMPLE_LIMITS = { temperature: [0.05, 10], length: 10_000 } as const;
const DEFAULT_TOP = 5;
const DEFAULT_LENGTH = 80;

export const sampleCommand: Command = {
  name: 'sample',
  summary: 'A trained character model\'s next-character guesses and a sampled continuation.',
  args: '<cell>',
  minPositionals: 1,
  maxPositionals: 1,
  options: {
    ckpt: { type: 'string', short: 'c', value: 'FILE', help: 'A checkpoint from "celda train <cell> --task charlm --out FILE" (required).' },
    prefix: { type: 'string', short: 'p', value: 'TEXT', help: 'The text so far, e.g. "Voy al parque con mi " (required, not empty).' },
    top: { type: 'string', value: 'K', help: `How many next-character guesses to list, 1 to the vocabulary size (default ${DEFAULT_TOP}).` },
    length: { type: 'string', short: 'n', value: 'N', help: `Characters to sample after the prefix, 1 to ${SAMPLE_LIMITS.length} (default ${DEFAULT_LENGTH}).` },
    temperature: { type: 'string', value: 'T', help: `Sampling temperature, ${SAMPLE_LIMITS.temperature[0]} to ${SAMPLE_LIMITS.temperature[1]} (default 1); lower is more conservative.` },
    'sample-top': { type: 'string', value: 'K', help: 'Sample only from the K most likely characters at each step (default: the whole distribution).' },
    seed: { type: 'string', value: 'S', help: `Seed of the sampling, 0 to ${SEED_MAX} (default 1).` },
  },
  details: [
    'The cell is compiled at the checkpoint\'s sizes (input: its vocabulary size). The guesses are the',
    'model\'s probabilities (temperature 1) for the character after the prefix; space is shown as ␣,',
    'newline as ⏎, tab as ⇥. The continuation feeds each sampled character back in; --temperature and',
    '--sample-top shape only the sampling.',
    'With --json: {"ok", "prefix", "guesses": [{"char", "probability"}], "continuation", "length",',
    '"temperature", "sampleTop", "seed", "task", "stepsDone"}.',
  ].join('\n'),
  run(args, ctx) {
    const [file] = args.positionals;
    const ckptFile = requiredString(args, sampleCommand, 'ckpt');
    const prefix = stringOption(args, 'prefix');
    if (prefix === undefined) throw new UsageError(`celda sample needs --prefix TEXT, the text to continue. Usage: celda sample <cell> --ckpt FILE --prefix TEXT [options]`);
    if (prefix === '') throw new UsageError('--prefix must not be empty: the model needs at least one character to read.');
    const length = integerOption(args, 'length', 1, SAMPLE_LIMITS.length, DEFAULT_LENGTH);
    const seed = integerOption(args, 'seed', 0, SEED_MAX, 1);
    const t = numberOption(args, 'temperature');
    const temperature = t.value ?? 1;
    const [tMin, tMax] = SAMPLE_LIMITS.temperature;
    if (!(temperature >= tMin && temperature <= tMax)) {
      throw new UsageError(`--temperature must be a number from ${tMin} to ${tMax}, got ${JSON.stringify(String(t.raw).slice(0, 40))}.`);
    }

    // The checkpoint's vocabulary and hidden size decide how the cell is compiled.
    const json = readJsonFile(ckptFile, 'checkpoint');
    const header = json as { format?: unknown; sizes?: { hidden?: unknown }; task?: { name?: unknown; vocabulary?: unknown } } | null;
    if (typeof header !== 'object' || header === null || Array.isArray(header) || header.format !== 'celda-checkpoint') {
      throw fail('not-a-checkpoint', 'This is not a Celda checkpoint (its "format" must be "celda-checkpoint").', { file: ckptFile, path: 'format' });
    }
    const vocabulary = header.task?.vocabulary;
    if (vocabulary === undefined) {
      throw fail('not-a-char-model', `The checkpoint was trained on the ${JSON.stringify(String(header.task?.name ?? '?').slice(0, 40))} task; celda sample needs a character model: "celda train <cell> --task charlm --out FILE".`, { file: ckptFile, path: 'task.vocabulary' });
    }
    if (!isVocabulary(vocabulary)) {
      throw fail('bad-checkpoint', 'The checkpoint\'s task.vocabulary must be a list of distinct single characters.', { file: ckptFile, path: 'task.vocabulary' });
    }
    const hidden = header.sizes?.hidden;
    const { compiled, warnings } = compileCellFile(file, { input: vocabulary.length, ...(Number.isInteger(hidden) && { hidden: hidden as number }) });
    for (const d of warnings) ctx.note(formatDiagnostic(d));
    const loaded = checkpointFromJson(compiled, json);
    if (!loaded.ok) throw new CliError(inFile(ckptFile, loaded.diagnostics));
    const ckpt = loaded.value;
    if (ckpt.task.outputSize !== vocabulary.length) {
      throw fail('bad-checkpoint', `The checkpoint's task.outputSize (${ckpt.task.outputSize}) is not its vocabulary size (${vocabulary.length}).`, { file: ckptFile, path: 'task.outputSize' });
    }

    const V = vocabulary.length;
    const top = integerOption(args, 'top', 1, V, Math.min(DEFAULT_TOP, V));
    const sampleTop = integerOption(args, 'sample-top', 1, V);
    const encoded = encodeText(vocabulary, prefix);
    if ('error' in encoded) {
      const shown = vocabulary.map(visibleChar).join('');
      throw new UsageError(`--prefix: ${encoded.error}${V <= 120 ? ` (it knows: ${shown})` : ''}.`);
    }

    const read = readPrefix(compiled, ckpt.params, vocabulary, encoded.ids);
    const guesses = nextCharacters(compiled, ckpt.params, vocabulary, encoded.ids, top, read);
    const continuation = sampleText(compiled, ckpt.params, vocabulary, encoded.ids, {
      length, temperature, rng: createRng(seed), read, ...(sampleTop !== undefined && { topK: sampleTop }),
    });
    const together = guesses.reduce((s, g) => s + g.probability, 0);

    ctx.printJson({
      ok: true, cell: file, checkpoint: ckptFile, task: ckpt.task.name, stepsDone: ckpt.stepsDone, prefix,
      guesses, continuation, length, temperature, sampleTop: sampleTop ?? null, seed,
    });
    ctx.print(`${compiled.program.name} on ${ckpt.task.name} (${ckptFile}: ${ckpt.stepsDone} steps, ${V} characters)`);
    ctx.print(`after ${JSON.stringify(prefix)}, the next character:`);
    for (const g of guesses) {
      const bar = '█'.repeat(Math.round(g.probability * 30));
      ctx.print(`  ${visibleChar(g.char).padEnd(3)} ${(g.probability * 100).toFixed(1).padStart(5)}%  ${bar}`);
    }
    ctx.print(`  (the top ${guesses.length} together: ${(together * 100).toFixed(1)}%)`);
    const how = [`temperature ${temperature}`, sampleTop === undefined ? 'whole distribution' : `top ${sampleTop}`, `seed ${seed}`].join(', ');
    ctx.print(`the prefix, then ${length} sampled characters (${how}):`);
    // The text's own line breaks are kept; any other control character in it is shown escaped.
    for (const line of `${prefix}${continuation}`.split('\n')) ctx.print(line);
    return EXIT.ok;
  },
};

function isVocabulary(v: unknown): v is string[] {
  if (!Array.isArray(v) || v.length === 0) return false;
  const seen = new Set<string>();
  for (const c of v) {
    if (typeof c !== 'string' || [...c].length !== 1 || seen.has(c)) return false;
    seen.add(c);
  }
  return true;
}

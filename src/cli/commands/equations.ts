/** `celda equations <cell>`: the cell's equations in the user's notation. */
import { NOTATIONS, deriveEquations, formatEquations, type Notation } from '../../compiler/equations';
import { choiceOption, type Command } from '../command';
import { compileCellFile } from '../cell-file';
import { EXIT, formatDiagnostic } from '../io';

const FORMATS = ['text', 'latex'] as const;

export const equationsCommand: Command = {
  name: 'equations',
  summary: 'The cell\'s equations, in a chosen notation, as text or LaTeX.',
  args: '<cell>',
  minPositionals: 1,
  maxPositionals: 1,
  options: {
    notation: { type: 'string', value: 'NAME', help: `Naming convention: ${NOTATIONS.join(', ')} (default ${NOTATIONS[0]}).` },
    format: { type: 'string', value: 'FORMAT', help: 'Output as text (default) or latex.' },
  },
  details: 'With --json: {"ok", "notation", "format", "equations": [{"nodeId", "latex", "text"}], "formatted"}.',
  run(args, ctx) {
    const notation = choiceOption<Notation>(args, 'notation', NOTATIONS, NOTATIONS[0]);
    const format = choiceOption(args, 'format', FORMATS, 'text');
    const [file] = args.positionals;
    const { compiled, warnings } = compileCellFile(file);
    const equations = deriveEquations(compiled.shaped, notation);
    const formatted = formatEquations(equations, format);
    ctx.printJson({ ok: true, notation, format, equations, formatted, diagnostics: warnings });
    for (const d of warnings) ctx.note(formatDiagnostic(d));
    for (const line of formatted.split('\n')) ctx.print(line);
    return EXIT.ok;
  },
};

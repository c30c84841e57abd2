/** `celda gradcheck <cell>`: autodiff through time against finite differences. */
import { parameterCounts } from '../../compiler';
import { GRADCHECK_TOLERANCE, gradcheckCell } from '../../runtime/gradcheck';
import { SEED_MAX, integerOption, sizeOptions, type Command } from '../command';
import { compileCellFile } from '../cell-file';
import { EXIT, fail, formatDiagnostic } from '../io';

/** Gradcheck runs a forward pass per checked entry (O(entries²) work): keep the cell small. */
export const GRADCHECK_LIMITS = { size: 64, steps: 50, batch: 8, entries: 50_000 } as const;

export const gradcheckCommand: Command = {
  name: 'gradcheck',
  summary: 'Compare autodiff gradients with finite differences through time.',
  args: '<cell>',
  minPositionals: 1,
  maxPositionals: 1,
  options: {
    input: { type: 'string', value: 'N', help: `Input size, 1 to ${GRADCHECK_LIMITS.size} (default 3).` },
    hidden: { type: 'string', value: 'N', help: `Hidden size, 1 to ${GRADCHECK_LIMITS.size} (default 4).` },
    steps: { type: 'string', value: 'T', help: `Time steps, 1 to ${GRADCHECK_LIMITS.steps} (default 4).` },
    batch: { type: 'string', value: 'B', help: `Batch size, 1 to ${GRADCHECK_LIMITS.batch} (default 2).` },
    seed: { type: 'string', value: 'S', help: `Random seed, 0 to ${SEED_MAX} (default 1).` },
  },
  details: `Checks every parameter and every initial-state entry; exits 1 when the largest relative error\n`
    + `reaches ${GRADCHECK_TOLERANCE.toExponential(0)}. With --json: {"ok", "maxRelativeError", "tolerance", "worst", "checked", ...}.`,
  run(args, ctx) {
    const { input = 3, hidden = 4 } = sizeOptions(args, GRADCHECK_LIMITS.size);
    const steps = integerOption(args, 'steps', 1, GRADCHECK_LIMITS.steps, 4);
    const batch = integerOption(args, 'batch', 1, GRADCHECK_LIMITS.batch, 2);
    const seed = integerOption(args, 'seed', 0, SEED_MAX, 1);
    const [file] = args.positionals;
    const { compiled, warnings } = compileCellFile(file, { input, hidden });
    for (const d of warnings) ctx.note(formatDiagnostic(d));
    const p = compiled.program;
    const entries = parameterCounts(p).total + batch * p.states.reduce((n, s) => n + s.size, 0);
    if (entries > GRADCHECK_LIMITS.entries) {
      throw fail('gradcheck-too-large', `At these sizes ${file} has ${entries} entries to check; gradcheck allows ${GRADCHECK_LIMITS.entries} (its work grows with the square). Use smaller --input/--hidden/--batch, or smaller named sizes in the cell.`, { file });
    }
    const report = gradcheckCell(compiled.backward, { steps, batch, seed });
    ctx.printJson({
      ok: report.passed,
      file,
      sizes: p.sizes,
      steps,
      batch,
      seed,
      checked: report.checked,
      maxRelativeError: report.maxRelativeError,
      tolerance: GRADCHECK_TOLERANCE,
      worst: report.worst ?? null,
    });
    const sizes = Object.entries(p.sizes).map(([k, n]) => `${k} ${n}`).join(', ');
    ctx.print(`gradcheck ${p.name} (${sizes}; ${steps} steps, batch ${batch}, seed ${seed})`);
    ctx.print(`  checked ${report.checked} entries`);
    ctx.print(`  max relative error ${report.maxRelativeError.toExponential(3)} (tolerance ${GRADCHECK_TOLERANCE.toExponential(0)})`);
    if (report.worst) {
      const w = report.worst;
      ctx.print(`  worst: ${w.name}: autodiff ${w.analytic}, finite differences ${w.numeric}`);
    }
    ctx.print(report.passed ? 'ok' : 'FAILED: autodiff and finite differences disagree');
    return report.passed ? EXIT.ok : EXIT.failed;
  },
};

/** `celda ablate <cell> --out DIR`: Greff et al.'s one-change variants of a cell, one cell file each. */
import { mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ablate, renderSkipReason } from '../../model/ablate';
import { loadCellText } from '../../model/load';
import { requiredString, type Command } from '../command';
import { CliError, EXIT, MAX_CELL_FILE, UsageError, describeFsError, fail, formatDiagnostic, inFile, plural, readTextFile, refuseOverwritingInput } from '../io';
import { writeFileAtomic } from '../training';

export const ablateCommand: Command = {
  name: 'ablate',
  summary: 'Write the Greff et al. (2017) ablations of a cell whose gates are labelled: NIG, NFG, NOG, NIAF, NOAF, NP, CIFG, FGR.',
  args: '<cell>',
  minPositionals: 1,
  maxPositionals: 1,
  options: {
    out: { type: 'string', short: 'o', value: 'DIR', help: 'Folder to write the variants into (created if needed), one <cell>-<variant>.json each.' },
  },
  details: [
    'Gates are found by the labels of their sigmoids: "input" (or "update"), "forget", "output", "reset", in English or Spanish',
    '("entrada", "actualización", "olvido", "salida", "reinicio") or as Γ_u, Γ_f, Γ_o; the candidate\'s activation is labelled "candidate".',
    'NIG/NFG/NOG drop a gate (constant 1), NIAF/NOAF make the input/output activation the identity, NP drops the peepholes,',
    'CIFG makes the forget gate 1 − the input gate, FGR feeds every gate the previous step\'s gates through new states.',
    'A variant that does not apply is skipped with a reason; every variant written compiles. Nothing is written when the cell',
    'is refused. With --json: {"ok", "cell", "out", "ablations": [{"id", "name", "change", "file"}], "skipped": [{"id", "reason", "message"}]}.',
  ].join('\n'),
  run(args, ctx) {
    const [file] = args.positionals;
    const out = requiredString(args, ablateCommand, 'out');
    refuseFileAsFolder(out);
    const loaded = loadCellText(readTextFile(file, 'cell file', MAX_CELL_FILE));
    if (!loaded.ok) throw new CliError(inFile(file, loaded.diagnostics));
    const result = ablate(loaded.value, 'en');
    if (!result.ok) throw new CliError(inFile(file, result.diagnostics));
    for (const d of inFile(file, [...loaded.diagnostics, ...result.diagnostics])) ctx.note(formatDiagnostic(d));

    const stem = fileStem(file);
    const planned = result.value.ablations.map((a) => ({ ...a, path: join(out, `${stem}-${a.id}.json`) }));
    for (const p of planned) refuseOverwritingInput('--out', p.path, [{ name: 'the cell file', path: file }]);
    try {
      mkdirSync(out, { recursive: true });
    } catch (e) {
      throw fail('cannot-write', `Cannot create the folder ${out}: ${describeFsError(e)}.`, { file: out }, EXIT.usage);
    }
    for (const p of planned) writeFileAtomic(p.path, `${JSON.stringify(p.cell, null, 2)}\n`, 'cell file');

    const skipped = result.value.skipped.map((s) => ({ id: s.id, reason: s.reason.code, message: renderSkipReason(s.reason, 'en') }));
    ctx.printJson({
      ok: true, cell: file, out,
      ablations: planned.map((p) => ({ id: p.id, name: p.name.en, change: p.change.en, file: p.path })),
      skipped,
    });
    ctx.print(`${plural(planned.length, 'variant')} of ${file} written to ${out}${skipped.length > 0 ? `, ${skipped.length} skipped` : ''}:`);
    const rows = [['variant', 'change', 'file'], ...planned.map((p) => [p.id.toUpperCase(), p.change.en, p.path])];
    const widths = [0, 1].map((k) => Math.max(...rows.map((r) => r[k].length)));
    for (const r of rows) ctx.print(`  ${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`);
    for (const s of skipped) ctx.print(`skipped ${s.id.toUpperCase()}: ${s.message}.`);
    return EXIT.ok;
  },
};

/** --out names a file (or something else that is not a folder): refused before anything is read or written. */
function refuseFileAsFolder(out: string): void {
  try {
    if (!statSync(out).isDirectory()) throw new UsageError(`--out ${out} is a file, not a folder: give a folder to write the variants into.`, 'not-a-folder', out);
  } catch (e) {
    if (e instanceof CliError) throw e;
    // Nothing there yet: the folder is made once the variants are ready.
  }
}

/** The cell file's name without its folder and .json, kept to characters safe in any file system. */
function fileStem(file: string): string {
  const stem = basename(file).replace(/(\.celda)?\.json$/i, '').replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '');
  return stem.slice(0, 80) || 'cell';
}

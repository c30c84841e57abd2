/** `celda validate <cell...>`: load and compile each file, list every problem. */
import { hasErrors } from '../../model/diagnostics';
import { checkCellFile } from '../cell-file';
import type { Command } from '../command';
import { CliError, EXIT, formatDiagnostic, plural, type ExitCode, type FileDiagnostic } from '../io';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check cell files: format, wiring, recurrence and shapes.',
  args: '<cell...>',
  minPositionals: 1,
  maxPositionals: 100,
  options: {},
  details: 'Prints each problem as "file: error[code] message (node X, port Y)". Exits 1 when any file has an error.\n'
    + 'With --json: {"ok", "diagnostics", "files": [{"file", "ok", "name"}]}.',
  run(args, ctx) {
    const diagnostics: FileDiagnostic[] = [];
    const files: { file: string; ok: boolean; name?: string }[] = [];
    let exit: ExitCode = EXIT.ok;
    for (const file of args.positionals) {
      let found: FileDiagnostic[];
      let summary = '';
      let name: string | undefined;
      try {
        const checked = checkCellFile(file);
        found = checked.diagnostics;
        if (checked.ok) {
          const cell = checked.compiled.shaped.cell;
          name = cell.metadata.name;
          summary = `${name}: ${plural(cell.nodes.length, 'node')}, ${plural(cell.connections.length, 'connection')}`;
        }
      } catch (e) {
        if (!(e instanceof CliError)) throw e;
        found = [...e.diagnostics];
        exit = Math.max(exit, e.exitCode) as ExitCode;
      }
      const ok = !hasErrors(found);
      if (!ok) exit = Math.max(exit, EXIT.failed) as ExitCode;
      diagnostics.push(...found);
      files.push({ file, ok, ...(name !== undefined && { name }) });
      for (const d of found) ctx.print(formatDiagnostic(d));
      const errors = found.filter((d) => d.severity === 'error').length;
      ctx.print(ok ? `${file}: ok (${summary})` : `${file}: ${plural(errors, 'error')}`);
    }
    ctx.printJson({ ok: exit === EXIT.ok, diagnostics, files });
    return exit;
  },
};

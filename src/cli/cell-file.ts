/** Loading and compiling a cell file for a command; problems become a CliError naming the file. */
import { compile, type Compiled } from '../compiler';
import type { SizeOverrides } from '../compiler/ir';
import type { Diagnostic } from '../model/diagnostics';
import { loadCellText } from '../model/load';
import { CliError, MAX_CELL_FILE, inFile, readTextFile, type FileDiagnostic } from './io';

export type CheckedCell = { ok: true; compiled: Compiled; diagnostics: FileDiagnostic[] } | { ok: false; diagnostics: FileDiagnostic[] };

/** Loads and compiles; reports instead of throwing (validate lists every file's problems). */
export function checkCellFile(file: string, overrides: SizeOverrides = {}): CheckedCell {
  const text = readTextFile(file, 'cell file', MAX_CELL_FILE);
  const loaded = loadCellText(text);
  if (!loaded.ok) return { ok: false, diagnostics: inFile(file, loaded.diagnostics) };
  const compiled = compile(loaded.value, overrides);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics, ...compiled.diagnostics];
  if (!compiled.ok) return { ok: false, diagnostics: inFile(file, dedupe(diagnostics)) };
  return { ok: true, compiled: compiled.value, diagnostics: inFile(file, dedupe(diagnostics)) };
}

/** Loads and compiles, or throws a CliError (exit 1) listing the cell's problems. */
export function compileCellFile(file: string, overrides: SizeOverrides = {}): { compiled: Compiled; warnings: FileDiagnostic[] } {
  const checked = checkCellFile(file, overrides);
  if (!checked.ok) throw new CliError(checked.diagnostics);
  return { compiled: checked.compiled, warnings: checked.diagnostics };
}

/** A pass may hand on the warnings of an earlier one: list each once. */
function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = JSON.stringify([d.code, d.message, d.nodeId, d.port, d.path]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

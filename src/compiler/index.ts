/** The compiler: a list of named passes over one printable IR (DESIGN §4). */
import type { Cell } from '../model/cell';
import type { Diagnostic, Result } from '../model/diagnostics';
import { loadCell } from '../model/load';
import { differentiate, type BackwardProgram } from './autodiff';
import { lower, type IrProgram, type SizeOverrides } from './ir';
import { inferShapes, type ShapedCell } from './shapes';
import { validate } from './validate';

export interface Compiled {
  readonly shaped: ShapedCell;
  readonly program: IrProgram;
  readonly backward: BackwardProgram;
  /** Warnings from every pass. */
  readonly diagnostics: readonly Diagnostic[];
}

/** The passes in order; each either hands its result on or stops with diagnostics. */
export const PASSES = ['load', 'validate', 'shapes', 'lower', 'autodiff'] as const;

export function compile(cell: Cell, overrides: SizeOverrides = {}): Result<Compiled> {
  const valid = validate(cell);
  if (!valid.ok) return valid;
  const shaped = inferShapes(valid.value);
  if (!shaped.ok) return { ok: false, diagnostics: [...valid.diagnostics, ...shaped.diagnostics] };
  const lowered = lower(shaped.value, overrides);
  if (!lowered.ok) return { ok: false, diagnostics: [...valid.diagnostics, ...lowered.diagnostics] };
  const diagnostics = valid.diagnostics;
  return { ok: true, value: { shaped: shaped.value, program: lowered.value, backward: differentiate(lowered.value), diagnostics }, diagnostics };
}

/** Loads untrusted JSON and compiles it; never throws. */
export function compileJson(json: unknown, overrides: SizeOverrides = {}): Result<Compiled> {
  const loaded = loadCell(json);
  if (!loaded.ok) return loaded;
  return compile(loaded.value, overrides);
}

export { printProgram, parameterCounts } from './ir';
export { printBackward } from './autodiff';

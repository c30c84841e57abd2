/**
 * Spelling a number with a model trained on the spell-number task: greedy decoding,
 * the one-to-many loop. The cell reads the number once; then at each step the most
 * likely character is written and fed back as the next input, until the end mark.
 */
import type { Compiled } from '../compiler';
import { readoutForward, type ModelParameters } from './model';
import { forward } from './reference';
import { characterInput, numberInput, SPELL_END_ID, SPELL_MAX_STEPS, SPELL_VOCABULARY } from './tasks/spell-number';
import { SPANISH_NUMBER_MAX } from './tasks/spanish-numbers';

export interface Spelled {
  /** The characters written before the end mark (or before giving up). */
  readonly text: string;
  /** Whether the model wrote the end mark within SPELL_MAX_STEPS steps. */
  readonly ended: boolean;
}

/** The model's spelling of `n` (a whole number from 0 to 999; RangeError otherwise). */
export function spellWithModel(compiled: Compiled, params: ModelParameters, n: number): Spelled {
  if (!Number.isInteger(n) || n < 0 || n > SPANISH_NUMBER_MAX) throw new RangeError(`spellWithModel: expected a whole number from 0 to ${SPANISH_NUMBER_MAX}, got ${n}`);
  let input = numberInput(n);
  let states: Float64Array[] | undefined;
  let text = '';
  for (let step = 0; step < SPELL_MAX_STEPS; step++) {
    const run = forward(compiled.program, params.cell, [input], 1, states);
    states = run.finalStates;
    const id = argmax(readoutForward(params.readout, run.outputs[0], 1));
    if (id === SPELL_END_ID) return { text, ended: true };
    text += SPELL_VOCABULARY[id];
    input = characterInput(id);
  }
  return { text, ended: false };
}

function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

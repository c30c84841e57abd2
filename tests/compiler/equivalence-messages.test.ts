/**
 * Every difference compareCells can report renders in English and Spanish,
 * naming what its params name.
 */
import { describe, expect, it } from 'vitest';
import { DIFFERENCE_MESSAGES, differenceMessage, type Language } from '../../src/compiler/difference-messages';
import type { Difference, DifferenceCode } from '../../src/compiler/equivalence';

const LANGUAGES: readonly Language[] = ['en', 'es'];

/** One sample per code: the type makes a new code fail here until it has one. */
const SAMPLES: { readonly [C in DifferenceCode]: Extract<Difference, { code: C }> } = {
  'wrong-state-count': { code: 'wrong-state-count', params: { found: 1, expected: 2 } },
  'wrong-size': { code: 'wrong-size', nodeId: 'h', params: { node: 'hidden', found: 8, expected: 4, target: 'a_{t−1}' } },
  'wrong-initial-state': { code: 'wrong-initial-state', nodeId: 'h', params: { node: 'hidden', found: 'learned', expected: 'zeros', target: 'a_{t−1}' } },
  'wrong-activation': { code: 'wrong-activation', nodeId: 'cc', params: { node: 'candidate', found: 'σ', expected: 'tanh', target: "c'_t" } },
  'wrong-operation': { code: 'wrong-operation', nodeId: 'h_new', params: { node: 'h_new', found: '⊙', expected: '+', target: 'a_t' } },
  'wrong-operand': { code: 'wrong-operand', nodeId: 'keep', params: { node: 'keep', op: 'multiply', found: 'a_{t−1}', expected: 'c_{t−1}' } },
  'missing-node': { code: 'missing-node', nodeId: 'y', params: { node: 'y', op: 'output', found: 'tanh(c_t)', expected: 'o_t ⊙ tanh(c_t)', missing: 'o_t' } },
  'extra-node': { code: 'extra-node', nodeId: 'keep', params: { node: 'keep', op: 'multiply', found: '(1 − z_t)', expected: 'z_t', extra: '1−' } },
  'missing-input': { code: 'missing-input', nodeId: 'lin', params: { node: 'lin', expected: 'a_{t−1}', target: 'a_t' } },
  'extra-input': { code: 'extra-input', nodeId: 'Wo', params: { node: 'Wo', found: 'c_{t−1}', target: 'o_t' } },
  'missing-bias': { code: 'missing-bias', nodeId: 'Wo', params: { node: 'Wo', target: 'o_t' } },
  'extra-bias': { code: 'extra-bias', nodeId: 'Wo', params: { node: 'Wo', target: 'o_t' } },
  'different-sharing': { code: 'different-sharing', nodeId: 'f', params: { node: 'forget', target: 'u_t' } },
  'unused-node': { code: 'unused-node', nodeId: 'sigmoid-1', params: { node: 'sigmoid-1' } },
  'unlocated-difference': { code: 'unlocated-difference', params: {} },
  'computes-differently': { code: 'computes-differently', params: { difference: 0.125 } },
};

/** Params shown as they are (op kinds and initial states are put into words instead). */
const shownAsIs = (d: Difference): string[] => Object.entries(d.params)
  .filter(([k]) => k !== 'op' && !(d.code === 'wrong-initial-state' && (k === 'found' || k === 'expected')))
  .map(([, v]) => String(v));

describe('difference messages', () => {
  it('have one entry per code', () => {
    expect(Object.keys(DIFFERENCE_MESSAGES).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  describe.each(Object.values(SAMPLES).map((d) => [d.code, d] as const))('%s', (_code, d) => {
    it.each(LANGUAGES)('renders in %s, naming every param', (language) => {
      const message = differenceMessage(d, language);
      expect(message.trim()).not.toBe('');
      for (const value of shownAsIs(d)) expect(message).toContain(value);
    });

    it('is translated', () => {
      expect(differenceMessage(d, 'es')).not.toBe(differenceMessage(d, 'en'));
    });
  });

  it('puts the op into a verb of each language', () => {
    expect(differenceMessage(SAMPLES['wrong-operand'], 'en')).toBe('Node "keep" multiplies a_{t−1}; it should multiply c_{t−1}.');
    expect(differenceMessage(SAMPLES['wrong-operand'], 'es')).toBe('El nodo "keep" multiplica a_{t−1}; debería multiplicar c_{t−1}.');
    const linear = { ...SAMPLES['wrong-operand'], params: { ...SAMPLES['wrong-operand'].params, op: 'linear' } };
    expect(differenceMessage(linear, 'en')).toContain('reads a_{t−1}; it should read c_{t−1}');
  });

  it('puts initial states into words', () => {
    expect(differenceMessage(SAMPLES['wrong-initial-state'], 'en')).toContain('starts from a learned vector');
    expect(differenceMessage(SAMPLES['wrong-initial-state'], 'es')).toContain('empieza en un vector aprendido');
  });
});

import { describe, expect, it } from 'vitest';
import { NODES, nodeDef } from '../../nodes';
import { deriveEquations } from '../../src/compiler/equations';
import { genericEquation, linesUsing, safeInputPorts, safeParams } from '../../src/ui/lib/node-equation';
import { renderLatex } from '../../src/ui/lib/math';
import { compileExample, loadExample } from '../helpers';

const def = (kind: string) => {
  const d = nodeDef(kind);
  if (!d) throw new Error(kind);
  return d;
};

describe('a node\'s general equation', () => {
  it('is written from the node\'s template with generic operands', () => {
    expect(genericEquation({ params: {} }, def('sigmoid'))).toBe('v = \\sigma\\left(u\\right)');
    expect(genericEquation({ params: {} }, def('multiply'))).toMatch(/^v = a .*b$/);
    expect(genericEquation({ params: { bias: false } }, def('linear'))).toBe('v = W_{} u');
    expect(genericEquation({ params: { inputs: 3 } }, def('concat'))).toBe('v = \\left[u_{1}, u_{2}, u_{3}\\right]');
    expect(genericEquation({ params: {} }, def('output'))).toBe('y_t = v');
    expect(genericEquation({ params: {} }, def('input'))).toBe('x_t');
  });

  it('prints size params from their parsed form and replaces invalid params by defaults', () => {
    expect(genericEquation({ params: { start: 'hidden', length: 'my_size' } }, def('slice'))).toContain('my\\_size');
    expect(genericEquation({ params: { start: '\\input{x}' } }, def('slice'))).not.toContain('\\input');
    expect(safeParams(def('concat'), { inputs: 1e9 })).toEqual({ inputs: 2 });
    expect(safeInputPorts(def('concat'), { inputs: 'many' })).toEqual(['in0', 'in1']);
  });

  it('renders for every registered node', () => {
    for (const d of NODES) {
      const latex = genericEquation({ params: {} }, d);
      expect(latex, d.kind).not.toBe('');
      expect(renderLatex(latex), d.kind).not.toContain('katex-error');
    }
  });
});

describe('the lines a node takes part in', () => {
  it('is its own line, or the first named lines downstream', () => {
    const lstm = loadExample('lstm');
    const eqs = deriveEquations(compileExample('lstm').shaped, 'tutorial');
    expect(linesUsing(lstm.connections, eqs, 'f').map((e) => e.nodeId)).toEqual(['f']);
    expect(linesUsing(lstm.connections, eqs, 'Wf').map((e) => e.text)).toEqual(['f_t = σ(W_f·[a_{t−1}, x_t] + b_f)']);
    expect(linesUsing(lstm.connections, eqs, 'cat')).toHaveLength(3);
    expect(linesUsing(lstm.connections, eqs, 'cat', 10)).toHaveLength(4);
    expect(linesUsing(lstm.connections, eqs, 'nowhere')).toEqual([]);
  });
});

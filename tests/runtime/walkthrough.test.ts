import { describe, expect, it } from 'vitest';
import { initParameters } from '../../src/runtime/init';
import { forward } from '../../src/runtime/reference';
import { EXAMPLE_STEPS, exampleInputs, walkThroughStep } from '../../src/runtime/walkthrough';
import { compileExample, EXAMPLES, loadExample } from '../helpers';

describe('walking through one time step, node by node', () => {
  for (const name of EXAMPLES) {
    const compiled = compileExample(name, { input: 3, hidden: 5 });
    const params = initParameters(compiled.program, 1);
    const xs = exampleInputs(compiled, 1);
    const reveals = walkThroughStep(compiled, params, xs);
    const position = new Map(reveals.map((r, i) => [r.nodeId, i]));

    it(`${name}: reveals every node once, each after every node wired into it within the step`, () => {
      const cell = loadExample(name);
      expect(reveals.map((r) => r.nodeId).sort()).toEqual(cell.nodes.map((n) => n.id).sort());
      const roleOf = new Map(reveals.map((r) => [r.nodeId, r.role]));
      // A wire into a state carries h_t to the next step: it is the only kind that may point backwards.
      const withinStep = cell.connections.filter((c) => roleOf.get(c.to) !== 'state');
      expect(withinStep.length).toBeGreaterThan(0);
      for (const c of withinStep) expect(position.get(c.from), `${c.from} → ${c.to}`).toBeLessThan(position.get(c.to) as number);
    });

    it(`${name}: shows the states' previous values first, then the input, and the output last`, () => {
      const roles = reveals.map((r) => r.role);
      const states = roles.filter((r) => r === 'state').length;
      expect(states).toBe(compiled.program.states.length);
      expect(roles.slice(0, states).every((r) => r === 'state')).toBe(true);
      expect(roles[states]).toBe('input');
      expect(roles.at(-1)).toBe('output');
    });

    it(`${name}: gives the reference forward's values at the last step of the example`, () => {
      const last = forward(compiled.program, params, xs, 1);
      const before = forward(compiled.program, params, xs.slice(0, -1), 1);
      const value = (id: string) => Array.from(reveals[position.get(id) as number].value);
      compiled.program.states.forEach((s, i) => {
        // A state shows h_{t−1}, what the steps before left in it; the node feeding it computes h_t.
        expect(value(s.nodeId)).toEqual(Array.from(before.finalStates[i]));
        const writer = compiled.shaped.nodes.get(s.nodeId)?.sources[0]?.from as string;
        expect(value(writer)).toEqual(Array.from(last.finalStates[i]));
      });
      const output = reveals.find((r) => r.role === 'output');
      expect(Array.from(output?.value ?? [])).toEqual(Array.from(last.outputs[EXAMPLE_STEPS - 1]));
      expect(Array.from(reveals.find((r) => r.role === 'input')?.value ?? [])).toEqual(Array.from(xs[EXAMPLE_STEPS - 1]));
    });
  }

  it('computes the LSTM forget gate as the textbook writes it: f = σ(W_f [a_{t−1}, x_t] + b_f)', () => {
    const compiled = compileExample('lstm', { input: 3, hidden: 4 });
    const params = initParameters(compiled.program, 7);
    const xs = exampleInputs(compiled, 7);
    const reveals = walkThroughStep(compiled, params, xs);
    const at = (id: string) => reveals.find((r) => r.nodeId === id)?.value as Float64Array;
    const concat = [...at('a'), ...at('x')];
    const { W, b } = params.Wf;
    const expected = Array.from({ length: 4 }, (_, o) => {
      let s = b[o];
      for (let i = 0; i < concat.length; i++) s += W[o * concat.length + i] * concat[i];
      return 1 / (1 + Math.exp(-s));
    });
    Array.from(at('f')).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
    // After two steps the hidden state holds something: the walk-through does not start from zeros.
    expect(at('a').some((v) => v !== 0)).toBe(true);
  });

  it('uses the same example input for a seed, in [−1, 1], of the cell\'s input size; nothing to show without steps', () => {
    const compiled = compileExample('gru', { input: 6, hidden: 2 });
    const xs = exampleInputs(compiled, 3);
    expect(xs).toHaveLength(EXAMPLE_STEPS);
    for (const x of xs) {
      expect(x).toHaveLength(6);
      for (const v of x) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    }
    expect(exampleInputs(compiled, 3)).toEqual(xs);
    expect(exampleInputs(compiled, 4)).not.toEqual(xs);
    expect(walkThroughStep(compiled, initParameters(compiled.program, 1), [])).toEqual([]);
  });
});

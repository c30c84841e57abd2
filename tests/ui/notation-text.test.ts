import { describe, expect, it } from 'vitest';
import { notationParts } from '../../src/ui/lib/notation-text';

const render = (text: string) => notationParts(text).map((p) => (p.sub ? `<${p.text}>` : p.text)).join('');

describe('lesson text in the tutorial notation', () => {
  it('sets braced and plain subscripts after a letter as subscripts', () => {
    expect(render('a_t = tanh(W_aa a_{t−1} + W_ax x_t + b_a)')).toBe('a<t> = tanh(W<aa> a<t−1> + W<ax> x<t> + b<a>)');
    expect(render('Γ_f ⊙ c_{t−1}; a_0 reaches y_3')).toBe('Γ<f> ⊙ c<t−1>; a<0> reaches y<3>');
    expect(render("c_t = c_{t−1} + c'_t")).toBe("c<t> = c<t−1> + c'<t>");
    expect(notationParts('x_t')).toEqual([{ text: 'x' }, { text: 't', sub: true }]);
  });

  it('leaves everything else as it is: no letter before, empty or long braces, a space, markup', () => {
    for (const text of ['_t alone', '3_4', 'a_{}', 'a_{123456789012345}', 'a_ b', '<b>x</b>_{<i>}', 'plain text']) {
      expect(notationParts(text), text).toEqual([{ text }]);
    }
  });
});

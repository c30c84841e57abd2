import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/compiler/analyze';
import { deriveEquations } from '../../src/compiler/equations';
import { setLabel } from '../../src/model/edit';
import { renderLatex } from '../../src/ui/lib/math';
import { loadExample } from '../helpers';

describe('KaTeX rendering', () => {
  it('renders equations as HTML with MathML', () => {
    const html = renderLatex('c_t = f_t \\odot c_{t-1}', true);
    expect(html).toContain('katex-display');
    expect(html).toContain('<math');
  });

  it('runs no trusted commands and never throws', () => {
    const html = renderLatex('\\href{javascript:alert(1)}{x} \\htmlId{a}{b} \\url{javascript:x} \\frac{');
    expect(html).not.toContain('href="javascript');
    expect(html).not.toContain('id="a"');
    expect(() => renderLatex('\\def\\a{\\a\\a}\\a')).not.toThrow();
  });

  it('renders a hostile label only as sanitised text', () => {
    const lstm = setLabel(loadExample('lstm'), 'f', '<img src=x onerror=alert(1)> \\href{javascript:alert(1)}{x}');
    const compiled = analyze(lstm).compiled;
    expect(compiled).toBeDefined();
    const html = deriveEquations(compiled!.shaped, 'tutorial').map((e) => renderLatex(e.latex)).join('');
    expect(html).not.toMatch(/<img|javascript:|onerror=/);
  });
});

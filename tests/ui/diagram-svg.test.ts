import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/compiler/analyze';
import type { Cell } from '../../src/model/cell';
import { newCell } from '../../src/model/edit';
import { escapeXml } from '../../src/export/svg-text';
import { cellToSvg, diagramBounds, NODE_WIDTH } from '../../src/ui/lib/diagram-svg';
import { loadExample } from '../helpers';

/** Every tag in the output is one the diagram writes: no markup can come from the cell's text. */
const TAG = /<\/?(svg|title|defs|marker|path|rect|g|text|circle)\b[^<>]*>/g;

function expectOnlyOurMarkup(svg: string): void {
  const rest = svg.replace(TAG, '');
  expect(rest).not.toMatch(/[<>]/);
}

describe('cellToSvg', () => {
  it('draws one box per node and one curve per connection of the LSTM', () => {
    const lstm = loadExample('lstm');
    const svg = cellToSvg(lstm, analyze(lstm).sizes, 'en');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<g class="node"/g)).toHaveLength(lstm.nodes.length);
    expect(svg.match(/marker-end="url\(#arrow(-delay)?\)"/g)).toHaveLength(lstm.connections.length);
    // The two edges into the states' "next" ports are delays, drawn dashed.
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(2);
    expect(svg).toContain('>σ</text>');
    expect(svg).toContain('>forget</text>');
    expect(svg).toContain('>hidden + input</text>');
    expectOnlyOurMarkup(svg);
  });

  it('names unlabelled nodes by their kind in the chosen language', () => {
    const cell = newCell('t');
    expect(cellToSvg(cell, new Map(), 'en')).toContain('>Input x_t</text>');
    expect(cellToSvg(cell, new Map(), 'es')).toContain('>Entrada x_t</text>');
  });

  it('writes sizes in the chosen language', () => {
    const lstm = loadExample('lstm');
    const svg = cellToSvg(lstm, analyze(lstm).sizes, 'es');
    expect(svg).toContain('>oculto + entrada</text>');
    expect(svg).not.toContain('>hidden + input</text>');
  });

  it('escapes hostile labels, names, ids and sizes as text', () => {
    const base = newCell('<script>alert(1)</script>');
    const hostile = `"><script>alert('x')</script>&amp;`;
    const cell: Cell = {
      ...base,
      nodes: [
        ...base.nodes,
        { id: 'a"b<c>', kind: 'tanh', label: hostile, params: {}, position: { x: 300, y: 0 } },
        { id: 'k', kind: '<img src=x onerror=alert(1)>', params: {}, position: { x: 600, y: 0 } },
        { id: 'amp', kind: 'add', label: `a&amp;b'c`, params: {}, position: { x: 900, y: 0 } },
      ],
      connections: [{ from: 'h', fromPort: 'prev', to: 'a"b<c>', toPort: 'in"><g' }],
    };
    const svg = cellToSvg(cell, new Map([['a"b<c>', '<b>8</b>']]), 'en');
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<img');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('data-node-id="a&quot;b&lt;c&gt;"');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('a&amp;amp;b&#39;c');
    expectOnlyOurMarkup(svg);
  });

  it('drops characters XML cannot hold and escapes quotes', () => {
    expect(escapeXml('a\u0000b\u0007c\ud800d')).toBe('abcd');
    expect(escapeXml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
    expect(escapeXml('𝑥 ⊙ é')).toBe('𝑥 ⊙ é');
  });

  it('fits the drawing to the nodes with a margin', () => {
    const cell = newCell('t');
    const { width, height, dx, dy } = diagramBounds(cell);
    expect(dx).toBe(60);
    expect(dy).toBe(60);
    expect(width).toBe(900 + NODE_WIDTH + 120);
    expect(height).toBeGreaterThan(240 + 64);
    expect(cellToSvg(cell, new Map(), 'en')).toContain(`width="${width}" height="${height}"`);
  });

  it('draws an empty cell and skips connections to missing nodes', () => {
    const cell: Cell = { ...newCell('empty'), nodes: [], connections: [{ from: 'x', fromPort: 'x', to: 'nowhere', toPort: 'in' }] };
    const svg = cellToSvg(cell, new Map(), 'en');
    expect(svg).not.toContain('marker-end=');
    expectOnlyOurMarkup(svg);
  });
});

import { describe, expect, it } from 'vitest';
import { displaySize, formatSize, readSize, type SizeExpr } from '../../src/model/sizes';

const size = (text: string): string => formatSize(readSize(text) as SizeExpr);

describe('sizes as the user reads them', () => {
  it('names the built-in sizes in Spanish, coefficients and constants kept', () => {
    expect(displaySize(size('hidden + input'), 'es')).toBe('oculto + entrada');
    expect(displaySize(size('4*hidden + 2'), 'es')).toBe('4*oculto + 2');
    expect(displaySize('16', 'es')).toBe('16');
  });

  it('leaves English and the user\'s own size names as they are', () => {
    expect(displaySize(size('hidden + input'), 'en')).toBe('hidden + input');
    expect(displaySize(size('hidden_2 + inputs + embed'), 'es')).toBe('embed + hidden_2 + inputs');
  });
});

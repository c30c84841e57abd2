import { describe, expect, it } from 'vitest';
import { isBackward, wirePath } from '../../src/editor/paths';

const numbers = (path: string): number[] => path.split(/[^-\d.]+/).filter(Boolean).map(Number);

describe('wire shapes', () => {
  it('a forward wire is one curve from the output to the input', () => {
    const path = wirePath({ x: 0, y: 0 }, { x: 200, y: 50 });
    expect(path.startsWith('M 0 0 C')).toBe(true);
    expect(path.endsWith('200 50')).toBe(true);
    expect(isBackward({ x: 0, y: 0 }, { x: 200, y: 50 })).toBe(false);
  });

  it('a wire back into a state on the left loops around the cell, not through it', () => {
    const bounds = { top: 0, bottom: 500 };
    const above = wirePath({ x: 1000, y: 120 }, { x: 0, y: 80 }, bounds);
    const below = wirePath({ x: 1000, y: 420 }, { x: 0, y: 460 }, bounds);
    expect(isBackward({ x: 1000, y: 120 }, { x: 0, y: 80 })).toBe(true);
    expect(Math.min(...numbers(above).filter((_, i) => i % 2 === 1))).toBeLessThan(bounds.top);
    expect(Math.max(...numbers(below).filter((_, i) => i % 2 === 1))).toBeGreaterThan(bounds.bottom);
    expect(above.endsWith('0 80')).toBe(true);
  });
});

/**
 * Seeded randomness, injected everywhere (DESIGN §5): the same seed gives the
 * same numbers on every machine. mulberry32 for the stream, FNV-1a to derive
 * independent streams from names (so a tensor's init does not depend on node order).
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(low: number, high: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uniform: (low, high) => low + (high - low) * next(),
    normal: () => {
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
  };
}

/** A stream for one named purpose under a seed, e.g. deriveRng(seed, 'init', nodeId, 'W'). */
export function deriveRng(seed: number, ...names: string[]): Rng {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (const ch of names.join('\u0000')) {
    h ^= ch.codePointAt(0) as number;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return createRng(h);
}

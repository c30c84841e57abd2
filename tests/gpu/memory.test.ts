/**
 * 5,000 training steps on the gpu backend keep memory flat: no buffer, kernel or plan
 * leaks per step. Measured in a child process with a full GC before every sample;
 * the bound is what a leak of one 256-byte buffer per step would exceed (a leaked
 * kernel output of the smallest plan here is larger).
 */
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';

it('5,000 consecutive gpu training steps (TBPTT, two plans) hold memory flat after warm-up', () => {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'tests/gpu/memory-probe.ts', '5000', '250'], { encoding: 'utf8', timeout: 240_000 });
  const samples = JSON.parse(out.trim().split('\n').pop() ?? '[]') as { step: number; rss: number; heap: number; arrayBuffers: number; external: number }[];
  expect(samples.length).toBe(20);
  // Freed buffers return late, so single samples swing by tens of MB; a leak raises the floor.
  // Compare the lowest sample of steps 1,000–2,250 with the lowest of 3,750–5,000 (2,750 steps apart).
  const floor = (from: number, to: number, key: 'heap' | 'arrayBuffers' | 'external' | 'rss') => Math.min(...samples.filter((s) => s.step >= from && s.step <= to).map((s) => s[key]));
  const growthPerStep = (key: 'heap' | 'arrayBuffers' | 'external') => (floor(3750, 5000, key) - floor(1000, 2250, key)) / 2750;
  expect(growthPerStep('heap')).toBeLessThan(256);
  expect(growthPerStep('arrayBuffers')).toBeLessThan(256);
  expect(growthPerStep('external')).toBeLessThan(256);
  // rss includes allocator slack: 32 MB, far below what leaking any per-step buffer would add.
  expect(floor(3750, 5000, 'rss') - floor(1000, 2250, 'rss')).toBeLessThan(32 * 1024 * 1024);
}, 300_000);

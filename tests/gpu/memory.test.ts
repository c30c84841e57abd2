/**
 * 5,000 training steps on the gpu backend keep memory flat: no buffer, kernel or plan
 * leaks per step. Measured in a child process with a full GC before every sample;
 * the bound is what a leak of one 256-byte buffer per step would exceed.
 */
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';

it('5,000 consecutive gpu training steps (TBPTT, two plans) hold memory flat after warm-up', () => {
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'tests/gpu/memory-probe.ts', '5000', '500'], { encoding: 'utf8', timeout: 240_000 });
  const samples = JSON.parse(out.trim().split('\n').pop() ?? '[]') as { step: number; rss: number; heap: number; arrayBuffers: number; external: number }[];
  expect(samples.length).toBe(10);
  // From step 1,000 (plans built, pools warm) to 5,000: 4,000 steps.
  const warm = samples[1];
  const last = samples[samples.length - 1];
  const perStep = (key: 'heap' | 'arrayBuffers' | 'external') => (last[key] - warm[key]) / (last.step - warm.step);
  expect(perStep('heap')).toBeLessThan(256);
  expect(perStep('arrayBuffers')).toBeLessThan(256);
  expect(perStep('external')).toBeLessThan(256);
  // rss includes allocator slack: allow 32 MB over 4,000 steps, far below a per-step leak of any kernel output.
  expect(last.rss - warm.rss).toBeLessThan(32 * 1024 * 1024);
}, 300_000);

/**
 * The memory budget of `celda train`, `study`, `init` and `run`: --max-memory, by default half of
 * this machine's memory, checked against the core's estimate (src/runtime/memory.ts) before
 * anything large is allocated.
 */
import { totalmem } from 'node:os';
import type { MemoryEstimate } from '../runtime/memory';
import type { Args, OptionSpec } from './command';
import { EXIT, UsageError, fail } from './io';

/** Half of the machine's memory: the rest is for the system, other programs and Node itself. */
export function defaultMemoryLimit(): number {
  return Math.floor(totalmem() / 2);
}

export const MAX_MEMORY_OPTION: OptionSpec = {
  type: 'string',
  value: 'SIZE',
  help: `Refuse to start when the estimated memory is over SIZE, e.g. 8GB, 512MB, 2GiB (default: half of this machine's memory, ${formatBytes(defaultMemoryLimit())}).`,
};

const UNITS: Readonly<Record<string, number>> = {
  '': 1, b: 1,
  k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
};

/** Reads a size such as "8GB", "512 MB", "1.5GiB" or "1000000" (bytes); undefined when not one. */
export function parseBytes(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = UNITS[match[2].toLowerCase()];
  if (unit === undefined) return undefined;
  const bytes = Math.round(Number(match[1]) * unit);
  return bytes >= 1 && Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** --max-memory, or the default. */
export function memoryLimit(args: Args): number {
  const raw = args.values['max-memory'];
  if (raw === undefined || typeof raw === 'boolean') return defaultMemoryLimit();
  const bytes = parseBytes(raw);
  if (bytes === undefined) {
    throw new UsageError(`--max-memory must be a size such as 8GB, 512MB or 2GiB, got ${JSON.stringify(raw.slice(0, 40))}.`);
  }
  return bytes;
}

/**
 * Refuses (exit 1) when the estimate is over the limit, naming the parts that make it large
 * and what would shrink them: `levers` says how the user changes each field the parts name
 * (e.g. length → "--seq"); fields without a lever are left out of the advice.
 */
export function checkMemory(what: string, estimate: MemoryEstimate, limit: number, levers: Readonly<Record<string, string>>): void {
  if (estimate.total <= limit) return;
  const large = estimate.parts.filter((p, i) => i === 0 || p.bytes >= estimate.total / 10).slice(0, 3);
  const parts = large.map((p) => `${p.what} ≈ ${formatBytes(p.bytes)} (${p.detail})`).join('; ');
  const changes = [...new Set(large.flatMap((p) => p.fields).filter((f) => Object.hasOwn(levers, f)).map((f) => levers[f]))];
  const advice = changes.length > 0 ? `lower ${orList(changes)}, or raise --max-memory` : 'raise --max-memory';
  throw fail('over-memory-limit', `${what} needs ≈ ${formatBytes(estimate.total)} of memory, over the limit of ${formatBytes(limit)}: ${parts}. To fit, ${advice}.`, {}, EXIT.failed);
}

/** ["a", "b", "c"] → "a, b or c". */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Bytes for people, in powers of 1000: "512 B", "3.2 kB", "12.4 GB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : Number(value.toPrecision(3))} ${units[unit]}`;
}

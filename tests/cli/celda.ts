/** Runs the real `celda` command (node bin/celda.js) for the CLI tests. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function celda(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, ['bin/celda.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs with --json and parses stdout. */
export function celdaJson<T = Record<string, unknown>>(...args: string[]): CliResult & { json: T } {
  const r = celda(...args, '--json');
  let json: T;
  try {
    json = JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`celda ${args.join(' ')} --json printed no JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  return { ...r, json };
}

/** A fresh folder in the system temp dir, and a function writing JSON files into it. */
export function tempFiles(): { dir: string; write(name: string, value: unknown): string } {
  const dir = mkdtempSync(join(tmpdir(), 'celda-cli-'));
  return {
    dir,
    write(name, value) {
      const path = join(dir, name);
      writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
      return path;
    },
  };
}

/**
 * The real `celda` writing into a pipe whose reader stops early, and into a
 * device that refuses writes: it ends quietly with an exit status, never with a
 * Node stack trace.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/io';
import { ROOT } from './celda';

/** Runs a bash command line in the repository; `status` is celda's own exit status, printed last. */
function shell(commandLine: string): { stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', commandLine], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr };
}

describe('closed output', () => {
  it('celda init … | head -c 10: exit 141 (as SIGPIPE), nothing on stderr', () => {
    // About 7 MB of parameters: far more than a pipe holds, so celda is still writing when head leaves.
    const r = shell('node bin/celda.js init examples/lstm.json --hidden 300 | head -c 10; echo " status=${PIPESTATUS[0]}"');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`{\n  "forma status=${EXIT.brokenPipe}\n`);
  });

  it('stdout on a full device: one line saying so, exit 1', () => {
    const r = shell('node bin/celda.js init examples/lstm.json --hidden 300 > /dev/full; echo "status=$?" >&2');
    expect(r.stderr).toBe('celda: cannot write to stdout: no space left on the device\nstatus=1\n');
  });
});

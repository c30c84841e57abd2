/**
 * Running /usr/bin/python3 (Debian's python3-torch) from tests: a command with a timeout that
 * kills its whole process group, torchrun with two local CPU workers, and the check that
 * PyTorch is there (a test fails, never skips, without it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PYTHON = '/usr/bin/python3';
export const RUN_TIMEOUT_MS = 120_000;

export interface Run { readonly code: number | null; readonly signal: string | null; readonly output: string; readonly timedOut: boolean }

/** Runs a command (in its own process group, killed whole on timeout), stdout and stderr interleaved. */
export function run(command: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number; env?: Record<string, string> } = {}): Promise<Run> {
  const { cwd = ROOT, timeoutMs = RUN_TIMEOUT_MS, env = {} } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        // No network in CI sandboxes: gloo talks over loopback only.
        GLOO_SOCKET_IFNAME: 'lo',
        MASTER_ADDR: '127.0.0.1',
        OMP_NUM_THREADS: '1',
        PYTHONDONTWRITEBYTECODE: '1',
        PYTHONUNBUFFERED: '1',
        ...env,
      },
    });
    let output = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-(child.pid as number), 'SIGKILL'); } catch { /* already gone */ }
    }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, output, timedOut }); });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * torchrun, two local workers on loopback. `--redirects 2 --tee 2`: torch 1.13's launcher breaks on
 * Python 3.11 with its default `--redirects 0` (Std.from_str("0") returns None → "'NoneType' object
 * has no attribute 'get'"); stderr redirected and teed to the console avoids the zero value.
 */
export async function torchrun(script: string, args: readonly string[], cwd = ROOT): Promise<Run> {
  const port = await freePort();
  return run(PYTHON, ['-m', 'torch.distributed.run', '--redirects', '2', '--tee', '2', '--nproc_per_node=2',
    '--master_addr', '127.0.0.1', '--master_port', String(port), script, ...args], { cwd });
}

export const describeRun = (r: Run): string =>
  `exit ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}${r.timedOut ? ', killed on timeout' : ''}:\n${r.output}`;

let torchProblem: string | null | undefined;
/** Fails (does not skip) when PyTorch is missing: what these tests run is part of what the project ships. */
export function requireTorch(): void {
  if (torchProblem === undefined) {
    const r = spawnSync(PYTHON, ['-c', 'import torch, torch.distributed as d; assert d.is_available() and d.is_gloo_available()'], { encoding: 'utf8', timeout: 60_000 });
    torchProblem = r.status === 0 ? null : `${r.error?.message ?? ''}${r.stderr ?? ''}`.trim();
  }
  if (torchProblem !== null) {
    throw new Error(`PyTorch with torch.distributed (gloo) is needed for ${PYTHON}: install Debian's python3-torch ` +
      `(sudo apt-get install python3-torch). ${PYTHON} -c "import torch" said:\n${torchProblem}`);
  }
}

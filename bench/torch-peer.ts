/**
 * The PyTorch peer of `npm run bench`: runs bench/torch-peer.py under Debian's python3 with
 * torch (the built-in nn.LSTM / nn.GRU, or the same cell as a Python loop) and reads its JSON.
 * Absent torch, the bench says so and leaves PyTorch out; it never hides which BLAS ran.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PeerConfig, Timing } from './tfjs-peer';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./torch-peer.py', import.meta.url));

/** nn.LSTM / nn.GRU, or the cell as a Python loop over time steps. */
export type TorchImpl = 'builtin' | 'loop';

/** The TF.js peer's char-LM sizes (no backend or seed: torch seeds itself), with PyTorch's own choices. */
export type TorchConfig = Omit<PeerConfig, 'backend' | 'seed'> & {
  impl: TorchImpl;
  /** torch.set_num_threads. */
  threads: number;
};

export interface TorchResult {
  torch: string;
  threads: number;
  /** The BLAS the process loaded: openblas, mkl, blis, reference (netlib, ~10× slower) or unknown. */
  blas: string;
  blasLibraries: string[];
  stepMs: Timing;
  loss: number;
}

/** Why PyTorch cannot run here, or null when it can. */
export function torchMissing(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return null;
  } catch {
    return `${PYTHON} cannot import torch (apt-get install python3-torch)`;
  }
}

export function benchTorchCharLm(config: TorchConfig): TorchResult {
  const args = Object.entries(config).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const out = execFileSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as TorchResult;
}

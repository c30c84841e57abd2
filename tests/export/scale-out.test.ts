/**
 * examples/scale-out: the PyTorch export of the LSTM example trained with DistributedDataParallel,
 * two CPU processes (gloo) under torchrun, on examples/scale-out/sample.txt. Needs PyTorch for
 * /usr/bin/python3 (Debian's python3-torch); without it these tests fail and say so.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPytorch } from '../../src/export/pytorch';
import { initParameters } from '../../src/runtime/init';
import { compileExample } from '../helpers';
import { PYTHON, RUN_TIMEOUT_MS, describeRun, requireTorch, run, torchrun } from './python';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = 'examples/scale-out/train_ddp.py';
const SAMPLE = 'examples/scale-out/sample.txt';

/** Distinct characters, as train_ddp.py counts them (Python str = code points; line endings kept). */
const vocabSize = (text: string): number => new Set(Array.from(text)).size;

/** Exports examples/lstm.json (weights from the seeded initialiser) into a fresh folder. */
function exportLstm(dir: string, input: number, hidden: number): void {
  const compiled = compileExample('lstm', { input, hidden });
  const exported = exportPytorch(compiled, { params: { cell: initParameters(compiled.program, 7) } });
  for (const file of exported.files) writeFileSync(join(dir, file.path), file.content);
}

describe('examples/scale-out/train_ddp.py', () => {
  const vocab = vocabSize(readFileSync(join(ROOT, SAMPLE), 'utf8'));
  let dir = '';

  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'celda-scale-out-')); });
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('the sample text is a few KB of mixed Spanish and English', () => {
    const text = readFileSync(join(ROOT, SAMPLE), 'utf8');
    expect(text.length).toBeGreaterThan(2000);
    expect(vocab).toBeGreaterThan(40);
    expect(text).toMatch(/ñ/);
  });

  it('trains the exported LSTM on 2 CPU ranks with DDP; the ranks end with identical parameters', async () => {
    requireTorch();
    const moduleDir = join(dir, 'module');
    const outDir = join(dir, 'trained');
    mkdirSync(moduleDir);
    exportLstm(moduleDir, vocab, 16);

    const r = await torchrun(SCRIPT, ['--module-dir', moduleDir, '--data', SAMPLE, '--steps', '5', '--batch', '4', '--seq', '24',
      '--log-every', '1', '--seed', '3', '--out', outDir]);
    expect(r.code, describeRun(r)).toBe(0);
    expect(r.output, describeRun(r)).toMatch(/ranks agree: 2 ranks, checksum sha256:[0-9a-f]{16}/);
    expect(r.output).toMatch(/world 2 \(gloo on cpu\)/);

    const losses = [...r.output.matchAll(/step (\d+)\/5 loss (\S+)/g)].map((m) => Number(m[2]));
    expect(losses, describeRun(r)).toHaveLength(5);
    for (const loss of losses) {
      expect(Number.isFinite(loss)).toBe(true);
      expect(loss).toBeGreaterThan(0);
      // Cross-entropy of a near-uniform guess over the vocabulary, give or take.
      expect(loss).toBeLessThan(2 * Math.log(vocab));
    }

    // Rank 0 saved the trained parameters in the module's own weights format, readout and vocabulary included.
    const saved = JSON.parse(readFileSync(join(outDir, 'weights.json'), 'utf8')) as {
      format: string; tensors: Record<string, { shape: number[]; data: number[] }>;
      readout: { weight: { shape: number[] } }; vocab: string[];
    };
    expect(saved.format).toBe('celda-torch-weights');
    expect(saved.vocab).toHaveLength(vocab);
    expect(saved.readout.weight.shape).toEqual([vocab, 16]);
    expect(Object.keys(saved.tensors).length).toBeGreaterThan(0);
    for (const t of Object.values(saved.tensors)) expect(t.data.every(Number.isFinite)).toBe(true);
    expect(existsSync(join(outDir, 'celda_cell.py'))).toBe(true);
    const summary = JSON.parse(readFileSync(join(outDir, 'train.json'), 'utf8')) as { world: number; checksum: string };
    expect(summary.world).toBe(2);
    expect(r.output).toContain(`checksum sha256:${summary.checksum.slice(0, 16)}`);
  }, RUN_TIMEOUT_MS + 30_000);

  it('fails (non-zero) and says so when one rank ends with different parameters', async () => {
    requireTorch();
    const moduleDir = join(dir, 'module-desync');
    mkdirSync(moduleDir);
    exportLstm(moduleDir, vocab, 8);
    const r = await torchrun(SCRIPT, ['--module-dir', moduleDir, '--data', SAMPLE, '--steps', '2', '--batch', '2', '--seq', '16',
      '--desync-rank', '1']);
    expect(r.code, describeRun(r)).not.toBe(0);
    expect(r.timedOut).toBe(false);
    expect(r.output).toMatch(/ranks DISAGREE: 2 different parameter sets over 2 ranks/);
    expect(r.output).not.toMatch(/ranks agree/);
  }, RUN_TIMEOUT_MS + 30_000);

  it('refuses a cell exported with the wrong input size and names the --input to use', async () => {
    requireTorch();
    const moduleDir = join(dir, 'module-wrong-input');
    mkdirSync(moduleDir);
    exportLstm(moduleDir, vocab + 3, 8);
    // A single process (no torchrun): the check runs before the process group is joined.
    const r = await run(PYTHON, [SCRIPT, '--module-dir', moduleDir, '--data', SAMPLE, '--steps', '1']);
    expect(r.code, describeRun(r)).toBe(2);
    expect(r.output).toContain(`reads ${vocab + 3} inputs per step but ${SAMPLE} has ${vocab} distinct characters`);
    expect(r.output).toContain(`--input ${vocab}`);
    expect(r.output).not.toMatch(/Traceback/);
  }, RUN_TIMEOUT_MS + 30_000);
});

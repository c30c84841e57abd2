import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { celda, celdaJson, tempFiles } from './celda';

interface TorchWeights { tensors: Record<string, { shape: number[]; data: number[] }>; readout?: { weight: { data: number[] } } }

describe('celda export', () => {
  it('exports a trained checkpoint to PyTorch: the weights file holds the checkpoint, readout included, and the module runs', () => {
    const t = tempFiles();
    const ckpt = join(t.dir, 'ckpt.json');
    expect(celda('train', 'examples/lstm.json', '--task', 'adding', '--steps', '2', '--hidden', '4', '--batch', '2', '--seq', '6', '--out', ckpt).status).toBe(0);
    const out = join(t.dir, 'torch');
    const r = celdaJson<{ ok: boolean; files: string[]; native: string | null; sizes: Record<string, number> }>('export', 'examples/lstm.json', '--to', 'pytorch', '--ckpt', ckpt, '--out', out);
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ ok: true, native: 'lstm', sizes: { input: 2, hidden: 4 } });
    const checkpoint = JSON.parse(readFileSync(ckpt, 'utf8')) as { params: Record<string, Record<string, number[]>>; readout: { W: number[] } };
    const weights = JSON.parse(readFileSync(join(out, 'weights.json'), 'utf8')) as TorchWeights;
    expect(weights.tensors.w_forget.data).toEqual(checkpoint.params.Wf.W);
    expect(weights.readout?.weight.data).toEqual(checkpoint.readout.W);
    const printed = execFileSync('/usr/bin/python3', ['-c', [
      'import sys, torch', `sys.path.insert(0, ${JSON.stringify(out)})`, 'import celda_cell as m',
      'seq = m.CeldaSequence()', `m.load_weights(seq.cell, ${JSON.stringify(join(out, 'weights.json'))})`,
      'ys, states = seq(torch.zeros(3, 2, m.INPUT_SIZE))', 'print(list(ys.shape), len(states))',
    ].join('\n')], { encoding: 'utf8' });
    expect(printed.trim()).toBe('[3, 2, 4] 2');
  });

  it('exports a TF.js module from a params file, at the file\'s sizes', () => {
    const t = tempFiles();
    const params = join(t.dir, 'params.json');
    expect(celda('init', 'examples/gru.json', '--input', '3', '--hidden', '5', '--out', params).status).toBe(0);
    const out = join(t.dir, 'js');
    const r = celdaJson<{ files: string[]; native: string | null }>('export', 'examples/gru.json', '--to', 'tfjs', '--params', params, '--out', out);
    expect(r.status).toBe(0);
    expect(r.json.native).toBeNull();
    expect(readFileSync(join(out, 'celda_cell.js'), 'utf8')).toContain('export const INPUT_SIZE = 3');
  });

  it('names what is wrong: no --to, both weight sources, a checkpoint from another cell', () => {
    const t = tempFiles();
    expect(celda('export', 'examples/lstm.json', '--out', t.dir)).toMatchObject({ status: 2, stderr: expect.stringContaining('--to pytorch or --to tfjs') });
    expect(celda('export', 'examples/lstm.json', '--to', 'pytorch', '--ckpt', 'a', '--params', 'b', '--out', t.dir)).toMatchObject({ status: 2, stderr: expect.stringContaining('not both') });
    const ckpt = join(t.dir, 'gru.json');
    expect(celda('train', 'examples/gru.json', '--task', 'adding', '--steps', '1', '--hidden', '4', '--batch', '2', '--seq', '4', '--out', ckpt).status).toBe(0);
    const r = celda('export', 'examples/lstm.json', '--to', 'pytorch', '--ckpt', ckpt, '--out', t.dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('checkpoint-cell-mismatch');
  });
});

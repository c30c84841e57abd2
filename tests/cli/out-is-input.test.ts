/**
 * `--out` naming a file the command reads (the cell file, a params file, a
 * checkpoint, a data file) is refused with exit 2, naming both, and the input is
 * left as it was — however the same file is spelled (symlink, `./a`, hard link).
 * The one exception: `celda train --resume X --out X` continues X.
 */
import { copyFileSync, linkSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli';
import { EXIT } from '../../src/cli/io';
import { ROOT, tempFiles } from './celda';

async function inProcess(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, { out: (t) => { stdout += t; }, err: (t) => { stderr += t; } });
  return { status, stdout, stderr };
}

/** A temp folder holding a copy of the RNN example as cell.json. */
function folderWithCell(): { dir: string; cell: string; original: string } {
  const tmp = tempFiles();
  const cell = join(tmp.dir, 'cell.json');
  copyFileSync(join(ROOT, 'examples/rnn.json'), cell);
  return { dir: tmp.dir, cell, original: readFileSync(cell, 'utf8') };
}

const TINY_TRAINING = ['--task', 'sine', '--steps', '2', '--batch', '1', '--seq', '2', '--hidden', '2', '--backend', 'reference'];

describe('--out equal to an input is refused', () => {
  it('init: the cell file itself, ./cell.json, a symlink and a hard link to it', async () => {
    const { dir, cell, original } = folderWithCell();
    symlinkSync(cell, join(dir, 'link.json'));
    linkSync(cell, join(dir, 'hard.json'));
    for (const out of [cell, join(dir, '.', 'cell.json'), `${dir}/./cell.json`, join(dir, 'link.json'), join(dir, 'hard.json')]) {
      const r = await inProcess('init', cell, '--out', out);
      expect(r.status, out).toBe(EXIT.usage);
      expect(r.stderr).toContain(`error[out-is-input] --out would overwrite the cell file ${cell}`);
      expect(readFileSync(cell, 'utf8')).toBe(original);
    }
    const json = await inProcess('init', cell, '--out', cell, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, exitCode: EXIT.usage, diagnostics: [{ code: 'out-is-input', file: cell }] });
  });

  it('export: a file it would write into --out is the cell, the --params file or the --ckpt checkpoint', async () => {
    const { dir, cell, original } = folderWithCell();
    const asWeights = join(dir, 'weights.json');
    const params = await inProcess('init', cell, '--out', asWeights, '--input', '2', '--hidden', '2');
    expect(params.status, params.stderr).toBe(0);
    const paramsText = readFileSync(asWeights, 'utf8');

    const overParams = await inProcess('export', cell, '--to', 'pytorch', '--params', asWeights, '--out', dir);
    expect(overParams.status).toBe(EXIT.usage);
    expect(overParams.stderr).toContain(`--out would overwrite the --params file ${asWeights}`);
    expect(readFileSync(asWeights, 'utf8')).toBe(paramsText);

    const ckpt = join(dir, 'ckpt.json');
    expect((await inProcess('train', cell, ...TINY_TRAINING, '--out', ckpt)).status).toBe(0);
    const ckptDir = join(dir, 'ck');
    mkdirSync(ckptDir);
    symlinkSync(ckpt, join(ckptDir, 'weights.json'));
    const ckptText = readFileSync(ckpt, 'utf8');
    const overCkpt = await inProcess('export', cell, '--to', 'tfjs', '--ckpt', ckpt, '--out', ckptDir);
    expect(overCkpt.status).toBe(EXIT.usage);
    expect(overCkpt.stderr).toContain(`--out would overwrite the --ckpt checkpoint ${ckpt} (as ${join(ckptDir, 'weights.json')})`);
    expect(readFileSync(ckpt, 'utf8')).toBe(ckptText);

    const cellDir = join(dir, 'as-module');
    mkdirSync(cellDir);
    symlinkSync(cell, join(cellDir, 'celda_cell.py'));
    const overCell = await inProcess('export', cell, '--to', 'pytorch', '--out', cellDir);
    expect(overCell.status).toBe(EXIT.usage);
    expect(overCell.stderr).toContain(`--out would overwrite the cell file ${cell}`);
    expect(readFileSync(cell, 'utf8')).toBe(original);
  });

  it('train: the cell file or the --data file; but --resume X --out X continues X', async () => {
    const { dir, cell, original } = folderWithCell();
    const overCell = await inProcess('train', cell, ...TINY_TRAINING, '--out', join(dir, '.', 'cell.json'));
    expect(overCell.status).toBe(EXIT.usage);
    expect(overCell.stderr).toContain(`--out would overwrite the cell file ${cell}`);
    expect(readFileSync(cell, 'utf8')).toBe(original);

    const data = join(dir, 'text.txt');
    copyFileSync(join(ROOT, 'examples/scale-out/sample.txt'), data);
    const dataText = readFileSync(data, 'utf8');
    const charlm = ['--task', 'charlm', '--data', data, '--steps', '1', '--batch', '1', '--seq', '2', '--hidden', '2', '--backend', 'reference'];
    const overData = await inProcess('train', cell, ...charlm, '--out', data);
    expect(overData.status).toBe(EXIT.usage);
    expect(overData.stderr).toContain(`--out would overwrite the --data file ${data}`);
    expect(readFileSync(data, 'utf8')).toBe(dataText);

    const ckpt = join(dir, 'ckpt.json');
    expect((await inProcess('train', cell, ...TINY_TRAINING, '--out', ckpt)).status).toBe(0);
    const resumed = await inProcess('train', cell, ...TINY_TRAINING, '--steps', '3', '--resume', ckpt, '--out', ckpt, '--json');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect((JSON.parse(readFileSync(ckpt, 'utf8')) as { stepsDone: number }).stepsDone).toBe(3);
  });
});

/**
 * Nothing a file or a run can do loses a checkpoint or runs away with memory: a diverging
 * `celda train` keeps and writes its last good step and exits 1; Ctrl-C stops a long step
 * between chunks; train, study, init and run refuse, before allocating, what would not fit
 * in --max-memory; init never writes a params file run refuses; a checkpoint's counts are checked.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/cli/training';
import { checkpointFromJson } from '../../src/runtime/checkpoint';
import { flattenParameters } from '../../src/runtime/model';
import { compileExample } from '../helpers';
import { ROOT, celda, tempFiles } from './celda';

const TINY = ['--hidden', '4', '--batch', '2', '--seq', '8'];
type Json = Record<string, unknown> & { params: Record<string, Record<string, number[]>>; readout: Record<string, number[]>; optimizer: { slots: Record<string, number[][]> } };
const readJson = (file: string): Json => JSON.parse(readFileSync(file, 'utf8')) as Json;
const allFinite = (v: unknown): boolean => (typeof v === 'number' ? Number.isFinite(v) : Array.isArray(v) ? v.every(allFinite) : typeof v === 'object' && v !== null ? Object.values(v).every(allFinite) : true);

describe('celda train: divergence', () => {
  /** A GRU checkpoint after 5 SGD steps whose velocity for the readout's bias is 10³⁰⁰: step 6 moves the bias to ≈ −10³⁰⁰, step 7's loss overflows. */
  function explosiveCheckpoint(dir: string): string {
    const file = join(dir, 'ck.json');
    const r = celda('train', 'examples/gru.json', '--task', 'adding', ...TINY, '--steps', '5', '--optimizer', 'sgd', '--backend', 'reference', '--out', file);
    expect(r.status, r.stderr).toBe(0);
    const json = readJson(file);
    json.optimizer.slots.velocity.at(-1)?.splice(0, 1, 1e300);
    writeFileSync(file, JSON.stringify(json));
    return file;
  }
  const resume = ['--task', 'adding', '--steps', '10', '--lr', '1', '--clip', '0', '--backend', 'reference'];

  it('--resume X --out X: stops at the first non-finite loss, says where and what to change, keeps X loadable at the last good step, exit 1', () => {
    const tmp = tempFiles();
    const ck = explosiveCheckpoint(tmp.dir);
    const r = celda('train', 'examples/gru.json', ...resume, '--resume', ck, '--out', ck);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain('error[diverged] Training diverged at step 7: the loss is not finite (NaN or ∞). That step was dropped; the parameters are those after step 6. Lower --lr (now 1) or clip the gradient norm with --clip 1.');
    expect(r.stdout).toContain('Diverged after step 6 of 10');
    expect(r.stdout).toContain(`Wrote the last good checkpoint ${ck} (6 steps done; continue with --resume ${ck} and a lower --lr).`);
    expect(readdirSync(tmp.dir)).toEqual(['ck.json']);
    const saved = readJson(ck);
    expect(saved.stepsDone).toBe(6);
    expect(allFinite(saved)).toBe(true);
    const compiled = compileExample('gru', { input: 2, hidden: 4 });
    const loaded = checkpointFromJson(compiled, saved);
    expect(loaded.ok, JSON.stringify(loaded.diagnostics)).toBe(true);

    // Exactly the state of a run asked for 6 steps from the same checkpoint.
    const ck2 = explosiveCheckpoint(join(tmp.dir)); // rewrites ck.json as it was
    const six = join(tmp.dir, 'six.json');
    expect(celda('train', 'examples/gru.json', ...resume, '--steps', '6', '--resume', ck2, '--out', six).status).toBe(0);
    const expected = checkpointFromJson(compiled, readJson(six));
    if (!loaded.ok || !expected.ok) throw new Error('does not load');
    expect(flattenParameters(compiled.program, loaded.value.params)).toEqual(flattenParameters(compiled.program, expected.value.params));
    expect(loaded.value.optimizer).toEqual(expected.value.optimizer);
  });

  it('--json: the done event says ok false and where it diverged; without --out nothing is saved', () => {
    const tmp = tempFiles();
    const ck = explosiveCheckpoint(tmp.dir);
    const r = celda('train', 'examples/gru.json', ...resume, '--resume', ck, '--json');
    expect(r.status).toBe(1);
    const done = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
    expect(done).toMatchObject({ event: 'done', ok: false, steps: 6, diverged: { step: 7, tensor: 'loss', quantity: 'loss' } });
    expect(done.message).toContain('Training diverged at step 7');
    const human = celda('train', 'examples/gru.json', ...resume, '--resume', ck);
    expect(human.status).toBe(1);
    expect(human.stdout).toContain('No --out given: the trained parameters were not saved.');
  });
});

describe('celda train: Ctrl-C during a long step', () => {
  it('stops between two chunks, drops the unfinished step, writes the last good state, exit 130', async () => {
    const tmp = tempFiles();
    const out = join(tmp.dir, 'ck.json');
    // Each step is 100 chunks of 2 time steps on 1024 sequences: seconds on the reference runtime.
    const child = spawn(process.execPath, ['bin/celda.js', 'train', 'examples/rnn.json', '--task', 'sine', '--backend', 'reference', '--hidden', '64',
      '--batch', '1024', '--seq', '200', '--chunk', '2', '--steps', '3', '--out', out], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('Training ')) setTimeout(() => child.kill('SIGINT'), 500);
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(status, stderr).toBe(130);
    expect(stderr).toContain('Interrupted: stopping after this chunk (the unfinished step is dropped)');
    expect(stdout).toMatch(/Interrupted after step 0 of 3 \(step 1 was stopped after chunk \d+ of 100 and dropped\)/);
    expect(readJson(out).stepsDone).toBe(0);
  });
});

describe('memory limits', () => {
  it('celda train refuses, before allocating, a run over the limit, naming the sizes and what to lower', () => {
    const tmp = tempFiles();
    const out = join(tmp.dir, 'ck.json');
    const r = celda('train', 'examples/lstm.json', '--task', 'adding', '--batch', '1024', '--seq', '10000', '--hidden', '256', '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error\[over-memory-limit\] Training needs ≈ \d+ GB of memory, over the limit of [\d.]+ [GMT]B: activations saved for the backward pass ≈ \d+ GB \(batch 1,024 × length 10,000 × [\d,]+ values × 8 bytes\)/);
    expect(r.stderr).toContain('To fit, lower --batch, --seq or --hidden, or raise --max-memory.');
    expect(existsSync(out)).toBe(false);

    const small = celda('train', 'examples/rnn.json', '--task', 'adding', ...TINY, '--steps', '1', '--max-memory', '20kB');
    expect(small.status).toBe(1);
    expect(small.stderr).toContain('over the limit of 20 kB');
    expect(celda('train', 'examples/rnn.json', '--task', 'adding', ...TINY, '--steps', '1', '--max-memory', '1GiB').status).toBe(0);
    const bad = celda('train', 'examples/rnn.json', '--task', 'adding', '--max-memory', 'lots');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--max-memory must be a size such as 8GB, 512MB or 2GiB, got "lots".');
    expect(celda('train', '--help').stdout).toMatch(/--max-memory SIZE +Refuse to start when the estimated memory is over SIZE/);
  });

  it('celda train refuses a checkpoint --out larger than --resume reads', () => {
    const tmp = tempFiles();
    const r = celda('train', 'examples/lstm.json', '--task', 'adding', '--hidden', '2000', '--out', join(tmp.dir, 'ck.json'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error\[checkpoint-too-large\] The checkpoint would take up to [\d.]+ GB \(16,[\d,]+ learned values and adam's 2 slots for each\), more than the 268 MB Celda reads back/);
  });

  it('celda study refuses runs over the limit', () => {
    const r = celda('study', 'adding', '--batch', '1024', '--length', '10000', '--hidden', '256');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error[over-memory-limit] Training Elman RNN needs ≈');
    expect(r.stderr).toContain('lower --batch, --length or --hidden');
  });

  it('celda init never writes a params file celda run would refuse, and respects --max-memory', () => {
    const tmp = tempFiles();
    const out = join(tmp.dir, 'p.json');
    const r = celda('init', 'examples/lstm.json', '--hidden', '4000', '--out', out);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error\[params-file-too-large\] The params file for LSTM \(input \d+, hidden 4000\) would hold [\d,]+ values, up to [\d.]+ GB; "celda run" reads params files of up to 268 MB\. Lower --hidden/);
    expect(existsSync(out)).toBe(false);
    const small = celda('init', 'examples/lstm.json', '--max-memory', '1kB', '--out', out);
    expect(small.status).toBe(1);
    expect(small.stderr).toContain('error[over-memory-limit] Initialising needs');
    expect(celda('init', 'examples/lstm.json', '--out', out).status).toBe(0);
    expect(readdirSync(tmp.dir)).toEqual(['p.json']);
  });

  it('celda run refuses a run over the limit, and a --json result longer than one string holds', () => {
    const tmp = tempFiles();
    const params = join(tmp.dir, 'p.json');
    expect(celda('init', 'examples/rnn.json', '--input', '1', '--hidden', '64', '--out', params).status).toBe(0);
    const inputs = tmp.write('x.json', `[${Array.from({ length: 10_000 }, () => `[${Array(100).fill('[0]').join(',')}]`).join(',')}]`);
    const over = celda('run', 'examples/rnn.json', '--params', params, '--inputs', inputs, '--max-memory', '1MB');
    expect(over.status).toBe(1);
    expect(over.stderr).toContain('error[over-memory-limit] This run needs ≈');
    expect(over.stderr).toContain('10,000 steps × batch 100');
    const long = celda('run', 'examples/rnn.json', '--params', params, '--inputs', inputs, '--max-memory', '100GB', '--json');
    expect(long.status).toBe(1);
    expect(JSON.parse(long.stdout).diagnostics[0].message).toMatch(/^The --json result would be up to [\d.]+ GB of text \(10000 steps × batch 100 of outputs\); celda run prints at most 268 MB at once/);
  });
});

describe('celda train --resume: the checkpoint\'s counts', () => {
  it('a bad or foreign task.outputSize is refused, naming the field, not a crash or a NaN run', () => {
    const tmp = tempFiles();
    const ck = join(tmp.dir, 'ck.json');
    expect(celda('train', 'examples/rnn.json', '--task', 'adding', ...TINY, '--steps', '2', '--out', ck).status).toBe(0);
    const json = readJson(ck);

    const negative = tmp.write('negative.json', { ...json, task: { ...(json.task as object), outputSize: -1 } });
    const r = celda('train', 'examples/rnn.json', '--task', 'adding', '--steps', '4', '--resume', negative);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error[bad-checkpoint] task.outputSize must be a whole number from 1 to 4096, got -1.');

    // Two outputs with a readout of that shape: a consistent file, but not the adding task's readout.
    const { optimizer: _, ...rest } = json;
    const two = tmp.write('two.json', { ...rest, task: { ...(json.task as object), outputSize: 2 }, readout: { W: [...json.readout.W, ...json.readout.W], b: [0, 0] } });
    const mismatch = celda('train', 'examples/rnn.json', '--task', 'adding', '--steps', '4', '--resume', two);
    expect(mismatch.status).toBe(1);
    expect(mismatch.stderr).toContain('error[checkpoint-task-mismatch] The checkpoint\'s task.outputSize is 2, but the adding task predicts 1 value');
  });
});

describe('writeFileAtomic', () => {
  it('replaces a file whole, and a write that fails leaves what was there and no temporary file', () => {
    const tmp = tempFiles();
    const file = tmp.write('ck.json', 'old');
    writeFileAtomic(file, 'new', 'checkpoint');
    expect(readFileSync(file, 'utf8')).toBe('new');
    const folder = join(tmp.dir, 'folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'keep.txt'), 'kept');
    expect(() => writeFileAtomic(folder, 'new', 'checkpoint')).toThrow(`Cannot write the checkpoint ${folder}`);
    expect(readFileSync(join(folder, 'keep.txt'), 'utf8')).toBe('kept');
    expect(readdirSync(tmp.dir).sort()).toEqual(['ck.json', 'folder']);
  });
});

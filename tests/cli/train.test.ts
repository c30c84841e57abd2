/**
 * `celda train`, `celda sample` and `celda study`, spawned as a user runs them, on
 * tiny budgets (a spawn costs about half a second; training a few steps, milliseconds),
 * and the progress line's rendering.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProgressReporter, renderProgress, type ProgressSink } from '../../src/cli/progress';
import { checkpointFromJson } from '../../src/runtime/checkpoint';
import { compileExample } from '../helpers';
import { ROOT, celda, tempFiles } from './celda';

const TINY = ['--steps', '5', '--hidden', '4', '--batch', '2', '--seq', '8'];
/** A short Spanish text: 20 distinct characters, long enough for the char-LM task's splits. */
const TEXT = 'Voy al parque con mi perro. Vamos a la playa con mis amigos. Voy al cine con mi hermana.\n'.repeat(4);

interface Event { event: string; [key: string]: unknown }
const events = (stdout: string): Event[] => stdout.trim().split('\n').map((line) => JSON.parse(line) as Event);
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('renderProgress', () => {
  it('shows step/total, a bar, the percentage, the loss, steps/s and the ETA within the width', () => {
    const line = renderProgress({ step: 120, total: 500, loss: 0.12345, stepsPerSecond: 40, elapsed: 3, width: 80 });
    expect(line).toContain('120/500');
    expect(line).toMatch(/\[█+[▏▎▍▌▋▊▉]? *\]/);
    expect(line).toContain(' 24%');
    expect(line).toContain('loss 0.1235');
    expect(line).toContain('40.0 steps/s');
    expect(line).toContain('ETA 0:10'); // 380 steps left at 40 steps/s = 9.5 s
    expect(line.length).toBeLessThanOrEqual(80);
  });

  it('drops the bar and the details on a narrow terminal, never overflowing', () => {
    for (const width of [20, 30, 45, 60]) {
      const line = renderProgress({ step: 7, total: 1000, loss: 2.5, stepsPerSecond: 12.5, elapsed: 1, width, label: 'LSTM seed 1/3' });
      expect(line.length).toBeLessThanOrEqual(width);
      expect(line).toContain('7/1000');
    }
    expect(renderProgress({ step: 7, total: 1000, loss: 2.5, stepsPerSecond: 12.5, elapsed: 1, width: 120, label: 'LSTM seed 1/3' })).toMatch(/^LSTM seed 1\/3 +7\/1000 +\[/);
  });

  it('says "in" the elapsed time when done, "?" before the speed is known, and tiny losses in exponent form', () => {
    const done = renderProgress({ step: 50, total: 50, loss: 0.00012, stepsPerSecond: 20, elapsed: 75, width: 100 });
    expect(done).toContain('100%');
    expect(done).toContain('in 1:15');
    expect(done).toContain('loss 1.20e-4');
    expect(done).toMatch(/\[█+\]/);
    const first = renderProgress({ step: 0, total: 10, loss: Number.NaN, stepsPerSecond: 0, elapsed: 0, width: 100 });
    expect(first).toContain('ETA ?');
    expect(first).toContain('loss n/a');
    expect(first).not.toContain('steps/s');
    expect(renderProgress({ step: 3, total: 10, loss: 1, stepsPerSecond: 5, elapsed: 1, width: 100, bar: false })).not.toContain('[');
  });

  it('reporter: plain lines at every 10% off a terminal; throttled \\r redraws on one', () => {
    let clock = 0;
    const plain: string[] = [];
    const file: ProgressSink = { write: (t) => void plain.push(t), isTTY: false };
    const r = new ProgressReporter(file, 0, 95, undefined, () => clock);
    for (let s = 1; s <= 95; s++) {
      clock += 10;
      r.update(s, 1 / s);
    }
    expect(plain).toHaveLength(10);
    expect(plain.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(plain[9]).toContain('95/95');

    clock = 0;
    const tty: string[] = [];
    const term: ProgressSink = { write: (t) => void tty.push(t), isTTY: true, columns: 60 };
    const t = new ProgressReporter(term, 0, 100, undefined, () => clock);
    for (let s = 1; s <= 100; s++) {
      clock += 5; // 200 steps/s: redraw every 20 steps at most
      t.update(s, 0.5);
    }
    t.log('step 100: validation loss 0.5');
    t.finish();
    const redraws = tty.filter((x) => x.startsWith('\r'));
    expect(redraws.length).toBeGreaterThan(3);
    expect(redraws.length).toBeLessThan(12);
    expect(tty.join('')).toContain('step 100: validation loss 0.5\n');
    expect(tty[tty.length - 1]).toBe('\n');
    expect(redraws.every((x) => x.replace('\r\u001b[2K', '').length <= 59)).toBe(true);
  });
});

describe('celda train', () => {
  it('trains on adding and writes a checkpoint that loads; --json prints step, eval and done lines', () => {
    const tmp = tempFiles();
    const out = join(tmp.dir, 'ck.json');
    const human = celda('train', 'examples/lstm.json', '--task', 'adding', ...TINY, '--out', out);
    expect(human.status, human.stderr).toBe(0);
    expect(human.stderr).toContain('Training LSTM (input 2, hidden 4;');
    expect(human.stderr).toContain('5/5');
    expect(human.stdout).toContain('Trained LSTM on adding: 5 steps');
    expect(human.stdout).toMatch(/validation loss +\d/);
    expect(human.stdout).toMatch(/baseline \(no memory\) +0\.1667/);
    expect(human.stdout).toContain(`Wrote the checkpoint ${out}`);
    expect(readdirSync(tmp.dir)).toEqual(['ck.json']); // no temporary file left behind

    const json = readJson(out);
    expect(json.task).toEqual({ name: 'adding', inputSize: 2, outputSize: 1, loss: 'mse' });
    expect(json.config).toMatchObject({ steps: 5, batch: 2, length: 8, optimizer: 'adam', seed: 1 });
    expect(typeof json.validationLoss).toBe('number');
    const loaded = checkpointFromJson(compileExample('lstm', { input: 2, hidden: 4 }), json);
    expect(loaded.ok).toBe(true);
    if (loaded.ok) expect(loaded.value.stepsDone).toBe(5);

    const r = celda('train', 'examples/gru.json', '--task', 'adding', ...TINY, '--eval-every', '2', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = events(r.stdout);
    expect(lines.filter((e) => e.event === 'step').map((e) => e.step)).toEqual([1, 2, 3, 4, 5]);
    expect(lines.filter((e) => e.event === 'step').every((e) => typeof e.loss === 'number' && typeof e.gradNorm === 'number'
      && typeof e.clipped === 'boolean' && e.lr === 0.01 && typeof e.stepsPerSecond === 'number')).toBe(true);
    expect(lines.filter((e) => e.event === 'eval').map((e) => e.step)).toEqual([2, 4, 5]);
    const done = lines[lines.length - 1];
    expect(done).toMatchObject({ event: 'done', ok: true, interrupted: false, task: 'adding', steps: 5, stepsRun: 5, baseline: { loss: 1 / 6 } });
    expect(done.validationLoss).toBe(lines[lines.length - 2].validationLoss);
  });

  it('reports bits per character on charlm', () => {
    const tmp = tempFiles();
    const data = tmp.write('text.txt', TEXT);
    const r = celda('train', 'examples/rnn.json', '--task', 'charlm', '--data', data, ...TINY, '--json');
    expect(r.status, r.stderr).toBe(0);
    const lines = events(r.stdout);
    const step = lines.find((e) => e.event === 'step') as Event;
    expect(step.bitsPerChar).toBeCloseTo((step.loss as number) / Math.LN2, 12);
    const done = lines[lines.length - 1] as Event & { bitsPerChar: Record<string, number>; validationLoss: number };
    expect(done.task).toBe('char-lm');
    expect(done.sizes).toEqual({ input: 20, hidden: 4 });
    expect(done.bitsPerChar.validation).toBeCloseTo(done.validationLoss / Math.LN2, 12);
    const human = celda('train', 'examples/rnn.json', '--task', 'charlm', '--data', data, ...TINY);
    expect(human.stdout).toMatch(/validation loss +[\d.]+ nats = [\d.]+ bits\/char/);
  });

  it('trains on spell-number (its one length by default; --up-to) and on dinosaurs (bits per character)', () => {
    const spell = celda('train', 'examples/gru.json', '--task', 'spell-number', '--up-to', '20', '--steps', '3', '--hidden', '4', '--batch', '2', '--json');
    expect(spell.status, spell.stderr).toBe(0);
    const spelled = events(spell.stdout).pop() as Event;
    expect(spelled).toMatchObject({ task: 'spell-number', sizes: { input: 50, hidden: 4 }, config: { length: 'diecinueve'.length + 1 } });
    expect(spelled.bitsPerChar).toBeUndefined();
    const tooFar = celda('train', 'examples/gru.json', '--task', 'spell-number', '--up-to', '1000');
    expect(tooFar.status).toBe(2);
    expect(tooFar.stderr).toContain('--up-to must be a whole number from 9 to 999, got 1000.');
    const elsewhere = celda('train', 'examples/gru.json', '--task', 'adding', '--up-to', '20');
    expect(elsewhere.status).toBe(2);
    expect(elsewhere.stderr).toContain('--up-to applies only to --task spell-number.');

    const dinosaurs = celda('train', 'examples/rnn.json', '--task', 'dinosaurs', ...TINY, '--json');
    expect(dinosaurs.status, dinosaurs.stderr).toBe(0);
    const done = events(dinosaurs.stdout).pop() as Event & { bitsPerChar: Record<string, number>; validationLoss: number };
    expect(done).toMatchObject({ task: 'dinosaurs', sizes: { input: 27, hidden: 4 } });
    expect(done.bitsPerChar.validation).toBeCloseTo(done.validationLoss / Math.LN2, 12);
  });

  it('names the option in every problem, with exit 2 for the command line and 1 for a file', () => {
    const tmp = tempFiles();
    const cases: [string[], number, string][] = [
      [['--task', 'adding', '--lr', 'abc'], 2, 'error[bad-hyperparameter] --lr must be a finite number from 1e-8 to 10, got "abc".'],
      [['--task', 'adding', '--lr', '50', '--batch', '0'], 2, '--batch must be a whole number from 1 to 1024, got 0.'],
      [['--task', 'nope'], 2, 'Unknown task "nope": --task must be one of charlm, adding, copy, order, sine, spell-number, dinosaurs.'],
      [['--task', 'copy', '--delay', '5', '--seq', '20'], 2, '--seq must be 25 (delay 5 + 20), got 20.'],
      [['--task', 'copy', '--delay', '0'], 2, '--delay must be a whole number from 1 to'],
      [['--task', 'charlm', '--data', join(tmp.dir, 'missing.txt')], 2, `Cannot read the data file ${join(tmp.dir, 'missing.txt')}: no such file or directory.`],
      [['--task', 'charlm', '--data', tmp.write('short.txt', 'Hola, mundo.')], 1, '--data: text is too short: 12 characters, at least 200 are needed.'],
      [['--task', 'charlm', '--data', tmp.write('empty.txt', '')], 1, '--data: text is empty.'],
      [['--task', 'adding', '--data', 'x.txt'], 2, '--data applies only to --task charlm.'],
      [['--task', 'adding', '--chunk', '9', '--seq', '8'], 2, '--chunk must be a whole number from 1 to 8, got 9.'],
      [['--task', 'adding', '--input', '3'], 2, '--input 3 does not fit the adding task, which feeds 2 values per step'],
      [['--task', 'charlm', '--data', tmp.write('text.txt', 'abcdefghij'.repeat(30)), '--input', '3'], 2, '--input 3 does not fit the char-lm task, which feeds 10 values per step (its vocabulary size)'],
      [['--task', 'adding', '--schedule', 'cosine', '--warmup', '9', '--steps', '5'], 2, '--warmup must be a whole number from 0 to 5, got 9.'],
      [['--task', 'adding', '--warmup', '2'], 2, '--warmup applies only to --schedule cosine.'],
      [['--task', 'adding', '--optimizer', 'adamw'], 2, '--optimizer must be one of sgd, rmsprop, adam'],
      [['--task', 'adding', '--out', join(tmp.dir, 'no', 'such', 'dir', 'ck.json')], 2, 'Cannot write the checkpoint'],
      [[], 2, 'celda train needs --task NAME'],
    ];
    for (const [args, status, message] of cases) {
      const r = celda('train', 'examples/rnn.json', ...args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(status);
      expect(r.stderr, args.join(' ')).toContain(message);
      expect(r.stdout).toBe('');
    }
    // copy's default sequence length is the only one it accepts.
    const copy = celda('train', 'examples/rnn.json', '--task', 'copy', '--delay', '3', '--steps', '2', '--hidden', '4', '--batch', '2', '--json');
    expect(copy.status, copy.stderr).toBe(0);
    expect(events(copy.stdout).pop()?.config).toMatchObject({ length: 23 });
  });

  it('--resume continues to --steps from the checkpoint, and refuses another cell or task', () => {
    const tmp = tempFiles();
    const first = join(tmp.dir, 'first.json');
    const second = join(tmp.dir, 'second.json');
    expect(celda('train', 'examples/gru.json', '--task', 'adding', ...TINY, '--out', first).status).toBe(0);
    const r = celda('train', 'examples/gru.json', '--task', 'adding', '--resume', first, '--steps', '8', '--out', second, '--json');
    expect(r.status, r.stderr).toBe(0);
    const lines = events(r.stdout);
    expect(lines.filter((e) => e.event === 'step').map((e) => e.step)).toEqual([6, 7, 8]);
    expect(lines[lines.length - 1]).toMatchObject({ event: 'done', steps: 8, stepsRun: 3, sizes: { input: 2, hidden: 4 } });
    const resumed = readJson(second);
    expect(resumed.stepsDone).toBe(8);
    expect(resumed.config).toMatchObject({ steps: 8, batch: 2, length: 8 }); // the checkpoint's settings carry over

    const cases: [string[], number, string][] = [
      [['examples/lstm.json', '--task', 'adding', '--steps', '9'], 1, 'error[checkpoint-cell-mismatch] This checkpoint was trained on another cell ("GRU (reset before)"'],
      [['examples/gru.json', '--task', 'sine', '--steps', '9'], 1, 'The checkpoint was trained on the "adding" task, not "sine": resume it with --task adding.'],
      [['examples/gru.json', '--task', 'adding'], 2, '--steps must be more than the 5 steps the checkpoint'],
    ];
    for (const [args, status, message] of cases) {
      const bad = celda('train', ...args, '--resume', first);
      expect(bad.status, bad.stderr).toBe(status);
      expect(bad.stderr).toContain(message);
    }
  });

  it('stops after the current step on Ctrl-C, still prints the summary and writes --out, exit 130', async () => {
    const tmp = tempFiles();
    const out = join(tmp.dir, 'ck.json');
    const child = spawn(process.execPath, ['bin/celda.js', 'train', 'examples/rnn.json', '--task', 'adding', '--steps', '10000000', '--hidden', '4', '--batch', '2', '--seq', '8', '--out', out], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('Training ')) setTimeout(() => child.kill('SIGINT'), 300);
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(status, stderr).toBe(130);
    expect(stderr).toContain('Interrupted: stopping after this step');
    expect(stdout).toMatch(/Interrupted after step \d+ of 10000000/);
    expect(stdout).toContain(`continue with --resume ${out}`);
    expect(existsSync(out)).toBe(true);
    const json = readJson(out);
    expect(json.stepsDone).toBeGreaterThan(0);
    expect(json.stepsDone).toBeLessThan(10_000_000);
  });
});

describe('celda train --backend', () => {
  it('gpu (gpu.js webasm) and reference give the same loss curve, step by step (float32 vs float64)', () => {
    const run = (backend: string) => {
      const r = celda('train', 'examples/lstm.json', '--task', 'adding', ...TINY, '--steps', '12', '--backend', backend, '--json');
      expect(r.status, r.stderr).toBe(0);
      return events(r.stdout).filter((e) => e.event === 'step').map((e) => e.loss as number);
    };
    const fast = run('gpu');
    const reference = run('reference');
    expect(fast).toHaveLength(12);
    fast.forEach((loss, i) => expect(Math.abs(loss - reference[i]) / reference[i], `step ${i + 1}`).toBeLessThan(1e-3));
  });

  it('says which backend trains, and refuses an unknown one naming the choices', () => {
    const r = celda('train', 'examples/rnn.json', '--task', 'adding', ...TINY);
    expect(r.stderr).toContain('backend gpu.js webasm.');
    const bad = celda('train', 'examples/rnn.json', '--task', 'adding', ...TINY, '--backend', 'cuda');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--backend must be one of auto, reference, gpu, webasm, webgl2, webgpu, cpu; got "cuda".');
    const absent = celda('train', 'examples/rnn.json', '--task', 'adding', ...TINY, '--backend', 'webgl2');
    expect(absent.status).toBe(2);
    expect(absent.stderr).toContain('--backend: gpu.js cannot run webgl2 here (Node has webasm and cpu); use --backend auto or webasm.');
    const webgpu = celda('train', 'examples/rnn.json', '--task', 'adding', ...TINY, '--backend', 'webgpu');
    expect(webgpu.status).toBe(2);
    expect(webgpu.stderr).toContain('--backend: gpu.js cannot run webgpu here (Node has webasm and cpu); use --backend auto or webasm.');
  });

  it('refuses a chunk longer than the gpu plan unrolls, naming --chunk', () => {
    const r = celda('train', 'examples/rnn.json', '--task', 'adding', '--steps', '1', '--hidden', '2', '--batch', '1', '--seq', '600', '--backend', 'gpu');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--chunk: the gpu backend unrolls at most 512 steps per plan; got 600. Train with --chunk 512 or less.');
  });
});

describe('celda sample', () => {
  it('lists the top K next characters and samples --length characters from a charlm checkpoint', () => {
    const tmp = tempFiles();
    const data = tmp.write('text.txt', TEXT);
    const ckpt = join(tmp.dir, 'lm.json');
    const adding = join(tmp.dir, 'adding.json');
    expect(celda('train', 'examples/lstm.json', '--task', 'charlm', '--data', data, ...TINY, '--out', ckpt).status).toBe(0);

    const r = celda('sample', 'examples/lstm.json', '--ckpt', ckpt, '--prefix', 'Voy al parque con mi ', '--top', '3', '--length', '25', '--json');
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { guesses: { char: string; probability: number }[]; continuation: string; prefix: string };
    expect(json.prefix).toBe('Voy al parque con mi ');
    expect(json.guesses).toHaveLength(3);
    const total = json.guesses.reduce((s, g) => s + g.probability, 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(1 + 1e-12);
    expect(json.guesses.map((g) => g.probability)).toEqual([...json.guesses.map((g) => g.probability)].sort((a, b) => b - a));
    expect([...json.continuation]).toHaveLength(25);
    expect([...json.continuation].every((c) => TEXT.includes(c))).toBe(true);

    const human = celda('sample', 'examples/lstm.json', '--ckpt', ckpt, '--prefix', 'Voy al parque con mi ', '--top', '3', '--length', '25', '--sample-top', '2', '--seed', '7');
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout.split('\n').filter((l) => /^ {2}\S+ +\d+\.\d%/.test(l))).toHaveLength(3);
    expect(human.stdout).toContain('the top 3 together:');
    expect(human.stdout).toContain('25 sampled characters (temperature 1, top 2, seed 7)');

    const cases: [string[], number, string][] = [
      [['--prefix', 'Voy al Zoo'], 2, '--prefix: the character "Z" at position 7 is not in the model\'s vocabulary'],
      [['--prefix', ''], 2, '--prefix must not be empty'],
      [['--prefix', 'Voy', '--temperature', '0'], 2, '--temperature must be a number from 0.05 to 10, got "0".'],
      [['--prefix', 'Voy', '--top', '21'], 2, '--top must be a whole number from 1 to 20'],
    ];
    for (const [args, status, message] of cases) {
      const bad = celda('sample', 'examples/lstm.json', '--ckpt', ckpt, ...args);
      expect(bad.status, bad.stderr).toBe(status);
      expect(bad.stderr).toContain(message);
    }
    expect(celda('train', 'examples/lstm.json', '--task', 'adding', ...TINY, '--out', adding).status).toBe(0);
    const notText = celda('sample', 'examples/lstm.json', '--ckpt', adding, '--prefix', 'Voy');
    expect(notText.status).toBe(1);
    expect(notText.stderr).toContain('The checkpoint was trained on the "adding" task; celda sample needs a character model');
    const otherCell = celda('sample', 'examples/gru.json', '--ckpt', ckpt, '--prefix', 'Voy');
    expect(otherCell.status).toBe(1);
    expect(otherCell.stderr).toContain('checkpoint-cell-mismatch');
  });
});

describe('celda study', () => {
  it('trains the RNN, LSTM and GRU with the same settings and prints a markdown table with a verdict each', () => {
    const r = celda('study', 'adding', '--length', '10', '--seeds', '1', '--steps', '3', '--hidden', '4', '--batch', '2');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('## Adding problem, T = 10');
    expect(r.stdout).toMatch(/^\| cell +\| seed 1 +\| mean +\| baseline \| steps \| time +\|$/m);
    for (const row of ['Elman RNN (examples/rnn.json)', 'LSTM (examples/lstm.json)', 'GRU (reset before) (examples/gru.json)']) {
      expect(r.stdout).toMatch(new RegExp(`^\\| ${row.replace(/[()]/g, '\\$&')} +\\| [\\d.e-]+ +\\| \\*\\*[\\d.e-]+\\*\\* +\\| 0\\.1667 +\\| 3 +\\|`, 'm'));
    }
    expect(r.stdout.match(/^- .+: \*\*(learned|near baseline|partly)\*\*/gm)).toHaveLength(3);
    expect(r.stderr).toContain('[3/3] GRU (reset before) seed 1');

    const json = celda('study', 'adding', '--length', '10', '--seeds', '2', '--steps', '2', '--hidden', '3', '--batch', '2', '--json');
    expect(json.status, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as { cells: { cell: string; validationLoss: number[]; mean: number; verdict: string }[]; config: { seeds: number[] } };
    expect(parsed.config.seeds).toEqual([1, 2]);
    expect(parsed.cells.map((c) => c.cell)).toEqual(['Elman RNN', 'LSTM', 'GRU (reset before)']);
    for (const c of parsed.cells) {
      expect(c.validationLoss).toHaveLength(2);
      expect(c.mean).toBeCloseTo((c.validationLoss[0] + c.validationLoss[1]) / 2, 12);
    }

    const other = celda('study', 'copy');
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('Unknown study "copy": the studies are adding.');
    const badLength = celda('study', 'adding', '--length', '1', '--steps', '1');
    expect(badLength.status).toBe(2);
    expect(badLength.stderr).toContain('--length must be a whole number from 2 to 10000, got 1.');
  });
});

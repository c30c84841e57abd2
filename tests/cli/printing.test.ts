/**
 * Text from files and from the command line (cell names, labels, file names)
 * printed by the CLI: a newline in a name must not forge a line of output, an
 * escape sequence must not reach the terminal, and --json stays valid JSON.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli';
import { formatDiagnostic, stringifyJson, terminalSafe } from '../../src/cli/io';
import { ROOT, tempFiles } from './celda';

/** Raw characters no printed line may hold: controls other than the line's own end, separators, bidi controls. */
// eslint-disable-next-line no-control-regex
const RAW_UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A line a forger would like to see in the output (no slash: it is also used in file names). */
const FORGED = 'rnn.json: ok (forged)';

async function inProcess(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, { out: (t) => { stdout += t; }, err: (t) => { stderr += t; } });
  return { status, stdout, stderr };
}

/** The LSTM example with a name, and every node's label, of our choosing. */
function lstmNamed(name: string, label: string): unknown {
  const cell = JSON.parse(readFileSync(join(ROOT, 'examples/lstm.json'), 'utf8')) as { metadata: { name: string }; nodes: { label?: string }[] };
  cell.metadata.name = name;
  for (const node of cell.nodes) node.label = label;
  return cell;
}

describe('terminalSafe', () => {
  it('escapes control characters, separators and bidi controls JSON-style, and keeps the rest', () => {
    expect(terminalSafe('a\nb\tc\r\u001b[31m\u0085\u2028\u2029\u202e\u2066\u200f é ⊙ σ')).toBe(
      'a\\nb\\tc\\r\\u001b[31m\\u0085\\u2028\\u2029\\u202e\\u2066\\u200f é ⊙ σ',
    );
  });

  it('makes any diagnostic one line', () => {
    const line = formatDiagnostic({ code: 'x', severity: 'error', message: 'label "a\nb"', file: 'c\nd.json', path: 'sizes.named.e\nf' });
    expect(line).not.toMatch(RAW_UNPRINTABLE);
    expect(line).toBe('c\\nd.json: error[x] label "a\\nb" (field sizes.named.e\\nf)');
  });
});

describe('stringifyJson', () => {
  it('writes separators, C1 controls and bidi controls as \\u escapes: the same value, safe to show', () => {
    const value = { ['k\u202e']: ['a\u2028b', 'c\u0085\u007f', 1.5], s: 'x\ny\u001b' };
    const text = stringifyJson(value);
    expect(text).not.toMatch(RAW_UNPRINTABLE);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('names, labels and file names in the output', () => {
  it('validate: a newline in a cell name cannot forge an "ok" line; --json keeps the name exactly', async () => {
    const tmp = tempFiles();
    const name = `forged\n${FORGED}`;
    const file = tmp.write('named.json', lstmNamed(name, 'gate\u2028two'));
    const human = await inProcess('validate', file);
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout.split('\n').filter(Boolean)).toEqual([`${file}: ok (forged\\n${FORGED}: 18 nodes, 22 connections)`]);
    const json = await inProcess('validate', file, '--json');
    expect(json.stdout).not.toMatch(RAW_UNPRINTABLE);
    expect((JSON.parse(json.stdout) as { files: { name: string }[] }).files[0].name).toBe(name);
  });

  it('validate: a file name with a newline, and a label with an escape sequence, are shown escaped', async () => {
    const tmp = tempFiles();
    const file = tmp.write(`evil\n${FORGED}.json`, lstmNamed('LSTM', '\u001b[2J\u202ered'));
    const human = await inProcess('validate', file);
    expect(human.status).toBe(1);
    const lines = human.stdout.split('\n').filter(Boolean);
    for (const line of lines) {
      expect(line).not.toMatch(RAW_UNPRINTABLE);
      expect(line.startsWith(`${tmp.dir}/evil\\n${FORGED}.json: `), line).toBe(true);
    }
    expect(human.stdout).toContain('\\u001b[2J\\u202ered');
    const json = await inProcess('validate', file, '--json');
    expect(json.stdout).not.toMatch(RAW_UNPRINTABLE);
    expect((JSON.parse(json.stdout) as { files: { file: string }[] }).files[0].file).toBe(file);
  });

  it('info, equations, init, gradcheck and export print labels and names one line each', async () => {
    const tmp = tempFiles();
    const name = `n\n${FORGED}\t\u2029`;
    const file = tmp.write('named.json', lstmNamed(name, `l\n${FORGED}`));
    const runs = [
      await inProcess('info', file, '--input', '2', '--hidden', '2', '--ir', '--plan'),
      await inProcess('equations', file),
      await inProcess('init', file, '--input', '2', '--hidden', '2', '--out', join(tmp.dir, `p\n${FORGED}.json`)),
      await inProcess('gradcheck', file, '--input', '2', '--hidden', '2', '--steps', '2', '--batch', '1'),
      await inProcess('export', file, '--to', 'pytorch', '--out', join(tmp.dir, `out\n${FORGED}`), '--input', '2', '--hidden', '2'),
    ];
    for (const r of runs) {
      expect(r.status, r.stderr).toBe(0);
      for (const line of `${r.stdout}${r.stderr}`.split('\n')) {
        expect(line).not.toMatch(RAW_UNPRINTABLE);
        expect(line.startsWith(FORGED), line).toBe(false);
      }
    }
    expect(runs[0].stdout).toContain(`l\\n${FORGED}`);
  });

  it('train --json: one JSON line per event, a line separator in a cell name escaped', async () => {
    const tmp = tempFiles();
    const file = tmp.write('named.json', lstmNamed('LSTM\u2028two', 'gate'));
    const run = await inProcess('train', file, '--task', 'adding', '--hidden', '2', '--steps', '2', '--batch', '2', '--seq', '4', '--json');
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(line).not.toMatch(RAW_UNPRINTABLE);
      expect(() => JSON.parse(line)).not.toThrow();
    }
    expect(run.stdout).toContain('\\u2028');
  });

  it('the option parser\'s errors are said in one line, naming the option', async () => {
    const cases: [string[], string][] = [
      [['--hidden', '-5'], 'error[usage] --hidden needs a value; to give one that starts with "-", write --hidden=VALUE. See "celda info --help".'],
      [['--hidden'], 'error[usage] --hidden needs a value. See "celda info --help".'],
      [['--ir=3'], 'error[usage] --ir takes no value. See "celda info --help".'],
    ];
    for (const [options, message] of cases) {
      const r = await inProcess('info', join(ROOT, 'examples/rnn.json'), ...options);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`${message}\n`);
    }
  });
});

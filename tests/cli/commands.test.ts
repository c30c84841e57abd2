/**
 * The real `celda` command, spawned as a user would run it. Each spawn costs about
 * half a second (tsx startup), so each test batches its assertions on few spawns.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli';
import { ROOT, celda, celdaJson, tempFiles } from './celda';

const EXAMPLES = ['examples/gru-reset-after.json', 'examples/gru.json', 'examples/lstm.json', 'examples/rnn.json'];

interface JsonDiagnostic { code: string; severity: string; message: string; nodeId?: string; port?: string; file?: string }

/** The LSTM example with the forget gate's input unplugged. */
function brokenLstm(): unknown {
  const cell = JSON.parse(readFileSync(join(ROOT, 'examples/lstm.json'), 'utf8')) as { connections: { to: string }[] };
  cell.connections = cell.connections.filter((c) => c.to !== 'f');
  return cell;
}

describe('celda validate', () => {
  it('accepts every example (exit 0)', () => {
    const human = celda('validate', ...EXAMPLES);
    expect(human.status, human.stderr).toBe(0);
    for (const file of EXAMPLES) expect(human.stdout).toContain(`${file}: ok (`);
    const { status, json } = celdaJson<{ ok: boolean; diagnostics: JsonDiagnostic[]; files: { file: string; ok: boolean }[] }>('validate', ...EXAMPLES);
    expect(status).toBe(0);
    expect(json.ok).toBe(true);
    expect(json.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(json.files.map((f) => [f.file, f.ok])).toEqual(EXAMPLES.map((f) => [f, true]));
  });

  it('rejects a broken cell (exit 1), naming the file, the node and the port', () => {
    const tmp = tempFiles();
    const broken = tmp.write('broken.json', brokenLstm());
    const human = celda('validate', broken, 'examples/rnn.json');
    expect(human.status).toBe(1);
    expect(human.stdout).toContain(`${broken}: error[unconnected-input] Node "forget" (sigmoid f) input "in" is not connected. (node f, port in)`);
    expect(human.stdout).toContain('examples/rnn.json: ok');
    const { status, json } = celdaJson<{ ok: boolean; diagnostics: JsonDiagnostic[] }>('validate', broken);
    expect(status).toBe(1);
    expect(json.ok).toBe(false);
    expect(json.diagnostics).toContainEqual(expect.objectContaining({ code: 'unconnected-input', nodeId: 'f', port: 'in', file: broken }));
  });

  it('reports a file that is not JSON as an error in that file (exit 1)', () => {
    const tmp = tempFiles();
    const bad = tmp.write('bad.json', '{"format": ');
    const r = celda('validate', bad);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${bad}: error[not-json] The file is not valid JSON`);
  });
});

describe('celda info', () => {
  it('counts the LSTM parameters: 4 gates × (4×7 + 4) = 128 for input 3, hidden 4', () => {
    const { status, json } = celdaJson<{
      sizes: Record<string, number>; states: { nodeId: string; size: number; init: string }[];
      parameters: { perNode: Record<string, number>; total: number }; ops: { forward: number; backward: number };
    }>('info', 'examples/lstm.json', '--input', '3', '--hidden', '4');
    expect(status).toBe(0);
    expect(json.sizes).toEqual({ input: 3, hidden: 4 });
    expect(json.parameters.total).toBe(128);
    expect(json.parameters.perNode).toEqual({ Wf: 32, Wu: 32, Wcc: 32, Wo: 32 });
    expect(json.states).toEqual([
      expect.objectContaining({ nodeId: 'a', size: 4, init: 'zeros' }),
      expect.objectContaining({ nodeId: 'c', size: 4, init: 'zeros' }),
    ]);
    expect(json.ops.forward).toBeGreaterThan(0);

    const human = celda('info', 'examples/lstm.json', '--input', '3', '--hidden', '4', '--ir');
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout).toContain('parameters: 128');
    expect(human.stdout).toMatch(/Wf\s+32\s+W \[4×7\], b \[4\]/);
    expect(human.stdout).toContain('step(');
    expect(human.stdout).toContain('backward step {');
  });

  it('--plan prints the fast path: one stacked product and one fused kernel per step each way for the LSTM', () => {
    const human = celda('info', 'examples/lstm.json', '--input', '3', '--hidden', '4', '--plan');
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout).toContain('group 0: [v4, v5, v6, v7] = W·[v1, x_t (hoisted)]  width 16');
    expect(human.stdout).toContain('kernels per step: forward 1 product + 1 fused; backward 1 product + 1 fused');
  });
});

describe('celda equations', () => {
  it('writes the LSTM in the tutorial notation, as text and as LaTeX', () => {
    const text = celda('equations', 'examples/lstm.json', '--notation', 'tutorial');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout.split('\n').filter((line) => line.includes('f_t')).length).toBeGreaterThanOrEqual(2);
    const { status, json } = celdaJson<{ notation: string; format: string; equations: { nodeId: string; latex: string; text: string }[]; formatted: string }>(
      'equations', 'examples/lstm.json', '--format', 'latex',
    );
    expect(status).toBe(0);
    expect(json).toMatchObject({ notation: 'tutorial', format: 'latex' });
    expect(json.equations.length).toBeGreaterThan(0);
    expect(json.formatted).toContain('f_t');
  });
});

describe('celda gradcheck', () => {
  it.each(EXAMPLES)('passes on %s (exit 0, max relative error < 1e-6)', (file) => {
    const { status, json } = celdaJson<{ ok: boolean; maxRelativeError: number; checked: number; tolerance: number; worst: { name: string } }>('gradcheck', file);
    expect(status).toBe(0);
    expect(json.ok).toBe(true);
    expect(json.maxRelativeError).toBeLessThan(1e-6);
    expect(json.tolerance).toBe(1e-6);
    expect(json.checked).toBeGreaterThan(0);
    expect(json.worst.name).toEqual(expect.any(String));
  });

  it('prints the error, the worst entry and the count for people', () => {
    const r = celda('gradcheck', 'examples/rnn.json', '--input', '2', '--hidden', '3', '--steps', '3', '--batch', '1', '--seed', '9');
    expect(r.status, r.stderr).toBe(0);
    // W [3×5] + b [3] + h0 [1×3]
    expect(r.stdout).toContain('checked 21 entries');
    expect(r.stdout).toMatch(/max relative error \d\.\d+e-\d+ \(tolerance 1e-6\)/);
    expect(r.stdout).toMatch(/worst: \S+: autodiff/);
  });
});

describe('usage errors exit 2 with a clear message and no stack trace', () => {
  it('from the real command, on stderr and as JSON', () => {
    const bare = celda();
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain('Usage: celda <command> [options]');
    const { status, json } = celdaJson<{ ok: boolean; exitCode: number; diagnostics: JsonDiagnostic[] }>('init', 'examples/lstm.json', '--seed', 'x');
    expect(status).toBe(2);
    expect(json).toMatchObject({ ok: false, exitCode: 2, diagnostics: [{ code: 'usage', message: '--seed must be a whole number from 0 to 4294967295, got "x".' }] });
  });

  // The same dispatcher in-process (no tsx startup per case). Usage errors stop before
  // any cell is read, so the relative paths below are never opened.
  it.each([
    [['frobnicate'], 'error[usage] Unknown command "frobnicate": the commands are validate, info, equations, init, run, gradcheck, train, sample, study, arena, export, zoo, ablate. See "celda --help".'],
    [['info', 'examples/lstm.json', '--bogus'], 'error[usage] Unknown option --bogus. See "celda info --help".'],
    [['info', 'examples/lstm.json', '--hidden', '0'], 'error[usage] --hidden must be a whole number from 1 to 4096, got "0".'],
    [['info', 'examples/lstm.json', '--input', '5000'], 'error[usage] --input must be a whole number from 1 to 4096, got "5000".'],
    [['info', 'examples/lstm.json', '--input', '2.5'], 'error[usage] --input must be a whole number from 1 to 4096, got "2.5".'],
    [['info'], 'error[usage] celda info needs <cell>. Usage: celda info <cell> [options] [--json]'],
    [['info', 'a.json', 'b.json'], 'error[usage] celda info takes <cell>, got 2 arguments ("a.json" "b.json"). Usage: celda info <cell> [options] [--json]'],
    [['info', 'examples/missing.json'], 'examples/missing.json: error[cannot-read] Cannot read the cell file examples/missing.json: no such file or directory.'],
    [['info', join(ROOT, 'examples')], `${join(ROOT, 'examples')}: error[not-a-file] The cell file ${join(ROOT, 'examples')} is a directory, not a file.`],
    [['gradcheck', 'examples/lstm.json', '--hidden', '65'], 'error[usage] --hidden must be a whole number from 1 to 64, got "65".'],
    [['gradcheck', 'examples/lstm.json', '--steps', '0'], 'error[usage] --steps must be a whole number from 1 to 50, got "0".'],
    [['equations', 'examples/lstm.json', '--notation', 'klingon'], 'error[usage] --notation must be one of tutorial, olah, pytorch; got "klingon".'],
    [['equations', 'examples/lstm.json', '--format', 'html'], 'error[usage] --format must be one of text, latex; got "html".'],
    [['run', 'examples/lstm.json', '--inputs', 'x.json'], 'error[usage] celda run needs --params FILE. Usage: celda run <cell> [options] [--json]'],
    [['run', 'examples/lstm.json', '--params', 'p.json'], 'error[usage] celda run needs --inputs FILE. Usage: celda run <cell> [options] [--json]'],
    [['init', join(ROOT, 'examples/lstm.json'), '--out', join(ROOT, 'no/such/dir/p.json')], `${join(ROOT, 'no/such/dir/p.json')}: error[cannot-write] Cannot write the params file ${join(ROOT, 'no/such/dir/p.json')}: no such file or directory.`],
  ])('celda %j', async (args, message) => {
    const r = await inProcess(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${message}\n`);
    expect(r.stdout).toBe('');
  });

  it('prints help for the program and for every command with exit 0', async () => {
    const main = await inProcess('--help');
    expect(main.status).toBe(0);
    expect(main.stdout).toContain('Exit status: 0 ok, 1 a problem in a file or a failed check, 2 a usage error');
    for (const command of ['validate', 'info', 'equations', 'init', 'run', 'gradcheck']) {
      const r = await inProcess(command, '--help');
      expect(r.status, command).toBe(0);
      expect(r.stdout).toContain(`Usage: celda ${command} <cell`);
    }
    expect((await inProcess('help', 'run')).stdout).toContain('-g, --grad-outputs FILE');
  });
});

async function inProcess(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, { out: (t) => { stdout += t; }, err: (t) => { stderr += t; } });
  return { status, stdout, stderr };
}

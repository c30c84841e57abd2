/**
 * `celda arena`: hostile input is refused before any run; the acceptance arena (2 cells × 2 tasks ×
 * 3 seeds) gives the same records with 1 and 2 workers, and a run killed with SIGKILL resumes
 * without losing or redoing a finished run, a torn last line dropped.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/arena/types';
import { runCli } from '../../src/cli/cli';
import { ROOT, celda, tempFiles } from './celda';

const HOSTILE = '<script>alert("x")</script> | GRU';
const TINY = ['--tasks', 'adding,charlm', '--seeds', '3', '--hidden', '3', '--steps', '4', '--seq', '6', '--batch', '4'];

function hostileGru(dir: string): string {
  const gru = JSON.parse(readFileSync(join(ROOT, 'examples/zoo/gru.json'), 'utf8')) as { metadata: { name: string } };
  gru.metadata.name = HOSTILE;
  const file = join(dir, 'hostile-gru.json');
  writeFileSync(file, JSON.stringify(gru));
  return file;
}

const records = (out: string): RunRecord[] => readFileSync(join(out, 'results.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as RunRecord);
/** Records without their wall time, in key order: what must not depend on the workers. */
const comparable = (rs: readonly RunRecord[]) => rs.map((r) => ({ ...r, wallMs: 0 })).sort((a, b) => (JSON.stringify([a.cell, a.task, a.seed]) < JSON.stringify([b.cell, b.task, b.seed]) ? -1 : 1));

describe('celda arena: input checked before any run', () => {
  it.each([
    [['examples/zoo/elman.json', '--tasks', 'adding,juggling'], 'error[arena-spec] --tasks: there is no task "juggling"; the tasks are charlm, adding, copy, order, sine, spell-number, dinosaurs.'],
    [['examples/zoo/elman.json', '--seeds', '0'], 'error[arena-spec] --seeds: must be a whole number from 1 to 100, got 0.'],
    [['examples/zoo/gru.json', '--match-params', '300'], 'error[arena-spec] --match-params (cell "examples/zoo/gru.json", task adding): no hidden size gives 300 parameters within 5%; the nearest is 273 at hidden 8.'],
    [['--zoo', 'other', '--match-params', '2000'], 'error[arena-spec] --match-params (cell "sru", task adding): no hidden size gives 2000 parameters within 5%: this cell\'s count does not change with the hidden size (its state takes the input\'s size); it has 23.'],
    [['--zoo', 'nope'], 'error[usage] --zoo must be one of classics, lstm-family, gru-family, minimal-gated, other, all; got "nope".'],
    [['examples/zoo/elman.json', 'examples/nope.json'], 'examples/nope.json: error[cannot-read] Cannot read the cell file examples/nope.json: no such file or directory.'],
  ])('celda arena %j exits 2, says %j and writes nothing', async (argv, message) => {
    const tmp = tempFiles();
    const out = join(tmp.dir, 'out');
    const r = await inProcess('arena', ...argv, '--out', out);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(`${message}\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a folder another living arena is writing, and takes over the lock of one that was killed', async () => {
    const tmp = tempFiles();
    const out = join(tmp.dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, '.arena.lock'), String(process.ppid));
    const busy = await inProcess('arena', 'examples/zoo/elman.json', '--seeds', '1', '--steps', '1', '--hidden', '2', '--backend', 'reference', '--out', out);
    expect(busy.status).toBe(2);
    expect(busy.stderr).toBe(`${out}: error[arena-busy] Another celda arena (process ${process.ppid}) is writing ${out}; wait for it, or use another --out.\n`);
    expect(existsSync(join(out, 'results.jsonl'))).toBe(false);
  });

  it('names a cell file that is not a cell, and one that does not compile (exit 1)', async () => {
    const tmp = tempFiles();
    const notCell = tmp.write('not-a-cell.json', { hello: 1 });
    const gru = JSON.parse(readFileSync(join(ROOT, 'examples/zoo/gru.json'), 'utf8')) as { connections: unknown[] };
    const broken = tmp.write('broken.json', { ...gru, connections: gru.connections.slice(1) });
    const bad = await inProcess('arena', 'examples/zoo/elman.json', notCell, '--out', join(tmp.dir, 'out'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(notCell);
    const uncompiled = await inProcess('arena', 'examples/zoo/elman.json', broken, '--out', join(tmp.dir, 'out'));
    expect(uncompiled.status).toBe(1);
    expect(uncompiled.stderr).toMatch(new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: error\\[arena-spec\\] cell \\(cell ".*broken\\.json", task adding\\): `, 'm'));
    expect(existsSync(join(tmp.dir, 'out'))).toBe(false);
  });
});

describe('celda arena: the acceptance arena', () => {
  it('gives the same results with 1 and 2 workers, and resumes after SIGKILL without losing or redoing a run', async () => {
    const tmp = tempFiles();
    const cells = ['examples/zoo/elman.json', hostileGru(tmp.dir)];
    const one = join(tmp.dir, 'one');
    const a = celda('arena', ...cells, ...TINY, '--workers', '1', '--out', one);
    expect(a.status, a.stderr).toBe(0);
    const reference = comparable(records(one));
    expect(reference).toHaveLength(12);
    expect(new Set(reference.map((r) => r.backend))).toEqual(new Set(['gpu.js webasm']));
    expect(a.stdout).toContain('## adding');
    expect(a.stdout).toContain('\\<script\\>alert("x")\\</script\\> \\| GRU');
    for (const file of ['report.md', 'report.csv', 'curves-adding.svg', 'box-adding.svg', 'curves-charlm.svg', 'box-charlm.svg']) expect(existsSync(join(one, file)), file).toBe(true);
    const svg = readFileSync(join(one, 'box-adding.svg'), 'utf8');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)');
    expect(svg).not.toContain('<script');

    // The same arena on 2 workers, killed once three runs are on disk, then resumed on 2 workers: every record as with 1 worker.
    const killed = join(tmp.dir, 'killed');
    const child = spawn(process.execPath, ['bin/celda.js', 'arena', ...cells, ...TINY, '--workers', '2', '--out', killed], { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const file = join(killed, 'results.jsonl');
    while (!existsSync(file) || readFileSync(file, 'utf8').split('\n').length <= 3) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(join(killed, '.arena.lock'))).toBe(true);
    const before = readFileSync(file, 'utf8');
    const finished = records(killed);
    expect(finished.length).toBeGreaterThanOrEqual(3);
    expect(finished.length).toBeLessThan(12);
    // A torn last line, as a kill in the middle of a write leaves.
    appendFileSync(file, '{"format":"celda-arena-run","version":1,"cell":"exam');

    const resumed = celda('arena', ...cells, ...TINY, '--workers', '2', '--out', killed);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`${finished.length} already in ${file}, ${12 - finished.length} to run`);
    expect(resumed.stderr).toMatch(/warning: .*results\.jsonl ended in a torn line \d+ .*; it was dropped/);
    const after = readFileSync(file, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(comparable(records(killed))).toEqual(reference);

    expect(existsSync(join(killed, '.arena.lock'))).toBe(false);
    const again = celda('arena', ...cells, ...TINY, '--out', killed);
    expect(again.stderr).toContain('12 already in');
    expect(readFileSync(file, 'utf8')).toBe(after);
  }, 300_000);
});

describe('celda arena --export-torch', () => {
  it('writes the grid instead of training (one line of runs.txt per run), and refuses --force without it', async () => {
    const tmp = tempFiles();
    const grid = join(tmp.dir, 'grid');
    const out = join(tmp.dir, 'out');
    const spec = ['examples/zoo/mgu.json', '--tasks', 'adding', '--seeds', '2', '--hidden', '3', '--steps', '2', '--seq', '6', '--batch', '4'];
    const exported = await inProcess('arena', ...spec, '--export-torch', grid, '--out', out);
    expect(exported.status, exported.stderr).toBe(0);
    expect(readFileSync(join(grid, 'runs.txt'), 'utf8').split('\n').filter((l) => l !== '')).toHaveLength(2);
    expect(existsSync(join(grid, 'run_all.sh'))).toBe(true);
    expect(existsSync(join(out, 'results.jsonl'))).toBe(false);
    const forced = await inProcess('arena', ...spec, '--force', '--out', out);
    expect(forced.status).toBe(2);
    expect(forced.stderr).toContain('--force applies only with --export-torch.');
  });
});

async function inProcess(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runCli(args, { out: (t) => { stdout += t; }, err: (t) => { stderr += t; } });
  return { status, stdout, stderr };
}

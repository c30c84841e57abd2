/** `celda zoo`: every zoo cell by group, with its citation and parameter count; --group, sizes and bad options. */
import { describe, expect, it } from 'vitest';
import { ZOO, ZOO_GROUPS } from '../../examples/zoo';
import { celda, celdaJson } from './celda';

interface ZooJson {
  ok: boolean;
  sizes: { input: number; hidden: number };
  groups: { id: string; title: string }[];
  cells: { id: string; name: string; group: string; citation: { authors: string; year: number; title: string }; file: string; parameters: number }[];
}

describe('celda zoo', () => {
  it('lists every cell with its group, citation, file and parameter count (--json)', () => {
    const { status, json } = celdaJson<ZooJson>('zoo', '--input', '3', '--hidden', '4');
    expect(status).toBe(0);
    expect(json.sizes).toEqual({ input: 3, hidden: 4 });
    expect(json.groups.map((g) => g.id)).toEqual(ZOO_GROUPS.map((g) => g.id));
    expect(json.cells.map((c) => c.id)).toEqual(ZOO.map((e) => e.id));
    for (const c of json.cells) expect(c.file).toBe(`examples/zoo/${c.id}.json`);
    const count = (id: string) => json.cells.find((c) => c.id === id)?.parameters;
    // W [4 × 7] + b [4] per gate: 1 for Elman, 4 for the LSTM without peepholes, plus 3 peepholes of 4 for the vanilla LSTM.
    expect(count('elman')).toBe(32);
    expect(count('lstm-np')).toBe(128);
    expect(count('lstm-peephole')).toBe(140);
    // IndRNN: W [4 × 3] + b [4] + u [4].
    expect(count('indrnn')).toBe(20);
    expect(json.cells.find((c) => c.id === 'mgu')?.citation).toEqual({ authors: 'G.-B. Zhou, J. Wu, C.-L. Zhang, Z.-H. Zhou', year: 2016, title: 'Minimal gated unit for recurrent neural networks' });
  });

  it('prints the groups as headings with one line per cell, and --group keeps one group', () => {
    const all = celda('zoo');
    expect(all.status, all.stderr).toBe(0);
    expect(all.stdout).toContain(`${ZOO.length} cells, parameters at input 128, hidden 128:`);
    for (const g of ZOO_GROUPS) expect(all.stdout).toContain(`\n${g.title}\n`);
    expect(all.stdout).toMatch(/\n {2}lstm-cifg +LSTM, coupled input and forget gate \(CIFG\) +98,944 {2}K\. Greff, .* \(2017\)\. LSTM: A search space odyssey\.\n/);

    const { status, json } = celdaJson<ZooJson>('zoo', '--group', 'minimal-gated');
    expect(status).toBe(0);
    expect(json.cells.map((c) => c.id)).toEqual(ZOO.filter((e) => e.group === 'minimal-gated').map((e) => e.id));
    expect(json.groups.map((g) => g.id)).toEqual(['minimal-gated']);
  });

  it('refuses an unknown group, a size out of range and a stray argument (exit 2), naming the option', () => {
    const group = celda('zoo', '--group', 'nope');
    expect(group.status).toBe(2);
    expect(group.stderr).toContain('--group must be one of classics, lstm-family, gru-family, minimal-gated, other, all; got "nope".');
    const size = celdaJson<{ ok: boolean; diagnostics: { message: string }[] }>('zoo', '--hidden', '0');
    expect(size.status).toBe(2);
    expect(size.json.diagnostics[0].message).toContain('--hidden must be a whole number from 1 to 1024');
    const stray = celda('zoo', 'lstm');
    expect(stray.status).toBe(2);
    expect(stray.stderr).toContain('celda zoo takes no arguments, got 1 arguments ("lstm"). Usage: celda zoo [options] [--json]');
  });
});

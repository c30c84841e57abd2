/** `celda ablate`: one cell file per variant, a table, --json; hostile input is refused before anything is written. */
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileJson } from '../../src/compiler';
import { compareCells } from '../../src/compiler/equivalence';
import { celda, celdaJson, tempFiles } from './celda';

interface AblateJson {
  ok: boolean;
  cell: string;
  out: string;
  ablations: { id: string; name: string; change: string; file: string }[];
  skipped: { id: string; reason: string; message: string }[];
}

const compiled = (json: unknown) => {
  const c = compileJson(json, { input: 3, hidden: 4 });
  if (!c.ok) throw new Error(c.diagnostics.map((d) => d.message).join('; '));
  return c.value;
};

describe('celda ablate', () => {
  it('writes the vanilla LSTM\'s eight variants, each equivalent to its zoo cell (--json)', () => {
    const { dir } = tempFiles();
    const out = join(dir, 'variants');
    const { status, json } = celdaJson<AblateJson>('ablate', 'examples/zoo/lstm-peephole.json', '--out', out);
    expect(status).toBe(0);
    expect(json.ok).toBe(true);
    expect(json.skipped).toEqual([]);
    expect(json.ablations.map((a) => a.id)).toEqual(['nig', 'nfg', 'nog', 'niaf', 'noaf', 'np', 'cifg', 'fgr']);
    expect(readdirSync(out).sort()).toEqual(json.ablations.map((a) => `lstm-peephole-${a.id}.json`).sort());
    for (const a of json.ablations) {
      expect(a.file).toBe(join(out, `lstm-peephole-${a.id}.json`));
      const written = JSON.parse(readFileSync(a.file, 'utf8')) as { metadata: { name: string; description: string } };
      expect(written.metadata.name).toBe(a.name);
      expect(written.metadata.description.split('\n')[0]).toBe(a.change);
      const zoo = JSON.parse(readFileSync(`examples/zoo/lstm-${a.id}.json`, 'utf8')) as unknown;
      expect(compareCells(compiled(written), compiled(zoo)), a.id).toMatchObject({ equivalent: true });
    }
    expect(json.ablations[5]).toMatchObject({ name: 'Vanilla LSTM with peepholes, no peepholes (NP)', change: 'The peepholes "pi", "pf", "po" (a learned vector times the cell state, into a gate) are removed.' });
  });

  it('prints a table of variant, change and file, and says which were skipped and why', () => {
    const { dir } = tempFiles();
    const r = celda('ablate', 'examples/gru.json', '--out', dir);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`2 variants of examples/gru.json written to ${dir}, 6 skipped:`);
    expect(lines[1]).toMatch(/^ {2}variant +change +file$/);
    expect(lines[2]).toMatch(new RegExp(`^ {2}NIAF +The candidate "candidate" is linear: its tanh becomes the identity\\. +${join(dir, 'gru-niaf.json')}$`));
    expect(lines[3]).toMatch(/^ {2}FGR +Every gate also reads the previous step's gates "update", "reset", kept in 2 new states\. +/);
    expect(r.stdout).toContain('skipped NIG: the input gate "update" is also used as 1 − gate (it is already coupled).\n');
    expect(r.stdout).toContain('skipped NP: no gate adds a learned vector times a state (a peephole).\n');
    expect(readdirSync(dir).sort()).toEqual(['gru-fgr.json', 'gru-niaf.json']);
  });

  it('refuses a missing file, a bad file, a cell without gate labels and an --out that is a file, writing nothing', () => {
    const files = tempFiles();
    const out = join(files.dir, 'never');
    const missing = celda('ablate', join(files.dir, 'nope.json'), '--out', out);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('Cannot read the cell file');

    const bad = celdaJson<{ ok: boolean; diagnostics: { code: string; file: string }[] }>('ablate', files.write('bad.json', '{"format": "celda-cell"'), '--out', out);
    expect(bad.status).toBe(1);
    expect(bad.json.diagnostics[0]).toMatchObject({ code: 'not-json' });

    const rnn = celdaJson<{ ok: boolean; diagnostics: { code: string; file: string; message: string }[] }>('ablate', 'examples/rnn.json', '--out', out);
    expect(rnn.status).toBe(1);
    expect(rnn.json.diagnostics).toEqual([expect.objectContaining({ code: 'no-labelled-gates', file: 'examples/rnn.json' })]);
    expect(rnn.json.diagnostics[0].message).toContain('The cell has no sigmoid.');
    expect(existsSync(out)).toBe(false);

    const aFile = files.write('taken', 'not a folder');
    const onFile = celda('ablate', 'examples/lstm.json', '--out', aFile);
    expect(onFile.status).toBe(2);
    expect(onFile.stderr).toContain(`--out ${aFile} is a file, not a folder`);
    expect(readFileSync(aFile, 'utf8')).toBe('not a folder');

    const noOut = celda('ablate', 'examples/lstm.json');
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toContain('celda ablate needs --out DIR');
  });

  it('never writes over the cell file it reads, even through a link, and then writes no variant', () => {
    const { dir } = tempFiles();
    const cell = join(dir, 'lstm.json');
    writeFileSync(cell, readFileSync('examples/lstm.json'));
    const out = join(dir, 'out');
    mkdirSync(out);
    linkSync(cell, join(out, 'lstm-nog.json'));
    const r = celda('ablate', cell, '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--out would overwrite the cell file ${cell} (as ${join(out, 'lstm-nog.json')})`);
    expect(readdirSync(out)).toEqual(['lstm-nog.json']);
    expect(readFileSync(cell, 'utf8')).toBe(readFileSync('examples/lstm.json', 'utf8'));
  });
});

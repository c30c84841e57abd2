/** The report's rows and the plots, from records; hostile cell names stay text in markdown and SVG. */
import { describe, expect, it } from 'vitest';
import { boxPlot, curvesPlot, niceAxis, PALETTE, quantile } from '../../src/arena/plots';
import { buildReport, csvField, renderCsv, renderMarkdown, renderRunsCsv } from '../../src/arena/report';
import { boxSvg, curvesSvg } from '../../src/arena/svg';
import { summarize } from '../../src/arena/stats';
import type { ArenaSpec, RunRecord } from '../../src/arena/types';

const HOSTILE = '</text><script>alert("x")</script> | & \'quoted\'';

const spec: ArenaSpec = {
  cells: [{ id: 'base', name: 'Base', cell: null as never }, { id: 'evil', name: HOSTILE, cell: null as never }],
  tasks: ['adding'], seeds: 3, sizing: { kind: 'hidden', hidden: 4 }, steps: 20,
  hyperparameters: { batch: 4, lr: 0.01, optimizer: 'adam', clip: 1, evalEvery: 0 }, baseline: 'base', backend: 'auto',
};

const run = (cell: string, seed: number, loss: number): RunRecord => ({
  format: 'celda-arena-run', version: 1, cell, task: 'adding', seed, cellName: cell, cellHash: 'h', hidden: 4, parameters: cell === 'base' ? 29 : 40,
  backend: 'reference (float64)', hyperparameters: { steps: 20, batch: 4, length: 32, lr: 0.01, optimizer: 'adam', clip: 1, evalEvery: 0 },
  curve: [{ step: 10, trainLoss: loss * 2 }, { step: 20, trainLoss: loss, validLoss: loss }], finalValidLoss: loss, wallMs: 100 * seed, status: 'done',
});

// Paired differences evil − base: −0.1, −0.2, −0.15.
const records = [run('base', 1, 0.5), run('base', 2, 0.6), run('base', 3, 0.55), run('evil', 1, 0.4), run('evil', 2, 0.4), run('evil', 3, 0.4)];

describe('the report', () => {
  it('ranks the cells and gives each the mean ± CI, the paired difference and both tests\' p-values', () => {
    const [task] = buildReport(spec, records).tasks;
    expect(task.rows.map((r) => [r.cell, r.rank])).toEqual([['evil', 1], ['base', 2]]);
    expect(task).toMatchObject({ loss: 'mse', memoryless: 1 / 6 });
    const [evil, base] = task.rows;
    expect(evil.delta).toBeCloseTo(-0.15, 12);
    expect(evil.tTest?.test).toBe('paired t-test');
    // scipy.stats.ttest_rel([.4,.4,.4], [.5,.6,.55]): t = −5.196152422706632, p = 0.035098718645984635
    expect(evil.tTest?.statistic).toBeCloseTo(-5.196152422706632, 9);
    expect(evil.tTest?.p).toBeCloseTo(0.035098718645984635, 10);
    expect(evil.wilcoxon?.p).toBe(0.25);
    expect(base.delta).toBeNull();
    expect(base.summary.mean).toBeCloseTo(0.55, 12);
    expect(evil.wallMsPerRun).toBe(200);
    expect(task.pending).toBe(0);
    expect(buildReport(spec, records.slice(1)).tasks[0].pending).toBe(1);
  });

  it('keeps a diverged run out of the statistics and lists it, pairing only the seeds both cells finished', () => {
    const failed: RunRecord = { ...run('evil', 2, 0), status: 'failed', finalValidLoss: null, curve: [], error: 'diverged at step 7: the loss is not finite (NaN or ∞)' };
    const report = buildReport(spec, records.map((r) => (r.cell === 'evil' && r.seed === 2 ? failed : r)));
    const evil = report.tasks[0].rows.find((r) => r.cell === 'evil');
    expect(evil).toMatchObject({ runs: 3, failed: 1 });
    expect(evil?.summary.n).toBe(2);
    expect(evil?.tTest?.n).toBe(2);
    expect(evil?.delta).toBeCloseTo(-0.125, 12);
    expect(report.failures).toEqual([{ cell: 'evil', task: 'adding', seed: 2, error: 'diverged at step 7: the loss is not finite (NaN or ∞)' }]);
    const md = renderMarkdown(report);
    expect(md).toContain('| 2 (+1 failed) |');
    expect(md).toContain('## Failed runs\n\n- evil, adding, seed 2: diverged at step 7: the loss is not finite (NaN or ∞)');
  });

  it('renders markdown with the hostile name escaped so it cannot break the table', () => {
    const md = renderMarkdown(buildReport(spec, records));
    expect(md).toContain('## adding\n\nMean squared error; a model without memory scores 0.1667.');
    const row = md.split('\n').find((l) => l.includes('alert')) as string;
    expect(row.split(/(?<!\\)\|/)).toHaveLength(12);
    expect(md).not.toContain('<script>');
  });
});

describe('the CSV', () => {
  it('has one line per task and cell, quotes what needs it and defuses spreadsheet formulas', () => {
    const lines = renderCsv(buildReport(spec, records)).split('\r\n');
    expect(lines[0]).toBe('task,rank,cell,name,baseline,hidden,parameters,seeds,mean,sd,ci95,delta,p_paired_t,p_wilcoxon,runs,failed,wall_ms_per_run');
    expect(lines).toHaveLength(4);
    const name = '"</text><script>alert(""x"")</script> | & \'quoted\'"';
    expect(lines[1].startsWith(`adding,1,evil,${name},no,4,40,3,`)).toBe(true);
    const numbers = lines[1].slice(`adding,1,evil,${name},no,4,40,3,`.length).split(',').map(Number);
    expect(numbers[0]).toBeCloseTo(0.4, 12); // mean
    expect(numbers[3]).toBeCloseTo(-0.15, 12); // delta
    expect(numbers[4]).toBeCloseTo(0.035098718645984635, 10); // paired t p
    expect(lines[2].startsWith('adding,2,base,Base,yes,4,29,3,')).toBe(true);
  });

  it('quotes commas, quotes and line breaks, and defuses text a spreadsheet would run as a formula', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, "b"\nc')).toBe('"a, ""b""\nc"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('-1+1')).toBe("'-1+1");
    expect(csvField(-0.5)).toBe('-0.5');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(null)).toBe('');
  });

  it('lists the runs themselves, one line each, failed runs with their reason', () => {
    const failed: RunRecord = { ...run('base', 2, 0), status: 'failed', finalValidLoss: null, curve: [], error: 'diverged at step 3: loss is NaN', cellName: 'My, cell' };
    const lines = renderRunsCsv([run('base', 1, 0.25), failed]).split('\r\n');
    expect(lines).toEqual([
      'cell,cell_name,task,seed,status,final_valid_loss,hidden,parameters,steps,batch,length,lr,optimizer,clip,wall_ms,backend,cell_hash,error',
      'base,base,adding,1,done,0.25,4,29,20,4,32,0.01,adam,1,100,reference (float64),h,',
      'base,"My, cell",adding,2,failed,,4,29,20,4,32,0.01,adam,1,200,reference (float64),h,diverged at step 3: loss is NaN',
      '',
    ]);
  });
});

describe('the plots', () => {
  it('makes round axes and quantiles as NumPy does', () => {
    expect(niceAxis('x', 0.13, 0.61).ticks.map((t) => t.label)).toEqual(['0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7']);
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(niceAxis('x', 0, 200).ticks.map((t) => t.value)).toEqual([0, 50, 100, 150, 200]);
    expect(niceAxis('x', 2, 2).ticks.map((t) => t.value)).toContain(2);
    expect(niceAxis('x', Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)).toMatchObject({ min: 0, max: 1 });
  });

  it('bands each curve with the 95% CI over the seeds that finished well, within the spec\'s seeds', () => {
    const curve = (a: number, b: number) => [{ step: 10, trainLoss: a }, { step: 20, trainLoss: b }];
    const runs = [
      { ...run('evil', 1, 0.6), curve: curve(1, 0.5) },
      { ...run('evil', 2, 0.2), curve: curve(3, 0.7) },
      { ...run('evil', 3, 0), status: 'failed' as const, finalValidLoss: null, curve: [] },
      { ...run('evil', 4, 9), curve: curve(9, 9) },
    ];
    const plot = curvesPlot(spec, runs, 'adding');
    expect(plot.metric).toBe('training');
    const [base, evil] = plot.series;
    const first = summarize([1, 3]);
    expect(evil.points[0]).toEqual({ x: 10, mean: 2, low: Math.max(0, 2 - first.ci95), high: 2 + first.ci95 });
    expect(evil.points[1].mean).toBeCloseTo(0.6, 12);
    expect(base.points).toEqual([]);
    expect([base.color, evil.color]).toEqual([PALETTE[0], PALETTE[1]]);
    const box = boxPlot(spec, runs, 'adding');
    expect(box.boxes[0]).toBeNull();
    expect(box.boxes[1]).toMatchObject({ min: 0.2, max: 0.6, median: 0.4, values: [0.6, 0.2] });
  });

  it('makes mean curves over seeds and box plots per cell, and the SVGs keep every name as escaped text', () => {
    const curves = curvesPlot(spec, records, 'adding');
    expect(curves.series[0].points.map((p) => p.x)).toEqual([10, 20]);
    expect(curves.series[0].points[1].mean).toBeCloseTo(0.55, 12);
    const box = boxPlot(spec, records, 'adding');
    expect(box.boxes[1]).toMatchObject({ min: 0.4, median: 0.4, max: 0.4 });
    for (const svg of [curvesSvg(curves), boxSvg(box)]) {
      expect(svg).not.toMatch(/<script|<\/text><script/);
      expect(svg).toContain('&lt;/text&gt;&lt;script&gt;alert(&quot;x');
      expect(svg.match(/<text\b/g)?.length).toBe(svg.match(/<\/text>/g)?.length);
    }
  });
});

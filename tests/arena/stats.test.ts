/** The arena's statistics against values computed independently (SciPy 1.17: scipy.stats.t, ttest_rel, wilcoxon exact). */
import { describe, expect, it } from 'vitest';
import { incompleteBeta, mean, pairedTTest, rankByMean, sampleSd, studentQuantile, studentTwoSided, summarize, wilcoxonSignedRank } from '../../src/arena/stats';

describe('Student t and the incomplete beta function', () => {
  it('gives the 97.5% quantiles of scipy.stats.t.ppf for 1 to 1000 degrees of freedom', () => {
    const known: [number, number][] = [[1, 12.706204736174694], [2, 4.302652729749462], [4, 2.7764451051977934], [9, 2.262157162798205], [29, 2.045229642132703], [1000, 1.9623390808264083]];
    for (const [df, q] of known) expect(studentQuantile(0.975, df)).toBeCloseTo(q, 9);
    expect(studentQuantile(0.025, 4)).toBeCloseTo(-2.7764451051977934, 9);
  });

  it('gives two-sided tail probabilities and I_x(a, b) as SciPy does', () => {
    expect(studentTwoSided(2, 5)).toBeCloseTo(0.10193947882985835, 12);
    expect(incompleteBeta(0.5, 2, 3)).toBeCloseTo(0.6875, 14);
    expect(incompleteBeta(0.3, 0.5, 7.5)).toBeCloseTo(0.977153386842316, 12);
  });
});

describe('summaries', () => {
  it('computes the mean, the sample sd (n − 1) and the 95% CI half-width t(0.975, n−1)·sd/√n', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(xs)).toBe(5);
    expect(sampleSd(xs)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    const s = summarize(xs);
    expect(s.ci95).toBeCloseTo((2.3646242510102993 * Math.sqrt(32 / 7)) / Math.sqrt(8), 9);
    expect(summarize([3]).ci95).toBeNaN();
  });
});

describe('paired tests', () => {
  it('paired t-test matches scipy.stats.ttest_rel', () => {
    const t = pairedTTest([1, 2, 3, 4, 5], [2, 2, 5, 5, 7]);
    expect(t.statistic).toBeCloseTo(-3.2071349029490923, 10);
    expect(t.p).toBeCloseTo(0.03267792333680301, 10);
    expect(t.n).toBe(5);
    expect(pairedTTest([1], [2]).p).toBeNull();
    expect(pairedTTest([1, 2, 3], [1, 2, 3]).p).toBe(1);
  });

  it('exact Wilcoxon signed-rank matches SciPy without ties and a brute-force count over all sign patterns with ties', () => {
    // All five differences positive: the smallest two-sided p with 5 pairs, 2/32.
    const allUp = wilcoxonSignedRank([1, 2, 3, 4, 5], [0, 0, 0, 0, 0]);
    expect(allUp.p).toBeCloseTo(0.0625, 14);
    expect(allUp.statistic).toBe(15);
    // Tied magnitudes share mid-ranks; the null distribution is that of the mid-ranks (counted over all 256 sign
    // patterns in Python: 154/256; SciPy's "exact" uses the untied distribution here and says 0.640625).
    const tied = wilcoxonSignedRank([1, 2, 3, 4, 5, 6, 7, 8], [1.5, 1, 4.5, 3, 6.5, 5.5, 9, 7]);
    expect(tied.p).toBeCloseTo(154 / 256, 12);
    expect(tied.statistic).toBe(13.5);
    // A zero difference is dropped.
    const withZero = wilcoxonSignedRank([1, 2, 3, 4, 5, 6], [0, 0, 0, 0, 0, 6]);
    expect(withZero.n).toBe(5);
    expect(withZero.p).toBeCloseTo(0.0625, 14);
  });

  it('ranks by mean, ties sharing a rank and cells without runs unranked', () => {
    expect(rankByMean([0.3, 0.1, Number.NaN, 0.3, 0.2])).toEqual([3, 1, null, 3, 2]);
  });
});

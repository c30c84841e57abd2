/**
 * The statistics an arena reports: mean, sample standard deviation, a 95% confidence
 * interval from Student's t, and two paired tests across seeds against the baseline cell:
 * the paired t-test and the exact Wilcoxon signed-rank test. Student's t distribution comes
 * from the regularised incomplete beta function (continued fraction, Numerical Recipes §6.4),
 * so its quantiles are exact to ~1e-10 for any number of seeds, not read off a table.
 */

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Sample standard deviation (n − 1 in the denominator); NaN for fewer than 2 values. */
export function sampleSd(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: ~1e-15 relative). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularised incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(x, a, b)) / a : 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < tiny ? tiny : d);
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    for (const aa of [(m * (b - m) * x) / ((a + m2 - 1) * (a + m2)), (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))]) {
      d = 1 + aa * d;
      d = 1 / (Math.abs(d) < tiny ? tiny : d);
      c = 1 + aa / c;
      if (Math.abs(c) < tiny) c = tiny;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-15) break;
  }
  return h;
}

/** P(|T| ≥ |t|) for Student's t with `df` degrees of freedom (two-sided). */
export function studentTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? Number.NaN : 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** The q-quantile of Student's t (0 < q < 1), by bisection on the distribution function. */
export function studentQuantile(q: number, df: number): number {
  if (q === 0.5) return 0;
  if (q < 0.5) return -studentQuantile(1 - q, df);
  const upper = (t: number) => studentTwoSided(t, df) / 2; // P(T ≥ t) for t ≥ 0
  let low = 0;
  let high = 1;
  while (upper(high) > 1 - q) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-12 * high; i++) {
    const mid = (low + high) / 2;
    if (upper(mid) > 1 - q) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

export interface Summary {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  /** Half-width of the 95% confidence interval of the mean (NaN for n < 2). */
  readonly ci95: number;
}

export function summarize(xs: readonly number[]): Summary {
  const n = xs.length;
  const sd = sampleSd(xs);
  return { n, mean: mean(xs), sd, ci95: n < 2 ? Number.NaN : (studentQuantile(0.975, n - 1) * sd) / Math.sqrt(n) };
}

export interface PairedTest {
  readonly test: 'paired t-test' | 'Wilcoxon signed-rank (exact)';
  /** Pairs compared (seeds where both runs finished). */
  readonly n: number;
  /** The statistic: t, or W+ (sum of the ranks of positive differences). */
  readonly statistic: number;
  /** Two-sided; null when the test cannot be computed (too few pairs). */
  readonly p: number | null;
}

/** The paired t-test of x − y: t = mean(d) / (sd(d) / √n), n − 1 degrees of freedom. All-equal differences: p = 1 if they are 0, else 0. */
export function pairedTTest(x: readonly number[], y: readonly number[]): PairedTest {
  const d = differences(x, y);
  const n = d.length;
  if (n < 2) return { test: 'paired t-test', n, statistic: Number.NaN, p: null };
  const m = mean(d);
  const sd = sampleSd(d);
  if (sd === 0) return { test: 'paired t-test', n, statistic: m === 0 ? 0 : Math.sign(m) * Infinity, p: m === 0 ? 1 : 0 };
  const t = m / (sd / Math.sqrt(n));
  return { test: 'paired t-test', n, statistic: t, p: studentTwoSided(t, n - 1) };
}

/**
 * The exact Wilcoxon signed-rank test of x − y: zero differences are dropped, tied
 * magnitudes share their mean rank, and the null distribution of W+ is counted over all
 * 2^n sign patterns (by dynamic programming on doubled ranks, so mid-ranks stay whole).
 */
export function wilcoxonSignedRank(x: readonly number[], y: readonly number[]): PairedTest {
  const d = differences(x, y).filter((v) => v !== 0);
  const n = d.length;
  const name = 'Wilcoxon signed-rank (exact)' as const;
  if (n === 0) return { test: name, n, statistic: 0, p: null };
  const doubled = doubledRanks(d.map(Math.abs));
  const wPlus2 = d.reduce((s, v, i) => s + (v > 0 ? doubled[i] : 0), 0);
  const total2 = doubled.reduce((a, b) => a + b, 0);
  // ways[s]: sign patterns whose positive doubled ranks sum to s.
  let ways = new Float64Array(total2 + 1);
  ways[0] = 1;
  for (const r of doubled) {
    const next = ways.slice();
    for (let s = r; s <= total2; s++) next[s] += ways[s - r];
    ways = next;
  }
  const all = 2 ** n;
  let below = 0;
  let above = 0;
  for (let s = 0; s <= total2; s++) {
    if (s <= wPlus2) below += ways[s];
    if (s >= wPlus2) above += ways[s];
  }
  return { test: name, n, statistic: wPlus2 / 2, p: Math.min(1, (2 * Math.min(below, above)) / all) };
}

function differences(x: readonly number[], y: readonly number[]): number[] {
  if (x.length !== y.length) throw new RangeError(`paired samples differ in length: ${x.length} and ${y.length}`);
  return x.map((v, i) => v - y[i]);
}

/** Twice each value's rank among `xs` (1-based, ties sharing their mean rank). */
function doubledRanks(xs: readonly number[]): number[] {
  const order = xs.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const doubledMean = i + 1 + j + 1; // (i+1 + j+1) / 2, doubled
    for (let k = i; k <= j; k++) out[order[k][1]] = doubledMean;
    i = j + 1;
  }
  return out;
}

/**
 * Ranks by mean (lower is better), 1-based; equal means share a rank, and entries without
 * a mean (NaN: no finished run) come last, unranked (null).
 */
export function rankByMean(means: readonly number[]): (number | null)[] {
  return means.map((m) => (Number.isNaN(m) ? null : 1 + means.filter((o) => !Number.isNaN(o) && o < m).length));
}

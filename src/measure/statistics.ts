/**
 * Pure statistics for measurements: order statistics, MAD, a seeded PRNG, a bootstrap
 * confidence interval and the Mann–Whitney U test. No I/O, no clocks: everything here is
 * deterministic so that tests can check it against hand-computed values.
 */
import { SampleError } from './errors.ts';

/** Order statistics of one set of samples (same unit as the samples). */
export interface Summary {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly median: number;
  /** Sample standard deviation (n − 1 denominator); 0 for a single sample. */
  readonly standardDeviation: number;
  /** Median absolute deviation from the median, unscaled (multiply by 1.4826 to estimate σ). */
  readonly mad: number;
  readonly p5: number;
  readonly p25: number;
  readonly p75: number;
  readonly p95: number;
  readonly p99: number;
}

function requireSamples(samples: readonly number[], what: string, minimum = 1): void {
  if (samples.length < minimum) {
    throw new SampleError(what, `at least ${minimum} sample(s)`, `${samples.length}`);
  }
  for (const value of samples) {
    if (!Number.isFinite(value)) throw new SampleError(what, 'finite numbers', String(value));
  }
}

/** A sorted copy (ascending); the input is left untouched. */
function sortedCopy(samples: readonly number[]): number[] {
  return [...samples].sort((a, b) => a - b);
}

/** Arithmetic mean. @throws SampleError on an empty or non-finite input. */
export function mean(samples: readonly number[]): number {
  requireSamples(samples, 'mean');
  let sum = 0;
  for (const value of samples) sum += value;
  return sum / samples.length;
}

/**
 * The p-th percentile (0 ≤ p ≤ 100) with linear interpolation between closest ranks (the
 * "type 7" definition of R and NumPy's default), so results match what users check by hand.
 *
 * @example percentile([1, 2, 3, 4], 50) // 2.5
 * @throws SampleError on an empty or non-finite input.
 */
export function percentile(samples: readonly number[], p: number): number {
  requireSamples(samples, 'percentile');
  return percentileOfSorted(sortedCopy(samples), p);
}

function percentileOfSorted(sorted: readonly number[], p: number): number {
  const position = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (position - lower);
}

/** The median (mean of the two middle values for an even count). @throws SampleError */
export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/**
 * Median absolute deviation: median(|xᵢ − median(x)|). Robust to the slow outliers that
 * interrupts and GC pauses add to timings, where the standard deviation is not.
 *
 * @example medianAbsoluteDeviation([1, 2, 3, 4, 100]) // 1
 * @throws SampleError
 */
export function medianAbsoluteDeviation(samples: readonly number[]): number {
  const center = median(samples);
  return median(samples.map((value) => Math.abs(value - center)));
}

/** Summary statistics of a sample set. @throws SampleError on an empty or non-finite input. */
export function summarize(samples: readonly number[]): Summary {
  requireSamples(samples, 'summarize');
  const sorted = sortedCopy(samples);
  const average = mean(sorted);
  let squares = 0;
  for (const value of sorted) squares += (value - average) ** 2;
  return {
    count: sorted.length,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    mean: average,
    median: percentileOfSorted(sorted, 50),
    standardDeviation: sorted.length > 1 ? Math.sqrt(squares / (sorted.length - 1)) : 0,
    mad: medianAbsoluteDeviation(sorted),
    p5: percentileOfSorted(sorted, 5),
    p25: percentileOfSorted(sorted, 25),
    p75: percentileOfSorted(sorted, 75),
    p95: percentileOfSorted(sorted, 95),
    p99: percentileOfSorted(sorted, 99),
  };
}

/**
 * A seeded pseudo-random generator (mulberry32): uniform numbers in [0, 1). Not for
 * cryptography; here so that bootstrap intervals are reproducible run to run.
 *
 * @example const random = createSeededRandom(42); random(); // always the same first value
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A confidence interval around a point estimate. */
export interface ConfidenceInterval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  /** Confidence level, e.g. 0.95. */
  readonly confidence: number;
}

/** Options of {@link bootstrapInterval}. */
export interface BootstrapOptions {
  /** Number of resamples; more gives steadier bounds at linear cost. Default 10 000. */
  readonly resamples?: number;
  /** Confidence level in (0, 1). Default 0.95. */
  readonly confidence?: number;
  /** PRNG seed, so that the interval is the same on every run. Default 1. */
  readonly seed?: number;
}

/**
 * Percentile-bootstrap confidence interval of a two-sample statistic: both samples are
 * resampled with replacement (independently), the statistic computed on each pair, and the
 * interval read from the percentiles of those values.
 *
 * @param statistic e.g. `(a, b) => median(a) / median(b)`.
 * @example bootstrapInterval(base, cand, (a, b) => median(a) / median(b), { seed: 7 })
 * @throws SampleError when either sample is empty.
 */
export function bootstrapInterval(
  a: readonly number[],
  b: readonly number[],
  statistic: (a: readonly number[], b: readonly number[]) => number,
  options: BootstrapOptions = {},
): ConfidenceInterval {
  requireSamples(a, 'bootstrapInterval (first sample)');
  requireSamples(b, 'bootstrapInterval (second sample)');
  const resamples = options.resamples ?? 10_000;
  const confidence = options.confidence ?? 0.95;
  const random = createSeededRandom(options.seed ?? 1);
  const resampledA = new Array<number>(a.length);
  const resampledB = new Array<number>(b.length);
  const values = new Array<number>(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < a.length; i++) resampledA[i] = a[Math.floor(random() * a.length)] as number;
    for (let i = 0; i < b.length; i++) resampledB[i] = b[Math.floor(random() * b.length)] as number;
    values[r] = statistic(resampledA, resampledB);
  }
  values.sort((x, y) => x - y);
  const tail = ((1 - confidence) / 2) * 100;
  return {
    estimate: statistic(a, b),
    low: percentileOfSorted(values, tail),
    high: percentileOfSorted(values, 100 - tail),
    confidence,
  };
}

/** Result of {@link mannWhitneyU}. */
export interface MannWhitneyResult {
  /** U of the first sample: how many (a, b) pairs have a > b, ties counting ½. */
  readonly uA: number;
  /** U of the second sample; uA + uB = nA·nB. */
  readonly uB: number;
  /** Standardised statistic (continuity-corrected, tie-corrected); its sign says which sample ranks higher. */
  readonly z: number;
  /** Two-sided p-value from the normal approximation. */
  readonly pValue: number;
}

/**
 * Two-sided Mann–Whitney U test (Wilcoxon rank-sum) with the normal approximation, a
 * continuity correction and the tie correction of the variance. It asks whether one sample
 * tends to be larger than the other without assuming normal timings (they rarely are: they
 * have a floor and a long right tail). Same definition as SciPy's
 * `mannwhitneyu(a, b, method="asymptotic")`.
 *
 * @example mannWhitneyU([1, 2, 3], [4, 5, 6]).pValue // ≈ 0.0809
 * @throws SampleError when a sample is empty.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  requireSamples(a, 'mannWhitneyU (first sample)');
  requireSamples(b, 'mannWhitneyU (second sample)');
  const nA = a.length;
  const nB = b.length;
  const n = nA + nB;
  const pooled = [
    ...a.map((value) => ({ value, first: true })),
    ...b.map((value) => ({ value, first: false })),
  ];
  pooled.sort((x, y) => x.value - y.value);
  let rankSumA = 0;
  let tieTerm = 0; // Σ (t³ − t) over groups of tied values
  for (let start = 0; start < n;) {
    let end = start;
    while (
      end + 1 < n &&
      (pooled[end + 1] as { value: number }).value === (pooled[start] as { value: number }).value
    )
      end++;
    const averageRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) if ((pooled[i] as { first: boolean }).first) rankSumA += averageRank;
    const tied = end - start + 1;
    tieTerm += tied ** 3 - tied;
    start = end + 1;
  }
  const uA = rankSumA - (nA * (nA + 1)) / 2;
  const uB = nA * nB - uA;
  const expected = (nA * nB) / 2;
  const variance = ((nA * nB) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { uA, uB, z: 0, pValue: 1 }; // every value tied: no evidence either way
  const deviation = uA - expected;
  const corrected = Math.max(0, Math.abs(deviation) - 0.5);
  const z = (Math.sign(deviation) * corrected) / Math.sqrt(variance);
  return { uA, uB, z, pValue: Math.min(1, 2 * normalUpperTail(Math.abs(z))) };
}

/**
 * P(Z > z) for a standard normal Z, via erfc with W. J. Cody's rational approximation
 * (Numerical Recipes `erfcc`, relative error < 1.2e-7 everywhere), which keeps small
 * p-values accurate where 1 − Φ(z) would cancel.
 */
export function normalUpperTail(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const erfc =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return (x >= 0 ? erfc : 2 - erfc) / 2;
}

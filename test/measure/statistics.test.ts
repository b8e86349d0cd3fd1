import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bootstrapInterval,
  createSeededRandom,
  mannWhitneyU,
  mean,
  median,
  medianAbsoluteDeviation,
  normalUpperTail,
  percentile,
  summarize,
} from '../../src/measure/statistics.ts';

const close = (actual: number, expected: number, tolerance = 1e-6): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

describe('order statistics', () => {
  it('interpolates percentiles between closest ranks', () => {
    assert.equal(percentile([1, 2, 3, 4], 50), 2.5);
    // Sorted [1, 2, 4, 5, 10]: position 0.25 × 4 = 1 → the second value, 2;
    // 0.9 × 4 = 3.6 → 5 + 0.6 × (10 − 5) = 8.
    assert.equal(percentile([5, 1, 4, 2, 10], 25), 2);
    close(percentile([5, 1, 4, 2, 10], 90), 8);
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(mean([1, 2, 3, 6]), 3);
  });

  it('computes the MAD by hand: |x − 3| of [1,2,3,4,100] is [2,1,0,1,97], median 1', () => {
    assert.equal(medianAbsoluteDeviation([1, 2, 3, 4, 100]), 1);
    // [1,1,2,2,4,6,9]: median 2, deviations [1,1,0,0,2,4,7] → median 1
    assert.equal(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9]), 1);
  });

  it('summarises', () => {
    const s = summarize([4, 1, 3, 2]);
    assert.deepEqual([s.count, s.min, s.max, s.mean, s.median], [4, 1, 4, 2.5, 2.5]);
    close(s.standardDeviation, Math.sqrt(5 / 3));
    assert.equal(s.mad, 1);
  });

  it('rejects empty and non-finite samples with a coded error', () => {
    assert.throws(() => median([]), { code: 'ERR_MEASURE_SAMPLES' });
    assert.throws(() => mean([1, Number.NaN]), { code: 'ERR_MEASURE_SAMPLES' });
  });
});

describe('Mann–Whitney U', () => {
  it('matches the hand computation without ties', () => {
    // Ranks of a = 1,2,3 → R = 6, U_a = 6 − 3·4/2 = 0; μ = 4.5, σ² = 3·3·7/12 = 5.25;
    // z = −(4.5 − 0.5)/√5.25 = −1.74574; p = 2·(1 − Φ(1.74574)) = 0.080856 (SciPy: 0.0808556).
    const result = mannWhitneyU([1, 2, 3], [4, 5, 6]);
    assert.equal(result.uA, 0);
    assert.equal(result.uB, 9);
    close(result.z, -1.745743, 1e-5);
    close(result.pValue, 0.0808556, 1e-6);
  });

  it('matches the hand computation with ties', () => {
    // Pooled ranks: 1→1; the three 2s share 3; the two 3s share 5.5; 4→7; 5→8.
    // R_a = 1 + 3 + 3 + 5.5 = 12.5, U_a = 12.5 − 10 = 2.5; ties Σ(t³ − t) = 24 + 6 = 30;
    // σ² = (16/12)·(9 − 30/56) = 11.2857; z = −(5.5 − 0.5)/3.35942 = −1.48835; p = 0.136658.
    const result = mannWhitneyU([1, 2, 2, 3], [2, 3, 4, 5]);
    assert.equal(result.uA, 2.5);
    close(result.z, -1.488351, 1e-5);
    close(result.pValue, 0.1366582, 1e-6);
  });

  it('gives p = 1 when every value is tied', () => {
    assert.equal(mannWhitneyU([7, 7], [7, 7, 7]).pValue, 1);
  });

  it('computes normal tails', () => {
    close(normalUpperTail(1.959964), 0.025, 1e-6);
    close(normalUpperTail(0), 0.5, 1e-6);
    close(normalUpperTail(-1), 0.8413447, 1e-6);
  });
});

describe('bootstrap', () => {
  it('is reproducible with a seed and different with another', () => {
    const random = createSeededRandom(42);
    const first = [random(), random()];
    const again = createSeededRandom(42);
    assert.deepEqual([again(), again()], first);
    const a = [10, 12, 11, 13, 12, 11, 14];
    const b = [8, 9, 8, 10, 9, 9, 8];
    const ratio = (x: readonly number[], y: readonly number[]): number => median(x) / median(y);
    const one = bootstrapInterval(a, b, ratio, { seed: 7, resamples: 2000 });
    assert.deepEqual(bootstrapInterval(a, b, ratio, { seed: 7, resamples: 2000 }), one);
    assert.notEqual(createSeededRandom(43)(), first[0]);
    assert.equal(one.estimate, 12 / 9);
    assert.ok(one.low <= one.estimate && one.estimate <= one.high);
  });

  it('has bounds that can be checked by hand: constant samples give a degenerate interval', () => {
    const result = bootstrapInterval([4, 4, 4], [2, 2], (x, y) => median(x) / median(y), { seed: 1 });
    assert.deepEqual([result.estimate, result.low, result.high], [2, 2, 2]);
  });

  it('takes the interval bounds from the resampled statistics', () => {
    // With one value in b, every resample of b is [1], and resamples of a = {0, 1} have a mean
    // that is k/2 for k ones out of 2 draws: P(0) = P(1) = ¼, P(½) = ½. The 95% interval of
    // 10,000 such draws therefore runs from 0 to 1.
    const result = bootstrapInterval([0, 1], [1], (x) => mean(x), { seed: 3, resamples: 10_000 });
    assert.equal(result.low, 0);
    assert.equal(result.high, 1);
    assert.equal(result.estimate, 0.5);
  });
});

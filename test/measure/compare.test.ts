import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeComparison } from '../../src/measure/compare.ts';
import { findRegressions } from '../../src/measure/cli/compare-command.ts';
import { createSeededRandom } from '../../src/measure/statistics.ts';

/** Synthetic timings around `center` with ±2% seeded noise. */
function samples(center: number, seed: number, count = 20): number[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: count }, () => center * (1 + (random() - 0.5) * 0.04));
}

describe('judgeComparison', () => {
  it('says which is faster, by how much, with an interval', () => {
    const result = judgeComparison('A', samples(132, 1), 'B', samples(100, 2));
    assert.equal(result.verdict, 'faster');
    assert.ok(result.ratio.low > 1.25 && result.ratio.high < 1.4, JSON.stringify(result.ratio));
    assert.match(result.text, /^B is 1\.3\d× faster than A \(95% CI 1\.\d\d–1\.\d\d, p < 0\.0001\)$/);
  });

  it('says slower with the inverted ratio', () => {
    const result = judgeComparison('A', samples(100, 3), 'B', samples(200, 4));
    assert.equal(result.verdict, 'slower');
    assert.match(result.text, /^B is 2\.0\d× slower than A/);
    assert.equal(findRegressions({ comparisons: [result] } as never, 0.05).length, 1);
    assert.equal(findRegressions({ comparisons: [result] } as never, 1.5).length, 0);
  });

  it('finds no significant difference between samples of one distribution', () => {
    const result = judgeComparison('A', samples(100, 5), 'B', samples(100, 6));
    assert.equal(result.verdict, 'same');
    assert.match(result.text, /^no significant difference between B and A/);
    assert.equal(findRegressions({ comparisons: [result] } as never).length, 0);
  });

  it('is deterministic for the same samples and seed', () => {
    const a = samples(100, 7);
    const b = samples(95, 8);
    assert.deepEqual(
      judgeComparison('A', a, 'B', b, { seed: 9 }),
      judgeComparison('A', a, 'B', b, { seed: 9 }),
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSeededRandom } from '../../src/measure/statistics.ts';
import { mapRanges, splitRange } from '../../src/shared/split-range.ts';

describe('splitRange', () => {
  it('splits evenly into contiguous, aligned, non-empty ranges', () => {
    assert.deepEqual(splitRange(10, { parts: 3 }), [
      { start: 0, end: 3 },
      { start: 3, end: 6 },
      { start: 6, end: 10 },
    ]);
    assert.deepEqual(splitRange(0, { parts: 4 }), []);
    assert.deepEqual(splitRange(2, { parts: 4 }), [
      { start: 0, end: 1 },
      { start: 1, end: 2 },
    ]);
    const random = createSeededRandom(42); // mulberry32: failures reproduce
    for (let trial = 0; trial < 500; trial++) {
      const length = Math.floor(random() * 100_000);
      const parts = 1 + Math.floor(random() * 16);
      const align = 1 + Math.floor(random() * 64);
      const ranges = splitRange(length, { parts, align });
      let next = 0;
      for (const [i, range] of ranges.entries()) {
        assert.equal(range.start, next);
        assert.ok(range.end > range.start);
        if (i < ranges.length - 1) assert.equal(range.end % align, 0);
        next = range.end;
      }
      assert.equal(next, length);
      assert.ok(ranges.length <= parts);
    }
    const beyond = splitRange(6 * 2 ** 30, { parts: 2 });
    assert.deepEqual(beyond, [
      { start: 0, end: 3 * 2 ** 30 },
      { start: 3 * 2 ** 30, end: 6 * 2 ** 30 },
    ]);
  });

  it('rejects bad options', () => {
    assert.throws(() => splitRange(-1), { code: 'ERR_INVALID_OPTION' });
    assert.throws(() => splitRange(5, { parts: 0 }), { code: 'ERR_INVALID_OPTION' });
    assert.throws(() => splitRange(5, { align: 1.5 }), { code: 'ERR_INVALID_OPTION' });
  });

  it('mapRanges runs one call per range and keeps range order', async () => {
    const results = await mapRanges(
      { length: 9 },
      ({ start, end }, index) => Promise.resolve(`${index}:${start}-${end}`),
      { parts: 3 },
    );
    assert.deepEqual(results, ['0:0-3', '1:3-6', '2:6-9']);
  });
});

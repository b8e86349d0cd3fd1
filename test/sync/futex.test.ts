import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deadlineOf, waitAsync } from '../../src/sync/futex.ts';
import { checkLeaksAfterEach } from '../helpers/leak-check.ts';

checkLeaksAfterEach();

describe('futex waits', () => {
  it('an unnotified async wait reports a timeout, and only once its deadline has passed', async () => {
    // V8's Atomics.waitAsync drops the fraction of its timeout, so fractional timeouts used to
    // wake before the deadline and be taken for a notify (a flaky Condition.wait in CI).
    const cells = new Int32Array(new SharedArrayBuffer(4));
    for (const timeoutMs of [0.4, 1.3, 2.6, 3.5, 5.3]) {
      const deadline = deadlineOf(timeoutMs);
      assert.equal(await waitAsync(cells, 0, 0, deadline), false, `wait of ${timeoutMs} ms`);
      assert.ok(performance.now() >= deadline, `wait of ${timeoutMs} ms ended before its deadline`);
    }
  });

  it('an async wait whose word already differs returns true at once', async () => {
    const cells = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(cells, 0, 1);
    assert.equal(await waitAsync(cells, 0, 0, deadlineOf(60_000)), true);
  });
});

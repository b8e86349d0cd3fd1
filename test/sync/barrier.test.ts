import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedArray } from '../../src/shared/shared-array.ts';
import { Barrier } from '../../src/sync/barrier.ts';
import { checkLeaksAfterEach } from '../helpers/leak-check.ts';
import { runScenario, startScenario, terminateAll } from '../shared/fixtures/run-worker.ts';

checkLeaksAfterEach(terminateAll);

describe('Barrier', () => {
  it('keeps three parties (two workers, the main thread) in step for many generations', async () => {
    const rounds = 300;
    const barrier = new Barrier({ parties: 3 });
    const progress = SharedArray.create('Int32', 3);
    const workers = [
      runScenario('barrierRounds', barrier, progress, 0, rounds),
      runScenario('barrierRounds', barrier, progress, 1, rounds),
    ];
    let violations = 0;
    for (let round = 0; round < rounds; round++) {
      progress.set(2, round + 1);
      await barrier.wait(20_000);
      for (let party = 0; party < 3; party++) {
        const seen = progress.get(party);
        if (seen < round + 1 || seen > round + 2) violations++;
      }
      await barrier.wait(20_000);
    }
    assert.deepEqual(await Promise.all(workers), [0, 0]);
    assert.equal(violations, 0);
    assert.equal(barrier.generation, 2 * rounds);
    assert.equal(barrier.broken, false);
  });

  it('breaks when a party times out: the timed-out waiter gets ERR_WAIT_TIMEOUT, later ones ERR_BARRIER_BROKEN', async () => {
    const barrier = new Barrier({ parties: 2 });
    await assert.rejects(barrier.wait(10), { code: 'ERR_WAIT_TIMEOUT' });
    assert.equal(barrier.broken, true);
    await assert.rejects(barrier.wait(10), { code: 'ERR_BARRIER_BROKEN' });
    barrier.reset();
    assert.equal(barrier.broken, false);
    const worker = runScenario('waitOnBarrier', barrier, 20_000);
    const index = await barrier.wait(20_000);
    assert.deepEqual([index, await worker].sort(), [0, 1]);
  });

  it('a party whose worker dies breaks the barrier for the others (abortOnExit)', async () => {
    const barrier = new Barrier({ parties: 3 });
    const waiter = startScenario('waitOnBarrier', barrier, 20_000);
    const dying = startScenario('exitNow');
    barrier.abortOnExit(dying.worker);
    await assert.rejects(barrier.wait(20_000), { code: 'ERR_BARRIER_BROKEN' });
    const outcome = await waiter.outcome;
    assert.equal(outcome.ok, false);
    assert.equal(outcome.ok ? undefined : outcome.error.code, 'ERR_BARRIER_BROKEN');
    assert.equal(barrier.broken, true);
  });

  it('rejects bad options and blocking on the main thread', () => {
    assert.throws(() => new Barrier({ parties: 0 }), { code: 'ERR_INVALID_OPTION' });
    assert.throws(() => new Barrier({ parties: 1 }).waitSync(), { code: 'ERR_BLOCKING_MAIN_THREAD' });
  });
});

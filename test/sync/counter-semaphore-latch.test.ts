import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AtomicCounter } from '../../src/sync/atomic-counter.ts';
import { CountdownLatch } from '../../src/sync/countdown-latch.ts';
import { Event } from '../../src/sync/event.ts';
import { Semaphore } from '../../src/sync/semaphore.ts';
import { checkLeaksAfterEach } from '../helpers/leak-check.ts';
import { runScenario, startScenario, terminateAll } from '../shared/fixtures/run-worker.ts';

checkLeaksAfterEach(terminateAll);

describe('AtomicCounter', () => {
  it('ends exact after concurrent increments from two workers and the main thread', async () => {
    const counter = new AtomicCounter({ initial: 5 });
    const workers = [runScenario('countUp', counter, 200_000), runScenario('countUp', counter, 200_000)];
    for (let i = 0; i < 50_000; i++) counter.increment();
    await Promise.all(workers);
    assert.equal(counter.value, 5 + 450_000);
  });

  it('wraps like int32 and offers exchange/compareExchange', () => {
    const counter = new AtomicCounter({ initial: 2 ** 31 - 1 });
    assert.equal(counter.increment(), -(2 ** 31));
    assert.equal(counter.exchange(7), -(2 ** 31));
    assert.equal(counter.compareExchange(7, 9), 7);
    assert.equal(counter.compareExchange(7, 11), 9);
    assert.equal(counter.add(-10), -1);
    assert.equal(counter.decrement(), -2);
    assert.throws(() => new AtomicCounter({ initial: 2 ** 31 }), { code: 'ERR_INVALID_OPTION' });
  });
});

describe('Semaphore', () => {
  it('never lets more than `permits` threads in at once', async () => {
    const semaphore = new Semaphore({ permits: 1 });
    const inside = new AtomicCounter();
    const maxSeen = new AtomicCounter();
    await Promise.all([
      runScenario('semaphoreWork', semaphore, inside, maxSeen, 20_000),
      runScenario('semaphoreWork', semaphore, inside, maxSeen, 20_000),
    ]);
    assert.equal(maxSeen.value, 1);
    assert.equal(semaphore.available, 1);
  });

  it('times out when no permit comes back, and wakes an async waiter on release', async () => {
    const semaphore = new Semaphore({ permits: 0 });
    await assert.rejects(semaphore.acquire(10), { code: 'ERR_WAIT_TIMEOUT' });
    const waiting = semaphore.acquire(20_000);
    semaphore.release();
    await waiting;
    assert.equal(semaphore.available, 0);
    assert.equal(semaphore.tryAcquire(), false);
    assert.throws(() => semaphore.acquireSync(1), { code: 'ERR_BLOCKING_MAIN_THREAD' });
    assert.throws(() => new Semaphore({ permits: -1 }), { code: 'ERR_INVALID_OPTION' });
  });
});

describe('Event and CountdownLatch', () => {
  it('an event set on the main thread releases every waiting worker, which count the latch down', async () => {
    const go = new Event();
    const done = new CountdownLatch({ count: 3 });
    const workers = [0, 1, 2].map(() => startScenario('waitEventThenCount', go, done));
    assert.equal(done.count, 3);
    go.set();
    await done.wait(20_000);
    assert.equal(done.count, 0);
    for (const { outcome } of workers) assert.deepEqual(await outcome, { ok: true, result: undefined });
    assert.equal(go.isSet, true);
    go.clear();
    await assert.rejects(go.wait(5), { code: 'ERR_WAIT_TIMEOUT' });
  });

  it('a latch at zero passes at once; a latch short of zero times out', async () => {
    await new CountdownLatch({ count: 0 }).wait(0);
    const latch = new CountdownLatch({ count: 2 });
    latch.countDown();
    await assert.rejects(latch.wait(5), { code: 'ERR_WAIT_TIMEOUT' });
    latch.countDown(5);
    assert.equal(latch.count, 0);
    await latch.wait(0);
  });
});

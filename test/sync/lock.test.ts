import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedArray } from '../../src/shared/shared-array.ts';
import { Event } from '../../src/sync/event.ts';
import { Lock } from '../../src/sync/lock.ts';
import { RecursiveLock } from '../../src/sync/recursive-lock.ts';
import { checkLeaksAfterEach } from '../helpers/leak-check.ts';
import { runScenario, startScenario, terminateAll } from '../shared/fixtures/run-worker.ts';

checkLeaksAfterEach(terminateAll);

describe('Lock', () => {
  it('keeps a non-atomic read-modify-write exact under contention from two workers and the main thread', async () => {
    const lock = new Lock();
    const cell = SharedArray.create('Int32', 1);
    const perWorker = 20_000;
    const mainTimes = 2_000;
    const workers = [
      runScenario('lockedIncrement', lock, cell, perWorker),
      runScenario('lockedIncrement', lock, cell, perWorker),
    ];
    for (let i = 0; i < mainTimes; i++) {
      await lock.withLock(() => cell.set(0, cell.get(0) + 1), 20_000);
    }
    await Promise.all(workers);
    assert.equal(cell.get(0), 2 * perWorker + mainTimes);
    assert.equal(lock.locked, false);
  });

  it('times out with ERR_WAIT_TIMEOUT while a worker holds it, and works once released', async () => {
    const lock = new Lock();
    const release = new Event();
    const held = new Event();
    const holder = startScenario('holdLockUntil', lock, release, held);
    await held.wait(20_000);
    await assert.rejects(lock.acquire(20), { code: 'ERR_WAIT_TIMEOUT' });
    assert.equal(lock.tryAcquire(), undefined);
    release.set();
    assert.deepEqual(await holder.outcome, { ok: true, result: undefined });
    const guard = await lock.acquire(20_000);
    assert.equal(lock.locked, true);
    guard.release();
    guard.release(); // a second release through the guard is a no-op
    assert.equal(lock.locked, false);
  });

  it('refuses to block the main thread, and release() of a free lock throws', () => {
    const lock = new Lock();
    assert.throws(() => lock.acquireSync(10), { code: 'ERR_BLOCKING_MAIN_THREAD' });
    assert.throws(() => lock.release(), { code: 'ERR_LOCK_NOT_HELD' });
    assert.throws(() => new Lock({ memory: { buffer: new SharedArrayBuffer(8), byteOffset: 2 } }), {
      code: 'ERR_INVALID_OPTION',
    });
  });

  it('releases through `using` when the block exits, also by a throw', async () => {
    const lock = new Lock();
    await assert.rejects(
      lock.withLock(() => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(lock.locked, false);
    {
      using _guard = lock.tryAcquire();
      assert.equal(lock.locked, true);
    }
    assert.equal(lock.locked, false);
  });

  it('packs into a caller-supplied buffer and survives structured clone as its handle', () => {
    const buffer = new SharedArrayBuffer(16);
    const lock = new Lock({ memory: { buffer, byteOffset: 8 } });
    const clone = structuredClone(lock) as unknown;
    assert.deepEqual(Object.keys(clone as object).sort(), ['__manycore', 'buffer', 'byteOffset']);
    const again = Lock.fromHandle(lock.toHandle());
    const guard = again.tryAcquire();
    assert.ok(guard);
    assert.equal(lock.locked, true);
    assert.equal(new Int32Array(buffer)[2], 1);
    guard.release();
  });
});

describe('RecursiveLock', () => {
  it('lets the holder re-enter and keeps counts exact across workers', async () => {
    const lock = new RecursiveLock();
    const cell = SharedArray.create('Int32', 1);
    await Promise.all([
      runScenario('recursiveIncrement', lock, cell, 5_000),
      runScenario('recursiveIncrement', lock, cell, 5_000),
    ]);
    assert.equal(cell.get(0), 10_000);
    const outer = await lock.acquire(1000);
    const inner = await lock.acquire(1000);
    assert.equal(lock.depth, 2);
    inner.release();
    outer.release();
    assert.equal(lock.depth, 0);
    assert.throws(() => lock.release(), { code: 'ERR_LOCK_NOT_HELD' });
  });
});

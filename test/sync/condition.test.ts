import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedArray } from '../../src/shared/shared-array.ts';
import { Condition } from '../../src/sync/condition.ts';
import { Lock } from '../../src/sync/lock.ts';
import { checkLeaksAfterEach } from '../helpers/leak-check.ts';
import { runScenario, terminateAll } from '../shared/fixtures/run-worker.ts';

checkLeaksAfterEach(terminateAll);

describe('Condition', () => {
  it('wakes waiting workers once the state they wait for is reached', async () => {
    const condition = new Condition();
    const cell = SharedArray.create('Int32', 1);
    const consumers = [
      runScenario('conditionConsumer', condition, cell, 50),
      runScenario('conditionConsumer', condition, cell, 50),
    ];
    for (let i = 0; i < 50; i++) {
      await condition.lock.withLock(() => {
        cell.set(0, cell.get(0) + 1);
        condition.notifyAll();
      });
    }
    assert.deepEqual(await Promise.all(consumers), [50, 50]);
  });

  it('a wait times out holding the lock again; the handle carries its lock', async () => {
    const lock = new Lock();
    const condition = new Condition({ lock });
    const guard = await lock.acquire();
    await assert.rejects(condition.wait(5), { code: 'ERR_WAIT_TIMEOUT' });
    assert.equal(lock.locked, true);
    guard.release();
    const handle = structuredClone(condition) as unknown as ReturnType<Condition['toHandle']>;
    const revived = Condition.fromHandle(handle);
    const again = revived.lock.tryAcquire();
    assert.equal(lock.locked, true, 'the revived condition uses the same lock memory');
    again?.release();
    await lock.withLock(() =>
      assert.rejects(
        condition.waitFor(() => false, 5),
        { code: 'ERR_WAIT_TIMEOUT' },
      ),
    );
    await assert.rejects(condition.wait(5), { code: 'ERR_LOCK_NOT_HELD' });
  });
});

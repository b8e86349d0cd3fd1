import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSharedHandle, reviveShared } from '../../src/shared/revive.ts';
import { SharedArray } from '../../src/shared/shared-array.ts';
import { SharedValue } from '../../src/shared/shared-value.ts';
import { AtomicCounter } from '../../src/sync/atomic-counter.ts';
import { Barrier } from '../../src/sync/barrier.ts';
import { Condition } from '../../src/sync/condition.ts';
import { CountdownLatch } from '../../src/sync/countdown-latch.ts';
import { Event } from '../../src/sync/event.ts';
import { Lock } from '../../src/sync/lock.ts';
import { Queue } from '../../src/sync/queue.ts';
import { RecursiveLock } from '../../src/sync/recursive-lock.ts';
import { Semaphore } from '../../src/sync/semaphore.ts';

describe('reviveShared', () => {
  it('revives every kind of shared object, at any depth, after structured clone', () => {
    const live = {
      array: SharedArray.create('Int8', 3),
      value: SharedValue.put([1, 2]),
      sync: [
        new Lock(),
        new RecursiveLock(),
        new Semaphore(),
        new Barrier({ parties: 2 }),
        new Event(),
        new Condition(),
        new CountdownLatch({ count: 1 }),
        new AtomicCounter(),
        new Queue(),
      ],
      map: new Map([['lock', new Lock()]]),
      set: new Set([new Event()]),
      plain: { n: 1, s: 'x', bytes: new Uint8Array([1]) },
    };
    const revived = reviveShared(structuredClone(live));
    assert.ok(revived.array instanceof SharedArray);
    assert.ok(revived.value instanceof SharedValue);
    revived.sync.forEach((object, i) => assert.equal(object.constructor, live.sync[i]?.constructor));
    assert.ok(revived.map.get('lock') instanceof Lock);
    assert.ok([...revived.set][0] instanceof Event);
    assert.deepEqual(revived.plain, live.plain);
    assert.ok((revived.sync[5] as Condition).lock instanceof Lock);
  });

  it('keeps identity for a handle reached twice, passes live objects and primitives through', () => {
    const lock = new Lock();
    const [a, b] = reviveShared(structuredClone([lock, lock]));
    assert.equal(a, b);
    assert.equal(reviveShared(lock), lock);
    assert.equal(reviveShared(5), 5);
    assert.equal(reviveShared(null), null);
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    assert.equal(reviveShared(cyclic).self, cyclic);
    assert.equal(isSharedHandle(lock.toHandle()), true);
    assert.equal(isSharedHandle({ __manycore: 'Unknown' }), false);
  });

  it('rejects a malformed tagged object', () => {
    assert.throws(() => reviveShared({ __manycore: 'Lock', buffer: 1, byteOffset: 0 }), {
      code: 'ERR_INVALID_OPTION',
    });
  });
});

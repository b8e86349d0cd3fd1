import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Queue } from '../../src/sync/queue.ts';
import { checkLeaksAfterEach } from '../helpers/leak-check.ts';
import { decodeId } from '../shared/fixtures/scenarios.ts';
import { runScenario, terminateAll } from '../shared/fixtures/run-worker.ts';

checkLeaksAfterEach(terminateAll);

describe('Queue', () => {
  it('with several producers and consumers (workers and the main thread) loses and duplicates nothing', async () => {
    // Small capacities force both full-queue and empty-queue waits, and ring wrap-around.
    const queue = new Queue({ capacity: 16, capacityBytes: 512 });
    const perProducer = 6_000;
    const producers = [
      runScenario('produce', queue, 1, perProducer),
      runScenario('produce', queue, 2, perProducer),
    ];
    const consumers = [runScenario('consume', queue), runScenario('consume', queue)];
    // The main thread produces too, then consumes beside the workers until the queue closes.
    // (Taking a fixed share could wait forever: the worker consumers may take every item first.)
    for (let i = 0; i < 1_000; i++)
      await queue.put(i % 2 === 0 ? 3_000_000 + i : { id: 3_000_000 + i }, 20_000);
    const closed = Promise.all(producers).then(() => queue.close());
    const mainTaken: number[] = [];
    for (;;) {
      try {
        mainTaken.push(decodeId(await queue.get(20_000)));
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_QUEUE_CLOSED') break;
        throw error;
      }
    }
    await closed;
    const taken = [...mainTaken, ...((await Promise.all(consumers)) as number[][]).flat()];
    const expected = [
      ...[1, 2].flatMap((p) => Array.from({ length: perProducer }, (_, i) => p * 1_000_000 + i)),
      ...Array.from({ length: 1_000 }, (_, i) => 3_000_000 + i),
    ];
    assert.equal(taken.length, expected.length, 'items lost or duplicated');
    assert.deepEqual(
      taken.sort((a, b) => a - b),
      expected.sort((a, b) => a - b),
    );
    assert.equal(queue.size, 0);
  });

  it('keeps FIFO order and the three encodings on one thread', async () => {
    const queue = new Queue({ capacity: 4, capacityBytes: 256 });
    const items: unknown[] = [1.5, new Uint8Array([1, 2, 3]), { a: [1, 'x'], b: new Map([[1, 2]]) }, -0];
    for (let round = 0; round < 20; round++) {
      for (const item of items) await queue.put(item);
      for (const item of items) assert.deepEqual(await queue.get(), item);
    }
  });

  it('gives back what structured clone would, on the JSON fast path and off it', async () => {
    const queue = new Queue({ capacity: 64, capacityBytes: 4096 });
    const nullPrototype = Object.assign(Object.create(null) as object, { b: 1, a: 'x' });
    const holey: unknown[] = new Array(3); // a hole structured clone keeps and JSON would not
    holey[0] = 1;
    holey[2] = 3;
    const items: unknown[] = [
      '',
      'plain',
      'é ☃ 😀',
      'lone \ud800 surrogate \udfff',
      true,
      null,
      { id: 1, text: 'item', ok: false, none: null, big: 2 ** 53, tiny: 5e-324 },
      { 10: 'a', 2: 'b', z: 'c', 1.5: 'd' }, // integer-like keys first, in order
      nullPrototype,
      {},
      { zero: -0 }, // -0, NaN, ±Infinity and undefined need v8.serialize
      { n: NaN, i: -Infinity, u: undefined },
      { nested: { deep: holey } },
      [1, 'two'],
      new Date(0),
      12n,
      undefined,
    ];
    for (const item of items) await queue.put(item);
    for (const item of items) {
      const got = await queue.get();
      const expected = structuredClone(item);
      assert.deepStrictEqual(got, expected); // also tells -0 from 0 and a hole from undefined
      if (typeof got === 'object' && got !== null) {
        assert.deepEqual(Object.keys(got), Object.keys(expected as object), 'key order');
        assert.equal(Object.getPrototypeOf(got), Object.getPrototypeOf(expected), 'prototype');
      }
    }
  });

  it('times out when full or empty, and refuses items larger than the ring', async () => {
    const queue = new Queue<number>({ capacity: 1, capacityBytes: 64 });
    await assert.rejects(queue.get(5), { code: 'ERR_WAIT_TIMEOUT' });
    await queue.put(1);
    await assert.rejects(queue.put(2, 5), { code: 'ERR_WAIT_TIMEOUT' });
    const big = new Queue({ capacityBytes: 64 });
    await assert.rejects(big.put(new Uint8Array(100)), { code: 'ERR_QUEUE_ITEM_TOO_LARGE' });
    assert.throws(() => queue.getSync(1), { code: 'ERR_BLOCKING_MAIN_THREAD' });
  });

  it('after close, puts fail and gets drain then fail; a waiting getter wakes', async () => {
    const queue = new Queue<string>();
    const waiting = queue.get(20_000);
    queue.close();
    await assert.rejects(waiting, { code: 'ERR_QUEUE_CLOSED' });
    const other = new Queue<string>();
    await other.put('last');
    other.close();
    await assert.rejects(other.put('late'), { code: 'ERR_QUEUE_CLOSED' });
    assert.equal(await other.get(), 'last');
    await assert.rejects(other.get(), { code: 'ERR_QUEUE_CLOSED' });
    assert.equal(other.closed, true);
  });
});

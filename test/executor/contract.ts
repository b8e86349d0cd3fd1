/**
 * The Executor contract: one body per behaviour, run against every backend (thread pool,
 * process pool). A backend passes only if it behaves the same as the others.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  asCompleted,
  CancelledError,
  move,
  PoolClosedError,
  QueueFullError,
  SharedArray,
  TaskTimeoutError,
  wait,
  type TaskQueuedEvent,
  type TaskSettledEvent,
} from '../../src/index.ts';
import type { Backend } from './backend.ts';
import { checkLeaksAfterEach, collect, nextEvent, startSpinning, t } from './harness.ts';

export function contractSuite(backend: Backend): void {
  describe(`Executor contract: ${backend.name}`, () => {
    checkLeaksAfterEach();

    test('submit runs a sync and an async task and resolves with their results', async () => {
      await using pool = backend.create({ workers: 2 });
      const future = pool.submit(t.add, 2, 3);
      assert.equal(await future, 5);
      assert.equal(future.state, 'fulfilled');
      assert.equal(await pool.submit(t.asyncDouble, 21), 42);
    });

    test('many submits at once all settle with the right values', async () => {
      await using pool = backend.create({ workers: 2 });
      const futures = Array.from({ length: 5000 }, (_, i) => pool.submit(t.add, i, 1));
      const results = await Promise.all(futures);
      assert.deepEqual(
        results,
        Array.from({ length: 5000 }, (_, i) => i + 1),
      );
      assert.equal(pool.stats().fulfilled, 5000);
    });

    test('structured values round-trip (Map, Set, Date, typed arrays, nested objects)', async () => {
      await using pool = backend.create({ workers: 1 });
      const value = {
        map: new Map([['a', 1]]),
        set: new Set([1, 2]),
        date: new Date(0),
        bytes: new Uint8Array([1, 2, 3]),
        nested: { list: [1, 'two', null] },
      };
      assert.deepEqual(await pool.submit(t.roundTrip, value), value);
    });

    test('map yields results in input order from an array, and as completed when asked', async () => {
      await using pool = backend.create({ workers: 2 });
      const inputs = Array.from({ length: 2000 }, (_, i) => i);
      assert.deepEqual(
        await collect(pool.map(t.square, inputs)),
        inputs.map((x) => x * x),
      );
      const unordered = await collect(pool.map(t.square, inputs, { ordered: false }));
      assert.deepEqual(
        unordered.sort((a, b) => a - b),
        inputs.map((x) => x * x),
      );
      assert.deepEqual(await collect(pool.map(t.square, [])), []);
      assert.deepEqual(
        await collect(
          pool.starmap(t.add, [
            [1, 2],
            [3, 4],
          ] as const),
        ),
        [3, 7],
      );
    });

    test('map is lazy and bounded: a 10,000,000-item generator is never read far ahead', async () => {
      await using pool = backend.create({ workers: 2 });
      let pulled = 0;
      function* naturals(): Generator<number> {
        for (let i = 0; i < 10_000_000; i += 1) {
          pulled += 1;
          yield i;
        }
      }
      let consumed = 0;
      let maxAhead = 0;
      for await (const square of pool.map(t.square, naturals(), { window: 4 })) {
        assert.equal(square, consumed * consumed);
        consumed += 1;
        maxAhead = Math.max(maxAhead, pulled - consumed);
        if (consumed === 300_000) break; // reading all 10M is the benchmark's job; the bound is the point
      }
      // At most `window` chunks of at most 16,384 items are read ahead of the consumer.
      assert.ok(maxAhead <= 4 * 16_384, `read ${maxAhead} items ahead of the consumer`);
      assert.ok(pulled < 10_000_000);
    });

    test('map over an async iterable, with a stopped consumer cancelling what is queued', async () => {
      await using pool = backend.create({ workers: 2 });
      async function* numbers(): AsyncGenerator<number> {
        for (let i = 0; i < 100; i += 1) yield await Promise.resolve(i);
      }
      const results: number[] = [];
      for await (const r of pool.map(t.asyncDouble, numbers())) {
        results.push(r);
        if (results.length === 10) break;
      }
      assert.deepEqual(
        results,
        Array.from({ length: 10 }, (_, i) => i * 2),
      );
    });

    test('asCompleted yields every future once; wait honours returnWhen', async () => {
      await using pool = backend.create({ workers: 2 });
      const futures = [1, 2, 3].map((x) => pool.submit(t.square, x));
      const seen: number[] = [];
      for await (const future of asCompleted(futures)) seen.push(await Promise.resolve(future));
      assert.deepEqual(seen.sort(), [1, 4, 9]);

      const failing = pool.submit(t.throwValidation, 'f');
      failing.catch(() => undefined); // observed through wait() below
      const { future: spinning } = await startSpinning((onProgress) =>
        pool.submit(t.spinForever.with({ onProgress })),
      );
      const first = await wait([failing, spinning], { returnWhen: 'FIRST_EXCEPTION' });
      assert.ok(first.done.has(failing) && first.notDone.has(spinning));
      const timed = await wait([spinning], { timeoutMs: 1 });
      assert.equal(timed.notDone.size, 1);
      spinning.cancel();
      const all = await wait([failing, spinning]);
      assert.equal(all.done.size, 2);
    });

    test('cancelling a queued task drops it; the running task is unaffected until cancelled', async () => {
      await using pool = backend.create({ workers: 1 });
      const { future: running } = await startSpinning((onProgress) =>
        pool.submit(t.spinForever.with({ onProgress })),
      );
      const queued = pool.submit(t.add, 1, 1);
      assert.equal(queued.cancel('no longer needed'), true);
      await assert.rejects(queued, (error: unknown) => {
        assert.ok(error instanceof CancelledError);
        assert.equal(error.code, 'ERR_TASK_CANCELLED');
        assert.equal(error.cause, 'no longer needed');
        return true;
      });
      assert.equal(queued.state, 'cancelled');
      assert.equal(running.state, 'running');
      assert.equal(running.cancel(), true);
      await assert.rejects(running, CancelledError);
      assert.equal(await pool.submit(t.add, 2, 2), 4, 'the pool replaced the stopped worker');
    });

    test('an AbortSignal stops a running task; the error carries the reason as cause', async () => {
      await using pool = backend.create({ workers: 1 });
      const controller = new AbortController();
      const { future: future } = await startSpinning((onProgress) =>
        pool.submit(t.spinForever.with({ onProgress, signal: controller.signal })),
      );
      const reason = new Error('user pressed stop');
      controller.abort(reason);
      await assert.rejects(
        future,
        (error: unknown) => error instanceof CancelledError && error.cause === reason,
      );
      const already = pool.submit(t.add.with({ signal: AbortSignal.abort('early') }), 1, 1);
      await assert.rejects(already, CancelledError);
      assert.equal(await pool.submit(t.add, 1, 1), 2);
    });

    test('timeoutMs stops a task stuck in an infinite loop and replaces its worker', async () => {
      await using pool = backend.create({ workers: 1 });
      const exits = nextEvent(pool, 'worker:exit');
      await assert.rejects(pool.submit(t.spinForever.with({ timeoutMs: 50 })), (error: unknown) => {
        assert.ok(error instanceof TaskTimeoutError);
        assert.equal(error.code, 'ERR_TASK_TIMEOUT');
        assert.equal(error.timeoutMs, 50);
        return true;
      });
      await exits;
      assert.equal(await pool.submit(t.add, 1, 2), 3);
    });

    test('retries: a task that fails with retryable errors, or kills its worker, runs again', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'manycore-retry-'));
      try {
        await using pool = backend.create({ workers: 1 });
        const retry = { retries: 3, backoffMs: 1 };
        assert.equal(await pool.submit(t.failTimes.with({ retry }), join(dir, 'a'), 2, 'throw'), 3);
        assert.equal(await pool.submit(t.failTimes.with({ retry }), join(dir, 'b'), 1, 'exit'), 2);
        await assert.rejects(
          pool.submit(t.failTimes.with({ retry: { retries: 1, backoffMs: 1 } }), join(dir, 'c'), 5, 'throw'),
          {
            code: 'ERR_TASK_FAILED',
          },
        );
        const notRetryable = pool.submit(t.throwValidation.with({ retry }), 'x');
        await assert.rejects(notRetryable, { code: 'ERR_TASK_FAILED' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('progress from inside a task reaches onProgress and the pool event, in order', async () => {
      await using pool = backend.create({ workers: 1 });
      const viaOption: number[] = [];
      const viaEvent: number[] = [];
      pool.on('task:progress', (event) => viaEvent.push(event.fraction));
      await pool.submit(t.progressSteps.with({ onProgress: (event) => viaOption.push(event.fraction) }), 4);
      assert.deepEqual(viaOption, [0.25, 0.5, 0.75, 1]);
      assert.deepEqual(viaEvent, [0.25, 0.5, 0.75, 1]);
    });

    test('events and stats describe tasks and workers', async () => {
      await using pool = backend.create({ workers: 2 });
      const queued: TaskQueuedEvent[] = [];
      const settled: TaskSettledEvent[] = [];
      pool.on('task:queued', (event) => queued.push(event));
      pool.on('task:settled', (event) => settled.push(event));
      await Promise.all([
        pool.submit(t.add, 1, 1),
        pool.submit(t.throwValidation, 'y').catch(() => undefined),
      ]);
      assert.deepEqual(queued.map((event) => event.task).sort(), [
        'tasks.ts#add',
        'tasks.ts#throwValidation',
      ]);
      assert.deepEqual(settled.map((event) => event.status).sort(), ['fulfilled', 'rejected']);
      const stats = pool.stats();
      assert.equal(stats.submitted, 2);
      assert.equal(stats.fulfilled, 1);
      assert.equal(stats.rejected, 1);
      assert.equal(stats.queued, 0);
      assert.ok(stats.workers.length >= 1);
      for (const worker of stats.workers) assert.ok(worker.busyMs >= 0 && worker.systemId > 0);
    });

    test('maxTasksPerWorker recycles workers', async () => {
      await using pool = backend.create({ workers: 1, maxTasksPerWorker: 2 });
      const indices = [];
      for (let i = 0; i < 5; i += 1) indices.push(await pool.submit(t.whoAmI));
      assert.equal(new Set(indices).size, 3, `worker indices: ${indices.join(',')}`);
      assert.equal(indices[0], indices[1]);
      assert.notEqual(indices[1], indices[2]);
    });

    test('initializer runs once in every worker before its first task; env reaches workers', async () => {
      await using pool = backend.create({
        workers: 2,
        initializer: t.initialize,
        initArgs: ['ready'],
        env: { ...process.env, MANYCORE_TEST_VALUE: 'from-env' },
      });
      assert.deepEqual(await Promise.all([pool.submit(t.readInitialized), pool.submit(t.readInitialized)]), [
        'ready',
        'ready',
      ]);
      assert.equal(await pool.submit(t.readEnv, 'MANYCORE_TEST_VALUE'), 'from-env');
    });

    test('min/max workers: workers start on demand and idle ones stop after idleTimeoutMs', async () => {
      await using pool = backend.create({ minWorkers: 0, maxWorkers: 2, idleTimeoutMs: 1 });
      assert.equal(pool.stats().workers.length, 0);
      const exited = nextEvent(pool, 'worker:exit');
      assert.equal(await pool.submit(t.add, 1, 1), 2);
      await exited;
      assert.equal(await pool.submit(t.add, 2, 2), 4);
    });

    test('maxQueue rejects past the limit, or parks the task with queueFullPolicy "wait"', async () => {
      await using pool = backend.create({ workers: 1, maxQueue: 1 });
      const { future: running } = await startSpinning((onProgress) =>
        pool.submit(t.spinForever.with({ onProgress })),
      );
      const queued = pool.submit(t.add, 1, 1);
      await assert.rejects(pool.submit(t.add, 2, 2), QueueFullError);
      running.cancel();
      assert.equal(await queued, 2);

      await using waiting = backend.create({ workers: 1, maxQueue: 1, queueFullPolicy: 'wait' });
      const { future: spin } = await startSpinning((onProgress) =>
        waiting.submit(t.spinForever.with({ onProgress })),
      );
      const a = waiting.submit(t.add, 1, 0);
      const b = waiting.submit(t.add, 2, 0);
      let spaced = false;
      const space = waiting.onQueueSpace().then(() => (spaced = true));
      assert.equal(spaced, false);
      spin.cancel();
      assert.deepEqual(await Promise.all([a, b]), [1, 2]);
      await space;
    });

    test('close lets queued work finish, then submit rejects with ERR_POOL_CLOSED', async () => {
      const pool = backend.create({ workers: 2 });
      const futures = Array.from({ length: 100 }, (_, i) => pool.submit(t.square, i));
      const closing = pool.close();
      assert.equal(pool.close(), closing, 'close is idempotent');
      await assert.rejects(pool.submit(t.add, 1, 1), PoolClosedError);
      await closing;
      assert.equal((await Promise.all(futures)).length, 100);
    });

    test('close({ cancelPending }) cancels queued tasks and stops running ones after its timeout', async () => {
      const pool = backend.create({ workers: 1 });
      const { future: running } = await startSpinning((onProgress) =>
        pool.submit(t.spinForever.with({ onProgress })),
      );
      const queued = pool.submit(t.add, 1, 1);
      await pool.close({ cancelPending: true, timeoutMs: 10 });
      await assert.rejects(queued, CancelledError);
      await assert.rejects(running, { code: 'ERR_WORKER_EXITED' });
    });

    test('move() transfers a result back instead of copying it', async () => {
      await using pool = backend.create({ workers: 1 });
      const data = await pool.submit(t.onesMoved, 1000);
      assert.ok(data instanceof Float64Array);
      assert.equal(data.length, 1000);
      assert.equal(await pool.submit(t.sumFloat64, data), 1000);
      // Between threads the worker's array is detached; to a child process it is always copied.
      assert.equal(await pool.submit(t.lastMovedLength), backend.sharesMemory ? 0 : 1000);
    });

    if (backend.sharesMemory) {
      test("move() transfers an argument: the sender's buffer is detached, the worker reads it", async () => {
        await using pool = backend.create({ workers: 1 });
        const data = new Float64Array(4096).fill(0.5);
        assert.equal(await pool.submit(t.sumFloat64, move(data)), 2048);
        assert.equal(data.length, 0, 'the moved buffer left this thread');
      });

      test('a SharedArrayBuffer argument is shared: the worker writes, the caller reads', async () => {
        await using pool = backend.create({ workers: 1 });
        const buffer = new SharedArrayBuffer(16);
        await pool.submit(t.writeShared, buffer, 2, 99);
        assert.equal(new Int32Array(buffer)[2], 99);
      });

      test('a shared object inside an argument or a map item reaches a fresh worker live', async () => {
        const array = SharedArray.create('Int32', 8);
        const items = Array.from({ length: 7 }, (_, index) => ({ array, index }));
        {
          await using pool = backend.create({ workers: 1 });
          assert.deepEqual(await collect(pool.map(t.markShared, items)), Array(7).fill(true));
        }
        await using pool = backend.create({ workers: 1 });
        assert.equal(await pool.submit(t.markShared, { array, index: 7 }), true);
        assert.deepEqual([...array], [1, 2, 3, 4, 5, 6, 7, 8]);
      });
    }
  });
}

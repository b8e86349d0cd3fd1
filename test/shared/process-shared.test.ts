/**
 * Shared objects across ProcessPool children: memory from ProcessMemoryAllocator is mapped into
 * every process, and the sync primitives wake each other through the addon's futex.
 */
import assert from 'node:assert/strict';
import { constants } from 'node:buffer';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, describe, test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ProcessPool, tasksOf, WorkerExitedError } from '../../src/index.ts';
import { isProcessShared, releaseProcessMemory } from '../../src/shared/process-buffers.ts';
import { ProcessMemoryAllocator } from '../../src/shared/process-memory-allocator.ts';
import { loadSharedBufferAddon } from '../../src/shared/native-addon.ts';
import { segmentNames } from '../../src/shared/process-segments.ts';
import { SharedArray } from '../../src/shared/shared-array.ts';
import { Barrier } from '../../src/sync/barrier.ts';
import { Event } from '../../src/sync/event.ts';
import { Lock } from '../../src/sync/lock.ts';
import { Queue } from '../../src/sync/queue.ts';
import { checkLeaksAfterEach } from '../helpers/leak-check.ts';

const s = tasksOf<typeof import('./fixtures/process-shared-tasks.ts')>(
  new URL('./fixtures/process-shared-tasks.ts', import.meta.url),
);

/** Every pid whose segments this file could have left behind. */
const pids = new Set<number>([process.pid]);

function leftovers(): string[] {
  return segmentNames().filter((name) => pids.has(Number(/^\/manycore-(\d+)-/.exec(name)?.[1])));
}

async function childPids(pool: ProcessPool, workers: number): Promise<void> {
  const seen = await Promise.all(Array.from({ length: workers * 4 }, () => pool.submit(s.pid)));
  for (const pid of seen) pids.add(pid);
}

describe(
  'shared objects across processes',
  { skip: loadSharedBufferAddon(true) === null && 'addon not built' },
  () => {
    checkLeaksAfterEach();
    after(() => assert.deepEqual(leftovers(), [], '/dev/shm keeps segments of this suite'));

    test('a shared array written by one child process is read by another', async () => {
      using memory = new ProcessMemoryAllocator();
      const data = SharedArray.create('Float64', 300_000, { memory, chunkLength: 100_000 });
      assert.ok(data.segments.every((segment) => isProcessShared(segment)));
      const written = new Event({ memory });
      const release = new Event({ memory });
      await using pool = new ProcessPool({ workers: 2 });
      const writer = pool.submit(s.fillAndHold, data, 2.5, written, release);
      await written.wait(60_000);
      // The writer's child is held by `release`, so the reader runs in the other child.
      const read = await pool.submit(s.sum, data);
      release.set();
      const writerPid = await writer;
      pids.add(writerPid).add(read.pid);
      assert.notEqual(read.pid, writerPid);
      assert.equal(read.sum, 2.5 * 300_000);
      assert.equal(data.get(299_999), 2.5, 'the parent sees the child’s writes too');
    });

    test('an array past 4 GiB maps into a child: one segment where one TypedArray holds it', async () => {
      // 2^32 + 16 bytes of /dev/shm, committed only where written. Node 22+ maps it as one
      // segment; Node 20 (2^32 elements per TypedArray at most) as segments of 2^30.
      using memory = new ProcessMemoryAllocator();
      const data = SharedArray.create('Uint8', 2 ** 32 + 16, { memory });
      const segments = constants.MAX_LENGTH > 2 ** 32 ? 1 : 5;
      assert.equal(data.segments.length, segments);
      await using pool = new ProcessPool({ workers: 1 });
      const marks: [number, number][] = [
        [0, 1],
        [2 ** 31 + 3, 2],
        [2 ** 32 - 1, 3],
        [2 ** 32 + 15, 4],
      ];
      assert.equal(await pool.submit(s.writeMarks, data, marks), segments);
      for (const [index, value] of marks) assert.equal(data.get(index), value, `index ${index}`);
    });

    test('Lock: non-atomic increments under the lock from 2 children and the parent lose nothing', async () => {
      using memory = new ProcessMemoryAllocator();
      const counter = SharedArray.create('Int32', 1, { memory });
      const lock = new Lock({ memory });
      await using pool = new ProcessPool({ workers: 2 });
      const perChild = 3000;
      const children = [
        pool.submit(s.addUnderLock, counter, lock, perChild),
        pool.submit(s.addUnderLock, counter, lock, perChild),
      ];
      for (let i = 0; i < 300; i += 1) {
        await lock.withLock(() => {
          counter.set(0, counter.get(0) + 1);
        }, 60_000);
      }
      for (const pid of await Promise.all(children)) pids.add(pid);
      assert.equal(counter.get(0), 2 * perChild + 300);
    });

    test('Barrier: 2 children and the parent cross every round together', async () => {
      using memory = new ProcessMemoryAllocator();
      const parties = 3;
      const rounds = 50;
      const barrier = new Barrier({ parties, memory });
      const arrived = SharedArray.create('Int32', 1, { memory });
      const cells = new Int32Array(arrived.segments[0] as SharedArrayBuffer);
      await using pool = new ProcessPool({ workers: 2 });
      const children = [
        pool.submit(s.crossRounds, barrier, arrived, parties, rounds),
        pool.submit(s.crossRounds, barrier, arrived, parties, rounds),
      ];
      for (let round = 0; round < rounds; round += 1) {
        Atomics.add(cells, 0, 1);
        await barrier.wait(60_000);
        assert.ok(Atomics.load(cells, 0) >= parties * (round + 1));
      }
      for (const pid of await Promise.all(children)) pids.add(pid);
      assert.equal(Atomics.load(cells, 0), parties * rounds);
    });

    // It once hung about 1 run in 4: a child received two task batches in one IPC read and ran
    // only the first (worker-runtime.ts; test/worker/worker-runtime.test.ts pins the order).
    test(
      'Queue: the parent produces, 2 children consume every item exactly once',
      { timeout: 60_000 },
      async () => {
        using memory = new ProcessMemoryAllocator();
        const queue = new Queue<number>({ capacity: 16, memory });
        await using pool = new ProcessPool({ workers: 2 });
        const consumers = [pool.submit(s.drain, queue), pool.submit(s.drain, queue)];
        const items = 500;
        for (let n = 1; n <= items; n += 1) await queue.put(n, 60_000);
        queue.close();
        const results = await Promise.all(consumers);
        assert.equal(
          results.reduce((total, r) => total + r.count, 0),
          items,
        );
        assert.equal(
          results.reduce((total, r) => total + r.sum, 0),
          (items * (items + 1)) / 2,
        );
        const seen = results.flatMap((r) => r.items).sort((a, b) => a - b);
        assert.deepEqual(
          seen,
          Array.from({ length: items }, (_, i) => i + 1),
          'each item exactly once',
        );
        await childPids(pool, 2);
      },
    );

    test('a shared array created in a child comes back shared', async () => {
      await using pool = new ProcessPool({ workers: 1 });
      await childPids(pool, 1);
      const made = SharedArray.fromHandle(await pool.submit(s.createFilled, 1000, 7));
      assert.ok(isProcessShared(made.segments[0] as SharedArrayBuffer));
      assert.equal(made.get(999), 7);
      const again = await pool.submit(s.sum, made);
      assert.equal(again.sum, 7000);
    });

    test('release(): names are removed; mapped memory keeps working; sending it again fails clearly', async () => {
      const memory = new ProcessMemoryAllocator();
      const data = SharedArray.create('Float64', 10, { memory }).fill(1);
      assert.equal(leftovers().length, 1);
      assert.equal(releaseProcessMemory(data), 1);
      assert.deepEqual(leftovers(), []);
      data.set(0, 5);
      assert.equal(data.get(0), 5);
      await using pool = new ProcessPool({ workers: 1 });
      await assert.rejects(pool.submit(s.sum, data), (error: Error & { code: string }) => {
        assert.equal(error.code, 'ERR_PROCESS_MEMORY', 'the backend error reaches the caller unwrapped');
        return true;
      });
      memory.release();
    });

    test('a SIGKILLed child leaves no segment behind', async () => {
      using memory = new ProcessMemoryAllocator();
      const flag = SharedArray.create('Int32', 2, { memory });
      const cells = new Int32Array(flag.segments[0] as SharedArrayBuffer);
      await using pool = new ProcessPool({ workers: 1 });
      const spinning = pool.submit(s.createAndSpin, flag);
      spinning.catch(() => undefined);
      // Wait (without sleeping) until the child has created its segment and published its pid.
      while (Atomics.load(cells, 0) === 0) await nextTurn();
      const childPid = Atomics.load(cells, 0);
      pids.add(childPid);
      assert.equal(segmentNames(childPid).length, 1, 'the child created one segment');
      process.kill(childPid, 'SIGKILL');
      await assert.rejects(spinning, WorkerExitedError);
      assert.deepEqual(segmentNames(childPid), []);
    });
  },
);

/** Runs fixtures/process-fallback.ts in its own process and returns what it printed. */
async function runFallback(
  mode: 'process' | 'heap',
  env: NodeJS.ProcessEnv,
): Promise<{ childSums: number[]; parentValue: number; warnings: string[] }> {
  const script = new URL('./fixtures/process-fallback.ts', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, mode], {
    env: { ...process.env, ...env },
  });
  // libuv frees the process handle in the loop's close phase, a turn or two after 'close'.
  await nextTurn();
  await nextTurn();
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as never;
}

describe('without shared process memory', () => {
  checkLeaksAfterEach();

  test('a missing addon: the pool still works, the array is copied, one warning names the fix', async () => {
    const run = await runFallback('process', { MANYCORE_DISABLE_ADDON: '1' });
    assert.deepEqual(run.childSums, [3000, 4000], 'the child works on its own copy');
    assert.equal(run.parentValue, 0, 'the child’s writes stay in the child');
    assert.deepEqual(run.warnings, ['MANYCORE_NO_SHARED_PROCESS_MEMORY']);
  });

  test('ordinary (heap) shared memory sent to a child is copied, with one warning', async () => {
    const run = await runFallback('heap', {});
    assert.deepEqual(run.childSums, [3000, 4000]);
    assert.equal(run.parentValue, 0);
    assert.deepEqual(run.warnings, ['MANYCORE_SHARED_MEMORY_COPIED']);
  });
});

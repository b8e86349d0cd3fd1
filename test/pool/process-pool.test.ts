/**
 * What only the process backend does: OS signals, parent death, CPU pinning, SIGTERM grace, and
 * V8 serialization of rich values. The behaviour it shares with threads is pinned by the
 * contract and fault suites (test/executor/process-pool.test.ts).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  CancelledError,
  InvalidOptionError,
  ProcessPool,
  tasksOf,
  WorkerExitedError,
  WorkerStartError,
  type WorkerExitEvent,
} from '../../src/index.ts';
import { loadSharedBufferAddon } from '../../src/shared/native-addon.ts';
import { ProcessMemoryAllocator } from '../../src/shared/process-memory-allocator.ts';
import { segmentNames } from '../../src/shared/process-segments.ts';
import { checkLeaksAfterEach, nextEvent, startSpinning, t } from '../executor/harness.ts';

const p = tasksOf<typeof import('../fixtures/process-tasks.ts')>(
  new URL('../fixtures/process-tasks.ts', import.meta.url),
);

/** Whether `pid` still runs (a zombie has finished running; only its parent can reap it). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('ProcessPool', () => {
  checkLeaksAfterEach();

  test('runs a .ts task module in a child process of its own', async () => {
    await using pool = new ProcessPool({ workers: 1 });
    const child = await pool.submit(p.identity);
    assert.equal(child.kind, 'child');
    assert.notEqual(child.pid, process.pid);
    assert.equal(child.ppid, process.pid);
    assert.equal(child.workerIndex, 0);
    assert.deepEqual(
      pool.stats().workers.map((worker) => worker.systemId),
      [child.pid],
    );
  });

  test('Map, Set, Date, BigInt, typed arrays and Buffers survive the trip both ways', async () => {
    await using pool = new ProcessPool({ workers: 1 });
    const key = { id: 1 };
    const value = {
      map: new Map<unknown, unknown>([
        [key, new Set([new Date(86_400_000)])],
        ['big', 2n ** 70n],
      ]),
      floats: new Float64Array([0.5, -1.25, Number.NaN]),
      bigints: new BigInt64Array([-(2n ** 63n)]),
      bytes: new Uint8Array([0, 255]),
      view: new Int16Array(new Int16Array([1, 2, 3, 4]).buffer, 2, 2),
      regexp: /a+b/gi,
      error: new RangeError('kept'),
    };
    const back = await pool.submit(t.roundTrip, value);
    assert.deepEqual(back, value);
  });

  test('env and cwd reach the child', async () => {
    const cwd = tmpdir();
    await using pool = new ProcessPool({ workers: 1, env: { ...process.env, MANYCORE_PROBE: 'yes' }, cwd });
    assert.equal(await pool.submit(t.readEnv, 'MANYCORE_PROBE'), 'yes');
    assert.equal((await pool.submit(p.identity)).cwd, cwd);
  });

  test('a child SIGKILLed mid-task: that task rejects with a typed error, the child is replaced, others go on', async () => {
    await using pool = new ProcessPool({ workers: 2 });
    let spinningOn: number | undefined;
    pool.on('task:started', (event) => {
      if (event.task.endsWith('#spinForever')) spinningOn = event.workerIndex;
    });
    const { future: spinning } = await startSpinning((onProgress) =>
      pool.submit(t.spinForever.with({ onProgress })),
    );
    const victim = pool.stats().workers.find((worker) => worker.workerIndex === spinningOn);
    assert.ok(victim !== undefined);
    const exit = nextEvent(pool, 'worker:exit');
    process.kill(victim.systemId, 'SIGKILL');
    await assert.rejects(spinning, (error: unknown) => {
      assert.ok(error instanceof WorkerExitedError);
      assert.equal(error.code, 'ERR_WORKER_EXITED');
      assert.equal(error.exitCode, null);
      assert.equal(error.reason, 'signal SIGKILL');
      return true;
    });
    const event: WorkerExitEvent = await exit;
    assert.equal(event.expected, false);
    const sums = await Promise.all(Array.from({ length: 50 }, (_, i) => pool.submit(t.add, i, i)));
    assert.deepEqual(
      sums,
      Array.from({ length: 50 }, (_, i) => 2 * i),
    );
    const pids = pool.stats().workers.map((worker) => worker.systemId);
    assert.equal(pids.length, 2);
    assert.ok(!pids.includes(victim.systemId), 'the killed child was replaced');
  });

  test(
    'a SIGKILLed child: exactly the running task is blamed; tasks it finished but had not reported run again',
    {
      skip: loadSharedBufferAddon(true) === null && 'the running-task word needs the shared-memory addon',
      timeout: 60_000,
    },
    async () => {
      await using pool = new ProcessPool({ workers: 1 });
      // Warm-up: the task becomes known as quick, so the child holds its results back (up to
      // 1 ms) instead of sending each one before the next task starts.
      await Promise.all(Array.from({ length: 20 }, (_, i) => pool.submit(p.quickOrSpin, i, -1)));
      assert.deepEqual(
        segmentNames(process.pid),
        [],
        'the running-task word is unlinked once the child is ready',
      );
      let started!: () => void;
      const spinning = new Promise<void>((resolve) => (started = resolve));
      // A second start means another task was blamed and the spinning one re-queued: stop the
      // pool so that the test fails below instead of hanging on a task that never ends.
      let starts = 0;
      const onProgress = (): void => {
        starts += 1;
        if (starts === 1) started();
        else void pool.close({ cancelPending: true, timeoutMs: 0 });
      };
      const spinAt = 5;
      const futures = Array.from({ length: 20 }, (_, i) =>
        pool.submit(i === spinAt ? p.quickOrSpin.with({ onProgress }) : p.quickOrSpin, i, spinAt),
      );
      await spinning;
      const [victim] = pool.stats().workers;
      assert.ok(victim !== undefined);
      process.kill(victim.systemId, 'SIGKILL');
      const outcomes = await Promise.allSettled(futures);
      assert.equal(starts, 1, 'the spinning task started again: another task was blamed for the kill');
      outcomes.forEach((outcome, i) => {
        if (i === spinAt) {
          assert.equal(outcome.status, 'rejected', 'the running task is the one blamed');
          assert.ok(outcome.status === 'rejected' && outcome.reason instanceof WorkerExitedError);
        } else {
          assert.deepEqual(outcome, { status: 'fulfilled', value: i }, `task ${i} was not the one running`);
        }
      });
    },
  );

  test('a child started once process-shared memory exists loads the shared layer while it starts', async () => {
    // The first half holds only while no earlier test in this file has used process memory
    // (the flag that says so is never reset in a process).
    {
      await using pool = new ProcessPool({ workers: 1 });
      assert.equal(await pool.submit(p.sharedLayerLoaded), false, 'no shared memory yet: nothing to preload');
    }
    using memory = new ProcessMemoryAllocator();
    memory.allocate(8);
    await using pool = new ProcessPool({ workers: 1 });
    assert.equal(await pool.submit(p.sharedLayerLoaded), loadSharedBufferAddon(true) !== null);
  });

  test('children never outlive a SIGKILLed parent, busy or idle', async () => {
    const script = fileURLToPath(new URL('../fixtures/process-parent.ts', import.meta.url));
    const parent = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    parent.stdout.setEncoding('utf8');
    let output = '';
    while (!output.includes('\n')) {
      const [chunk] = (await once(parent.stdout, 'data')) as [string];
      output += chunk;
    }
    const children = JSON.parse(output) as number[];
    assert.equal(children.length, 2);
    assert.ok(children.every(isRunning), 'both children run before the parent dies');
    const exited = once(parent, 'close');
    parent.kill('SIGKILL');
    await exited;
    // The kernel tears the children down asynchronously: poll, bounded by a generous deadline.
    const deadline = Date.now() + 5_000;
    while (children.some(isRunning) && Date.now() < deadline) await delay(10);
    assert.deepEqual(children.filter(isRunning), [], 'a child outlived its SIGKILLed parent');
  });

  test('cpuAffinity pins every thread of worker i to cpuAffinity[i % n]', async () => {
    await using pool = new ProcessPool({ workers: 2, cpuAffinity: [1, 0] });
    const seen = new Map<number | undefined, string[]>();
    // Enough tasks that both workers take some; each reports the CPU lists of all its threads.
    while (seen.size < 2) {
      const results = await Promise.all(Array.from({ length: 8 }, () => pool.submit(p.threadAffinities)));
      for (const result of results) seen.set(result.workerIndex, result.lists);
    }
    const expected = new Map([
      [0, '1'],
      [1, '0'],
    ]);
    for (const [workerIndex, lists] of seen) {
      assert.ok(lists.length > 1, 'a Node process has several threads');
      assert.deepEqual(new Set(lists), new Set([expected.get(workerIndex as number)]));
    }
    for (const worker of pool.stats().workers) {
      const status = readFileSync(`/proc/${worker.systemId}/status`, 'utf8');
      assert.match(status, new RegExp(`Cpus_allowed_list:\\s*${expected.get(worker.workerIndex)}\\n`));
    }
  });

  test('a CPU that cannot be used breaks the pool with an error naming cpuAffinity', async () => {
    const pool = new ProcessPool({ workers: 1, cpuAffinity: [4095] });
    await assert.rejects(pool.submit(t.add, 1, 1), (error: unknown) => {
      assert.ok(error instanceof WorkerStartError);
      assert.match(error.message, /cpuAffinity: could not pin worker 0 to CPU 4095/);
      return true;
    });
    await pool.close();
  });

  test('cancel sends SIGTERM, then SIGKILL once killGraceMs is over', async () => {
    await using pool = new ProcessPool({ workers: 1, killGraceMs: 50 });
    const { future: spinning } = await startSpinning((onProgress) =>
      pool.submit(p.spinIgnoringSigterm.with({ onProgress })),
    );
    const exit = nextEvent(pool, 'worker:exit');
    assert.equal(spinning.cancel(), true);
    await assert.rejects(spinning, CancelledError);
    const event: WorkerExitEvent = await exit;
    assert.equal(event.reason, 'signal SIGKILL');
    assert.equal(event.expected, true);
    assert.equal(await pool.submit(t.add, 2, 2), 4);
  });

  test('killGraceMs: 0 stops a timed-out child with SIGKILL at once', async () => {
    await using pool = new ProcessPool({ workers: 1, killGraceMs: 0 });
    const exit = nextEvent(pool, 'worker:exit');
    await assert.rejects(pool.submit(p.spinIgnoringSigterm.with({ timeoutMs: 50 })), {
      code: 'ERR_TASK_TIMEOUT',
    });
    assert.equal((await exit).reason, 'signal SIGKILL');
  });

  test('process options are validated: the message names the option, the range and the value', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ maxMemoryMb: 0 }, /"maxMemoryMb" must be an integer >= 1 \(MiB\); received number 0/],
      [{ killGraceMs: -1 }, /"killGraceMs" must be a finite number >= 0 \(ms\); received number -1/],
      [{ killGraceMs: Infinity }, /"killGraceMs"/],
      [{ cpuAffinity: [] }, /"cpuAffinity" must be a non-empty array of CPU numbers/],
      [{ cpuAffinity: [0, -1] }, /"cpuAffinity"/],
      [{ cwd: '' }, /"cwd" must be a non-empty directory path/],
      [{ resourceLimits: {} }, /"resourceLimits" must be one of the known options/],
    ];
    for (const [options, message] of cases) {
      assert.throws(
        () => new ProcessPool(options),
        (error: unknown) => error instanceof InvalidOptionError && message.test(error.message),
        String(message),
      );
    }
  });
});

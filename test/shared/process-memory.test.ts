/** ProcessMemory: shared pages and futex wake-ups across child processes (needs the addon built). */
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { ProcessPool, tasksOf } from '../../src/index.ts';
import { MAX_MAPPING_BYTES, ProcessMemory, processMemoryIsShared } from '../../src/shared/process-memory.ts';
import { checkLeaksAfterEach } from '../executor/harness.ts';

const m = tasksOf<typeof import('../fixtures/process-memory-tasks.ts')>(
  new URL('../fixtures/process-memory-tasks.ts', import.meta.url),
);

describe('ProcessMemory', { skip: !processMemoryIsShared() && 'the addon is not built' }, () => {
  checkLeaksAfterEach();

  test('Atomics.add from two child processes: every increment lands', async () => {
    const memory = ProcessMemory.create(64);
    try {
      await using pool = new ProcessPool({ workers: 2 });
      await Promise.all([
        pool.submit(m.addMany, memory.handle(), 100_000),
        pool.submit(m.addMany, memory.handle(), 100_000),
      ]);
      assert.equal(Atomics.load(new Int32Array(memory.buffers[0] as ArrayBuffer), 0), 200_000);
    } finally {
      memory.unlink();
    }
  });

  test('notify in the parent wakes a child blocked in wait', async () => {
    const memory = ProcessMemory.create(64);
    try {
      await using pool = new ProcessPool({ workers: 1 });
      const view = new Int32Array(memory.buffers[0] as ArrayBuffer);
      const waiting = pool.submit(m.waitForNotify, memory.handle());
      while (Atomics.load(view, 1) === 0) await nextTurn();
      Atomics.store(view, 0, 1);
      let settled = false;
      void waiting.finally(() => (settled = true)).catch(() => undefined);
      let woken = 0;
      // The child may not have entered the futex yet: wake until it returns.
      while (!settled) {
        woken += memory.notify(view, 0);
        await nextTurn();
      }
      const outcome = await waiting;
      assert.ok(outcome === 'ok' || outcome === 'not-equal', outcome);
      if (outcome === 'ok') assert.ok(woken >= 1);
      assert.equal(await pool.submit(m.waitBriefly, memory.handle()), 'timed-out');
    } finally {
      memory.unlink();
    }
  });

  test('a region above 4 GiB is several mappings, all shared', async () => {
    const memory = ProcessMemory.create(MAX_MAPPING_BYTES + 4096);
    try {
      assert.equal(memory.buffers.length, 2);
      assert.equal(memory.buffers[0]?.byteLength, MAX_MAPPING_BYTES);
      assert.equal(memory.buffers[1]?.byteLength, 4096);
      new Uint8Array(memory.buffers[1])[4095] = 42;
      await using pool = new ProcessPool({ workers: 1 });
      assert.equal(await pool.submit(m.readByte, memory.handle(), 1, 4095), 42);
      await pool.submit(m.writeByte, memory.handle(), 0, MAX_MAPPING_BYTES - 1, 7);
      assert.equal(new Uint8Array(memory.buffers[0])[MAX_MAPPING_BYTES - 1], 7);
    } finally {
      memory.unlink();
    }
  });

  test('opening an unlinked region is a typed error', () => {
    const memory = ProcessMemory.create(16);
    const handle = memory.handle();
    memory.unlink();
    assert.throws(() => ProcessMemory.open(handle), { code: 'ERR_PROCESS_MEMORY' });
    assert.throws(() => ProcessMemory.create(0), { code: 'ERR_PROCESS_MEMORY' });
  });
});

/**
 * WorkerRuntime (the worker side of both backends) driven through its channel interface: the
 * exact message orders that the IPC channel and MessagePort can produce, made deterministic.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { MainToWorker, ResultBatch, WorkerToMain } from '../../src/protocol/messages.ts';
import { WorkerRuntime } from '../../src/worker/worker-runtime.ts';
import { tasksUrl } from '../executor/harness.ts';
import { checkLeaksAfterEach } from '../helpers/leak-check.ts';

interface Harness {
  deliver: (message: MainToWorker) => void;
  results: Map<number, unknown>;
  /** Resolves once the result of task `seq` was posted. */
  resultOf: (seq: number) => Promise<unknown>;
}

function startRuntime(): Harness {
  const results = new Map<number, unknown>();
  const waiting = new Map<number, (value: unknown) => void>();
  let deliver: ((message: MainToWorker) => void) | undefined;
  new WorkerRuntime({
    post: (message: WorkerToMain) => {
      if (message.type !== 'results') return;
      const batch = message as ResultBatch;
      batch.values.forEach((value, index) => {
        results.set(batch.firstSeq + index, value);
        waiting.get(batch.firstSeq + index)?.(value);
      });
    },
    listen: (handler) => (deliver = handler),
    publishCurrent: () => undefined,
  });
  assert.ok(deliver !== undefined, 'the runtime registers its handler at once');
  const resultOf = (seq: number): Promise<unknown> =>
    results.has(seq)
      ? Promise.resolve(results.get(seq))
      : new Promise((resolve) => waiting.set(seq, resolve));
  return { deliver, results, resultOf };
}

function run(firstSeq: number, args: unknown[][], withDefinition = false): MainToWorker {
  const defs = withDefinition ? [{ key: 1, moduleUrl: tasksUrl.href, exportName: 'square' }] : undefined;
  return { type: 'run', defs, firstSeq, keys: 1, chunks: 0, args };
}

/** Lets the event loop turn until `ready()` or `turns` have passed (no timers, no sleeping). */
async function turnUntil(ready: () => boolean, turns = 10): Promise<void> {
  for (let turn = 0; turn < turns && !ready(); turn += 1) await nextTurn();
}

// One task run before the leak check's snapshots, and the loop turned until the file requests
// it started are done: loading the module (tsx's registration and compile cache, the import)
// leaves fs requests that can still be open when a test ends (seen on Node 24). These tests
// are about message order, not loading.
{
  const warm = startRuntime();
  warm.deliver(run(1, [[1]], true));
  assert.equal(await warm.resultOf(1), 1);
  const fileRequests = (): boolean =>
    process.getActiveResourcesInfo().some((name) => name.startsWith('FSReq') || name === 'CloseReq');
  await turnUntil(() => !fileRequests(), 1000);
}

checkLeaksAfterEach();

test('a batch delivered while the previous one finishes still runs (two IPC messages read at once)', async () => {
  const { deliver, results, resultOf } = startRuntime();
  deliver(run(1, [[2]], true));
  assert.equal(await resultOf(1), 4); // the task module loads asynchronously, once

  // Node's IPC channel emits every message of one read from the nextTick queue, before any
  // microtask: the second arrives while the runtime awaits the end of the first batch.
  deliver(run(2, [[3]]));
  deliver(run(3, [[5], [6]]));
  // The module is loaded: tasks 2 to 4 run within a turn or two, or never (the bug).
  await turnUntil(() => results.size === 4);
  assert.deepEqual(
    [...results.entries()].sort(([a], [b]) => a - b),
    [
      [1, 4],
      [2, 9],
      [3, 25],
      [4, 36],
    ],
  );
});

test('held-back results are sent before a task that may be long starts', async () => {
  const messages: ResultBatch[] = [];
  let deliver: ((message: MainToWorker) => void) | undefined;
  let last: (() => void) | undefined;
  new WorkerRuntime({
    post: (message: WorkerToMain) => {
      if (message.type !== 'results') return;
      messages.push(message);
      if (message.firstSeq + message.values.length > 3) last?.();
    },
    listen: (handler) => (deliver = handler),
    publishCurrent: () => undefined,
  });
  assert.ok(deliver !== undefined);
  const done = new Promise<void>((resolve) => (last = resolve));
  // Tasks 1 and 2 are `square` (2 is known to be quick once 1 ran), task 3 a function never run
  // before: its time is unknown, so the results of 1 and 2 must not wait for it.
  deliver({
    type: 'run',
    defs: [
      { key: 1, moduleUrl: tasksUrl.href, exportName: 'square' },
      { key: 2, moduleUrl: tasksUrl.href, exportName: 'add' },
    ],
    firstSeq: 1,
    keys: [1, 1, 2],
    chunks: 0,
    args: [[2], [3], [4, 5]],
  });
  await done;
  const batches = messages.map((batch) => [batch.firstSeq, ...batch.values]);
  assert.deepEqual(batches.at(-1), [3, 9], 'task 3 travels alone');
  assert.deepEqual(
    batches.flatMap(([, ...values]) => values),
    [4, 9, 9],
  );
});

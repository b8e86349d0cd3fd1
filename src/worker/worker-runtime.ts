/**
 * The worker side of the boundary, shared by thread and process workers: it receives batches
 * of tasks, runs them one at a time in arrival order, and sends results back in batches.
 *
 *   run {defs, batch} ──► queue ──► run one task ──► result batch ──flush──► main
 *                                         │
 *                                         └─ reportProgress() ──► progress message
 *
 * Results are flushed when the queue is empty, when many are pending, when the last flush is
 * older than FLUSH_INTERVAL_MS, or before a task that may be long starts: a long task's result
 * goes back at once and never waits behind the next one, tiny tasks' results travel together,
 * and a crash loses at most the results of the last moment (the pool runs those tasks again).
 */
import type { TransferListItem } from 'node:worker_threads';
import type {
  ChunkMode,
  MainToWorker,
  TaskBatch,
  WorkerFailure,
  WorkerToMain,
} from '../protocol/messages.ts';
import { collectTransfers } from '../protocol/move.ts';
import { findUncloneable } from '../protocol/find-uncloneable.ts';
import { hasSharedHandle } from '../protocol/has-shared-handle.ts';
import { serializeError } from '../protocol/serialize-error.ts';
import { setProgressReporter, setRunningSeq } from './task-context.ts';
import { LoadFailure, TaskLoader, type TaskFunction } from './task-loader.ts';

/** Results held back at most this long while tiny tasks run; trades message count for latency. */
const FLUSH_INTERVAL_MS = 1;
/**
 * After its queue runs dry a thread worker keeps polling its port this long before it parks:
 * a caller that submits again right after a result (request/response loops) then finds the
 * worker awake instead of paying for waking a halted vCPU (measured on a 2-vCPU VM: ~8 µs vs
 * 45–80 µs). The price is this much CPU per idle moment; more would steal time from the main thread.
 */
const SPIN_BEFORE_PARK_MS = 0.05;
/** At most this many results per message: bounds a message's size and a crash's loss. */
const FLUSH_COUNT = 512;

/** How the runtime talks to the main side: a MessagePort (threads) or the IPC channel (processes). */
export interface WorkerChannel {
  post(message: WorkerToMain, transfer?: readonly TransferListItem[]): void;
  /** Registers the one handler for incoming messages. */
  listen(handler: (message: MainToWorker) => void): void;
  /** Where the running task's sequence number is published (read by the pool after a crash). */
  publishCurrent(seq: number): void;
  /** Takes the next waiting message without waiting (threads: receiveMessageOnPort), if the backend can. */
  poll?: () => MainToWorker | undefined;
}

export class WorkerRuntime {
  readonly #channel: WorkerChannel;
  readonly #loader = new TaskLoader();
  /** Batches received and not finished; the first one is being run from #taskIndex. */
  readonly #batches: TaskBatch[] = [];
  #taskIndex = 0;
  // Results not yet sent, in column form; they belong to consecutive tasks from #firstSeq.
  #firstSeq = 0;
  #values: unknown[] = [];
  #failed: number[] = [];
  #durations: number[] = [];
  #transfers: TransferListItem[] = [];
  #lastFlush = 0;
  /**
   * Per task key, how long its next run is expected to take (ms): the last run's time, or half
   * the previous expectation when that is longer, so one slow run keeps a key "slow" for a while.
   */
  readonly #expectedMs: number[] = [];
  #draining = false;
  /** reviveShared, loaded the first time a task's arguments hold a shared-object handle. */
  #reviver: ((value: unknown) => unknown) | undefined;

  constructor(channel: WorkerChannel) {
    this.#channel = channel;
    setProgressReporter((seq, fraction, detail) => channel.post({ type: 'progress', seq, fraction, detail }));
    channel.listen((message) => this.#onMessage(message));
  }

  #onMessage(message: MainToWorker): void {
    if (message.type === 'init') {
      this.#loader.define(message.def);
      void this.#runInitializer(message.def.key, message.args);
      return;
    }
    if (message.defs !== undefined) for (const definition of message.defs) this.#loader.define(definition);
    this.#batches.push(message);
    if (!this.#draining) void this.#drain();
  }

  async #runInitializer(key: number, args: readonly unknown[]): Promise<void> {
    try {
      const fn = this.#loader.loaded(key) ?? (await this.#loader.load(key));
      if (this.#reviver === undefined && hasSharedHandle(args)) await this.#loadReviver();
      await fn(...this.#reviveAll(args));
      this.#channel.post({ type: 'init-done', ok: true });
    } catch (error) {
      this.#channel.post({ type: 'init-done', ok: false, failure: toFailure(error) });
    }
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    let now = performance.now();
    this.#lastFlush = now;
    do {
      now = await this.#runQueued(now);
      this.#channel.publishCurrent(0);
      this.#flush(now);
      // A batch can arrive while we await #runQueued's promise: two IPC messages read at once are
      // both emitted from the nextTick queue before any microtask, so the second one finds
      // #draining set and only queues itself. Stopping now would strand it (and hang its caller).
    } while (this.#batches.length > 0 || this.#spinForWork(now));
    this.#draining = false;
  }

  /** Runs every queued task in order; returns the time after the last one. */
  async #runQueued(start: number): Promise<number> {
    let now = start;
    for (let batch = this.#batches[0]; batch !== undefined; batch = this.#batches[0]) {
      const index = this.#taskIndex;
      if (index >= batch.args.length) {
        this.#batches.shift();
        this.#taskIndex = 0;
        continue;
      }
      this.#taskIndex = index + 1;
      const seq = batch.firstSeq + index;
      const key = typeof batch.keys === 'number' ? batch.keys : (batch.keys[index] as number);
      const chunk = typeof batch.chunks === 'number' ? batch.chunks : (batch.chunks[index] as ChunkMode);
      // Results held back must not wait behind a task that may be long (one never seen, or one
      // that took long before): send them before it starts.
      const expectedMs = this.#expectedMs[key];
      if (this.#values.length > 0 && !(expectedMs !== undefined && expectedMs < FLUSH_INTERVAL_MS)) {
        this.#flush(now);
      }
      this.#channel.publishCurrent(seq);
      setRunningSeq(seq);
      const started = now;
      let ok = true;
      let value: unknown;
      try {
        const fn = this.#loader.loaded(key) ?? (await this.#loader.load(key));
        const args = batch.args[index] as readonly unknown[];
        // The submit-time clone check found the handles: no walk, no await on the per-task path.
        if (this.#reviver === undefined && batch.shared === true) await this.#loadReviver();
        value = this.#invoke(fn, args, chunk);
        if (isThenable(value)) value = await value;
      } catch (error) {
        ok = false;
        value = toFailure(error);
      }
      setRunningSeq(0);
      now = performance.now();
      const tookMs = now - started;
      this.#expectedMs[key] = Math.max(tookMs, (expectedMs ?? 0) / 2);
      this.#addResult(seq, ok, value, tookMs);
      if (this.#values.length >= FLUSH_COUNT || now - this.#lastFlush >= FLUSH_INTERVAL_MS) this.#flush(now);
    }
    return now;
  }

  /** Polls for new work for a moment; true when a batch arrived (then the caller drains again). */
  #spinForWork(now: number): boolean {
    const poll = this.#channel.poll;
    if (poll === undefined) return false;
    const deadline = now + SPIN_BEFORE_PARK_MS;
    do {
      const message = poll();
      if (message !== undefined) {
        this.#onMessage(message); // still draining: it only queues the batch
        if (this.#batches.length > 0) return true;
      }
    } while (performance.now() < deadline);
    return false;
  }

  /** Runs one task (or one chunk of map items); awaits only when the task returns a promise. */
  #invoke(fn: TaskFunction, args: readonly unknown[], chunk: ChunkMode): unknown {
    if (chunk === 0) return fn(...this.#reviveAll(args));
    return this.#invokeChunk(fn, args, chunk);
  }

  /** Runs a map chunk: mode 1 calls fn(item), mode 2 calls fn(...item). Kept small: it is the hot loop. */
  #invokeChunk(fn: TaskFunction, items: readonly unknown[], mode: 1 | 2): unknown[] | Promise<unknown[]> {
    const results: unknown[] = new Array<unknown>(items.length);
    for (let index = 0; index < items.length; index += 1) {
      const value = this.#callItem(fn, items[index], mode);
      if (isThenable(value)) return this.#finishChunkAsync(fn, items, mode, results, index, value);
      results[index] = value;
    }
    return results;
  }

  #callItem(fn: TaskFunction, item: unknown, mode: 1 | 2): unknown {
    if (mode === 2) return fn(...this.#reviveAll(item as readonly unknown[]));
    // Only objects can hold shared-object handles; primitives skip the reviver (the hot path of map).
    return fn(
      typeof item === 'object' && item !== null && this.#reviver !== undefined ? this.#reviver(item) : item,
    );
  }

  async #finishChunkAsync(
    fn: TaskFunction,
    items: readonly unknown[],
    mode: 1 | 2,
    results: unknown[],
    from: number,
    first: PromiseLike<unknown>,
  ): Promise<unknown[]> {
    results[from] = await first;
    for (let index = from + 1; index < items.length; index += 1) {
      results[index] = await this.#callItem(fn, items[index], mode);
    }
    return results;
  }

  /** Loads the shared-memory layer, once per worker, when a task's arguments first hold a handle. */
  async #loadReviver(): Promise<void> {
    this.#reviver ??= (await import('../shared/revive.ts')).reviveShared;
  }

  /** The arguments with shared-object handles made live; the same array when none were found. */
  #reviveAll(args: readonly unknown[]): readonly unknown[] {
    const reviver = this.#reviver;
    if (reviver === undefined) return args;
    let revived: unknown[] | undefined;
    for (let index = 0; index < args.length; index += 1) {
      const before = args[index];
      if (typeof before !== 'object' || before === null) continue;
      const after = reviver(before);
      if (after !== before) (revived ??= [...args])[index] = after;
    }
    return revived ?? args;
  }

  #addResult(seq: number, ok: boolean, value: unknown, durationMs: number): void {
    if (this.#values.length === 0) this.#firstSeq = seq;
    if (ok) {
      const transfers = collectTransfers([value]);
      if (transfers !== undefined) this.#transfers.push(...transfers);
    } else {
      this.#failed.push(this.#values.length);
    }
    this.#values.push(value);
    this.#durations.push(durationMs);
  }

  #flush(now: number): void {
    this.#lastFlush = now;
    if (this.#values.length === 0) return;
    const batch = {
      firstSeq: this.#firstSeq,
      values: this.#values,
      failed: this.#failed,
      durationsMs: this.#durations,
    };
    const transfers = this.#transfers;
    this.#values = [];
    this.#failed = [];
    this.#durations = [];
    this.#transfers = [];
    try {
      this.#channel.post({ type: 'results', ...batch }, transfers);
    } catch {
      // One result could not be cloned: send them one by one so only that task fails.
      for (let index = 0; index < batch.values.length; index += 1) {
        this.#postAlone(
          batch.firstSeq + index,
          !batch.failed.includes(index),
          batch.values[index],
          batch.durationsMs[index] ?? 0,
        );
      }
    }
  }

  #postAlone(seq: number, ok: boolean, value: unknown, durationMs: number): void {
    const single = (failed: boolean, payload: unknown): WorkerToMain => ({
      type: 'results',
      firstSeq: seq,
      values: [payload],
      failed: failed ? [0] : [],
      durationsMs: [durationMs],
    });
    try {
      this.#channel.post(single(!ok, value), ok ? collectTransfers([value]) : undefined);
    } catch (error) {
      const found = findUncloneable(value, 'result');
      const failure: WorkerFailure = {
        kind: 'result-not-cloneable',
        path: found?.path ?? 'result',
        error: serializeError(error),
      };
      this.#channel.post(single(true, failure));
    }
  }
}

function toFailure(error: unknown): WorkerFailure {
  if (error instanceof LoadFailure) return error.failure;
  return { kind: 'threw', error: serializeError(error) };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}

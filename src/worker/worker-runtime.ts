/**
 * The worker side of the boundary, shared by thread and process workers: it receives batches
 * of tasks, runs them one at a time in arrival order, and sends results back in batches.
 *
 *   run {defs, tasks[]} ──► queue ──► run one task ──► results[] ──flush──► main
 *                                         │
 *                                         └─ reportProgress() ──► progress message
 *
 * Results are flushed when the queue is empty, when many are pending, or when the last flush is
 * older than FLUSH_INTERVAL_MS: a long task's result goes back at once, tiny tasks' results
 * travel together, and a crash loses at most the results of the last moment (the pool runs
 * those tasks again).
 */
import type { TransferListItem } from 'node:worker_threads';
import type {
  MainToWorker,
  ResultEnvelope,
  TaskEnvelope,
  WorkerFailure,
  WorkerToMain,
} from '../protocol/messages.ts';
import { collectTransfers } from '../protocol/move.ts';
import { findUncloneable } from '../protocol/find-uncloneable.ts';
import { serializeError } from '../protocol/serialize-error.ts';
import { setProgressReporter, setRunningSeq } from './task-context.ts';
import { LoadFailure, TaskLoader, type TaskFunction } from './task-loader.ts';

/** Results held back at most this long while tiny tasks run; trades message count for latency. */
const FLUSH_INTERVAL_MS = 1;
/** At most this many results per message: bounds a message's size and a crash's loss. */
const FLUSH_COUNT = 512;

/** How the runtime talks to the main side: a MessagePort (threads) or the IPC channel (processes). */
export interface WorkerChannel {
  post(message: WorkerToMain, transfer?: readonly TransferListItem[]): void;
  /** Registers the one handler for incoming messages. */
  listen(handler: (message: MainToWorker) => void): void;
  /** Where the running task's sequence number is published (read by the pool after a crash). */
  publishCurrent(seq: number): void;
  /** Turns a plain-data handle of a shared object back into the live object (identity otherwise). */
  revive(value: unknown): unknown;
}

export class WorkerRuntime {
  readonly #channel: WorkerChannel;
  readonly #loader = new TaskLoader();
  readonly #queue: TaskEnvelope[] = [];
  #queueHead = 0;
  #pending: ResultEnvelope[] = [];
  #pendingTransfers: TransferListItem[] = [];
  #lastFlush = 0;
  #draining = false;

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
    for (const task of message.tasks) this.#queue.push(task);
    if (!this.#draining) void this.#drain();
  }

  async #runInitializer(key: number, args: readonly unknown[]): Promise<void> {
    try {
      const fn = this.#loader.loaded(key) ?? (await this.#loader.load(key));
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
    while (this.#queueHead < this.#queue.length) {
      const task = this.#queue[this.#queueHead] as TaskEnvelope;
      this.#queueHead += 1;
      const seq = task[0];
      this.#channel.publishCurrent(seq);
      setRunningSeq(seq);
      const started = now;
      let ok = true;
      let value: unknown;
      try {
        const fn = this.#loader.loaded(task[1]) ?? (await this.#loader.load(task[1]));
        value = this.#invoke(fn, task);
        if (isThenable(value)) value = await value;
      } catch (error) {
        ok = false;
        value = toFailure(error);
      }
      setRunningSeq(0);
      now = performance.now();
      if (ok) this.#addResult([seq, true, value, now - started], value);
      else this.#addResult([seq, false, value as WorkerFailure, now - started], undefined);
      if (this.#pending.length >= FLUSH_COUNT || now - this.#lastFlush >= FLUSH_INTERVAL_MS) this.#flush(now);
    }
    this.#queue.length = 0;
    this.#queueHead = 0;
    this.#channel.publishCurrent(0);
    this.#flush(now);
    this.#draining = false;
  }

  /** Runs one task (or one chunk of map items); awaits only when the task returns a promise. */
  #invoke(fn: TaskFunction, task: TaskEnvelope): unknown {
    const [, , args, chunk] = task;
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
    return mode === 1 ? fn(this.#channel.revive(item)) : fn(...this.#reviveAll(item as readonly unknown[]));
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

  /** The arguments with shared-object handles made live; the same array when none were found. */
  #reviveAll(args: readonly unknown[]): readonly unknown[] {
    let revived: unknown[] | undefined;
    for (let index = 0; index < args.length; index += 1) {
      const before = args[index];
      if (typeof before !== 'object' || before === null) continue;
      const after = this.#channel.revive(before);
      if (after !== before) (revived ??= [...args])[index] = after;
    }
    return revived ?? args;
  }

  #addResult(result: ResultEnvelope, value: unknown): void {
    this.#pending.push(result);
    if (result[1]) {
      const transfers = collectTransfers([value]);
      if (transfers !== undefined) this.#pendingTransfers.push(...transfers);
    }
  }

  #flush(now: number): void {
    this.#lastFlush = now;
    if (this.#pending.length === 0) return;
    const results = this.#pending;
    const transfers = this.#pendingTransfers;
    this.#pending = [];
    this.#pendingTransfers = [];
    try {
      this.#channel.post({ type: 'results', results }, transfers);
    } catch {
      // One result could not be cloned: send them one by one so only that task fails.
      for (const result of results) this.#postAlone(result);
    }
  }

  #postAlone(result: ResultEnvelope): void {
    try {
      this.#channel.post(
        { type: 'results', results: [result] },
        result[1] ? collectTransfers([result[2]]) : [],
      );
    } catch (error) {
      const found = findUncloneable(result[2], 'result');
      const failure: WorkerFailure = {
        kind: 'result-not-cloneable',
        path: found?.path ?? 'result',
        error: serializeError(error),
      };
      this.#channel.post({ type: 'results', results: [[result[0], false, failure, result[3]]] });
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

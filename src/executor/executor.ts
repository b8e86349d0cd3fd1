/**
 * The one contract every backend keeps (thread pool, process pool, cluster). A backend
 * implements `submitTask`, `close` and a few read-outs; `submit`, `map`, `starmap` and
 * `await using` are written once, here.
 */
import type { TransferListItem } from 'node:worker_threads';
import { NotCloneableError } from '../errors.ts';
import { findUncloneable } from '../protocol/find-uncloneable.ts';
import type { ChunkMode } from '../protocol/messages.ts';
import { collectTransfers } from '../protocol/move.ts';
import type { Future } from './future.ts';
import { mapLazily, type MapOptions } from './map-lazily.ts';
import { validateTaskOptions } from './task-options.ts';
import type { TaskRef } from './task-ref.ts';

/** Options of `close()`. */
export interface CloseOptions {
  /** Cancel tasks still queued (they reject with ERR_TASK_CANCELLED) instead of running them. Default false. */
  readonly cancelPending?: boolean;
  /** Longest wait for running tasks, in ms, before workers are stopped. Default: the pool's closeTimeoutMs. */
  readonly timeoutMs?: number;
}

/** What a backend receives for each task. */
export interface TaskSubmission {
  readonly task: TaskRef<readonly unknown[], unknown>;
  readonly args: readonly unknown[];
  readonly chunk: ChunkMode;
  readonly transfers: TransferListItem[] | undefined;
  /** True when an argument holds a shared object or its handle (the worker then loads the reviver). */
  readonly shared: boolean;
}

export abstract class Executor implements AsyncDisposable {
  /** Runs one task (or one map chunk) on the backend. Arguments are already checked. */
  protected abstract submitTask(submission: TaskSubmission): Future<unknown>;

  /** Most workers this executor runs at once (sets map's automatic chunking and window). */
  abstract get maxWorkers(): number;

  /** Measured mean run time of one call of `task`, in ms; NaN while unknown. */
  protected abstract meanTaskMs(task: TaskRef<readonly unknown[], unknown>): number;

  /**
   * Stops accepting tasks, lets queued and running ones finish (unless `cancelPending`), then
   * stops every worker. Resolves when all are gone. Calling it again returns the same promise.
   */
  abstract close(options?: CloseOptions): Promise<void>;

  /**
   * Runs `task(...args)` in a worker.
   *
   * @returns a Future (a cancellable Promise) of the task's result
   * @throws InvalidOptionError synchronously when the task's options are invalid
   * @example
   * const sum = await pool.submit(t.sumRange, 0, 1_000_000);
   */
  submit<A extends readonly unknown[], R>(task: TaskRef<A, R>, ...args: A): Future<R> {
    if (task.options !== undefined) validateTaskOptions(task.options);
    return this.#submitChecked(task as TaskRef<readonly unknown[], unknown>, args, 0) as Future<R>;
  }

  /**
   * Applies a one-argument task to every input, in workers; lazily: inputs are read only as
   * fast as results are consumed, so an endless generator runs in bounded memory. Tiny tasks
   * are batched into chunks automatically (by measured run time) while long ones stay one per
   * worker, so uneven work stays balanced.
   *
   * @example
   * for await (const n of pool.map(t.countDivisors, queries, { ordered: false })) total += n;
   */
  map<T, R>(
    task: TaskRef<readonly [T], R>,
    inputs: Iterable<T> | AsyncIterable<T>,
    options: MapOptions = {},
  ): AsyncIterableIterator<R> {
    return this.#mapWith(
      task as TaskRef<readonly unknown[], unknown>,
      inputs,
      options,
      1,
    ) as AsyncIterableIterator<R>;
  }

  /** Like `map`, for tasks of several arguments: each input is the argument list. */
  starmap<A extends readonly unknown[], R>(
    task: TaskRef<A, R>,
    inputs: Iterable<A> | AsyncIterable<A>,
    options: MapOptions = {},
  ): AsyncIterableIterator<R> {
    return this.#mapWith(
      task as TaskRef<readonly unknown[], unknown>,
      inputs,
      options,
      2,
    ) as AsyncIterableIterator<R>;
  }

  #mapWith(
    task: TaskRef<readonly unknown[], unknown>,
    inputs: Iterable<unknown> | AsyncIterable<unknown>,
    options: MapOptions,
    mode: 1 | 2,
  ): AsyncIterableIterator<unknown> {
    if (task.options !== undefined) validateTaskOptions(task.options);
    return mapLazily({
      inputs,
      options,
      mode,
      workers: this.maxWorkers,
      meanItemMs: () => this.meanTaskMs(task),
      submitChunk: (items) => this.#submitChecked(task, items, mode),
    });
  }

  #submitChecked(
    task: TaskRef<readonly unknown[], unknown>,
    args: readonly unknown[],
    chunk: ChunkMode,
  ): Future<unknown> {
    const marks = { sharedHandle: false };
    for (let index = 0; index < args.length; index += 1) {
      const value = args[index];
      const type = typeof value;
      if (type === 'function' || type === 'symbol' || (type === 'object' && value !== null)) {
        const found = findUncloneable(value, chunk === 0 ? `args[${index}]` : `inputs[${index}]`, marks);
        if (found !== undefined) throw new NotCloneableError(found.path, found.value, 'argument');
      }
    }
    const shared = marks.sharedHandle;
    return this.submitTask({ task, args, chunk, transfers: collectTransfers(args), shared });
  }

  /** `await using pool = new ThreadPool()` closes the pool at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

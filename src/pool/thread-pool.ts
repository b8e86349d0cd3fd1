import type { ResourceLimits } from 'node:worker_threads';
import { InvalidOptionError } from '../errors.ts';
import { Executor, type CloseOptions, type TaskSubmission } from '../executor/executor.ts';
import type { Future } from '../executor/future.ts';
import { describeTask, type TaskRef } from '../executor/task-ref.ts';
import type { PoolEventMap, PoolStats } from './pool-events.ts';
import { PoolEngine } from './pool-engine.ts';
import { resolvePoolOptions, type PoolOptions } from './pool-options.ts';
import { threadWorkerFactory } from './thread-worker.ts';

/** Options of a ThreadPool: the shared pool options plus the thread-only ones. */
export interface ThreadPoolOptions extends PoolOptions {
  /** V8 heap limits per worker thread; a worker past them dies with an out-of-memory error naming the limit. */
  readonly resourceLimits?: ResourceLimits;
}

/**
 * A pool of worker threads (`node:worker_threads`): the default executor. Threads start fast,
 * share memory (SharedArrayBuffer) and exchange messages in microseconds.
 *
 * @throws InvalidOptionError when an option is out of range (the message names it)
 * @example
 * await using pool = new ThreadPool({ workers: 4 });
 * const t = tasksOf<typeof import('./tasks.ts')>(new URL('./tasks.ts', import.meta.url));
 * console.log(await pool.submit(t.fib, 30));
 */
export class ThreadPool extends Executor {
  readonly #engine: PoolEngine;
  #closing: Promise<void> | undefined;

  constructor(options: ThreadPoolOptions = {}) {
    super();
    const resolved = resolvePoolOptions(options, ['resourceLimits']);
    if (options.resourceLimits !== undefined && (typeof options.resourceLimits !== 'object' || options.resourceLimits === null)) {
      throw new InvalidOptionError('resourceLimits', 'an object such as { maxOldGenerationSizeMb: 256 }', options.resourceLimits);
    }
    this.#engine = new PoolEngine(
      resolved,
      threadWorkerFactory({ resourceLimits: options.resourceLimits, env: resolved.env, execArgv: resolved.execArgv }),
    );
  }

  get maxWorkers(): number {
    return this.#engine.options.maxWorkers;
  }

  protected meanTaskMs(task: TaskRef<readonly unknown[], unknown>): number {
    return this.#engine.meanTaskMs(task.moduleUrl, task.exportName);
  }

  protected submitTask(submission: TaskSubmission): Future<unknown> {
    const { task } = submission;
    return this.#engine.submit({
      moduleUrl: task.moduleUrl,
      exportName: task.exportName,
      name: describeTask(task),
      args: submission.args,
      chunk: submission.chunk,
      options: task.options,
      transfers: submission.transfers,
    });
  }

  /** Counts, queue length and per-worker figures (busy time, event-loop utilization). */
  stats(): PoolStats {
    return this.#engine.stats();
  }

  /** Resolves when the queue has room under `maxQueue` (backpressure for producers). */
  onQueueSpace(): Promise<void> {
    return this.#engine.onQueueSpace();
  }

  /** Subscribes to a pool event (task:queued, task:started, task:settled, task:progress, worker:online, worker:exit). */
  on<K extends keyof PoolEventMap>(name: K, listener: (...event: PoolEventMap[K]) => void): this {
    this.#engine.on(name, listener as never);
    return this;
  }

  off<K extends keyof PoolEventMap>(name: K, listener: (...event: PoolEventMap[K]) => void): this {
    this.#engine.off(name, listener as never);
    return this;
  }

  close(options: CloseOptions = {}): Promise<void> {
    this.#closing ??= this.#engine.close(options.cancelPending ?? false, options.timeoutMs ?? this.#engine.options.closeTimeoutMs);
    return this.#closing;
  }
}

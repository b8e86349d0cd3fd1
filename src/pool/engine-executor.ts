/**
 * The part of every local pool that does not depend on what a worker is: an Executor over a
 * PoolEngine. ThreadPool and ProcessPool differ only in their options and their WorkerFactory,
 * so each validates its own options and hands a factory to this base.
 */
import { Executor, type CloseOptions, type TaskSubmission } from '../executor/executor.ts';
import type { Future } from '../executor/future.ts';
import type { TaskRef } from '../executor/task-ref.ts';
import type { PoolEventMap, PoolStats } from './pool-events.ts';
import { PoolEngine } from './pool-engine.ts';
import type { ResolvedPoolOptions } from './pool-options.ts';
import type { WorkerFactory } from './worker-handle.ts';

/**
 * Base class of the local pools (threads, processes): queueing, batching, crash recovery,
 * timeouts, retries, stats and events, whatever backend starts the workers.
 */
export abstract class EngineExecutor extends Executor {
  readonly #engine: PoolEngine;
  #closing: Promise<void> | undefined;

  /** `options` are already validated; `factory` starts one worker of the backend. */
  protected constructor(options: ResolvedPoolOptions, factory: WorkerFactory) {
    super();
    this.#engine = new PoolEngine(options, factory);
  }

  get maxWorkers(): number {
    return this.#engine.options.maxWorkers;
  }

  protected meanTaskMs(task: TaskRef<readonly unknown[], unknown>): number {
    return this.#engine.meanTaskMs(task);
  }

  protected submitTask(submission: TaskSubmission): Future<unknown> {
    const { task } = submission;
    return this.#engine.submit({
      task,
      args: submission.args,
      chunk: submission.chunk,
      options: task.options,
      transfers: submission.transfers,
      shared: submission.shared,
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
    this.#closing ??= this.#engine.close(
      options.cancelPending ?? false,
      options.timeoutMs ?? this.#engine.options.closeTimeoutMs,
    );
    return this.#closing;
  }
}

/**
 * The pool engine: one queue, many workers, whatever backend runs them.
 *
 *   submit ──► TaskRecord ──► queue ──dispatch──► WorkerSlot.inFlight ──run batch──► worker
 *                 ▲              ▲                        │                           │
 *                 │              └──── requeue ◄── worker died (tasks it had not run) │
 *                 │                                       │                           │
 *   Future ◄── settle ◄── retry? ◄── results batch ◄──────┴───────────────────────────┘
 *
 * Invariants:
 * - A task is in exactly one place: the queue, one slot's inFlight, a retry timer, or settled.
 * - A worker that dies fails only the task it was running; tasks it held but had not run go
 *   back to the front of the queue. Nothing is left pending.
 * - An exclusive task (timeout or signal) runs alone in its worker, so stopping that worker
 *   stops exactly that task.
 * - How much work a worker may hold ahead is set per task kind from measured run times
 *   (batch-builder.ts): long tasks stay balanced, tiny tasks travel in big batches.
 */
import type { TransferListItem } from 'node:worker_threads';
import { EventEmitter } from 'node:events';
import { CancelledError, PoolClosedError, QueueFullError } from '../errors.ts';
import { Future, type FutureOwner } from '../executor/future.ts';
import { describeTask, type TaskRef } from '../executor/task-ref.ts';
import type { TaskOptions } from '../executor/task-options.ts';
import type { ChunkMode, WorkerFailure, WorkerToMain } from '../protocol/messages.ts';
import { takeBatch } from './batch-builder.ts';
import { failureToError, settleFailure, type FailureContext } from './task-failure.ts';
import type { PoolEventMap, PoolStats } from './pool-events.ts';
import type { ResolvedPoolOptions } from './pool-options.ts';
import type { TaskRecord } from './task-record.ts';
import { TaskKeys } from './task-record.ts';
import { TaskQueue } from './task-queue.ts';
import type { WorkerFactory } from './worker-handle.ts';
import { WorkerLifecycle } from './worker-lifecycle.ts';
import { WorkerSlot } from './worker-slot.ts';

export interface SubmitRequest {
  readonly task: TaskRef<readonly unknown[], unknown>;
  readonly args: readonly unknown[];
  readonly chunk: ChunkMode;
  readonly options: TaskOptions | undefined;
  readonly transfers: TransferListItem[] | undefined;
  readonly shared: boolean;
}

export class PoolEngine extends EventEmitter<PoolEventMap> implements FutureOwner<TaskRecord> {
  readonly options: ResolvedPoolOptions;
  readonly #keys = new TaskKeys();
  /** Key and display name per task reference, so a submit builds no strings. */
  readonly #refs = new WeakMap<object, { key: number; name: string }>();
  readonly #queue = new TaskQueue<TaskRecord>();
  /** Tasks past maxQueue under the 'wait' policy, in submit order. */
  readonly #overflow = new TaskQueue<TaskRecord>();
  readonly #workers: WorkerLifecycle;
  readonly #retrying = new Set<TaskRecord>();
  readonly #spaceWaiters: (() => void)[] = [];
  #nextId = 1;
  #dispatchScheduled = false;
  #closing = false;
  #counts = { submitted: 0, fulfilled: 0, rejected: 0, cancelled: 0 };

  constructor(options: ResolvedPoolOptions, factory: WorkerFactory) {
    super();
    this.options = options;
    this.#workers = new WorkerLifecycle(options, factory, this.#keys, {
      onReady: () => this.#scheduleDispatch(),
      onMessage: (slot, message) => this.#onMessage(slot, message),
      onLost: (slot, record, error) => this.#settleFailed(record, slot, error),
      requeue: (records) => {
        for (let i = records.length - 1; i >= 0; i -= 1) this.#queue.unshift(records[i] as TaskRecord);
        this.#scheduleDispatch();
      },
      onBroken: (error) => this.#failAll(error),
      emit: (name, event) => {
        (this.emit as (name: string, event: unknown) => boolean)(name, event);
      },
    });
    this.#workers.start();
  }

  get closed(): boolean {
    return this.#closing;
  }

  submit(request: SubmitRequest): Future<unknown> {
    const record = this.#createRecord(request);
    const broken = this.#workers.brokenError;
    if (this.#closing || broken !== undefined) {
      Future.fail(record.future, broken ?? new PoolClosedError());
      return record.future;
    }
    this.#counts.submitted += 1;
    const signal = request.options?.signal;
    if (signal?.aborted === true) {
      this.#cancel(
        record,
        new CancelledError('The task was cancelled: its AbortSignal was already aborted.', {
          cause: signal.reason,
        }),
      );
      return record.future;
    }
    if (signal !== undefined) {
      record.abortListener = () =>
        this.#cancel(
          record,
          new CancelledError('The task was cancelled by its AbortSignal.', { cause: signal.reason }),
        );
      signal.addEventListener('abort', record.abortListener, { once: true });
    }
    if (this.#queue.size >= this.options.maxQueue) {
      if (this.options.queueFullPolicy === 'reject') {
        this.#settle(record, undefined, 'rejected', new QueueFullError(this.options.maxQueue));
        return record.future;
      }
      this.#overflow.push(record);
    } else {
      this.#queue.push(record);
    }
    if (this.listenerCount('task:queued') > 0) this.emit('task:queued', { id: record.id, task: record.name });
    this.#scheduleDispatch();
    return record.future;
  }

  #createRecord(request: SubmitRequest): TaskRecord {
    const options = request.options;
    const { key, name } = this.#identify(request.task);
    const record: TaskRecord = {
      id: this.#nextId++,
      key,
      name,
      args: request.args,
      chunk: request.chunk,
      future: undefined as unknown as Future<unknown>,
      options,
      transfers: request.transfers,
      shared: request.shared,
      exclusive: options?.timeoutMs !== undefined || options?.signal !== undefined,
      attempt: 1,
      slotIndex: undefined,
      seq: 0,
      timer: undefined,
      abortListener: undefined,
    };
    record.future = Future.create<unknown, TaskRecord>(this, record);
    return record;
  }

  #identify(task: TaskRef<readonly unknown[], unknown>): { key: number; name: string } {
    let identity = this.#refs.get(task);
    if (identity === undefined) {
      identity = { key: this.#keys.keyOf(task.moduleUrl, task.exportName), name: describeTask(task) };
      this.#refs.set(task, identity);
    }
    return identity;
  }

  /** Called by `future.cancel()`. */
  cancelTask(record: TaskRecord, error: CancelledError): boolean {
    return this.#cancel(record, error);
  }

  /** Measured mean run time of one call of a task, in ms (NaN while unknown). */
  meanTaskMs(task: TaskRef<readonly unknown[], unknown>): number {
    return this.#keys.meanMs(this.#identify(task).key);
  }

  /** Resolves when the queue has room (for producers that want backpressure). */
  onQueueSpace(): Promise<void> {
    if (this.#queue.size + this.#overflow.size < this.options.maxQueue) return Promise.resolve();
    return new Promise((resolve) => this.#spaceWaiters.push(resolve));
  }

  #scheduleDispatch(): void {
    if (this.#dispatchScheduled) return;
    this.#dispatchScheduled = true;
    queueMicrotask(() => {
      this.#dispatchScheduled = false;
      this.#dispatch();
    });
  }

  #dispatch(): void {
    const wasFull = this.#queue.size >= this.options.maxQueue;
    const slots = this.#workers.accepting();
    const fairShare = Math.ceil(this.#queue.size / Math.max(1, slots.length));
    for (const slot of slots) {
      if (this.#queue.size === 0) break;
      this.#fill(slot, fairShare);
    }
    while (this.#overflow.size > 0 && this.#queue.size < this.options.maxQueue) {
      this.#queue.push(this.#overflow.shift() as TaskRecord);
    }
    if (wasFull && this.#queue.size < this.options.maxQueue) {
      for (const resolve of this.#spaceWaiters.splice(0)) resolve();
    }
    if (this.#queue.size > 0) this.#workers.grow(this.#queue.size);
    else this.#workers.trimIdle();
    this.#workers.onDrained(this.#queue.size === 0 && this.#retrying.size === 0);
  }

  /** Hands queued tasks to one worker, as one message, up to its prefetch allowance. */
  #fill(slot: WorkerSlot, fairShare: number): void {
    const limits = { maxTasksPerWorker: this.options.maxTasksPerWorker, fairShare };
    const batch = takeBatch(slot, this.#queue, this.#keys, limits, (record) => this.#onStarted(record, slot));
    if (batch === undefined) return;
    this.#workers.clearIdle(slot);
    this.#workers.send(slot, batch.message, batch.transfers);
  }

  #onStarted(record: TaskRecord, slot: WorkerSlot): void {
    Future.markRunning(record.future);
    const timeoutMs = record.options?.timeoutMs;
    if (timeoutMs !== undefined) {
      record.timer = setTimeout(() => this.#workers.timeOut(record, timeoutMs), timeoutMs);
    }
    if (this.listenerCount('task:started') > 0) {
      this.emit('task:started', {
        id: record.id,
        task: record.name,
        workerIndex: slot.index,
        attempt: record.attempt,
      });
    }
  }

  #onMessage(slot: WorkerSlot, message: WorkerToMain): void {
    if (message.type === 'progress') {
      const record = slot.inFlight.get(message.seq);
      if (record === undefined) return;
      const event = { fraction: message.fraction, detail: message.detail };
      record.options?.onProgress?.(event);
      if (this.listenerCount('task:progress') > 0)
        this.emit('task:progress', { id: record.id, task: record.name, ...event });
      return;
    }
    if (message.type !== 'results') return;
    const { firstSeq, values, failed, durationsMs } = message;
    let nextFailure = 0;
    for (let index = 0; index < values.length; index += 1) {
      const isFailure = failed[nextFailure] === index;
      if (isFailure) nextFailure += 1;
      const seq = firstSeq + index;
      const record = slot.inFlight.get(seq);
      if (record === undefined) continue; // cancelled while the worker held it
      slot.inFlight.delete(seq);
      const durationMs = durationsMs[index] ?? 0;
      slot.busyMs += durationMs;
      slot.tasksCompleted += 1;
      this.#keys.observe(
        record.key,
        record.chunk !== 0 ? durationMs / Math.max(1, record.args.length) : durationMs,
      );
      if (!isFailure) this.#settle(record, slot, 'fulfilled', values[index], durationMs);
      else
        this.#settleFailed(
          record,
          slot,
          failureToError(values[index] as WorkerFailure, record.name),
          durationMs,
        );
    }
    if (slot.inFlight.size === 0) slot.drained();
    this.#workers.afterResults(slot);
    this.#scheduleDispatch();
  }

  #settleFailed(record: TaskRecord, slot: WorkerSlot | undefined, error: unknown, durationMs = 0): void {
    const context: FailureContext = {
      retry: (delayMs) => {
        this.#release(record);
        this.#retrying.add(record);
        record.timer = setTimeout(() => {
          record.timer = undefined;
          this.#retrying.delete(record);
          record.attempt += 1;
          if (this.#closing && this.#workers.stopped)
            return this.#settle(record, undefined, 'rejected', error);
          this.#queue.unshift(record);
          this.#scheduleDispatch();
        }, delayMs);
      },
      fail: () =>
        this.#settle(
          record,
          slot,
          error instanceof CancelledError ? 'cancelled' : 'rejected',
          error,
          durationMs,
        ),
    };
    settleFailure(record, error, context);
  }

  #cancel(record: TaskRecord, error: CancelledError): boolean {
    if (record.future.done) return false;
    if (this.#queue.remove(record) || this.#overflow.remove(record) || this.#retrying.delete(record)) {
      this.#settle(record, undefined, 'cancelled', error);
      return true;
    }
    const slot = this.#workers.slotOf(record);
    this.#settle(record, slot, 'cancelled', error);
    if (slot !== undefined) this.#workers.cancelRunning(slot, record);
    return true;
  }

  /** Detaches a record from timers, signals and its worker. */
  #release(record: TaskRecord): void {
    if (record.timer !== undefined) clearTimeout(record.timer);
    record.timer = undefined;
    if (record.abortListener !== undefined)
      record.options?.signal?.removeEventListener('abort', record.abortListener);
    record.abortListener = undefined;
    const slot = this.#workers.slotOf(record);
    if (slot?.inFlight.get(record.seq) === record) slot.inFlight.delete(record.seq);
    record.slotIndex = undefined;
  }

  #settle(
    record: TaskRecord,
    slot: WorkerSlot | undefined,
    status: 'fulfilled' | 'rejected' | 'cancelled',
    value: unknown,
    durationMs = 0,
  ): void {
    this.#release(record);
    if (status === 'fulfilled') Future.fulfil(record.future, value);
    else Future.fail(record.future, value);
    this.#counts[status] += 1;
    if (this.listenerCount('task:settled') > 0) {
      this.emit('task:settled', {
        id: record.id,
        task: record.name,
        status,
        workerIndex: slot?.index,
        durationMs,
        error: status === 'fulfilled' ? undefined : value,
      });
    }
  }

  #failAll(error: Error): void {
    for (const record of [...this.#queue.drain(), ...this.#overflow.drain(), ...this.#retrying]) {
      this.#retrying.delete(record);
      this.#settle(record, undefined, 'rejected', error);
    }
  }

  stats(): PoolStats {
    const workers = this.#workers.stats();
    return {
      workers,
      queued: this.#queue.size + this.#overflow.size,
      running: workers.reduce((sum, worker) => sum + worker.inFlight, 0),
      ...this.#counts,
      closed: this.#closing,
    };
  }

  /**
   * Stops accepting tasks; lets queued and running tasks finish (or cancels the queued ones),
   * waits up to `timeoutMs`, then stops every worker. Resolves when all are gone.
   */
  async close(cancelPending: boolean, timeoutMs: number): Promise<void> {
    this.#closing = true;
    if (cancelPending) {
      const closed = new PoolClosedError('run this task');
      for (const record of [...this.#queue.drain(), ...this.#overflow.drain(), ...this.#retrying]) {
        this.#retrying.delete(record);
        record.future.catch(() => undefined);
        this.#settle(
          record,
          undefined,
          'cancelled',
          new CancelledError('The task was cancelled: the pool closed with cancelPending.', {
            cause: closed,
          }),
        );
      }
    }
    this.#scheduleDispatch();
    await this.#workers.stopWhenDrained(
      timeoutMs,
      () => this.#queue.size === 0 && this.#overflow.size === 0 && this.#retrying.size === 0,
    );
    const leftover = new CancelledError(
      `The task was cancelled: the pool closed and closeTimeoutMs=${timeoutMs} ran out.`,
      { cause: new PoolClosedError('run this task') },
    );
    for (const record of [...this.#queue.drain(), ...this.#overflow.drain(), ...this.#retrying]) {
      this.#retrying.delete(record);
      this.#settle(record, undefined, 'cancelled', leftover);
    }
  }
}

/**
 * Starts, replaces and stops the pool's workers, and decides what happens to the tasks a
 * worker held when it goes: the running one fails (or retries), the others go back to the queue.
 */
import type { TransferListItem } from 'node:worker_threads';
import {
  ManycoreError,
  NotCloneableError,
  TaskTimeoutError,
  WorkerExitedError,
  WorkerInitError,
  WorkerStartError,
} from '../errors.ts';
import { describeTask } from '../executor/task-ref.ts';
import { findUncloneable } from '../protocol/find-uncloneable.ts';
import type { MainToWorker, WorkerToMain } from '../protocol/messages.ts';
import { failureToError } from './task-failure.ts';
import type { PoolEventMap, WorkerStats } from './pool-events.ts';
import type { ResolvedPoolOptions } from './pool-options.ts';
import type { TaskKeys, TaskRecord } from './task-record.ts';
import type { WorkerFactory } from './worker-handle.ts';
import { WorkerSlot } from './worker-slot.ts';

export interface LifecycleHooks {
  onReady(): void;
  onMessage(slot: WorkerSlot, message: WorkerToMain): void;
  /** A task failed because of its worker (crash, timeout, unsendable); the engine settles or retries it. */
  onLost(slot: WorkerSlot | undefined, record: TaskRecord, error: Error): void;
  /** Tasks a worker held but had not run: back to the front of the queue, in order. */
  requeue(records: TaskRecord[]): void;
  /** No worker can ever run a task (initializer or start-up failed). */
  onBroken(error: Error): void;
  emit<K extends keyof PoolEventMap>(name: K, event: PoolEventMap[K][0]): void;
}

export class WorkerLifecycle {
  readonly #options: ResolvedPoolOptions;
  readonly #factory: WorkerFactory;
  readonly #keys: TaskKeys;
  readonly #hooks: LifecycleHooks;
  readonly #slots = new Map<number, WorkerSlot>();
  readonly #exits = new Set<Promise<void>>();
  #nextIndex = 0;
  #rotation = 0;
  #broken: Error | undefined;
  #closing = false;
  #stopped = false;
  #drainWaiter: (() => void) | undefined;

  constructor(options: ResolvedPoolOptions, factory: WorkerFactory, keys: TaskKeys, hooks: LifecycleHooks) {
    this.#options = options;
    this.#factory = factory;
    this.#keys = keys;
    this.#hooks = hooks;
  }

  get brokenError(): Error | undefined {
    return this.#broken;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  start(): void {
    while (this.#slots.size < this.#options.minWorkers) this.#spawn();
  }

  slotOf(record: TaskRecord): WorkerSlot | undefined {
    return record.slotIndex === undefined ? undefined : this.#slots.get(record.slotIndex);
  }

  /** Slots that can take tasks, starting from a rotating position so load spreads evenly. */
  accepting(): WorkerSlot[] {
    const all = [...this.#slots.values()].filter((slot) => slot.accepting);
    if (all.length < 2) return all;
    this.#rotation = (this.#rotation + 1) % all.length;
    return [...all.slice(this.#rotation), ...all.slice(0, this.#rotation)];
  }

  /** Starts workers (up to maxWorkers) while tasks wait and no worker is idle or starting. */
  grow(queued: number): void {
    if (this.#broken !== undefined || this.#stopped) return;
    let starting = 0;
    for (const slot of this.#slots.values()) {
      if (
        slot.state === 'starting' ||
        slot.state === 'initializing' ||
        (slot.state === 'idle' && !slot.stopping)
      )
        starting += 1;
    }
    while (this.#slots.size < this.#options.maxWorkers && starting < queued) {
      this.#spawn();
      starting += 1;
    }
  }

  /** Arms the idle timer of workers above minWorkers that have nothing to do. */
  trimIdle(): void {
    if (this.#slots.size <= this.#options.minWorkers || this.#options.idleTimeoutMs === Infinity) return;
    for (const slot of this.#slots.values()) {
      if (slot.state !== 'idle' || slot.stopping || slot.idleTimer !== undefined) continue;
      slot.idleTimer = setTimeout(() => {
        slot.idleTimer = undefined;
        if (
          slot.state === 'idle' &&
          slot.inFlight.size === 0 &&
          this.#slots.size > this.#options.minWorkers
        ) {
          void this.#stop(slot);
        }
      }, this.#options.idleTimeoutMs);
      slot.idleTimer.unref();
    }
  }

  clearIdle(slot: WorkerSlot): void {
    if (slot.idleTimer !== undefined) clearTimeout(slot.idleTimer);
    slot.idleTimer = undefined;
  }

  /** Sends a batch; a task whose arguments cannot be cloned fails alone, the others are requeued. */
  send(slot: WorkerSlot, message: MainToWorker, transfers: TransferListItem[] | undefined): void {
    try {
      slot.handle?.send(message, transfers);
    } catch (error) {
      if (message.type !== 'run') throw error;
      const records = message.args
        .map((_, index) => slot.inFlight.get(message.firstSeq + index))
        .filter((r) => r !== undefined);
      slot.assigned -= records.length;
      for (const record of records) slot.inFlight.delete(record.seq);
      if (slot.inFlight.size === 0) slot.drained();
      for (const record of records) record.slotIndex = undefined;
      const culprits = records.filter((record) => !isCloneable(record.args));
      const innocent = culprits.length === 0 ? [] : records.filter((record) => !culprits.includes(record));
      for (const record of culprits.length === 0 ? records : culprits) {
        const found = findUncloneable(record.args, 'args');
        // A backend's own typed error (e.g. ERR_PROCESS_MEMORY for released shared memory)
        // already says what went wrong; wrapping it would hide its code.
        const failure =
          found === undefined && error instanceof ManycoreError
            ? error
            : new NotCloneableError(found?.path ?? 'args', found?.value, 'argument', { cause: error });
        this.#hooks.onLost(slot, record, failure);
      }
      // A new batch message is built for the others, so the worker never learns of the failed one.
      for (const definition of message.defs ?? []) slot.knownKeys.delete(definition.key);
      this.#hooks.requeue(innocent);
    }
  }

  /** After results: a worker that reached maxTasksPerWorker is replaced once it is empty. */
  afterResults(slot: WorkerSlot): void {
    if (slot.assigned >= this.#options.maxTasksPerWorker && slot.inFlight.size === 0 && !slot.stopping) {
      void this.#replace(slot);
    }
    if (this.#closing) this.#checkDrained();
  }

  timeOut(record: TaskRecord, timeoutMs: number): void {
    const slot = this.slotOf(record);
    record.timer = undefined;
    if (slot === undefined || record.future.done) return;
    slot.inFlight.delete(record.seq);
    const others = [...slot.inFlight.values()];
    slot.inFlight.clear();
    this.#hooks.onLost(slot, record, new TaskTimeoutError(timeoutMs, record.name));
    this.#hooks.requeue(others);
    void this.#replace(slot);
  }

  /** The task was settled as cancelled; if its worker is running it, stop that worker. */
  cancelRunning(slot: WorkerSlot, record: TaskRecord): void {
    const current = slot.handle?.currentSeq();
    const running = record.exclusive || current === undefined || current === record.seq;
    if (!running) return; // prefetched but not started: its result will be ignored
    const others = [...slot.inFlight.values()];
    slot.inFlight.clear();
    this.#hooks.requeue(others);
    void this.#replace(slot);
  }

  onDrained(drained: boolean): void {
    if (drained && this.#closing) this.#checkDrained();
  }

  #checkDrained(): void {
    for (const slot of this.#slots.values()) if (slot.inFlight.size > 0) return;
    this.#drainWaiter?.();
  }

  async stopWhenDrained(timeoutMs: number, queueEmpty: () => boolean): Promise<void> {
    this.#closing = true;
    if (!queueEmpty() || [...this.#slots.values()].some((slot) => slot.inFlight.size > 0)) {
      await new Promise<void>((resolve) => {
        const timer = timeoutMs === Infinity ? undefined : setTimeout(resolve, timeoutMs);
        this.#drainWaiter = () => {
          if (!queueEmpty()) return;
          if (timer !== undefined) clearTimeout(timer);
          resolve();
        };
        this.#checkDrained();
      });
    }
    this.#stopped = true;
    const stops: Promise<void>[] = [];
    for (const slot of this.#slots.values()) {
      const leftovers = [...slot.inFlight.values()];
      slot.inFlight.clear();
      const reason = `the pool closed before the task finished (closeTimeoutMs=${timeoutMs})`;
      for (const record of leftovers)
        this.#hooks.onLost(slot, record, new WorkerExitedError(null, reason, record.name));
      stops.push(this.#stop(slot));
    }
    await Promise.all([...stops, ...this.#exits]);
  }

  stats(): WorkerStats[] {
    return [...this.#slots.values()].map((slot) => slot.stats());
  }

  #spawn(): WorkerSlot {
    const index = this.#nextIndex++;
    const slot = new WorkerSlot(index, `${this.#options.name}-${index}`);
    this.#slots.set(index, slot);
    let resolveExit!: () => void;
    const exited = new Promise<void>((resolve) => (resolveExit = resolve));
    this.#exits.add(exited);
    slot.handle = this.#factory(index, slot.name, {
      onMessage: (message) => this.#onMessage(slot, message),
      onExit: (exitCode, reason, error) => {
        this.#exits.delete(exited);
        this.#onExit(slot, exitCode, reason, error);
        resolveExit();
      },
    });
    slot.early = slot.handle.acceptsEarlyMessages === true && this.#options.initializer === undefined;
    return slot;
  }

  #onMessage(slot: WorkerSlot, message: WorkerToMain): void {
    if (message.type === 'ready') {
      const init = this.#options.initializer;
      if (init === undefined) return this.#markReady(slot);
      slot.state = 'initializing';
      const key = this.#keys.keyOf(init.moduleUrl, init.exportName);
      slot.knownKeys.add(key);
      try {
        slot.handle?.send({ type: 'init', def: this.#keys.definition(key), args: this.#options.initArgs });
      } catch (error) {
        this.#break(new WorkerInitError(describeTask(init), { cause: error }));
      }
      return;
    }
    if (message.type === 'init-done') {
      if (message.ok) return this.#markReady(slot);
      const init = this.#options.initializer;
      const name = init === undefined ? 'initializer' : describeTask(init);
      this.#break(new WorkerInitError(name, { cause: failureToError(message.failure, name) }));
      return;
    }
    this.#hooks.onMessage(slot, message);
  }

  #markReady(slot: WorkerSlot): void {
    slot.ready = true;
    if (slot.inFlight.size === 0) slot.state = 'idle'; // else it took tasks early: still busy
    this.#hooks.emit('worker:online', {
      workerIndex: slot.index,
      name: slot.name,
      systemId: slot.handle?.systemId ?? 0,
    });
    this.#hooks.onReady();
  }

  #break(error: Error): void {
    if (this.#broken !== undefined) return;
    this.#broken = error;
    this.#hooks.onBroken(error);
    for (const slot of this.#slots.values()) void this.#stop(slot);
  }

  #onExit(slot: WorkerSlot, exitCode: number | null, reason: string, error: Error | undefined): void {
    this.clearIdle(slot);
    this.#slots.delete(slot.index);
    const expected = slot.stopping;
    this.#hooks.emit('worker:exit', {
      workerIndex: slot.index,
      name: slot.name,
      systemId: slot.handle?.systemId ?? 0,
      exitCode,
      reason,
      expected,
    });
    const records = [...slot.inFlight.values()];
    slot.inFlight.clear();
    if (!expected && !slot.ready && !this.#closing) {
      this.#break(new WorkerStartError(reason, { cause: error }));
    }
    if (records.length > 0) {
      const current = slot.handle?.currentSeq();
      const culprit =
        records.find((record) => record.seq === current) ?? (current === undefined ? records[0] : undefined);
      const completedUnsent = current === undefined ? [] : records.filter((record) => record.seq < current);
      const notRun = records.filter((record) => record !== culprit && !completedUnsent.includes(record));
      if (culprit !== undefined) {
        this.#hooks.onLost(
          slot,
          culprit,
          new WorkerExitedError(exitCode, reason, culprit.name, { cause: error }),
        );
      }
      // Tasks finished but not reported (results lost with the worker) run again, then unstarted ones.
      this.#hooks.requeue([...completedUnsent, ...notRun]);
    }
    if (this.#closing) this.#checkDrained();
    if (!this.#stopped && this.#broken === undefined && this.#slots.size < this.#options.minWorkers)
      this.#spawn();
    this.#hooks.onReady();
  }

  async #replace(slot: WorkerSlot): Promise<void> {
    await this.#stop(slot);
  }

  #stop(slot: WorkerSlot): Promise<void> {
    if (slot.stopping) return Promise.resolve();
    slot.stopping = true;
    this.clearIdle(slot);
    return slot.handle?.terminate() ?? Promise.resolve();
  }
}

function isCloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

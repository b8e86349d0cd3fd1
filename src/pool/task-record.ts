import type { TransferListItem } from 'node:worker_threads';
import type { ChunkMode } from '../protocol/messages.ts';
import type { Future } from '../executor/future.ts';
import type { TaskOptions } from '../executor/task-options.ts';

/** Everything the engine knows about one submitted task, from queue to settlement. */
export interface TaskRecord {
  readonly id: number;
  /** Numeric key of the task's module export (see TaskKeys). */
  readonly key: number;
  /** `module-file#export`, for messages and events. */
  readonly name: string;
  readonly args: readonly unknown[];
  /** 0 for a plain task; 1 or 2 for a `map` chunk (see ChunkMode). */
  readonly chunk: ChunkMode;
  /** Settled only through Future's static helpers. */
  future: Future<unknown>;
  readonly options: TaskOptions | undefined;
  readonly transfers: TransferListItem[] | undefined;
  /** An argument holds a shared object or its handle (found by the submit-time clone check). */
  readonly shared: boolean;
  /** A timeout or a signal: the task runs alone in its worker so that stopping the worker is exact. */
  readonly exclusive: boolean;
  /** 1 on the first run, then 2, 3… on retries. */
  attempt: number;
  /** The worker slot it was handed to, while it is there. */
  slotIndex: number | undefined;
  /** Its sequence number in that worker. */
  seq: number;
  timer: NodeJS.Timeout | undefined;
  abortListener: (() => void) | undefined;
}

/**
 * Numbers the (module, export) pairs so that a task on the wire is an integer, and remembers
 * each one's mean run time, which sets how many tasks a worker may hold ahead (prefetch).
 */
export class TaskKeys {
  readonly #keys = new Map<string, number>();
  readonly #definitions: { moduleUrl: string; exportName: string }[] = [];
  readonly #meanMs: number[] = [];

  keyOf(moduleUrl: string, exportName: string): number {
    const id = `${exportName}\u0000${moduleUrl}`;
    let key = this.#keys.get(id);
    if (key === undefined) {
      key = this.#definitions.length + 1;
      this.#keys.set(id, key);
      this.#definitions.push({ moduleUrl, exportName });
      this.#meanMs.push(Number.NaN);
    }
    return key;
  }

  definition(key: number): { key: number; moduleUrl: string; exportName: string } {
    const definition = this.#definitions[key - 1];
    if (definition === undefined) throw new Error(`manycore internal error: unknown task key ${key}`);
    return { key, ...definition };
  }

  /** Records one run's duration (an exponential moving mean, so the estimate follows drift). */
  observe(key: number, durationMs: number): void {
    const mean = this.#meanMs[key - 1] ?? Number.NaN;
    this.#meanMs[key - 1] = Number.isNaN(mean) ? durationMs : mean * 0.8 + durationMs * 0.2;
  }

  /** Mean run time in ms, NaN while unknown. */
  meanMs(key: number): number {
    return this.#meanMs[key - 1] ?? Number.NaN;
  }
}

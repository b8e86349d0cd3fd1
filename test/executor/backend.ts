/**
 * What the shared suites need to know about a backend: how to make a pool, and what it can
 * do that others cannot (share memory, which option limits memory).
 */
import type { Executor, PoolStats, PoolEventMap } from '../../src/index.ts';

export interface TestPool extends Executor {
  stats(): PoolStats;
  onQueueSpace(): Promise<void>;
  on<K extends keyof PoolEventMap>(name: K, listener: (...event: PoolEventMap[K]) => void): this;
  off<K extends keyof PoolEventMap>(name: K, listener: (...event: PoolEventMap[K]) => void): this;
}

export interface Backend {
  readonly name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each backend has its own options type
  create(options?: Record<string, any>): TestPool;
  /** Can pass a SharedArrayBuffer to a task and see its writes. */
  readonly sharesMemory: boolean;
  /** Options that give a worker a small heap, and the text the OOM reason must contain. */
  readonly smallHeap: { readonly options: Record<string, unknown>; readonly reasonIncludes: string };
}

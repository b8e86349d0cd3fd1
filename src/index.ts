/**
 * manycore: use every core from Node.js. This entry re-exports the public API; each part lives
 * in its own folder (executor: the contract; pool: the backends; protocol/worker: the two
 * sides of the thread boundary).
 */
export * from './errors.ts';
export { Executor, type CloseOptions } from './executor/executor.ts';
export { Future, type FutureState } from './executor/future.ts';
export type { MapOptions } from './executor/map-lazily.ts';
export type { ProgressEvent, RetryOptions, TaskOptions } from './executor/task-options.ts';
export {
  tasksOf,
  taskRef,
  type TaskArgs,
  type TaskRef,
  type TaskResult,
  type TasksOf,
} from './executor/task-ref.ts';
export {
  asCompleted,
  wait,
  WaitTimeoutError,
  type ReturnWhen,
  type WaitOptions,
  type WaitResult,
} from './executor/wait.ts';
export type * from './pool/pool-events.ts';
export type { PoolOptions } from './pool/pool-options.ts';
export { ProcessPool, type ProcessPoolOptions } from './pool/process-pool.ts';
export { ThreadPool, type ThreadPoolOptions } from './pool/thread-pool.ts';
export { move } from './protocol/move.ts';
export * from './shared/index.ts';
export * from './sync/index.ts';

/** Synchronisation over Atomics: every primitive works in workers (…Sync) and on the main thread (async). */
export { Lock, type LockHandle } from './lock.ts';
export { RecursiveLock, type RecursiveLockHandle } from './recursive-lock.ts';
export { LockGuard } from './lock-guard.ts';
export { Semaphore, type SemaphoreHandle, type SemaphoreOptions } from './semaphore.ts';
export { Barrier, type BarrierHandle, type BarrierOptions, type ExitEmitter } from './barrier.ts';
export { Event, type EventHandle } from './event.ts';
export { Condition, type ConditionHandle, type ConditionOptions } from './condition.ts';
export { CountdownLatch, type CountdownLatchHandle, type CountdownLatchOptions } from './countdown-latch.ts';
export { AtomicCounter, type AtomicCounterHandle, type AtomicCounterOptions } from './atomic-counter.ts';
export { Queue, type QueueHandle, type QueueOptions } from './queue.ts';
export { type SyncHandle, type SyncOptions, type SyncTag } from './sync-handle.ts';
export {
  SyncTimeoutError,
  BarrierBrokenError,
  QueueClosedError,
  QueueItemTooLargeError,
  BlockingMainThreadError,
  LockNotHeldError,
} from './errors.ts';

/** Errors of the synchronisation primitives; every one has a stable code listed in docs/errors.md. */
import { ManycoreError } from '../errors.ts';

/** A wait (lock, semaphore, barrier, event, condition, latch, queue) did not succeed within `timeoutMs`. */
export class SyncTimeoutError extends ManycoreError {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(
      'ERR_WAIT_TIMEOUT',
      `${what} did not succeed within timeoutMs=${timeoutMs}. A peer may have died or be stuck while ` +
        'holding it; raise timeoutMs, or break/close the object when a worker exits.',
    );
  }
}

/** A barrier was broken: a party timed out, `abort()` was called, or a party's worker exited. */
export class BarrierBrokenError extends ManycoreError {
  constructor() {
    super(
      'ERR_BARRIER_BROKEN',
      'The barrier is broken (expected all parties to arrive; received a timeout, an abort() or the exit of ' +
        "a party's worker). Call reset() once every party has stopped waiting, or create a new barrier.",
    );
  }
}

/** `put` or `get` on a queue that was closed (for `get`: closed and drained). */
export class QueueClosedError extends ManycoreError {
  constructor(operation: 'put' | 'get') {
    super(
      'ERR_QUEUE_CLOSED',
      operation === 'put'
        ? 'Cannot put: the queue is closed. Put items before calling close().'
        : 'Cannot get: the queue is closed and empty. Treat this as the end of the stream.',
    );
  }
}

/** One item is bigger than the queue's whole byte capacity, so it could never fit. */
export class QueueItemTooLargeError extends ManycoreError {
  constructor(
    readonly itemBytes: number,
    readonly capacityBytes: number,
  ) {
    super(
      'ERR_QUEUE_ITEM_TOO_LARGE',
      `A queue item needs ${itemBytes} bytes but the queue holds at most capacityBytes=${capacityBytes}. ` +
        'Create the queue with a larger capacityBytes, or pass big data as a SharedArray instead.',
    );
  }
}

/** A blocking (`…Sync`) wait was called on the main thread, where it would freeze the event loop. */
export class BlockingMainThreadError extends ManycoreError {
  constructor(method: string) {
    super(
      'ERR_BLOCKING_MAIN_THREAD',
      `${method} blocks the calling thread with Atomics.wait, which would freeze the main thread's event ` +
        `loop; received a call on the main thread. Use the async form (${method.replace(/Sync$/, '')}) instead.`,
    );
  }
}

/** `release()` on a lock (or recursive lock) that the calling thread does not hold. */
export class LockNotHeldError extends ManycoreError {
  constructor(what: string) {
    super(
      'ERR_LOCK_NOT_HELD',
      `${what}.release() was called but the lock is not held${what === 'RecursiveLock' ? ' by this thread' : ''}. ` +
        'Release only what you acquired; prefer `using` or withLock() so release happens exactly once.',
    );
  }
}

/** A mutual-exclusion lock over one shared Int32 word, usable from any thread. */
import { LockNotHeldError, SyncTimeoutError } from './errors.ts';
import {
  assertMayBlock,
  deadlineOf,
  lockMutexAsync,
  lockMutexSync,
  tryLockMutex,
  unlockMutex,
} from './futex.ts';
import { LockGuard } from './lock-guard.ts';
import { attachOptions, SyncPrimitive, type SyncHandle, type SyncOptions } from './sync-handle.ts';

const WORDS = 1;
const STATE = 0;

/** Plain-data form of a {@link Lock}; survives structured clone. */
export type LockHandle = SyncHandle<'Lock'>;

/**
 * A non-re-entrant lock shared by threads: a worker blocks in `acquireSync`, the main thread
 * awaits `acquire` without blocking its event loop. Any holder may release it (like Python's
 * `threading.Lock`); acquiring it twice from one thread deadlocks until the timeout — use
 * {@link RecursiveLock} for that. Pass it to a task like any argument.
 *
 * @example
 * ```ts
 * const lock = new Lock();
 * // in a worker:
 * { using _guard = lock.acquireSync(5_000); total.set(0, total.get(0) + 1); }
 * // on the main thread:
 * await lock.withLock(() => total.set(0, 0));
 * ```
 */
export class Lock extends SyncPrimitive<'Lock'> implements LockHandle {
  readonly #cells: Int32Array;

  /**
   * Creates an unlocked lock.
   *
   * @throws {InvalidOptionError} ERR_INVALID_OPTION when `memory` is unusable.
   */
  constructor(options?: SyncOptions) {
    super('Lock', WORDS, options);
    this.#cells = this.stateWords;
    if (!this.attached) Atomics.store(this.#cells, STATE, 0);
  }

  /** Rebuilds the live lock from its handle (done for you by `reviveShared`). */
  static fromHandle(handle: LockHandle): Lock {
    return new Lock(attachOptions(handle, 'Lock', WORDS));
  }

  /** True while some thread holds the lock (a snapshot; it may change at once). */
  get locked(): boolean {
    return Atomics.load(this.#cells, STATE) !== 0;
  }

  /** Takes the lock if it is free; returns its guard, or undefined without waiting. */
  tryAcquire(): LockGuard | undefined {
    return tryLockMutex(this.#cells, STATE) ? this.#guard() : undefined;
  }

  /**
   * Blocks the calling worker until the lock is free, then takes it.
   *
   * @param timeoutMs - how long to wait, in milliseconds; default Infinity.
   * @throws {SyncTimeoutError} ERR_WAIT_TIMEOUT when the lock stayed busy for timeoutMs.
   * @throws {BlockingMainThreadError} ERR_BLOCKING_MAIN_THREAD on the main thread.
   */
  acquireSync(timeoutMs = Infinity): LockGuard {
    assertMayBlock('Lock.acquireSync');
    if (!lockMutexSync(this.#cells, STATE, deadlineOf(timeoutMs)))
      throw new SyncTimeoutError('Lock.acquireSync', timeoutMs);
    return this.#guard();
  }

  /**
   * Waits without blocking the thread until the lock is free, then takes it.
   *
   * @param timeoutMs - how long to wait, in milliseconds; default Infinity.
   * @throws {SyncTimeoutError} ERR_WAIT_TIMEOUT (as a rejection).
   */
  async acquire(timeoutMs = Infinity): Promise<LockGuard> {
    if (!(await lockMutexAsync(this.#cells, STATE, deadlineOf(timeoutMs)))) {
      throw new SyncTimeoutError('Lock.acquire', timeoutMs);
    }
    return this.#guard();
  }

  /**
   * Releases the lock. Prefer the guard (`using`) or {@link Lock.withLock}.
   *
   * @throws {LockNotHeldError} ERR_LOCK_NOT_HELD when the lock is free.
   */
  release(): void {
    if (!unlockMutex(this.#cells, STATE)) throw new LockNotHeldError('Lock');
  }

  /** Runs `fn` holding the lock (blocking wait; workers only) and releases it even if `fn` throws. */
  withLockSync<T>(fn: () => T, timeoutMs = Infinity): T {
    using _guard = this.acquireSync(timeoutMs);
    return fn();
  }

  /** Runs `fn` holding the lock (async wait) and releases it when `fn`'s promise settles. */
  async withLock<T>(fn: () => T | Promise<T>, timeoutMs = Infinity): Promise<T> {
    using _guard = await this.acquire(timeoutMs);
    return await fn();
  }

  #guard(): LockGuard {
    return new LockGuard(() => this.release());
  }
}

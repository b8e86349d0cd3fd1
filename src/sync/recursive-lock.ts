/** A lock the holding thread may take again; it is free once released as often as acquired. */
import { LockNotHeldError, SyncTimeoutError } from './errors.ts';
import {
  assertMayBlock,
  deadlineOf,
  lockMutexAsync,
  lockMutexSync,
  THREAD_TOKEN,
  tryLockMutex,
  unlockMutex,
} from './futex.ts';
import { LockGuard } from './lock-guard.ts';
import { attachOptions, SyncPrimitive, type SyncHandle, type SyncOptions } from './sync-handle.ts';

const WORDS = 3;
const STATE = 0;
const OWNER = 1; // THREAD_TOKEN of the holder, 0 when free; only the holder writes it
const DEPTH = 2; // acquisitions not yet released; only the holder touches it

/** Plain-data form of a {@link RecursiveLock}; survives structured clone. */
export type RecursiveLockHandle = SyncHandle<'RecursiveLock'>;

/**
 * A re-entrant lock: the thread holding it may acquire it again (nested calls) without
 * deadlocking. Ownership is per thread — on the main thread every async function shares one
 * owner, so two interleaved async callers there are NOT excluded from each other; use a plain
 * {@link Lock} to exclude async callers of one thread.
 *
 * @example
 * ```ts
 * const lock = new RecursiveLock();
 * function update() { using _g = lock.acquireSync(); helper(); }
 * function helper() { using _g = lock.acquireSync(); } // same thread: no deadlock
 * ```
 */
export class RecursiveLock extends SyncPrimitive<'RecursiveLock'> implements RecursiveLockHandle {
  readonly #cells: Int32Array;

  /**
   * Creates a free lock.
   *
   * @throws {InvalidOptionError} ERR_INVALID_OPTION when `memory` is unusable.
   */
  constructor(options?: SyncOptions) {
    super('RecursiveLock', WORDS, options);
    this.#cells = this.stateWords;
    if (!this.attached) this.#cells.fill(0);
  }

  /** Rebuilds the live lock from its handle (done for you by `reviveShared`). */
  static fromHandle(handle: RecursiveLockHandle): RecursiveLock {
    return new RecursiveLock(attachOptions(handle, 'RecursiveLock', WORDS));
  }

  /** How many times the calling thread holds the lock (0 if it does not). */
  get depth(): number {
    return Atomics.load(this.#cells, OWNER) === THREAD_TOKEN ? Atomics.load(this.#cells, DEPTH) : 0;
  }

  /** Takes the lock if free or already ours; undefined otherwise, without waiting. */
  tryAcquire(): LockGuard | undefined {
    if (this.#reenter()) return this.#guard();
    return tryLockMutex(this.#cells, STATE) ? this.#own() : undefined;
  }

  /**
   * Blocks the calling worker until the lock is free or already its own.
   *
   * @param timeoutMs - milliseconds to wait; default Infinity.
   * @throws {SyncTimeoutError} ERR_WAIT_TIMEOUT.
   * @throws {BlockingMainThreadError} ERR_BLOCKING_MAIN_THREAD on the main thread.
   */
  acquireSync(timeoutMs = Infinity): LockGuard {
    assertMayBlock('RecursiveLock.acquireSync');
    if (this.#reenter()) return this.#guard();
    if (!lockMutexSync(this.#cells, STATE, deadlineOf(timeoutMs))) {
      throw new SyncTimeoutError('RecursiveLock.acquireSync', timeoutMs);
    }
    return this.#own();
  }

  /**
   * Async form of {@link RecursiveLock.acquireSync}; never blocks the thread.
   *
   * @throws {SyncTimeoutError} ERR_WAIT_TIMEOUT (as a rejection).
   */
  async acquire(timeoutMs = Infinity): Promise<LockGuard> {
    if (this.#reenter()) return this.#guard();
    if (!(await lockMutexAsync(this.#cells, STATE, deadlineOf(timeoutMs)))) {
      throw new SyncTimeoutError('RecursiveLock.acquire', timeoutMs);
    }
    return this.#own();
  }

  /**
   * Undoes one acquisition; the lock is free when the depth reaches 0.
   *
   * @throws {LockNotHeldError} ERR_LOCK_NOT_HELD when the calling thread does not hold it.
   */
  release(): void {
    if (Atomics.load(this.#cells, OWNER) !== THREAD_TOKEN) throw new LockNotHeldError('RecursiveLock');
    if (Atomics.sub(this.#cells, DEPTH, 1) > 1) return;
    Atomics.store(this.#cells, OWNER, 0);
    unlockMutex(this.#cells, STATE);
  }

  /** Runs `fn` holding the lock (blocking wait; workers only). */
  withLockSync<T>(fn: () => T, timeoutMs = Infinity): T {
    using _guard = this.acquireSync(timeoutMs);
    return fn();
  }

  /** Runs `fn` holding the lock (async wait); released when `fn`'s promise settles. */
  async withLock<T>(fn: () => T | Promise<T>, timeoutMs = Infinity): Promise<T> {
    using _guard = await this.acquire(timeoutMs);
    return await fn();
  }

  #reenter(): boolean {
    if (Atomics.load(this.#cells, OWNER) !== THREAD_TOKEN) return false;
    Atomics.add(this.#cells, DEPTH, 1);
    return true;
  }

  #own(): LockGuard {
    Atomics.store(this.#cells, OWNER, THREAD_TOKEN);
    Atomics.store(this.#cells, DEPTH, 1);
    return this.#guard();
  }

  #guard(): LockGuard {
    return new LockGuard(() => this.release());
  }
}

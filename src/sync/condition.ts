/**
 * A condition variable bound to a {@link Lock}: wait until another thread changes shared state
 * and notifies. Waiters sleep on a sequence word that every notify bumps, so a notify between
 * "release the lock" and "sleep" is never lost (the word no longer holds the value slept on).
 */
import { InvalidOptionError } from '../errors.ts';
import { SyncTimeoutError } from './errors.ts';
import { assertMayBlock, deadlineOf, notify, waitAsync, waitSync } from './futex.ts';
import { Lock, type LockHandle } from './lock.ts';
import { attachOptions, SyncPrimitive, type SyncHandle, type SyncOptions } from './sync-handle.ts';

const WORDS = 1;
const SEQUENCE = 0;

/** Plain-data form of a {@link Condition}: its words plus its lock's handle. */
export interface ConditionHandle extends SyncHandle<'Condition'> {
  readonly lock: LockHandle;
}

/** Options of {@link Condition}. */
export interface ConditionOptions extends SyncOptions {
  /** The lock guarding the shared state. Default: a new {@link Lock}. */
  readonly lock?: Lock;
}

/**
 * Waits are spurious-wakeup-prone like every condition variable: prefer `waitForSync(predicate)`.
 * The caller must hold `condition.lock` when waiting; the wait releases it while asleep and
 * takes it back before returning (without a timeout, as Python does, so the caller always
 * holds the lock afterwards).
 *
 * @example
 * ```ts
 * const cond = new Condition();
 * // consumer (worker):
 * cond.lock.withLockSync(() => cond.waitForSync(() => items.get(0) > 0, 5_000));
 * // producer:
 * await cond.lock.withLock(() => { items.set(0, 1); cond.notifyAll(); });
 * ```
 */
export class Condition extends SyncPrimitive<'Condition'> implements ConditionHandle {
  readonly lock: Lock;
  readonly #cells: Int32Array;

  /** @throws {InvalidOptionError} ERR_INVALID_OPTION for a bad `lock` or `memory`. */
  constructor(options?: ConditionOptions) {
    super('Condition', WORDS, options);
    if (options?.lock !== undefined && !(options.lock instanceof Lock)) {
      throw new InvalidOptionError('lock', 'a Lock', options.lock);
    }
    this.lock = options?.lock ?? new Lock();
    this.#cells = this.stateWords;
    if (!this.attached) Atomics.store(this.#cells, SEQUENCE, 0);
  }

  /** Rebuilds the live condition (and its lock) from its handle. */
  static fromHandle(handle: ConditionHandle): Condition {
    const attach = attachOptions(handle, 'Condition', WORDS);
    const lock = handle.lock instanceof Lock ? handle.lock : Lock.fromHandle(handle.lock);
    return new Condition({ ...attach, lock });
  }

  /** The plain-data handle to send elsewhere: its words plus its lock's handle. */
  override toHandle(): ConditionHandle {
    return { ...super.toHandle(), lock: this.lock.toHandle() };
  }

  /**
   * Releases the lock, blocks until notified (or timeout), re-takes the lock. Workers only.
   *
   * @param timeoutMs - milliseconds to wait for a notify; default Infinity.
   * @throws {SyncTimeoutError} ERR_WAIT_TIMEOUT (the lock is held again when it is thrown).
   * @throws {LockNotHeldError} ERR_LOCK_NOT_HELD when the lock was not held.
   */
  waitSync(timeoutMs = Infinity): void {
    assertMayBlock('Condition.waitSync');
    const deadline = deadlineOf(timeoutMs);
    const sequence = Atomics.load(this.#cells, SEQUENCE);
    this.lock.release();
    const notified = waitSync(this.#cells, SEQUENCE, sequence, deadline);
    this.lock.acquireSync();
    if (!notified) throw new SyncTimeoutError('Condition.waitSync', timeoutMs);
  }

  /** Async form of {@link Condition.waitSync}. */
  async wait(timeoutMs = Infinity): Promise<void> {
    const deadline = deadlineOf(timeoutMs);
    const sequence = Atomics.load(this.#cells, SEQUENCE);
    this.lock.release();
    const notified = await waitAsync(this.#cells, SEQUENCE, sequence, deadline);
    await this.lock.acquire();
    if (!notified) throw new SyncTimeoutError('Condition.wait', timeoutMs);
  }

  /**
   * Waits (releasing the lock) until `predicate()` is true; the predicate runs with the lock
   * held. Workers only.
   *
   * @throws {SyncTimeoutError} ERR_WAIT_TIMEOUT when it is still false after timeoutMs.
   */
  waitForSync(predicate: () => boolean, timeoutMs = Infinity): void {
    const deadline = deadlineOf(timeoutMs);
    while (!predicate()) this.waitSync(Math.max(0, deadline - performance.now()));
  }

  /** Async form of {@link Condition.waitForSync}. */
  async waitFor(predicate: () => boolean, timeoutMs = Infinity): Promise<void> {
    const deadline = deadlineOf(timeoutMs);
    while (!predicate()) await this.wait(Math.max(0, deadline - performance.now()));
  }

  /** Wakes up to `count` waiters (default 1). Call it holding the lock, after changing the state. */
  notify(count = 1): void {
    Atomics.add(this.#cells, SEQUENCE, 1);
    notify(this.#cells, SEQUENCE, count);
  }

  /** Wakes every waiter. */
  notifyAll(): void {
    Atomics.add(this.#cells, SEQUENCE, 1);
    notify(this.#cells, SEQUENCE);
  }
}

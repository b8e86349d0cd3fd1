/** A one-shot countdown: waiters pass once `countDown()` has been called `count` times. */
import { InvalidOptionError } from '../errors.ts';
import { SyncTimeoutError } from './errors.ts';
import { assertMayBlock, deadlineOf, notify, waitAsync, waitSync } from './futex.ts';
import { attachOptions, SyncPrimitive, wordsOf, type SyncHandle, type SyncOptions } from './sync-handle.ts';

const WORDS = 1;
const COUNT = 0; // remaining count-downs; waiters pass at <= 0

/** Plain-data form of a {@link CountdownLatch}; survives structured clone. */
export type CountdownLatchHandle = SyncHandle<'CountdownLatch'>;

/** Options of {@link CountdownLatch}. */
export interface CountdownLatchOptions extends SyncOptions {
  /** Count-downs needed before waiters pass; integer 0 … 2^31-1. Required. */
  readonly count: number;
}

/**
 * Lets threads wait until N events happened elsewhere (Java's `CountDownLatch`). Not reusable:
 * create a new one, or use a {@link Barrier}, for repeated rounds.
 *
 * @example
 * ```ts
 * const loaded = new CountdownLatch({ count: 2 });
 * // each worker: load(); loaded.countDown();
 * await loaded.wait(60_000); // main thread
 * ```
 */
export class CountdownLatch extends SyncPrimitive<'CountdownLatch'> implements CountdownLatchHandle {
  readonly #cells: Int32Array;

  /** @throws {InvalidOptionError} ERR_INVALID_OPTION for bad `count` or `memory`. */
  constructor(options: CountdownLatchOptions) {
    super('CountdownLatch', WORDS, options);
    const count = options?.count;
    if (!Number.isInteger(count) || count < 0 || count > 0x7fffffff) {
      throw new InvalidOptionError('count', 'an integer from 0 to 2147483647', count);
    }
    this.#cells = this.stateWords;
    if (!this.attached) Atomics.store(this.#cells, COUNT, count);
  }

  /** Rebuilds the live latch from its handle (done for you by `reviveShared`). */
  static fromHandle(handle: CountdownLatchHandle): CountdownLatch {
    const attach = attachOptions(handle, 'CountdownLatch', WORDS);
    const count = Math.max(0, Atomics.load(wordsOf(handle, 'CountdownLatch', WORDS), COUNT));
    return new CountdownLatch({ ...attach, count });
  }

  /** Count-downs still needed (0 once open). */
  get count(): number {
    return Math.max(0, Atomics.load(this.#cells, COUNT));
  }

  /** Counts down by `times` (default 1); at zero, wakes every waiter. Extra calls are harmless. */
  countDown(times = 1): void {
    if (!Number.isInteger(times) || times < 1)
      throw new InvalidOptionError('times', 'a positive integer', times);
    const before = Atomics.sub(this.#cells, COUNT, times);
    if (before > 0 && before - times <= 0) notify(this.#cells, COUNT);
  }

  /**
   * Blocks the calling worker until the count reaches zero.
   *
   * @param timeoutMs - milliseconds to wait; default Infinity.
   * @throws {SyncTimeoutError} ERR_WAIT_TIMEOUT.
   * @throws {BlockingMainThreadError} ERR_BLOCKING_MAIN_THREAD on the main thread.
   */
  waitSync(timeoutMs = Infinity): void {
    assertMayBlock('CountdownLatch.waitSync');
    const deadline = deadlineOf(timeoutMs);
    for (let count = Atomics.load(this.#cells, COUNT); count > 0; count = Atomics.load(this.#cells, COUNT)) {
      if (!waitSync(this.#cells, COUNT, count, deadline)) {
        throw new SyncTimeoutError('CountdownLatch.waitSync', timeoutMs);
      }
    }
  }

  /**
   * Async form of {@link CountdownLatch.waitSync}.
   *
   * @throws {SyncTimeoutError} ERR_WAIT_TIMEOUT (as a rejection).
   */
  async wait(timeoutMs = Infinity): Promise<void> {
    const deadline = deadlineOf(timeoutMs);
    for (let count = Atomics.load(this.#cells, COUNT); count > 0; count = Atomics.load(this.#cells, COUNT)) {
      if (!(await waitAsync(this.#cells, COUNT, count, deadline))) {
        throw new SyncTimeoutError('CountdownLatch.wait', timeoutMs);
      }
    }
  }
}

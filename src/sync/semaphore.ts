/** A counting semaphore over one shared Int32 word. */
import { InvalidOptionError } from '../errors.ts';
import { SyncTimeoutError } from './errors.ts';
import { assertMayBlock, deadlineOf, notify, waitAsync, waitSync } from './futex.ts';
import { attachOptions, SyncPrimitive, type SyncHandle, type SyncOptions } from './sync-handle.ts';

const WORDS = 1;
const COUNT = 0; // permits available; never negative

/** Plain-data form of a {@link Semaphore}; survives structured clone. */
export type SemaphoreHandle = SyncHandle<'Semaphore'>;

/** Options of {@link Semaphore}. */
export interface SemaphoreOptions extends SyncOptions {
  /** Permits available at start, an integer 0 … 2^31-1. Default 1. */
  readonly permits?: number;
}

/**
 * Limits how many threads do something at once: `acquire` takes a permit (waiting for one),
 * `release` returns it.
 *
 * @example
 * ```ts
 * const slots = new Semaphore({ permits: 2 });
 * slots.acquireSync(10_000); // in a worker
 * try { useScarceResource(); } finally { slots.release(); }
 * ```
 */
export class Semaphore extends SyncPrimitive<'Semaphore'> implements SemaphoreHandle {
  readonly #cells: Int32Array;

  /**
   * @throws {InvalidOptionError} ERR_INVALID_OPTION for a bad `permits` or `memory`.
   */
  constructor(options?: SemaphoreOptions) {
    super('Semaphore', WORDS, options);
    const permits = options?.permits ?? 1;
    if (!Number.isInteger(permits) || permits < 0 || permits > 0x7fffffff) {
      throw new InvalidOptionError('permits', 'an integer from 0 to 2147483647', permits);
    }
    this.#cells = this.stateWords;
    if (!this.attached) Atomics.store(this.#cells, COUNT, permits);
  }

  /** Rebuilds the live semaphore from its handle (done for you by `reviveShared`). */
  static fromHandle(handle: SemaphoreHandle): Semaphore {
    return new Semaphore(attachOptions(handle, 'Semaphore', WORDS));
  }

  /** Permits available now (a snapshot). */
  get available(): number {
    return Atomics.load(this.#cells, COUNT);
  }

  /** Takes a permit if one is available, without waiting. */
  tryAcquire(): boolean {
    for (;;) {
      const count = Atomics.load(this.#cells, COUNT);
      if (count <= 0) return false;
      if (Atomics.compareExchange(this.#cells, COUNT, count, count - 1) === count) return true;
    }
  }

  /**
   * Blocks the calling worker until a permit is available and takes it.
   *
   * @param timeoutMs - milliseconds to wait; default Infinity.
   * @throws {SyncTimeoutError} ERR_WAIT_TIMEOUT.
   * @throws {BlockingMainThreadError} ERR_BLOCKING_MAIN_THREAD on the main thread.
   */
  acquireSync(timeoutMs = Infinity): void {
    assertMayBlock('Semaphore.acquireSync');
    const deadline = deadlineOf(timeoutMs);
    while (!this.tryAcquire()) {
      if (!waitSync(this.#cells, COUNT, 0, deadline))
        throw new SyncTimeoutError('Semaphore.acquireSync', timeoutMs);
    }
  }

  /**
   * Async form of {@link Semaphore.acquireSync}.
   *
   * @throws {SyncTimeoutError} ERR_WAIT_TIMEOUT (as a rejection).
   */
  async acquire(timeoutMs = Infinity): Promise<void> {
    const deadline = deadlineOf(timeoutMs);
    while (!this.tryAcquire()) {
      if (!(await waitAsync(this.#cells, COUNT, 0, deadline))) {
        throw new SyncTimeoutError('Semaphore.acquire', timeoutMs);
      }
    }
  }

  /**
   * Returns `permits` permits (default 1) and wakes as many waiters.
   *
   * @throws {InvalidOptionError} ERR_INVALID_OPTION unless permits is a positive integer.
   */
  release(permits = 1): void {
    if (!Number.isInteger(permits) || permits < 1) {
      throw new InvalidOptionError('permits', 'a positive integer', permits);
    }
    Atomics.add(this.#cells, COUNT, permits);
    notify(this.#cells, COUNT, permits);
  }
}

/** A one-word flag threads can wait on (Python's `threading.Event`). */
import { SyncTimeoutError } from './errors.ts';
import { assertMayBlock, deadlineOf, notify, waitAsync, waitSync } from './futex.ts';
import { attachOptions, SyncPrimitive, type SyncHandle, type SyncOptions } from './sync-handle.ts';

const WORDS = 1;
const FLAG = 0; // 0 clear, 1 set

/** Plain-data form of an {@link Event}; survives structured clone. */
export type EventHandle = SyncHandle<'Event'>;

/**
 * A flag that starts clear; `set()` wakes every waiter, and waits return at once while it stays
 * set. Named after Python's `threading.Event`; it is not the DOM `Event` global.
 *
 * @example
 * ```ts
 * const ready = new Event();
 * // worker: ready.waitSync(10_000); start();
 * ready.set(); // main thread
 * ```
 */
export class Event extends SyncPrimitive<'Event'> implements EventHandle {
  readonly #cells: Int32Array;

  /** @throws {InvalidOptionError} ERR_INVALID_OPTION when `memory` is unusable. */
  constructor(options?: SyncOptions) {
    super('Event', WORDS, options);
    this.#cells = this.stateWords;
    if (!this.attached) Atomics.store(this.#cells, FLAG, 0);
  }

  /** Rebuilds the live event from its handle (done for you by `reviveShared`). */
  static fromHandle(handle: EventHandle): Event {
    return new Event(attachOptions(handle, 'Event', WORDS));
  }

  /** True while set. */
  get isSet(): boolean {
    return Atomics.load(this.#cells, FLAG) === 1;
  }

  /** Sets the flag and wakes every waiter. */
  set(): void {
    Atomics.store(this.#cells, FLAG, 1);
    notify(this.#cells, FLAG);
  }

  /** Clears the flag; later waits block until the next `set()`. */
  clear(): void {
    Atomics.store(this.#cells, FLAG, 0);
  }

  /**
   * Blocks the calling worker until the flag is set.
   *
   * @param timeoutMs - milliseconds to wait; default Infinity.
   * @throws {SyncTimeoutError} ERR_WAIT_TIMEOUT.
   * @throws {BlockingMainThreadError} ERR_BLOCKING_MAIN_THREAD on the main thread.
   */
  waitSync(timeoutMs = Infinity): void {
    assertMayBlock('Event.waitSync');
    const deadline = deadlineOf(timeoutMs);
    while (Atomics.load(this.#cells, FLAG) === 0) {
      if (!waitSync(this.#cells, FLAG, 0, deadline)) throw new SyncTimeoutError('Event.waitSync', timeoutMs);
    }
  }

  /**
   * Async form of {@link Event.waitSync}.
   *
   * @throws {SyncTimeoutError} ERR_WAIT_TIMEOUT (as a rejection).
   */
  async wait(timeoutMs = Infinity): Promise<void> {
    const deadline = deadlineOf(timeoutMs);
    while (Atomics.load(this.#cells, FLAG) === 0) {
      if (!(await waitAsync(this.#cells, FLAG, 0, deadline)))
        throw new SyncTimeoutError('Event.wait', timeoutMs);
    }
  }
}

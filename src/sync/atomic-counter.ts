/** A shared 32-bit integer with atomic read-modify-write operations. */
import { InvalidOptionError } from '../errors.ts';
import { attachOptions, SyncPrimitive, type SyncHandle, type SyncOptions } from './sync-handle.ts';

const WORDS = 1;
const VALUE = 0;

/** Plain-data form of an {@link AtomicCounter}; survives structured clone. */
export type AtomicCounterHandle = SyncHandle<'AtomicCounter'>;

/** Options of {@link AtomicCounter}. */
export interface AtomicCounterOptions extends SyncOptions {
  /** Starting value, a 32-bit signed integer. Default 0. */
  readonly initial?: number;
}

/**
 * A counter every thread can update without a lock. Values are 32-bit signed integers and wrap
 * around like C's int32 (2147483647 + 1 → -2147483648); for larger totals keep one counter per
 * worker and add them up, or sum into a BigInt64 SharedArray.
 *
 * @example
 * ```ts
 * const done = new AtomicCounter();
 * // in each worker, per item: done.increment();
 * console.log(done.value);
 * ```
 */
export class AtomicCounter extends SyncPrimitive<'AtomicCounter'> implements AtomicCounterHandle {
  readonly #cells: Int32Array;

  /** @throws {InvalidOptionError} ERR_INVALID_OPTION for a bad `initial` or `memory`. */
  constructor(options?: AtomicCounterOptions) {
    super('AtomicCounter', WORDS, options);
    const initial = options?.initial ?? 0;
    if (!Number.isInteger(initial) || initial < -0x80000000 || initial > 0x7fffffff) {
      throw new InvalidOptionError('initial', 'a 32-bit signed integer', initial);
    }
    this.#cells = this.stateWords;
    if (!this.attached) Atomics.store(this.#cells, VALUE, initial);
  }

  /** Rebuilds the live counter from its handle (done for you by `reviveShared`). */
  static fromHandle(handle: AtomicCounterHandle): AtomicCounter {
    return new AtomicCounter(attachOptions(handle, 'AtomicCounter', WORDS));
  }

  /** The current value. */
  get value(): number {
    return Atomics.load(this.#cells, VALUE);
  }

  /** Replaces the value. */
  set value(value: number) {
    Atomics.store(this.#cells, VALUE, value);
  }

  /** Adds `delta` (default 1) and returns the new value. */
  add(delta = 1): number {
    return (Atomics.add(this.#cells, VALUE, delta) + delta) | 0;
  }

  /** Adds 1 and returns the new value. */
  increment(): number {
    return (Atomics.add(this.#cells, VALUE, 1) + 1) | 0;
  }

  /** Subtracts 1 and returns the new value. */
  decrement(): number {
    return (Atomics.sub(this.#cells, VALUE, 1) - 1) | 0;
  }

  /** Sets `value` and returns the previous one. */
  exchange(value: number): number {
    return Atomics.exchange(this.#cells, VALUE, value);
  }

  /** Sets `replacement` only if the value is `expected`; returns the value seen (== expected on success). */
  compareExchange(expected: number, replacement: number): number {
    return Atomics.compareExchange(this.#cells, VALUE, expected, replacement);
  }
}

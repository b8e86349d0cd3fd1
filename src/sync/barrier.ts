/**
 * A reusable barrier: `parties` threads wait until all have arrived, then all go on together.
 *
 * State: COUNT (arrivals in the current generation) and PHASE, whose low 30 bits are the
 * generation and whose bit 30 is the "broken" flag. Keeping both in one word is what makes
 * breaking race-free: a waiter sleeps on the exact PHASE value it saw, so setting the flag
 * changes the word and no waiter can miss it between its check and its sleep.
 */
import { InvalidOptionError } from '../errors.ts';
import { BarrierBrokenError, SyncTimeoutError } from './errors.ts';
import { assertMayBlock, deadlineOf, notify, waitAsync, waitSync } from './futex.ts';
import { attachOptions, SyncPrimitive, wordsOf, type SyncHandle, type SyncOptions } from './sync-handle.ts';

const WORDS = 3;
const COUNT = 0;
const PHASE = 1;
const PARTIES = 2;
const BROKEN_BIT = 1 << 30;
const GENERATION_MASK = BROKEN_BIT - 1;

/** Plain-data form of a {@link Barrier}; survives structured clone. */
export type BarrierHandle = SyncHandle<'Barrier'>;

/** Options of {@link Barrier}. */
export interface BarrierOptions extends SyncOptions {
  /** How many threads must call `wait` before any of them goes on; integer >= 1. Required. */
  readonly parties: number;
}

/** Anything that emits 'exit' when a party dies: a `Worker`, a `ChildProcess`. */
export interface ExitEmitter {
  once(event: 'exit', listener: () => void): unknown;
  off(event: 'exit', listener: () => void): unknown;
}

/**
 * A reusable barrier with timeouts and breaking. A wait that times out breaks the barrier (the
 * other waiters fail at once with `BarrierBrokenError` instead of each waiting out its own
 * timeout); so do {@link Barrier.abort} and the exit of a worker registered with
 * {@link Barrier.abortOnExit}.
 *
 * @example
 * ```ts
 * const barrier = new Barrier({ parties: 3 });
 * barrier.abortOnExit(worker1); barrier.abortOnExit(worker2);
 * // in each worker, per step: compute(); barrier.waitSync(30_000);
 * await barrier.wait(30_000); // the main thread as the third party
 * ```
 */
export class Barrier extends SyncPrimitive<'Barrier'> implements BarrierHandle {
  readonly #cells: Int32Array;

  /** @throws {InvalidOptionError} ERR_INVALID_OPTION for bad `parties` or `memory`. */
  constructor(options: BarrierOptions) {
    super('Barrier', WORDS, options);
    const parties = options?.parties;
    if (!Number.isInteger(parties) || parties < 1 || parties > 0x7fffffff) {
      throw new InvalidOptionError('parties', 'an integer >= 1', parties);
    }
    this.#cells = this.stateWords;
    if (!this.attached) {
      Atomics.store(this.#cells, COUNT, 0);
      Atomics.store(this.#cells, PHASE, 0);
      Atomics.store(this.#cells, PARTIES, parties);
    }
  }

  /** Rebuilds the live barrier from its handle (done for you by `reviveShared`). */
  static fromHandle(handle: BarrierHandle): Barrier {
    const attach = attachOptions(handle, 'Barrier', WORDS);
    return new Barrier({ ...attach, parties: Atomics.load(wordsOf(handle, 'Barrier', WORDS), PARTIES) });
  }

  /** Threads needed to pass. */
  get parties(): number {
    return Atomics.load(this.#cells, PARTIES);
  }

  /** Threads waiting in the current generation (a snapshot). */
  get waiting(): number {
    return Atomics.load(this.#cells, COUNT);
  }

  /** Completed generations, modulo 2^30. */
  get generation(): number {
    return Atomics.load(this.#cells, PHASE) & GENERATION_MASK;
  }

  /** True once a timeout, `abort()` or a registered exit broke the barrier, until `reset()`. */
  get broken(): boolean {
    return (Atomics.load(this.#cells, PHASE) & BROKEN_BIT) !== 0;
  }

  /**
   * Blocks the calling worker until all parties have arrived.
   *
   * @param timeoutMs - milliseconds to wait; default Infinity. On timeout the barrier breaks.
   * @returns the arrival index, 0 … parties-1 (parties-1 for the thread that arrived last).
   * @throws {BarrierBrokenError} ERR_BARRIER_BROKEN when broken before or during the wait.
   * @throws {SyncTimeoutError} ERR_WAIT_TIMEOUT for the waiter that timed out.
   * @throws {BlockingMainThreadError} ERR_BLOCKING_MAIN_THREAD on the main thread.
   */
  waitSync(timeoutMs = Infinity): number {
    assertMayBlock('Barrier.waitSync');
    const deadline = deadlineOf(timeoutMs);
    const arrival = this.#arrive();
    if (arrival.passed) return arrival.index;
    for (;;) {
      const phase = Atomics.load(this.#cells, PHASE);
      if (this.#settled(phase, arrival.phase)) return arrival.index;
      if (!waitSync(this.#cells, PHASE, phase, deadline)) {
        this.#onTimeout(arrival.phase, 'Barrier.waitSync', timeoutMs);
        return arrival.index;
      }
    }
  }

  /**
   * Async form of {@link Barrier.waitSync}, for the main thread; same results and errors.
   */
  async wait(timeoutMs = Infinity): Promise<number> {
    const deadline = deadlineOf(timeoutMs);
    const arrival = this.#arrive();
    if (arrival.passed) return arrival.index;
    for (;;) {
      const phase = Atomics.load(this.#cells, PHASE);
      if (this.#settled(phase, arrival.phase)) return arrival.index;
      if (!(await waitAsync(this.#cells, PHASE, phase, deadline))) {
        this.#onTimeout(arrival.phase, 'Barrier.wait', timeoutMs);
        return arrival.index;
      }
    }
  }

  /** Breaks the barrier: current and future waiters fail with BarrierBrokenError until `reset()`. */
  abort(): void {
    Atomics.or(this.#cells, PHASE, BROKEN_BIT);
    notify(this.#cells, PHASE);
  }

  /**
   * Breaks the barrier when `party` (a Worker or ChildProcess taking part) emits 'exit', so the
   * survivors fail fast instead of waiting forever. Returns a function that stops watching.
   */
  abortOnExit(party: ExitEmitter): () => void {
    const onExit = (): void => this.abort();
    party.once('exit', onExit);
    return () => void party.off('exit', onExit);
  }

  /**
   * Mends a broken barrier and starts a new generation. Call it only when no thread is waiting
   * (a waiter during reset would take the new generation for its own and pass).
   */
  reset(): void {
    Atomics.store(this.#cells, COUNT, 0);
    const phase = Atomics.load(this.#cells, PHASE);
    Atomics.store(this.#cells, PHASE, ((phase & GENERATION_MASK) + 1) & GENERATION_MASK);
    notify(this.#cells, PHASE);
  }

  #arrive(): { index: number; phase: number; passed: boolean } {
    const phase = Atomics.load(this.#cells, PHASE);
    if ((phase & BROKEN_BIT) !== 0) throw new BarrierBrokenError();
    const index = Atomics.add(this.#cells, COUNT, 1);
    if (index + 1 < this.parties) return { index, phase, passed: false };
    // Last to arrive: open the gate. COUNT is reset before PHASE moves, so a thread that passes
    // and re-enters at once counts toward the next generation.
    Atomics.store(this.#cells, COUNT, 0);
    const next = ((phase & GENERATION_MASK) + 1) & GENERATION_MASK;
    if (Atomics.compareExchange(this.#cells, PHASE, phase, next) !== phase) throw new BarrierBrokenError();
    notify(this.#cells, PHASE);
    return { index, phase, passed: true };
  }

  /** True if our generation completed; throws if it was broken instead. */
  #settled(phase: number, arrivedIn: number): boolean {
    if ((phase & GENERATION_MASK) !== (arrivedIn & GENERATION_MASK)) return true;
    if ((phase & BROKEN_BIT) !== 0) throw new BarrierBrokenError();
    return false;
  }

  /** Returns if the generation completed just as we timed out; otherwise breaks and throws. */
  #onTimeout(arrivedIn: number, method: string, timeoutMs: number): void {
    if (this.#settled(Atomics.load(this.#cells, PHASE), arrivedIn)) return;
    this.abort();
    throw new SyncTimeoutError(method, timeoutMs);
  }
}

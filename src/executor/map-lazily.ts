/**
 * The lazy, bounded `map` behind every executor.
 *
 *   inputs ──pull (only while the window has room)──► chunk ──submit──► futures in flight
 *                                                                          │
 *   caller ◄── yield (in input order, or as completed) ◄── results ◄───────┘
 *
 * Memory is bounded by the window: at most `window` chunks are in flight or finished but not
 * yet consumed, so a 10-million-item generator never sits in memory. Chunk size follows the
 * measured time of one item (see chunkSizeFor): tiny items travel thousands to a message,
 * long ones one at a time so that uneven work stays balanced across workers.
 */
import { CancelledError, InvalidOptionError } from '../errors.ts';
import type { Future } from './future.ts';

/** Options of `map` and `starmap`. */
export interface MapOptions {
  /** Yield results in input order (true) or as they complete (false). Default true. */
  readonly ordered?: boolean;
  /** Items per task message; `'auto'` sizes chunks from measured run time. Default 'auto'. */
  readonly chunkSize?: number | 'auto';
  /** Most chunks in flight or waiting to be consumed. Default 4 × workers. */
  readonly window?: number;
  /** Stops the map: queued chunks are dropped, running ones stopped; the iterator throws ERR_TASK_CANCELLED. */
  readonly signal?: AbortSignal;
}

/** A chunk should run about this long (ms): long enough to amortise a message, short enough to balance. */
const TARGET_CHUNK_MS = 2;
/** Largest automatic chunk; bounds memory and a chunk's result message. */
const MAX_CHUNK = 16_384;

interface MapRun {
  readonly inputs: Iterable<unknown> | AsyncIterable<unknown>;
  readonly options: MapOptions;
  readonly mode: 1 | 2;
  readonly workers: number;
  readonly meanItemMs: () => number;
  readonly submitChunk: (items: unknown[]) => Future<unknown>;
}

export function chunkSizeFor(meanItemMs: number, chunksSoFar: number, workers: number): number {
  // Until one chunk has been timed, probe with single items (one per worker).
  if (Number.isNaN(meanItemMs) || chunksSoFar < workers) return 1;
  return Math.max(1, Math.min(MAX_CHUNK, Math.floor(TARGET_CHUNK_MS / Math.max(meanItemMs, 1e-6))));
}

function validate(options: MapOptions): void {
  const { chunkSize, window, ordered, signal } = options;
  if (chunkSize !== undefined && chunkSize !== 'auto' && !(Number.isInteger(chunkSize) && chunkSize >= 1)) {
    throw new InvalidOptionError('chunkSize', 'an integer >= 1 or "auto"', chunkSize);
  }
  if (window !== undefined && !(Number.isInteger(window) && window >= 1)) {
    throw new InvalidOptionError('window', 'an integer >= 1', window);
  }
  if (ordered !== undefined && typeof ordered !== 'boolean') {
    throw new InvalidOptionError('ordered', 'a boolean', ordered);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidOptionError('signal', 'an AbortSignal', signal);
  }
}

export function mapLazily(run: MapRun): AsyncIterableIterator<unknown> {
  validate(run.options);
  return new LazyMap(run);
}

/**
 * The iterator behind `map`. Hand-written rather than an async generator: a generator costs a
 * few promise hops per yielded item, which caps a map of tiny items near 2M items/s; here an
 * item already received costs one resolved promise.
 */
class LazyMap implements AsyncIterableIterator<unknown> {
  readonly #run: MapRun;
  readonly #ordered: boolean;
  readonly #window: number;
  #source: ItemSource | undefined;
  readonly #inFlight = new Map<number, Future<unknown>>();
  readonly #finished = new Map<number, unknown[]>();
  readonly #completionOrder: number[] = [];
  /** The results being handed out, and the position of the next one. */
  #current: unknown[] = [];
  #position = 0;
  #wake: (() => void) | undefined;
  #failure: { error: unknown } | undefined;
  #exhausted = false;
  #closed = false;
  #submitted = 0;
  #nextToYield = 0;
  /** A slow `next()` under way: later calls queue behind it, so results keep their order. */
  #busy: Promise<IteratorResult<unknown>> | undefined;
  readonly #onAbort = (): void => {
    this.#failure ??= { error: this.#aborted() };
    this.#wake?.();
  };

  constructor(run: MapRun) {
    this.#run = run;
    this.#ordered = run.options.ordered ?? true;
    this.#window = run.options.window ?? run.workers * 4;
    run.options.signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<unknown>> {
    if (this.#busy === undefined && this.#position < this.#current.length) {
      return Promise.resolve({ value: this.#current[this.#position++], done: false });
    }
    const after = this.#busy;
    const next = after === undefined ? this.#slowNext() : after.then(() => this.next());
    this.#busy = next;
    const clear = (): void => {
      if (this.#busy === next) this.#busy = undefined;
    };
    next.then(clear, clear);
    return next;
  }

  async return(): Promise<IteratorResult<unknown>> {
    await this.#close();
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<unknown>> {
    await this.#close();
    throw error;
  }

  #aborted(): CancelledError {
    return new CancelledError('The map was cancelled by its AbortSignal.', {
      cause: this.#run.options.signal?.reason,
    });
  }

  async #slowNext(): Promise<IteratorResult<unknown>> {
    try {
      if (this.#run.options.signal?.aborted === true) throw this.#aborted();
      for (;;) {
        if (this.#closed) return { value: undefined, done: true };
        if (this.#position < this.#current.length)
          return { value: this.#current[this.#position++], done: false };
        await this.#fillWindow();
        if (this.#failure !== undefined) throw this.#failure.error;
        const ready = this.#ordered
          ? this.#finished.has(this.#nextToYield)
            ? this.#nextToYield
            : undefined
          : this.#completionOrder.shift();
        if (ready !== undefined) {
          this.#current = this.#finished.get(ready) as unknown[];
          this.#position = 0;
          this.#finished.delete(ready);
          if (this.#ordered) this.#nextToYield += 1;
          continue;
        }
        if (this.#exhausted && this.#inFlight.size === 0 && this.#finished.size === 0) {
          await this.#close();
          return { value: undefined, done: true };
        }
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
      }
    } catch (error) {
      await this.#close();
      throw error;
    }
  }

  async #fillWindow(): Promise<void> {
    const { options, workers } = this.#run;
    this.#source ??= toItemSource(this.#run.inputs);
    while (
      !this.#exhausted &&
      this.#failure === undefined &&
      this.#inFlight.size + this.#finished.size < this.#window
    ) {
      const size =
        options.chunkSize === undefined || options.chunkSize === 'auto'
          ? chunkSizeFor(this.#run.meanItemMs(), this.#submitted, workers)
          : options.chunkSize;
      const items = await this.#source.take(size);
      if (items.length < size) this.#exhausted = true;
      if (items.length === 0 || this.#closed) break;
      const index = this.#submitted++;
      const future = this.#run.submitChunk(items);
      this.#inFlight.set(index, future);
      future.then(
        (results) => {
          this.#inFlight.delete(index);
          this.#finished.set(index, results as unknown[]);
          this.#completionOrder.push(index);
          this.#wake?.();
        },
        (error: unknown) => {
          this.#inFlight.delete(index);
          this.#failure ??= { error };
          this.#wake?.();
        },
      );
    }
  }

  /** Stopped (end, break, error, abort): drop chunks still queued; on abort also stop running ones. */
  async #close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#current = [];
    this.#finished.clear();
    const { signal } = this.#run.options;
    signal?.removeEventListener('abort', this.#onAbort);
    const stopRunning = signal?.aborted === true;
    for (const future of this.#inFlight.values()) {
      future.catch(() => undefined);
      if (stopRunning || future.state === 'pending') future.cancel(this.#failure?.error);
    }
    await this.#source?.close();
  }
}

interface ItemSource {
  /** Up to `count` next items; fewer only at the end. Sync sources are read without awaiting per item. */
  take(count: number): Promise<unknown[]> | unknown[];
  close(): Promise<unknown> | undefined;
}

function toItemSource(inputs: Iterable<unknown> | AsyncIterable<unknown>): ItemSource {
  if (Array.isArray(inputs)) {
    const array = inputs as readonly unknown[];
    let position = 0;
    return {
      take: (count) => array.slice(position, (position += count)),
      close: () => undefined,
    };
  }
  if (typeof inputs === 'object' && inputs !== null && Symbol.asyncIterator in inputs) {
    const iterator = inputs[Symbol.asyncIterator]();
    return {
      take: async (count) => {
        const items: unknown[] = [];
        while (items.length < count) {
          const next = await iterator.next();
          if (next.done === true) break;
          items.push(next.value);
        }
        return items;
      },
      close: () => iterator.return?.(),
    };
  }
  if (typeof inputs === 'object' && inputs !== null && Symbol.iterator in inputs) {
    const iterator = inputs[Symbol.iterator]();
    return {
      take: (count) => {
        const items: unknown[] = [];
        while (items.length < count) {
          const next = iterator.next();
          if (next.done === true) break;
          items.push(next.value);
        }
        return items;
      },
      close: () => {
        iterator.return?.();
        return undefined;
      },
    };
  }
  throw new InvalidOptionError('inputs', 'an array, an iterable or an async iterable', inputs);
}

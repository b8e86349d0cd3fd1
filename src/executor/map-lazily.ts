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

export function mapLazily(run: MapRun): AsyncGenerator<unknown, void, undefined> {
  validate(run.options);
  return iterate(run);
}

async function* iterate(run: MapRun): AsyncGenerator<unknown, void, undefined> {
  const { options, workers } = run;
  const ordered = options.ordered ?? true;
  const window = options.window ?? workers * 4;
  const source = toItemSource(run.inputs);
  const inFlight = new Map<number, Future<unknown>>();
  const finished = new Map<number, unknown[]>();
  const completionOrder: number[] = [];
  let wake: (() => void) | undefined;
  let failure: { error: unknown } | undefined;
  let exhausted = false;
  let submitted = 0;
  let nextToYield = 0;
  const aborted = (): CancelledError =>
    new CancelledError('The map was cancelled by its AbortSignal.', { cause: options.signal?.reason });
  const onAbort = (): void => {
    failure ??= { error: aborted() };
    wake?.();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const fillWindow = async (): Promise<void> => {
    while (!exhausted && failure === undefined && inFlight.size + finished.size < window) {
      const size =
        options.chunkSize === undefined || options.chunkSize === 'auto'
          ? chunkSizeFor(run.meanItemMs(), submitted, workers)
          : options.chunkSize;
      const items = await source.take(size);
      if (items.length < size) exhausted = true;
      if (items.length === 0) break;
      const index = submitted++;
      const future = run.submitChunk(items);
      inFlight.set(index, future);
      future.then(
        (results) => {
          inFlight.delete(index);
          finished.set(index, results as unknown[]);
          completionOrder.push(index);
          wake?.();
        },
        (error: unknown) => {
          inFlight.delete(index);
          failure ??= { error };
          wake?.();
        },
      );
    }
  };

  try {
    if (options.signal?.aborted === true) throw aborted();
    for (;;) {
      await fillWindow();
      if (failure !== undefined) throw failure.error;
      const ready = ordered ? (finished.has(nextToYield) ? nextToYield : undefined) : completionOrder.shift();
      if (ready !== undefined) {
        const results = finished.get(ready) as unknown[];
        finished.delete(ready);
        if (ordered) nextToYield += 1;
        for (const result of results) yield result;
        continue;
      }
      if (exhausted && inFlight.size === 0 && finished.size === 0) return;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    // Stopped early (break, error, abort): drop chunks still queued; on abort also stop running ones.
    const stopRunning = options.signal?.aborted === true;
    for (const future of inFlight.values()) {
      future.catch(() => undefined);
      if (stopRunning || future.state === 'pending') future.cancel(failure?.error);
    }
    await source.close();
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

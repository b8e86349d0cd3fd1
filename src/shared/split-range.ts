/** Splitting an index range into per-worker pieces, and running a task on each piece. */
import { availableParallelism } from 'node:os';
import { InvalidOptionError } from '../errors.ts';

/** A half-open index range `[start, end)`. */
export interface IndexRange {
  readonly start: number;
  readonly end: number;
}

/** Options of {@link splitRange} and {@link mapRanges}. */
export interface SplitOptions {
  /** Number of pieces; integer >= 1. Default `os.availableParallelism()` (one per core). */
  readonly parts?: number;
  /**
   * Every boundary except the last is a multiple of this many elements. Default 1. Use e.g.
   * 64 / BYTES_PER_ELEMENT so two workers never write the same cache line (false sharing).
   */
  readonly align?: number;
}

/**
 * Splits `[0, length)` into at most `parts` contiguous, non-empty ranges of near-equal size
 * (sizes differ by at most `align`), in order. Fewer ranges come back when there are fewer
 * aligned blocks than parts; none for length 0.
 *
 * @throws {InvalidOptionError} ERR_INVALID_OPTION for a negative length, or bad parts/align.
 * @example
 * ```ts
 * splitRange(10, { parts: 3 }); // [{start:0,end:4},{start:4,end:7},{start:7,end:10}]
 * ```
 */
export function splitRange(length: number, options?: SplitOptions): IndexRange[] {
  const parts = options?.parts ?? availableParallelism();
  const align = options?.align ?? 1;
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new InvalidOptionError('length', 'a non-negative safe integer', length);
  }
  if (!Number.isInteger(parts) || parts < 1) throw new InvalidOptionError('parts', 'an integer >= 1', parts);
  if (!Number.isInteger(align) || align < 1) throw new InvalidOptionError('align', 'an integer >= 1', align);
  const blocks = Math.ceil(length / align);
  const pieces = Math.min(parts, blocks);
  const ranges: IndexRange[] = [];
  for (let i = 0; i < pieces; i++) {
    // Integer block boundaries spread the remainder over the first pieces.
    const start = Math.min(length, Math.floor((blocks * i) / pieces) * align);
    const end = Math.min(length, Math.floor((blocks * (i + 1)) / pieces) * align);
    ranges.push({ start, end });
  }
  return ranges;
}

/**
 * Splits `[0, array.length)` with {@link splitRange} and calls `run(range, index)` for every
 * piece at once — typically submitting a task to a pool — then waits for all of them.
 *
 * @returns the results in range order.
 * @throws whatever `run` throws or rejects with (the first rejection; the others still run).
 * @example
 * ```ts
 * const sums = await mapRanges(data, ({ start, end }) => pool.submit(t.sumRange, data, start, end));
 * ```
 */
export async function mapRanges<R>(
  array: { readonly length: number },
  run: (range: IndexRange, index: number) => R | PromiseLike<R>,
  options?: SplitOptions,
): Promise<R[]> {
  return await Promise.all(splitRange(array.length, options).map((range, index) => run(range, index)));
}

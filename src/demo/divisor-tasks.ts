/**
 * The divisor workload (from the literature on Python's GIL): for a query n, sum the number of
 * divisors of every element x <= n of a common array. Task functions run in workers; the
 * array is a SharedArray, so every worker reads the same memory and none copies it.
 */
import type { SharedArray } from '../shared/shared-array.ts';

/** Number of divisors of x by trial division up to √x (0 for x < 1). */
export function countDivisors(x: number): number {
  let count = 0;
  for (let d = 1; d * d <= x; d += 1) {
    if (x % d === 0) count += d * d === x ? 1 : 2;
  }
  return count;
}

/**
 * The query over elements [start, end) of the array: sum of countDivisors(x) over x <= n.
 * Kept apart from the loop that calls it so V8 optimises the hot loop on its own.
 */
export function divisorQuery(data: Int32Array, n: number, start = 0, end = data.length): number {
  let total = 0;
  for (let i = start; i < end; i += 1) {
    const x = data[i] as number;
    if (x <= n) total += countDivisors(x);
  }
  return total;
}

/** The query over elements [start, end) of a shared array of any size (scanned chunk by chunk). */
export function divisorQueryShared(
  data: SharedArray<'Int32'>,
  n: number,
  start = 0,
  end = data.length,
): number {
  let total = 0;
  for (const [chunk] of data.chunks(start, end)) total += divisorQuery(chunk, n);
  return total;
}

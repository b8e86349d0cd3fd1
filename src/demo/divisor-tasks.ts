/**
 * The divisor workload (from the literature on Python's GIL): for a query n, sum the number of
 * divisors of every element x <= n of a common array. Task functions run in workers; the
 * array is shared (a SharedArrayBuffer), so no worker copies it.
 */

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

/** The task form: the array's shared memory, a query, and the element range to scan. */
export function divisorQueryTask(buffer: SharedArrayBuffer, n: number, start: number, end: number): number {
  return divisorQuery(new Int32Array(buffer), n, start, end);
}

// The work every contender runs, as plain JS so each library measures the same machine code.
// Each task takes ONE payload: piscina, tinypool and poolifier hand a task exactly one value,
// so a positional argument list would cost them an extra array that manycore would not pay.
// manycore, piscina and tinypool load this module directly (named exports); workerpool and
// poolifier load thin registration wrappers around it.

/** (a), (a'), (b), (e): the trivial task. */
export function inc(value) {
  return value + 1;
}

/**
 * (c): the sum, over the elements x <= limit of the shared array, of the number of divisors of x.
 * The hot loop lives in its own functions (code inlined next to it slowed it ~12% on Node 20).
 */
export function divisorSum(query) {
  return sumDivisorCounts(new Int32Array(query.shared), query.limit);
}

export function sumDivisorCounts(values, limit) {
  let total = 0;
  for (let index = 0; index < values.length; index += 1) {
    const x = values[index];
    if (x <= limit) total += countDivisors(x);
  }
  return total;
}

/** Trial division up to sqrt(x); 0 has no divisors counted. */
export function countDivisors(x) {
  let count = 0;
  for (let d = 1; d * d <= x; d += 1) {
    if (x % d === 0) count += d * d === x ? 1 : 2;
  }
  return count;
}

/** (d): sums a Float64Array (copied, transferred or shared: the kernel cannot tell). */
export function sum(array) {
  let total = 0;
  for (let index = 0; index < array.length; index += 1) total += array[index];
  return total;
}

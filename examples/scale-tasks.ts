/**
 * A task for `manycore scale`: the number of divisors of every integer in [from, from + count),
 * summed. Each input is one independent, CPU-bound piece of work (tens of ms).
 *
 *   npx manycore scale examples/scale-tasks.ts#divisorSum --inputs examples/scale-inputs.json --workers 1,2,4
 */
import { countDivisors } from '../src/demo/divisor-tasks.ts';

export function divisorSum(range: { from: number; count: number }): number {
  let total = 0;
  for (let x = range.from; x < range.from + range.count; x += 1) total += countDivisors(x);
  return total;
}

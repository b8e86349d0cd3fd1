/** The demo's input: a seeded array of integers and the 13 queries of the reference experiment. */
import { createSeededRandom } from '../measure/statistics.ts';
import { SharedArray } from '../shared/shared-array.ts';

/** k values of the reference experiment; the queries are n = 100,000 · k. */
export const QUERY_FACTORS = [1, 4, 1, 2, 4, 5, 1, 1, 2, 3, 4, 1, 2] as const;

/** `elements` integers uniform in [0, maxValue], in a shared array (any size memory allows). */
export function makeSharedData(elements: number, seed: number, maxValue = 1_000_000): SharedArray<'Int32'> {
  const data = SharedArray.create('Int32', elements);
  const random = createSeededRandom(seed); // mulberry32: the same array on every machine
  for (const [chunk] of data.chunks()) fillRandom(chunk, random, maxValue);
  return data;
}

function fillRandom(chunk: Int32Array, random: () => number, maxValue: number): void {
  for (let i = 0; i < chunk.length; i += 1) chunk[i] = Math.floor(random() * (maxValue + 1));
}

export function queries(): number[] {
  return QUERY_FACTORS.map((k) => 100_000 * k);
}

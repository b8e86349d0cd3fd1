/** The demo's input: a seeded array of integers and the 13 queries of the reference experiment. */

/** k values of the reference experiment; the queries are n = 100,000 · k. */
export const QUERY_FACTORS = [1, 4, 1, 2, 4, 5, 1, 1, 2, 3, 4, 1, 2] as const;

/** mulberry32: a small, fast, seeded PRNG (same sequence on every machine). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `elements` integers uniform in [0, maxValue], in shared memory. */
export function makeSharedData(elements: number, seed: number, maxValue = 1_000_000): Int32Array {
  const data = new Int32Array(new SharedArrayBuffer(elements * Int32Array.BYTES_PER_ELEMENT));
  const random = mulberry32(seed);
  for (let i = 0; i < elements; i += 1) data[i] = Math.floor(random() * (maxValue + 1));
  return data;
}

export function queries(): number[] {
  return QUERY_FACTORS.map((k) => 100_000 * k);
}

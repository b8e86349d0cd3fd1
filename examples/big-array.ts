/**
 * A 6 GiB Float64 shared array (805 million elements, past the 4 GiB a Node-API buffer or a
 * growable SharedArrayBuffer can hold) filled in parallel by the pool's workers, then checked on
 * the main thread. Peak RSS stays near 6 GiB: workers and main thread share one copy of the data.
 *
 *   npx tsx examples/big-array.ts [gibibytes]
 */
import { readFileSync } from 'node:fs';
import { ThreadPool, tasksOf } from '../src/index.ts';
import { mapRanges, SharedArray } from '../src/shared/index.ts';

const gibibytes = Number(process.argv[2] ?? 6);
const length = (gibibytes * 2 ** 30) / Float64Array.BYTES_PER_ELEMENT;

/** Sum of `i % 1000` for i in [0, n): the checksum the workers' writes must produce. */
function expectedSum(n: number): number {
  const cycles = Math.floor(n / 1000);
  const rest = n % 1000;
  return cycles * 499_500 + (rest * (rest - 1)) / 2;
}

function sumChunk(chunk: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < chunk.length; i++) sum += chunk[i]!;
  return sum;
}

function peakRssGiB(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return Number(match?.[1] ?? NaN) / 2 ** 20;
}

const t = tasksOf<typeof import('./big-array-tasks.ts')>(new URL('./big-array-tasks.ts', import.meta.url));
const pool = new ThreadPool({ workers: 2 });
try {
  const started = performance.now();
  const data = SharedArray.create('Float64', length);
  // One range per worker; each task gets the array itself as an ordinary argument (zero copy).
  const written = await mapRanges(data, ({ start, end }) => pool.submit(t.fillRange, data, start, end), {
    parts: 2,
  });
  const filled = performance.now();
  let sum = 0;
  for (const [chunk] of data.chunks()) sum += sumChunk(chunk);
  const checked = performance.now();
  const ok = sum === expectedSum(length);
  console.log(
    `array: ${gibibytes} GiB, ${length.toLocaleString('en-US')} Float64 elements in ${data.segments.length} segment${data.segments.length === 1 ? '' : 's'}`,
  );
  console.log(
    `workers wrote ${written.map((n) => n.toLocaleString('en-US')).join(' + ')} elements in ${((filled - started) / 1000).toFixed(2)} s`,
  );
  console.log(
    `main thread checksum ${sum} (${ok ? 'correct' : `WRONG, expected ${expectedSum(length)}`}) in ${((checked - filled) / 1000).toFixed(2)} s`,
  );
  console.log(`peak RSS (VmHWM): ${peakRssGiB().toFixed(2)} GiB — one copy of the ${gibibytes} GiB data`);
  if (!ok) process.exitCode = 1;
} finally {
  await pool.close();
}

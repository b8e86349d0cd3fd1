/**
 * (a') manycore's lazy map over 1,000,000 trivial items from a generator → items/s, against the
 * ceiling of a hand-batched raw worker_threads loop (12,500 items per message). The peers have
 * no lazy, chunked map (poolifier's mapExecute is one task per item: workload (a) already
 * measures that), so their rows read n/a.
 */
import { createManycorePool } from '../contenders/manycore.ts';
import { mapInBatches, RawPool } from '../contenders/raw.ts';
import { withTimeout } from '../guard.ts';
import { formatCount } from '../report.ts';
import { median } from '../stats.ts';
import { CLOSE_TIMEOUT_MS, type RunContext, type Section, type Workload } from './common.ts';

const RAW_BATCH = 12_500;
const TARGET_ITEMS_PER_S = 6_000_000;
const RUN_TIMEOUT_MS = 60_000;

function* numbers(count: number): Generator<number> {
  for (let index = 0; index < count; index += 1) yield index;
}

interface MapSample {
  readonly itemsPerSecond: number;
  readonly chunksPerWorker: readonly number[];
}

/** Items/s of one manycore map on a fresh, warmed pool; undefined (and a note) on failure. */
async function measureManycore(
  context: RunContext,
  label: string,
  count: number,
): Promise<MapSample | undefined> {
  const { pool, inc } = createManycorePool(context.workers);
  const run = async (): Promise<MapSample> => {
    await pool.submit(inc, 0);
    const started = performance.now();
    let sum = 0;
    for await (const result of pool.map(inc, numbers(count))) sum += result;
    const elapsedMs = performance.now() - started;
    if (sum !== (count * (count + 1)) / 2) context.notes.add(label, `(a') map returned a wrong sum ${sum}`);
    // Chunks each worker ran: shows whether the map used every worker (stats count a chunk as one task).
    const chunksPerWorker = pool.stats().workers.map((worker) => worker.tasksCompleted);
    return { itemsPerSecond: (count / elapsedMs) * 1000, chunksPerWorker };
  };
  const outcome = await withTimeout(run(), RUN_TIMEOUT_MS, "(a') map");
  const closed = await withTimeout(pool.close(), CLOSE_TIMEOUT_MS, "close() after (a')");
  if (!outcome.ok) context.notes.add(label, outcome.reason);
  if (!closed.ok) context.notes.add(label, closed.reason);
  return outcome.ok ? outcome.value : undefined;
}

async function measureRaw(context: RunContext, label: string, count: number): Promise<number | undefined> {
  const pool = new RawPool(context.workers);
  const run = async (): Promise<number> => {
    await pool.post('inc', 0, undefined);
    const started = performance.now();
    // Two batches in flight per worker: one being computed, one waiting, so no worker idles.
    const sum = await mapInBatches(pool, numbers(count), RAW_BATCH, 2 * context.workers);
    const elapsedMs = performance.now() - started;
    if (sum !== (count * (count + 1)) / 2)
      context.notes.add(label, `(a') raw batches returned a wrong sum ${sum}`);
    return (count / elapsedMs) * 1000;
  };
  const outcome = await withTimeout(run(), RUN_TIMEOUT_MS, "(a') raw batches");
  await pool.close();
  if (!outcome.ok) context.notes.add(label, outcome.reason);
  return outcome.ok ? outcome.value : undefined;
}

export const lazyMap: Workload = {
  id: "a'",
  async run(context: RunContext): Promise<Section> {
    const count = context.quick ? 200_000 : 1_000_000;
    const repetitions = context.quick ? 2 : 7;
    const manycoreLabel = context.contenders.find((contender) => contender.key === 'manycore')?.label;
    const rawLabel = context.contenders.find((contender) => contender.key === 'raw')?.label;
    const ourSamples: MapSample[] = [];
    const ceiling: number[] = [];
    for (let repetition = 0; repetition < repetitions; repetition += 1) {
      context.log(`(a') rep ${repetition + 1}/${repetitions}`);
      if (manycoreLabel !== undefined) {
        const sample = await measureManycore(context, manycoreLabel, count);
        if (sample !== undefined) ourSamples.push(sample);
      }
      if (rawLabel !== undefined) {
        const rate = await measureRaw(context, rawLabel, count);
        if (rate !== undefined) ceiling.push(rate);
      }
    }
    const ours = ourSamples.map((sample) => sample.itemsPerSecond);
    const oursMedian = median(ours);
    // A rep in which a worker ran no chunk at all: the map ran on fewer workers than the pool has.
    const idleWorkerReps = ourSamples.filter(
      (sample) =>
        sample.chunksPerWorker.length < context.workers ||
        sample.chunksPerWorker.some((chunks) => chunks === 0),
    ).length;
    const lastSplit = ourSamples.at(-1)?.chunksPerWorker.join(' / ') ?? 'n/a';
    if (manycoreLabel !== undefined && idleWorkerReps > 0) {
      context.notes.add(
        manycoreLabel,
        `(a') in ${idleWorkerReps} of ${ourSamples.length} map repetitions a worker ran no chunk`,
      );
    }
    const ceilingMedian = median(ceiling);
    const rows = context.contenders.map((contender) => {
      if (contender.key === 'manycore')
        return [
          `${contender.label} map()`,
          formatCount(oursMedian),
          'auto',
          `${lastSplit} (a worker idle in ${idleWorkerReps} of ${ours.length} reps)`,
          String(ours.length),
        ];
      if (contender.key === 'raw')
        return [
          `${contender.label} batches`,
          formatCount(ceilingMedian),
          formatCount(RAW_BATCH),
          'n/a',
          String(ceiling.length),
        ];
      return [contender.label, 'n/a', 'no lazy map', 'n/a', '0'];
    });
    return {
      id: "a'",
      title: `(a') lazy map over ${formatCount(count)} trivial items from a generator`,
      method:
        `manycore: \`for await (const r of pool.map(t.inc, generator))\` on a fresh pool after one warm-up task; ` +
        `reference: the same generator read into plain arrays of ${formatCount(RAW_BATCH)} items, two messages in flight per worker. ` +
        `Median of ${repetitions} repetitions, alternating.`,
      headers: ['contender', 'items/s', 'items per message', 'chunks per worker (last rep)', 'reps'],
      rows,
      targets: [
        {
          target: `(a') map ≥ ${formatCount(TARGET_ITEMS_PER_S)} items/s`,
          met: ours.length === 0 ? undefined : oursMedian >= TARGET_ITEMS_PER_S,
          figures: `manycore ${formatCount(oursMedian)} items/s (raw batched ceiling ${formatCount(ceilingMedian)} items/s, ${((oursMedian / ceilingMedian) * 100).toFixed(0)}% of it)`,
        },
      ],
    };
  },
};

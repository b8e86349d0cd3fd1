/**
 * (c) The divisor workload: 13 queries over 1,000,000 seeded ints in a SharedArrayBuffer, each
 * query a task; speedup over the same kernel run on the main thread, answers checked against it.
 */
import { sumDivisorCounts } from '../tasks/kernels.mjs';
import { formatFixed } from '../report.ts';
import { median } from '../stats.ts';
import {
  bestPeer,
  firstResult,
  interleave,
  withFreshPool,
  type RunContext,
  type Section,
  type Workload,
} from './common.ts';
import { createSeededRandom } from '../../src/measure/statistics.ts'; // mulberry32, seeded

/** The data both benches (threads here, processes in bench/process/run.ts) use. */
export const ELEMENTS = 1_000_000;
const MAX_VALUE = 1_000_000;
const SEED = 42;
/** Query n = 100,000·k for each k. */
export const QUERY_KS = [1, 4, 1, 2, 4, 5, 1, 1, 2, 3, 4, 1, 2];
/**
 * Small queries run first on every fresh pool (and on the main thread) so kernels have type
 * feedback before V8 optimises them.
 */
export const WARMUP_LIMIT = 2_000;

/** Fills `values` with the seeded ints in [0, 1,000,000]: the same data on every run. */
export function fillDivisorInts(values: Int32Array): void {
  const random = createSeededRandom(SEED);
  for (let index = 0; index < values.length; index += 1)
    values[index] = Math.floor(random() * (MAX_VALUE + 1));
}

function makeShared(): SharedArrayBuffer {
  const shared = new SharedArrayBuffer(ELEMENTS * Int32Array.BYTES_PER_ELEMENT);
  fillDivisorInts(new Int32Array(shared));
  return shared;
}

interface DivisorSample {
  readonly ms: number;
  readonly answers: readonly number[];
}

const MAIN_THREAD = 'main thread, 1 core (baseline)';

export const divisors: Workload = {
  id: 'c',
  async run(context: RunContext): Promise<Section> {
    const repetitions = context.quick ? 1 : 5;
    const shared = makeShared();
    const limits = QUERY_KS.map((k) => 100_000 * k);
    // The spec's example, checked once so a broken kernel cannot produce "consistent" nonsense.
    if (sumDivisorCounts(Int32Array.from([4, 7, 6, 8, 11, 9]), 7) !== 9)
      throw new Error('divisor kernel fails the example');

    const baseline: DivisorSample[] = [];
    const samples = await interleave(repetitions, context.contenders, async (contender, repetition) => {
      if (contender === context.contenders[0]) {
        context.log(`(c) rep ${repetition + 1}/${repetitions} ${MAIN_THREAD}`);
        const values = new Int32Array(shared);
        sumDivisorCounts(values, WARMUP_LIMIT);
        const started = performance.now();
        const answers = limits.map((limit) => sumDivisorCounts(values, limit));
        baseline.push({ ms: performance.now() - started, answers });
      }
      context.log(`(c) rep ${repetition + 1}/${repetitions} ${contender.label}`);
      return withFreshPool(
        context,
        contender,
        120_000,
        '(c) divisor queries',
        async (pool): Promise<DivisorSample> => {
          await firstResult(pool);
          const warmups = Array.from({ length: 2 * context.workers }, () =>
            pool.submit('divisorSum', { shared, limit: WARMUP_LIMIT }),
          );
          await Promise.all(warmups);
          const started = performance.now();
          const answers = (await Promise.all(
            limits.map((limit) => pool.submit('divisorSum', { shared, limit })),
          )) as number[];
          return { ms: performance.now() - started, answers };
        },
      );
    });

    const expected = baseline[0]?.answers ?? [];
    const baselineMs = median(baseline.map((sample) => sample.ms));
    const timeMs = new Map<string, number>();
    const speedup = new Map<string, number>();
    const rows: string[][] = [
      [MAIN_THREAD, formatFixed(baselineMs, 0), '1.00', 'yes', String(baseline.length)],
    ];
    for (const contender of context.contenders) {
      const list = samples.get(contender.label) ?? [];
      const correct = list.every((sample) =>
        sample.answers.every((answer, index) => answer === expected[index]),
      );
      if (!correct) context.notes.add(contender.label, '(c) answers differ from the single-threaded run');
      const ms = median(list.map((sample) => sample.ms));
      timeMs.set(contender.label, ms);
      speedup.set(contender.label, baselineMs / ms);
      rows.push([
        contender.label,
        formatFixed(ms, 0),
        formatFixed(baselineMs / ms, 2),
        list.length === 0 ? 'n/a' : correct ? 'yes' : 'NO',
        String(list.length),
      ]);
    }
    const manycore = context.contenders.find((contender) => contender.key === 'manycore')?.label ?? '';
    const ours = speedup.get(manycore);
    const best = bestPeer(context.contenders, speedup, 'higher');
    const slowestOurs = Math.max(...(samples.get(manycore) ?? []).map((sample) => sample.ms));
    return {
      id: 'c',
      title: '(c) divisor workload: 13 queries over 1,000,000 shared ints',
      method:
        `Int32Array of ${ELEMENTS.toLocaleString('en-US')} ints in [0, ${MAX_VALUE.toLocaleString('en-US')}] from mulberry32 (seed ${SEED}) in a SharedArrayBuffer; ` +
        `queries n = 100,000·k for k in [${QUERY_KS.join(', ')}], each the sum of divisor counts (trial division to √x) over x ≤ n; ` +
        `13 tasks submitted at once on a fresh pool after ${2 * context.workers} small warm-up queries; baseline = same kernel, same warm-up, on the main thread; ` +
        `every answer checked against the baseline. Median of ${repetitions} repetitions.`,
      headers: ['contender', 'ms', 'speedup', 'answers match', 'reps'],
      rows,
      targets: [
        {
          target: '(c) speedup ≥ 1.95× and never below the best peer',
          met: ours === undefined || best === undefined ? undefined : ours >= 1.95 && ours >= best.value,
          figures:
            `manycore ${formatFixed(ours, 2)}× (${formatFixed(timeMs.get(manycore), 0)} ms, slowest rep ${formatFixed(slowestOurs, 0)} ms) ` +
            `vs ${best?.label ?? 'n/a'} ${formatFixed(best?.value, 2)}×; main thread ${formatFixed(baselineMs, 0)} ms`,
        },
      ],
    };
  },
};

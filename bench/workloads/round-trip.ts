/**
 * (b) 10,000 sequential round trips (each awaited before the next is sent) → p50 / p99 latency
 * in µs: the cost of one task when nothing is batched.
 */
import { formatFixed } from '../report.ts';
import { median, quantile } from '../stats.ts';
import {
  bestPeer,
  firstResult,
  interleave,
  withFreshPool,
  type RunContext,
  type Section,
  type Workload,
} from './common.ts';

const WARMUP_TRIPS = 500;

interface TripSample {
  readonly p50: number;
  readonly p99: number;
}

export const roundTrip: Workload = {
  id: 'b',
  async run(context: RunContext): Promise<Section> {
    const trips = context.quick ? 2_000 : 10_000;
    const repetitions = context.quick ? 1 : 3;
    const samples = await interleave(repetitions, context.contenders, (contender, repetition) => {
      context.log(`(b) rep ${repetition + 1}/${repetitions} ${contender.label}`);
      return withFreshPool(
        context,
        contender,
        60_000,
        '(b) round trips',
        async (pool): Promise<TripSample> => {
          await firstResult(pool);
          for (let index = 0; index < WARMUP_TRIPS; index += 1) await pool.submit('inc', index);
          const latenciesUs = new Float64Array(trips);
          for (let index = 0; index < trips; index += 1) {
            const started = performance.now();
            const result = await pool.submit('inc', index);
            latenciesUs[index] = (performance.now() - started) * 1000;
            if (result !== index + 1) throw new Error(`inc(${index}) returned ${String(result)}`);
          }
          const list = Array.from(latenciesUs);
          return { p50: quantile(list, 0.5), p99: quantile(list, 0.99) };
        },
      );
    });
    const p50 = new Map(
      [...samples].map(([label, list]) => [label, median(list.map((sample) => sample.p50))]),
    );
    const p99 = new Map(
      [...samples].map(([label, list]) => [label, median(list.map((sample) => sample.p99))]),
    );
    const rows = context.contenders.map((contender) => [
      contender.label,
      formatFixed(p50.get(contender.label), 1),
      formatFixed(p99.get(contender.label), 1),
      String(samples.get(contender.label)?.length ?? 0),
    ]);
    const manycore = context.contenders.find((contender) => contender.key === 'manycore')?.label ?? '';
    const ours = p50.get(manycore);
    const best = bestPeer(context.contenders, p50, 'lower');
    return {
      id: 'b',
      title: `(b) ${trips.toLocaleString('en-US')} sequential round trips`,
      method:
        `Fresh pool, first result and ${WARMUP_TRIPS} warm-up trips, then ${trips.toLocaleString('en-US')} inc() tasks each awaited before the next; ` +
        `p50 and p99 per repetition, median of ${repetitions} repetitions, interleaved.`,
      headers: ['contender', 'p50 µs', 'p99 µs', 'reps'],
      rows,
      targets: [
        {
          target: '(b) p50 ≤ 0.9× the best peer’s',
          met: ours === undefined || best === undefined ? undefined : ours <= 0.9 * best.value,
          figures: `manycore ${formatFixed(ours, 1)} µs = ${formatFixed((ours ?? NaN) / (best?.value ?? NaN), 3)}× ${best?.label ?? 'n/a'} (${formatFixed(best?.value, 1)} µs)`,
        },
      ],
    };
  },
};

/**
 * (d) A 64 MiB Float64Array sent to a worker and summed there: copied (structured clone),
 * transferred (manycore `move`, the peers' transfer lists) or shared (a view over a
 * SharedArrayBuffer, nothing copied) → ms from submit to the sum.
 */
import type { PoolHandle } from '../contenders/contender.ts';
import { formatFixed } from '../report.ts';
import { median } from '../stats.ts';
import {
  firstResult,
  interleave,
  withFreshPool,
  type RunContext,
  type Section,
  type Workload,
} from './common.ts';

const ELEMENTS = (64 * 2 ** 20) / Float64Array.BYTES_PER_ELEMENT;
const MODES = ['clone', 'transfer', 'shared'] as const;
type Mode = (typeof MODES)[number];

/** Integers, so the sum is exact and every mode must return the same number. */
function fill(array: Float64Array): void {
  for (let index = 0; index < array.length; index += 1) array[index] = index % 1024;
}

const EXPECTED = (() => {
  const whole = Math.floor(ELEMENTS / 1024);
  return whole * ((1023 * 1024) / 2);
})();

async function sendAndSum(pool: PoolHandle, mode: Mode): Promise<number> {
  const array =
    mode === 'shared' ? new Float64Array(new SharedArrayBuffer(ELEMENTS * 8)) : new Float64Array(ELEMENTS);
  fill(array); // outside the timed part: only the send and the sum are measured
  const started = performance.now();
  const result = await pool.submit('sum', array, { transfer: mode === 'transfer' });
  const elapsedMs = performance.now() - started;
  if (result !== EXPECTED) throw new Error(`${mode}: sum ${String(result)}, expected ${EXPECTED}`);
  return elapsedMs;
}

export const largeArray: Workload = {
  id: 'd',
  async run(context: RunContext): Promise<Section> {
    const repetitions = context.quick ? 1 : 3;
    const samples = await interleave(repetitions, context.contenders, (contender, repetition) => {
      context.log(`(d) rep ${repetition + 1}/${repetitions} ${contender.label}`);
      return withFreshPool(context, contender, 60_000, '(d) 64 MiB sends', async (pool) => {
        await firstResult(pool);
        // A small sum per worker first, so the kernel is compiled before the timed sends.
        await Promise.all(
          Array.from({ length: 2 * context.workers }, () => pool.submit('sum', new Float64Array(1024))),
        );
        const times = new Map<Mode, number>();
        for (const mode of MODES) times.set(mode, await sendAndSum(pool, mode));
        return times;
      });
    });
    const rows = context.contenders.map((contender) => {
      const list = samples.get(contender.label) ?? [];
      return [
        contender.label,
        ...MODES.map((mode) => formatFixed(median(list.map((times) => times.get(mode) ?? NaN)), 1)),
        String(list.length),
      ];
    });
    return {
      id: 'd',
      title: '(d) 64 MiB Float64Array sent and summed, ms per send+sum',
      method:
        `A fresh pool per repetition; for each mode a new 64 MiB Float64Array is filled (untimed), then submit → sum is timed; ` +
        `clone = plain structured clone, transfer = manycore move() / the peers' transfer list, shared = a view over a SharedArrayBuffer. ` +
        `Median of ${repetitions} repetitions, interleaved. No target: a reference for users choosing a mode.`,
      headers: ['contender', 'clone ms', 'transfer ms', 'shared ms', 'reps'],
      rows,
      targets: [],
    };
  },
};

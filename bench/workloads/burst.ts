/**
 * (a) 100,000 trivial tasks submitted at once → tasks/s, and (e) start-up (new pool → first
 * result) and process RSS after (a). Each repetition runs in a fresh child process (burst-child.ts).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Contender } from '../contenders/contender.ts';
import { formatCount, formatFixed } from '../report.ts';
import { median } from '../stats.ts';
import type { BurstSample } from './burst-child.ts';
import {
  bestPeer,
  interleave,
  type RunContext,
  type Section,
  type TargetResult,
  type Workload,
} from './common.ts';

const CHILD = fileURLToPath(new URL('./burst-child.ts', import.meta.url));
/** A child that has not reported by then is killed and its repetition noted as a hang. */
const CHILD_TIMEOUT_MS = 60_000;

function runChild(contender: Contender, count: number): Promise<BurstSample | string> {
  return new Promise((resolve) => {
    // Only the child's main thread loads tsx (for the adapters); every pool gets execArgv: [].
    const child = fork(CHILD, [contender.key, String(count)], {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    });
    let settled = false;
    const finish = (outcome: BurstSample | string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(`(a) child did not report within ${CHILD_TIMEOUT_MS} ms (killed)`);
    }, CHILD_TIMEOUT_MS);
    child.once('message', (message) => finish(message as BurstSample));
    child.once('exit', (code, signal) =>
      finish(`(a) child exited (code ${code}, signal ${signal}) without a result`),
    );
  });
}

export const burst: Workload = {
  id: 'a',
  async run(context: RunContext): Promise<Section> {
    const count = context.quick ? 20_000 : 100_000;
    const repetitions = context.quick ? 1 : 3;
    // Start-up is short and noisy, so it gets its own, cheaper and more numerous, child processes.
    const startupRepetitions = context.quick ? 2 : 7;
    const measure = (taskCount: number, total: number, what: string) =>
      interleave(total, context.contenders, async (contender, repetition) => {
        context.log(`${what} rep ${repetition + 1}/${total} ${contender.label}`);
        const outcome = await runChild(contender, taskCount);
        if (typeof outcome === 'string') {
          context.notes.add(contender.label, outcome);
          return undefined;
        }
        for (const problem of outcome.problems) context.notes.add(contender.label, problem);
        return outcome;
      });
    const samples = await measure(count, repetitions, '(a)');
    const startupSamples = await measure(0, startupRepetitions, '(e) start-up');
    const medianOf = (
      from: Map<string, BurstSample[]>,
      pick: (sample: BurstSample) => number,
    ): Map<string, number> => new Map([...from].map(([label, list]) => [label, median(list.map(pick))]));
    const rate = medianOf(samples, (sample) => sample.tasksPerSecond);
    const startup = medianOf(startupSamples, (sample) => sample.startupMs);
    const rss = medianOf(samples, (sample) => sample.rssMiB);

    const rows = context.contenders.map((contender) => [
      contender.label,
      formatCount(rate.get(contender.label)),
      formatFixed(startup.get(contender.label), 1),
      formatFixed(rss.get(contender.label), 0),
      `${samples.get(contender.label)?.length ?? 0} / ${startupSamples.get(contender.label)?.length ?? 0}`,
    ]);
    const manycoreLabel = context.contenders.find((contender) => contender.key === 'manycore')?.label ?? '';
    const targets: TargetResult[] = [];
    const ours = (map: Map<string, number>): number | undefined => map.get(manycoreLabel);
    const bestRate = bestPeer(context.contenders, rate, 'higher');
    const rateOurs = ours(rate);
    targets.push({
      target: '(a) tasks/s ≥ 5× the best peer',
      met: bestRate === undefined || rateOurs === undefined ? undefined : rateOurs >= 5 * bestRate.value,
      figures: `manycore ${formatCount(rateOurs)}/s = ${formatFixed((rateOurs ?? NaN) / (bestRate?.value ?? NaN), 2)}× ${bestRate?.label ?? 'n/a'} (${formatCount(bestRate?.value)}/s)`,
    });
    for (const [name, map, unit, digits] of [
      ['start-up', startup, 'ms', 1],
      ['RSS', rss, 'MiB', 0],
    ] as const) {
      const best = bestPeer(context.contenders, map, 'lower');
      const value = ours(map);
      targets.push({
        target: `(e) ${name} no worse than the best peer`,
        met: best === undefined || value === undefined ? undefined : value <= best.value,
        figures: `manycore ${formatFixed(value, digits)} ${unit} vs ${best?.label ?? 'n/a'} ${formatFixed(best?.value, digits)} ${unit}`,
      });
    }
    const childCpuMs = [...samples.values(), ...startupSamples.values()]
      .flat()
      .reduce((sum, sample) => sum + sample.cpuMs, 0);
    return {
      id: 'a, e',
      childCpuMs,
      title: `(a) ${formatCount(count)} trivial tasks at once, (e) start-up and RSS`,
      method:
        `Each repetition in a fresh child process (its main thread runs tsx for the adapters; workers run plain JS): ` +
        `2,000 warm-up tasks, then ${formatCount(count)} inc() tasks submitted in one loop and awaited together (tasks/s); ` +
        `process RSS read right after (median of ${repetitions} repetitions). Start-up = new pool → first inc() result, ` +
        `in separate child processes (median of ${startupRepetitions}). Contenders interleaved.`,
      headers: ['contender', 'tasks/s', 'start-up ms', 'RSS MiB', 'reps (a / e)'],
      rows,
      targets,
    };
  },
};

/**
 * The main job (`npm run demo`, `npx manycore demo`): the divisor experiment run on the main
 * thread, then on the pool; answers checked equal; a table of time, speedup, parallel
 * efficiency, and the main thread's event-loop delay (p99) during each run.
 */
import { availableParallelism } from 'node:os';
import { createHistogram } from 'node:perf_hooks';
import { setImmediate as turnEventLoop } from 'node:timers/promises';
import { SingleBar, Presets } from 'cli-progress';
import { ThreadPool } from '../pool/thread-pool.ts';
import { tasksOf } from '../executor/task-ref.ts';
import { divisorQuery, divisorQueryShared } from './divisor-tasks.ts';
import type { SharedArray } from '../shared/shared-array.ts';
import { makeSharedData, queries } from './divisor-data.ts';

export interface DemoOptions {
  readonly elements: number;
  readonly workers: number;
  readonly seed: number;
  /** Element ranges per query: more balance uneven queries, fewer cost less messaging. */
  readonly rangesPerQuery: number;
  readonly progress: boolean;
}

export interface DemoRun {
  readonly mode: string;
  readonly seconds: number;
  readonly answers: number[];
  readonly loopDelayP99Ms: number;
}

export const defaultDemoOptions: DemoOptions = {
  elements: 1_000_000,
  workers: availableParallelism(),
  seed: 42,
  rangesPerQuery: 8,
  progress: true,
};

/** How often the probe asks the event loop for a turn, in ms: finer catches shorter stalls. */
const PROBE_INTERVAL_MS = 5;

/**
 * Runs `work` while a timer measures how late the main thread's event loop serves it; returns
 * seconds and the p99 lateness in ms. (monitorEventLoopDelay misses a loop that is blocked
 * from the moment it is enabled, which is exactly the single-threaded case.)
 */
async function measured<T>(
  work: () => Promise<T> | T,
): Promise<{ value: T; seconds: number; p99Ms: number }> {
  const delays = createHistogram();
  let expected = performance.now() + PROBE_INTERVAL_MS;
  let timer: NodeJS.Timeout | undefined;
  const probe = (): void => {
    const now = performance.now();
    delays.record(Math.max(1, Math.round((now - expected) * 1000)));
    expected = now + PROBE_INTERVAL_MS;
    timer = setTimeout(probe, PROBE_INTERVAL_MS);
  };
  timer = setTimeout(probe, PROBE_INTERVAL_MS);
  await turnEventLoop();
  const started = performance.now();
  const value = await work();
  const seconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS)); // let the probe see a blocked loop end
  clearTimeout(timer);
  return { value, seconds, p99Ms: delays.percentile(99) / 1000 };
}

export async function runDemo(options: DemoOptions = defaultDemoOptions): Promise<DemoRun[]> {
  const selfCheck = divisorQuery(new Int32Array([4, 7, 6, 8, 11, 9]), 7);
  if (selfCheck !== 9) throw new Error(`divisor kernel self-check failed: expected 9, got ${selfCheck}`);
  const data = makeSharedData(options.elements, options.seed);
  const ns = queries();
  console.log(
    `Divisor experiment: ${options.elements.toLocaleString('en-US')} integers (seed ${options.seed}), ` +
      `${ns.length} queries, ${options.workers} workers on ${availableParallelism()} cores`,
  );

  const single = await measured(() => ns.map((n) => divisorQueryShared(data, n)));
  const pooled = await runOnPool(data, ns, options);
  const runs: DemoRun[] = [
    {
      mode: 'main thread (1 core)',
      seconds: single.seconds,
      answers: single.value,
      loopDelayP99Ms: single.p99Ms,
    },
    pooled,
  ];
  const same = runs[1]?.answers.every((answer, i) => answer === single.value[i]) ?? false;
  printTable(runs, options.workers);
  console.log(`answers: ${single.value.join(', ')}`);
  console.log(
    same
      ? 'verified: the pool computed the same 13 answers'
      : 'MISMATCH: the pool disagrees with the main thread',
  );
  if (!same) process.exitCode = 1;
  return runs;
}

async function runOnPool(
  data: SharedArray<'Int32'>,
  ns: number[],
  options: DemoOptions,
): Promise<{ mode: string; seconds: number; answers: number[]; loopDelayP99Ms: number }> {
  const t = tasksOf<typeof import('./divisor-tasks.ts')>(
    new URL(`./divisor-tasks${extension()}`, import.meta.url),
  );
  await using pool = new ThreadPool({ workers: options.workers });
  // Start-up is not the experiment: wait until every worker has loaded the task module.
  await Promise.all(Array.from({ length: options.workers }, () => pool.submit(t.countDivisors, 1)));
  const step = Math.ceil(data.length / options.rangesPerQuery);
  // Longest first (cost grows like n^1.5): the last tasks to finish are short ones, so workers finish together.
  const work = ns
    .flatMap((n, query) =>
      Array.from({ length: options.rangesPerQuery }, (_, r) => ({
        query,
        n,
        start: r * step,
        end: Math.min(data.length, (r + 1) * step),
      })),
    )
    .sort((a, b) => b.n - a.n);
  const bar = options.progress
    ? new SingleBar(
        {
          format: 'pool  [{bar}] {percentage}% | {value}/{total} range tasks',
          noTTYOutput: true,
          notTTYSchedule: 500,
          stream: process.stderr,
        },
        Presets.shades_classic,
      )
    : undefined;
  const result = await measured(async () => {
    bar?.start(work.length, 0);
    const answers = ns.map(() => 0);
    const futures = work.map((item) =>
      pool.submit(t.divisorQueryShared, data, item.n, item.start, item.end).then((partial) => {
        answers[item.query] = (answers[item.query] ?? 0) + partial;
        bar?.increment();
      }),
    );
    await Promise.all(futures);
    bar?.stop();
    return answers;
  });
  return {
    mode: `ThreadPool (${options.workers} workers)`,
    seconds: result.seconds,
    answers: result.value,
    loopDelayP99Ms: result.p99Ms,
  };
}

/** `.ts` when running from source (tsx), `.js` from the build. */
function extension(): string {
  return import.meta.url.endsWith('.ts') ? '.ts' : '.js';
}

function printTable(runs: DemoRun[], workers: number): void {
  const base = runs[0]?.seconds ?? Number.NaN;
  const rows = runs.map((run, i) => {
    const speedup = base / run.seconds;
    const cores = i === 0 ? 1 : workers;
    return [
      run.mode,
      run.seconds.toFixed(3),
      `${speedup.toFixed(2)}×`,
      `${((speedup / cores) * 100).toFixed(0)}%`,
      run.loopDelayP99Ms.toFixed(1),
    ];
  });
  const header = ['run', 'time (s)', 'speedup', 'efficiency', 'main loop delay p99 (ms)'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? '').length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

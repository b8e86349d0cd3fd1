/**
 * `scale` on manycore's ThreadPool: runs one task module's export over a list of inputs at
 * each worker count, with a fresh pool per count whose start-up and warm-up are not timed.
 */
import { taskRef } from '../executor/task-ref.ts';
import { ThreadPool } from '../pool/thread-pool.ts';
import { InvalidOptionError } from '../errors.ts';
import { scale, type ScaleReport, type WorkerBusy } from './scale.ts';

/** Options of {@link scaleTask}. */
export interface ScaleTaskOptions {
  /** The task module (URL, `file:` string or absolute path). */
  readonly module: string | URL;
  /** Name of the exported function to run. */
  readonly task: string;
  /** One argument list per task. */
  readonly inputs: readonly (readonly unknown[])[];
  /** Worker counts; 1 is added when missing. Go past the core count to see oversubscription. */
  readonly workers: readonly number[];
  /** Timed runs per count (median used). Default 1. */
  readonly repeat?: number;
  /** Core count for the Amdahl fit. Default `os.availableParallelism()`. */
  readonly cores?: number;
  /**
   * Run one untimed task per worker first, so that worker start-up, module loading and the
   * JIT's first tiers are not counted. Default true.
   */
  readonly warmup?: boolean;
  /** Called after each timed run. */
  readonly onRun?: (workers: number, wallMs: number) => void;
}

/**
 * Measures how a task scales with worker threads.
 *
 * @example
 * const report = await scaleTask({
 *   module: new URL('./tasks.ts', import.meta.url), task: 'countDivisors',
 *   inputs: ranges.map((r) => [r]), workers: [1, 2, 4],
 * });
 * @throws InvalidOptionError on empty inputs or bad worker counts; the task's errors.
 */
export async function scaleTask(options: ScaleTaskOptions): Promise<ScaleReport> {
  if (options.inputs.length === 0) throw new InvalidOptionError('inputs', 'at least one argument list', 0);
  const ref = taskRef<(...args: unknown[]) => unknown>(options.module, options.task);
  const inputs = options.inputs as readonly unknown[][];
  return scale({
    workers: options.workers,
    ...(options.repeat !== undefined ? { repeat: options.repeat } : {}),
    ...(options.cores !== undefined ? { cores: options.cores } : {}),
    ...(options.onRun ? { onRun: options.onRun } : {}),
    run: async (workers) => {
      const pool = new ThreadPool({ workers });
      try {
        if (options.warmup !== false) {
          await Promise.all(
            Array.from({ length: workers }, (_, i) => pool.submit(ref, ...(inputs[i % inputs.length] ?? []))),
          );
        }
        const before = new Map(pool.stats().workers.map((w) => [w.name, w]));
        const start = performance.now();
        for await (const _result of pool.starmap(ref, inputs, { ordered: false })) {
          // results are not needed; consuming them keeps the map flowing
        }
        const wallMs = performance.now() - start;
        const perWorker: WorkerBusy[] = pool.stats().workers.map((w) => ({
          name: w.name,
          busyMs: w.busyMs - (before.get(w.name)?.busyMs ?? 0),
          tasks: w.tasksCompleted - (before.get(w.name)?.tasksCompleted ?? 0),
        }));
        return { wallMs, perWorker };
      } finally {
        await pool.close();
      }
    },
  });
}

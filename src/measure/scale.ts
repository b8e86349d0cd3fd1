/**
 * The scaling engine: runs a workload at several worker counts and turns the times into
 * speedup, efficiency, Karp–Flatt and an Amdahl fit. It does not know what a pool is: the
 * caller's `run(workers)` does the work (see scale-task.ts for the thread-pool version), so
 * that the analysis is testable on synthetic timings.
 */
import os from 'node:os';
import { InvalidOptionError } from '../errors.ts';
import { fitAmdahl, karpFlatt, type AmdahlFit } from './amdahl.ts';
import { cpuLoadWarning, startCpuLoadProbe, type CpuLoadReport } from './cpu-load-probe.ts';
import { captureEnvironment, type Environment } from './environment.ts';
import { median } from './statistics.ts';

/** How one worker spent a run. */
export interface WorkerBusy {
  readonly name: string;
  /** Time spent running tasks, ms. */
  readonly busyMs: number;
  readonly tasks: number;
}

/** What `run(workers)` reports back; everything is optional. */
export interface ScaleRunResult {
  /**
   * The timed part's wall time, ms, when the run has untimed parts (starting workers,
   * warming them up). Default: the whole `run(workers)` call.
   */
  readonly wallMs?: number;
  /** Per-worker busy time, if the executor can tell. */
  readonly perWorker?: readonly WorkerBusy[];
}

/** Options of {@link scale}. */
export interface ScaleOptions {
  /** Worker counts to run at; 1 is added when missing because speedup is relative to it. */
  readonly workers: readonly number[];
  /** Runs the whole workload once with `workers` workers; resolves when it is done. */
  readonly run: (workers: number) => Promise<ScaleRunResult | void>;
  /** Timed runs per worker count; the median is used. Default 1. */
  readonly repeat?: number;
  /** Core count the Amdahl fit is limited to. Default `os.availableParallelism()`. */
  readonly cores?: number;
  /** Called after each run, e.g. to print progress. */
  readonly onRun?: (workers: number, wallMs: number) => void;
}

/** One worker count's results. */
export interface ScalePoint {
  readonly workers: number;
  /** Median wall time of the runs, ms. */
  readonly timeMs: number;
  readonly runsMs: readonly number[];
  /** T(1) / T(p). */
  readonly speedup: number;
  /** speedup / p, in (0, 1] when scaling is sublinear. */
  readonly efficiency: number;
  /** Karp–Flatt serial fraction; undefined at 1 worker. */
  readonly karpFlatt: number | undefined;
  /** More workers than cores: they share cores, so speedup is expected to stop growing. */
  readonly oversubscribed: boolean;
  /** Per-worker busy and idle time of the last run (idle = wall − busy), when known. */
  readonly perWorker: readonly (WorkerBusy & { readonly idleMs: number; readonly utilization: number })[];
  /** Machine CPU use during this point's runs. */
  readonly cpuLoad: CpuLoadReport;
}

/** The scaling report. */
export interface ScaleReport {
  readonly cores: number;
  readonly points: readonly ScalePoint[];
  /** Fit on points at or below `cores`; undefined when fewer than 2 such counts were run. */
  readonly amdahl: AmdahlFit | undefined;
  readonly warnings: readonly string[];
  readonly environment: Environment;
}

/** Validated worker counts, sorted, with 1 added. @throws InvalidOptionError */
export function resolveWorkerCounts(workers: readonly number[]): number[] {
  for (const count of workers) {
    if (!Number.isInteger(count) || count < 1) {
      throw new InvalidOptionError('workers', 'a list of integers ≥ 1', count);
    }
  }
  return [...new Set([1, ...workers])].sort((a, b) => a - b);
}

/**
 * Builds the report from measured runs. Pure: tests feed it synthetic timings.
 *
 * @param runs per worker count, the wall times (ms) and the last run's per-worker stats.
 */
export function analyseScaling(
  runs: readonly {
    workers: number;
    runsMs: readonly number[];
    perWorker?: readonly WorkerBusy[];
    cpuLoad: CpuLoadReport;
  }[],
  cores: number,
  environment: Environment = captureEnvironment(),
): ScaleReport {
  const sorted = [...runs].sort((a, b) => a.workers - b.workers);
  const one = sorted.find((r) => r.workers === 1);
  if (!one) throw new InvalidOptionError('runs', 'a run with 1 worker (speedup is relative to it)', 'none');
  const oneMs = median(one.runsMs);
  const warnings: string[] = [];
  const points = sorted.map((r): ScalePoint => {
    const timeMs = median(r.runsMs);
    const speedup = oneMs / timeMs;
    const lastMs = r.runsMs[r.runsMs.length - 1] as number;
    const loadWarning = cpuLoadWarning(r.cpuLoad);
    if (loadWarning) warnings.push(`at ${r.workers} worker(s): ${loadWarning}`);
    return {
      workers: r.workers,
      timeMs,
      runsMs: r.runsMs,
      speedup,
      efficiency: speedup / r.workers,
      karpFlatt: karpFlatt(speedup, r.workers),
      oversubscribed: r.workers > cores,
      perWorker: (r.perWorker ?? []).map((w) => ({
        ...w,
        idleMs: Math.max(0, lastMs - w.busyMs),
        utilization: lastMs > 0 ? Math.min(1, w.busyMs / lastMs) : 0,
      })),
      cpuLoad: r.cpuLoad,
    };
  });
  const fitPoints = points
    .filter((p) => p.workers <= cores)
    .map((p) => ({ workers: p.workers, timeMs: p.timeMs }));
  let amdahl: AmdahlFit | undefined;
  if (new Set(fitPoints.map((p) => p.workers)).size >= 2) {
    amdahl = fitAmdahl(fitPoints);
    if (amdahl.unclampedSerialFraction < -0.05) {
      warnings.push(
        `the fit gives a negative serial fraction (${amdahl.unclampedSerialFraction.toFixed(3)}): speedup was ` +
          'superlinear (caches, warm-up) or the runs were noisy; the Amdahl estimate is not meaningful',
      );
    }
  } else {
    warnings.push(`no Amdahl fit: it needs 2 or more worker counts at or below the ${cores} core(s)`);
  }
  return { cores, points, amdahl, warnings, environment };
}

/**
 * Runs a workload at each worker count (ascending, past the core count too) and reports
 * speedup, efficiency, Karp–Flatt per point and an Amdahl fit on the points ≤ cores. Each
 * point's CPU use by other processes is measured from /proc/stat and warned about.
 *
 * @example
 * const report = await scale({ workers: [1, 2, 4], run: async (n) => runMyWorkload(n) });
 * console.log(report.amdahl?.serialFraction);
 * @throws InvalidOptionError on bad worker counts or repeat; whatever `run` throws.
 */
export async function scale(options: ScaleOptions): Promise<ScaleReport> {
  const counts = resolveWorkerCounts(options.workers);
  const repeat = options.repeat ?? 1;
  if (!Number.isInteger(repeat) || repeat < 1)
    throw new InvalidOptionError('repeat', 'an integer ≥ 1', repeat);
  const cores = options.cores ?? os.availableParallelism();
  const runs = [];
  for (const workers of counts) {
    const runsMs: number[] = [];
    let perWorker: readonly WorkerBusy[] | undefined;
    const probe = startCpuLoadProbe();
    for (let r = 0; r < repeat; r++) {
      const start = performance.now();
      const result = await options.run(workers);
      const wallMs = result?.wallMs ?? performance.now() - start;
      runsMs.push(wallMs);
      perWorker = result?.perWorker;
      options.onRun?.(workers, wallMs);
    }
    runs.push({ workers, runsMs, cpuLoad: probe.stop(), ...(perWorker ? { perWorker } : {}) });
  }
  return analyseScaling(runs, cores);
}

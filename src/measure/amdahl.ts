/**
 * Amdahl's law and the Karp–Flatt metric, as pure functions over (workers, time) points.
 *
 * Amdahl: with a serial fraction s of the one-worker time T₁, p workers take
 * T(p) = T₁·(s + (1 − s)/p), so the speedup is S(p) = 1 / (s + (1 − s)/p) and can never
 * exceed 1/s. Karp–Flatt inverts that for one measured point: e = (1/S − 1/p) / (1 − 1/p),
 * the serial fraction that would explain the speedup seen. An e that grows with p means the
 * loss is not a fixed serial part but overhead that grows with workers (communication,
 * contention, oversubscription).
 */
import { ScaleError } from './errors.ts';

/** One measured point: the workload took `timeMs` with `workers` workers. */
export interface TimingPoint {
  readonly workers: number;
  readonly timeMs: number;
}

/** Least-squares fit of Amdahl's law. */
export interface AmdahlFit {
  /** Estimated serial fraction s, in [0, 1] after clamping (see `unclampedSerialFraction`). */
  readonly serialFraction: number;
  /** The fitted s before clamping; outside [0, 1] means the points do not follow Amdahl's law (superlinear speedup, noise). */
  readonly unclampedSerialFraction: number;
  /** Fitted one-worker time T₁, ms. */
  readonly oneWorkerMs: number;
  /** Upper bound on speedup with unlimited workers, 1/s (Infinity when s = 0). */
  readonly maxSpeedup: number;
  /** Coefficient of determination of the fit on the time points (1 = perfect); NaN with 2 points. */
  readonly rSquared: number;
  /** Worker counts the fit used. */
  readonly workersUsed: readonly number[];
}

/** Amdahl's predicted speedup with `workers` workers for serial fraction `serialFraction`. */
export function amdahlSpeedup(serialFraction: number, workers: number): number {
  return 1 / (serialFraction + (1 - serialFraction) / workers);
}

/**
 * Karp–Flatt experimentally determined serial fraction for one point, or undefined at 1
 * worker (where it is 0/0).
 *
 * @example karpFlatt(1.6, 2) // 0.25
 */
export function karpFlatt(speedup: number, workers: number): number | undefined {
  if (workers <= 1) return undefined;
  return (1 / speedup - 1 / workers) / (1 - 1 / workers);
}

/**
 * Fits Amdahl's law to points by linear least squares: T(p) = a + b/p with a = T₁·s and
 * b = T₁·(1 − s), so s = a / (a + b). Fitting the times (not the speedups) lets every point,
 * including the one-worker run, carry its own noise instead of dividing all by T₁.
 *
 * Give it only points at or below the core count: beyond it, workers share cores and the
 * law's assumption (each worker has a core) no longer holds.
 *
 * @example fitAmdahl([{ workers: 1, timeMs: 10 }, { workers: 2, timeMs: 6 }]).serialFraction // 0.2
 * @throws ScaleError with fewer than 2 distinct worker counts.
 */
export function fitAmdahl(points: readonly TimingPoint[]): AmdahlFit {
  const distinct = new Set(points.map((p) => p.workers));
  if (distinct.size < 2) {
    throw new ScaleError(
      `an Amdahl fit needs points at 2 or more distinct worker counts at or below the core count; received ` +
        `${[...distinct].join(', ') || 'none'}`,
    );
  }
  const xs = points.map((p) => 1 / p.workers);
  const ys = points.map((p) => p.timeMs);
  const n = points.length;
  const meanX = xs.reduce((sum, x) => sum + x, 0) / n;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - meanX;
    sxx += dx * dx;
    sxy += dx * ((ys[i] as number) - meanY);
  }
  const b = sxy / sxx;
  const a = meanY - b * meanX;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    residual += ((ys[i] as number) - (a + b * (xs[i] as number))) ** 2;
    total += ((ys[i] as number) - meanY) ** 2;
  }
  const oneWorkerMs = a + b;
  const unclamped = a / oneWorkerMs;
  const serialFraction = Math.min(1, Math.max(0, unclamped));
  return {
    serialFraction,
    unclampedSerialFraction: unclamped,
    oneWorkerMs,
    maxSpeedup: serialFraction === 0 ? Infinity : 1 / serialFraction,
    rSquared: n > 2 && total > 0 ? 1 - residual / total : NaN,
    workersUsed: [...distinct].sort((x, y) => x - y),
  };
}

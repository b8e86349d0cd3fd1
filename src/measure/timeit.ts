/**
 * The timing engine: calibrate an iteration count, warm up, then time repeats with a GC
 * before each. Pure of formatting (see format-timeit.ts) so that JSON and terminal output
 * read the same result.
 */
import { InvalidOptionError } from '../errors.ts';
import { cpuLoadWarning, startCpuLoadProbe, type CpuLoadReport } from './cpu-load-probe.ts';
import { captureEnvironment, findGc, type Environment } from './environment.ts';
import { summarize, type Summary } from './statistics.ts';
import { subjectFromFunction, type TimedSubject } from './timed-subject.ts';

/** Options of {@link timeit} (and {@link timeSubject}). */
export interface TimeitOptions<S = undefined> {
  /** Label stored with the result. Default: the function's name, or "statement". */
  readonly name?: string;
  /** Runs before each repeat, untimed; its value is passed to the timed function. */
  readonly setup?: () => S | Promise<S>;
  /** Iterations per repeat. Default: calibrated so that one repeat lasts `targetRepeatMs`. */
  readonly number?: number;
  /** Timed repeats; each gives one sample. More repeats steady the percentiles. Default 10. */
  readonly repeat?: number;
  /**
   * Duration one repeat should last when `number` is calibrated, in ms. Longer repeats drown
   * timer resolution and scheduler jitter but take longer overall. Default 50.
   */
  readonly targetRepeatMs?: number;
  /** Untimed repeats after calibration, so that the JIT reaches its steady tier. Default 2. */
  readonly warmupRepeats?: number;
  /** Run a full GC before each repeat when a `gc()` can be had (see `findGc`). Default true. */
  readonly gc?: boolean;
  /** Warn when the slowest repeat is more than this many times the fastest. Default 1.5. */
  readonly unstableRatio?: number;
}

/** The outcome of one timing, with everything needed to judge and reproduce it. */
export interface TimeitResult {
  readonly name: string;
  /** Iterations per repeat. */
  readonly number: number;
  readonly repeat: number;
  /** Nanoseconds per iteration, one per repeat, in run order. */
  readonly samplesNs: readonly number[];
  /** Statistics of `samplesNs` (nanoseconds per iteration). */
  readonly summary: Summary;
  /** Cost of one iteration of an empty loop with the same harness, ns: a floor for what can be resolved. */
  readonly loopOverheadNs: number;
  readonly gcBetweenRepeats: boolean;
  /** Human-readable doubts about the result (unstable repeats, a busy machine, a tiny statement). */
  readonly warnings: readonly string[];
  readonly cpuLoad: CpuLoadReport;
  readonly environment: Environment;
}

/** A validated copy of the options shared by timeit and compare. */
export interface ResolvedTimingOptions {
  readonly number: number | undefined;
  readonly repeat: number;
  readonly targetRepeatMs: number;
  readonly warmupRepeats: number;
  readonly gc: (() => void) | undefined;
  readonly unstableRatio: number;
}

function positiveInteger(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new InvalidOptionError(option, 'an integer ≥ 1', value);
  return value;
}

/** Validates timing options once, at the boundary. @throws InvalidOptionError */
export function resolveTimingOptions(
  options: Omit<TimeitOptions<unknown>, 'setup' | 'name'>,
): ResolvedTimingOptions {
  const targetRepeatMs = options.targetRepeatMs ?? 50;
  if (!(targetRepeatMs > 0))
    throw new InvalidOptionError('targetRepeatMs', 'a number of ms > 0', targetRepeatMs);
  const unstableRatio = options.unstableRatio ?? 1.5;
  if (!(unstableRatio >= 1)) throw new InvalidOptionError('unstableRatio', 'a number ≥ 1', unstableRatio);
  const warmupRepeats = options.warmupRepeats ?? 2;
  if (!Number.isInteger(warmupRepeats) || warmupRepeats < 0) {
    throw new InvalidOptionError('warmupRepeats', 'an integer ≥ 0', warmupRepeats);
  }
  return {
    number: options.number === undefined ? undefined : positiveInteger('number', options.number, 1),
    repeat: positiveInteger('repeat', options.repeat, 10),
    targetRepeatMs,
    warmupRepeats,
    gc: options.gc === false ? undefined : findGc(),
    unstableRatio,
  };
}

/**
 * Finds an iteration count whose run lasts at least `targetMs`, growing the count by up to
 * 10× per step from 1. The calibration runs double as the first warm-up.
 */
export async function calibrateIterations(subject: TimedSubject, targetMs: number): Promise<number> {
  const targetNs = targetMs * 1e6;
  let iterations = 1;
  for (;;) {
    const elapsedNs = await subject.run(iterations);
    if (elapsedNs >= targetNs) return iterations;
    // Aim 20% past the target so the next run usually lands above it; cap the jump because
    // the first, unoptimised runs overstate the cost.
    const factor = Math.min(10, Math.max(2, (targetNs * 1.2) / Math.max(elapsedNs, 1)));
    iterations = Math.ceil(iterations * factor);
    if (iterations > 2 ** 40) return iterations; // an empty statement: stop before overflowing time
  }
}

/**
 * Per-iteration cost of the harness itself, ns: the minimum of 3 runs of its empty twin,
 * calibrated on its own (10 ms per run) so that the empty loop is optimised as the real one is.
 */
async function measureLoopOverhead(subject: TimedSubject): Promise<number> {
  const empty = subject.emptyTwin?.() ?? subjectFromFunction(() => undefined);
  const iterations = await calibrateIterations(empty, 10);
  let best = Infinity;
  for (let i = 0; i < 3; i++) best = Math.min(best, (await empty.run(iterations)) / iterations);
  return best;
}

/**
 * Times a subject with resolved options; the engine behind {@link timeit} and the CLI.
 */
export async function timeSubject(
  name: string,
  subject: TimedSubject,
  options: ResolvedTimingOptions,
): Promise<TimeitResult> {
  const probe = startCpuLoadProbe();
  const number = options.number ?? (await calibrateIterations(subject, options.targetRepeatMs));
  for (let i = 0; i < options.warmupRepeats; i++) await subject.run(number);
  const samplesNs: number[] = [];
  for (let r = 0; r < options.repeat; r++) {
    options.gc?.();
    samplesNs.push((await subject.run(number)) / number);
  }
  const cpuLoad = probe.stop();
  const loopOverheadNs = await measureLoopOverhead(subject);
  const summary = summarize(samplesNs);
  const warnings: string[] = [];
  if (summary.max > summary.min * options.unstableRatio) {
    warnings.push(
      `the slowest repeat took ${(summary.max / summary.min).toFixed(2)}× the fastest: the results may be ` +
        'unreliable (other load, GC, frequency scaling); look at the median and the MAD, or run again',
    );
  }
  if (summary.median < loopOverheadNs * 5) {
    warnings.push(
      `one iteration (${summary.median.toFixed(2)} ns) costs less than 5× the empty loop ` +
        `(${loopOverheadNs.toFixed(2)} ns): the statement may have been optimised away or be too small to time alone`,
    );
  }
  const loadWarning = cpuLoadWarning(cpuLoad);
  if (loadWarning) warnings.push(loadWarning);
  if (!options.gc)
    warnings.push('no gc() was available: a repeat may pay for garbage left by the one before');
  return {
    name,
    number,
    repeat: options.repeat,
    samplesNs,
    summary,
    loopOverheadNs,
    gcBetweenRepeats: options.gc !== undefined,
    warnings,
    cpuLoad,
    environment: captureEnvironment(options.gc !== undefined),
  };
}

/**
 * Times `fn`: calibrates how many calls make one repeat last `targetRepeatMs`, warms up,
 * runs `repeat` timed repeats (each after a GC when possible), and returns per-call
 * statistics in nanoseconds with the environment. Results are kept in a sink so the JIT
 * cannot delete the work; async functions are awaited per call.
 *
 * @example
 * const r = await timeit((xs) => xs.toSorted(), { setup: () => randomArray(1000) });
 * console.log(`${r.summary.median.toFixed(0)} ns per call`);
 * @throws InvalidOptionError on a bad option; whatever `fn` or `setup` throws.
 */
export async function timeit<S = undefined>(
  fn: (state: S) => unknown,
  options: TimeitOptions<S> = {},
): Promise<TimeitResult> {
  const resolved = resolveTimingOptions(options);
  return timeSubject(
    options.name ?? (fn.name || 'statement'),
    subjectFromFunction(fn, options.setup),
    resolved,
  );
}

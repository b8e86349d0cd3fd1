/**
 * Side-by-side timing: candidates run in interleaved rounds (so drift in clock speed or
 * background load hits all of them alike), then each is judged against a baseline with a
 * bootstrap confidence interval of the speed ratio and a Mann–Whitney U test.
 */
import { InvalidOptionError } from '../errors.ts';
import { cpuLoadWarning, startCpuLoadProbe, type CpuLoadReport } from './cpu-load-probe.ts';
import { captureEnvironment, type Environment } from './environment.ts';
import {
  bootstrapInterval,
  mannWhitneyU,
  median,
  summarize,
  type ConfidenceInterval,
  type MannWhitneyResult,
  type Summary,
} from './statistics.ts';
import { subjectFromFunction, type TimedSubject } from './timed-subject.ts';
import {
  calibrateIterations,
  resolveTimingOptions,
  type ResolvedTimingOptions,
  type TimeitOptions,
} from './timeit.ts';

/** Options of {@link judgeComparison}: how strict the verdict is. */
export interface JudgeOptions {
  /** Confidence level of the ratio's interval. Default 0.95. */
  readonly confidence?: number;
  /** Significance level of the Mann–Whitney test. Default 0.05. */
  readonly alpha?: number;
  /** Bootstrap resamples. Default 10 000. */
  readonly resamples?: number;
  /** Bootstrap PRNG seed; fixed so that a verdict is reproducible from the same samples. Default 1. */
  readonly seed?: number;
}

/** Options of {@link compare}. */
export interface CompareOptions
  extends JudgeOptions, Omit<TimeitOptions<unknown>, 'setup' | 'name' | 'repeat'> {
  /** Interleaved rounds; each gives one sample per candidate. Default 20. */
  readonly rounds?: number;
  /** Name of the candidate the others are judged against. Default: the first. */
  readonly baseline?: string;
}

/** How one candidate fared against the baseline. */
export interface Comparison {
  readonly candidate: string;
  readonly baseline: string;
  /**
   * Speed ratio: median time of the baseline ÷ median time of the candidate. Above 1 the
   * candidate is faster; 0.5 means it takes twice as long.
   */
  readonly ratio: ConfidenceInterval;
  readonly test: MannWhitneyResult;
  /** 'same' unless the test is significant and the interval excludes 1. */
  readonly verdict: 'faster' | 'slower' | 'same';
  /** The verdict as a sentence, e.g. "B is 1.32× faster than A (95% CI 1.28–1.36, p = 0.0001)". */
  readonly text: string;
}

/** One candidate's timings. */
export interface CandidateResult {
  readonly name: string;
  /** Iterations per sample. */
  readonly number: number;
  /** Nanoseconds per iteration, one per round. */
  readonly samplesNs: readonly number[];
  readonly summary: Summary;
}

/** The outcome of {@link compare}. */
export interface CompareResult {
  readonly baseline: string;
  readonly candidates: readonly CandidateResult[];
  /** One per candidate other than the baseline, in candidate order. */
  readonly comparisons: readonly Comparison[];
  readonly warnings: readonly string[];
  readonly cpuLoad: CpuLoadReport;
  readonly environment: Environment;
}

function formatRatio(value: number): string {
  return value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function formatP(p: number): string {
  return p < 0.0001 ? 'p < 0.0001' : `p = ${p.toFixed(4)}`;
}

/**
 * Judges candidate samples against baseline samples (both: time per iteration). Pure and
 * seeded: the same samples always give the same verdict.
 *
 * @example judgeComparison('A', [10, 11, 10], 'B', [5, 6, 5]).text // "B is 1.83× faster than A (…)"
 * @throws SampleError on empty or non-finite samples.
 */
export function judgeComparison(
  baselineName: string,
  baselineSamples: readonly number[],
  candidateName: string,
  candidateSamples: readonly number[],
  options: JudgeOptions = {},
): Comparison {
  const confidence = options.confidence ?? 0.95;
  const alpha = options.alpha ?? 0.05;
  const ratio = bootstrapInterval(baselineSamples, candidateSamples, (a, b) => median(a) / median(b), {
    confidence,
    resamples: options.resamples ?? 10_000,
    seed: options.seed ?? 1,
  });
  const test = mannWhitneyU(baselineSamples, candidateSamples);
  const significant = test.pValue < alpha && (ratio.low > 1 || ratio.high < 1);
  const verdict = !significant ? 'same' : ratio.estimate > 1 ? 'faster' : 'slower';
  const level = `${Math.round(confidence * 100)}% CI`;
  let text: string;
  if (verdict === 'faster') {
    text =
      `${candidateName} is ${formatRatio(ratio.estimate)}× faster than ${baselineName} ` +
      `(${level} ${formatRatio(ratio.low)}–${formatRatio(ratio.high)}, ${formatP(test.pValue)})`;
  } else if (verdict === 'slower') {
    // Say "2× slower" rather than "0.5× faster": invert the ratio and swap the bounds.
    text =
      `${candidateName} is ${formatRatio(1 / ratio.estimate)}× slower than ${baselineName} ` +
      `(${level} ${formatRatio(1 / ratio.high)}–${formatRatio(1 / ratio.low)}, ${formatP(test.pValue)})`;
  } else {
    text =
      `no significant difference between ${candidateName} and ${baselineName} ` +
      `(ratio ${formatRatio(ratio.estimate)}×, ${level} ${formatRatio(ratio.low)}–${formatRatio(ratio.high)}, ` +
      `${formatP(test.pValue)})`;
  }
  return { candidate: candidateName, baseline: baselineName, ratio, test, verdict, text };
}

/** A named subject for {@link compareSubjects}. */
export interface NamedSubject {
  readonly name: string;
  readonly subject: TimedSubject;
}

/**
 * The engine behind {@link compare} and the CLI: calibrates each subject, warms all up, then
 * runs `rounds` rounds, rotating the order each round so that none always runs right after
 * the GC or right after a given other.
 */
export async function compareSubjects(
  subjects: readonly NamedSubject[],
  timing: ResolvedTimingOptions,
  options: CompareOptions = {},
): Promise<CompareResult> {
  if (subjects.length < 2)
    throw new InvalidOptionError('candidates', 'at least 2 candidates', subjects.length);
  const rounds = options.rounds ?? 20;
  if (!Number.isInteger(rounds) || rounds < 2)
    throw new InvalidOptionError('rounds', 'an integer ≥ 2', rounds);
  const baseline = options.baseline ?? (subjects[0] as NamedSubject).name;
  const baselineIndex = subjects.findIndex((s) => s.name === baseline);
  if (baselineIndex < 0) {
    throw new InvalidOptionError(
      'baseline',
      `one of ${subjects.map((s) => JSON.stringify(s.name)).join(', ')}`,
      baseline,
    );
  }
  const probe = startCpuLoadProbe();
  const numbers: number[] = [];
  for (const { subject } of subjects) {
    numbers.push(timing.number ?? (await calibrateIterations(subject, timing.targetRepeatMs)));
  }
  for (let w = 0; w < timing.warmupRepeats; w++) {
    for (const [i, { subject }] of subjects.entries()) await subject.run(numbers[i] as number);
  }
  const samples: number[][] = subjects.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < subjects.length; k++) {
      const i = (round + k) % subjects.length;
      timing.gc?.();
      const number = numbers[i] as number;
      (samples[i] as number[]).push((await (subjects[i] as NamedSubject).subject.run(number)) / number);
    }
  }
  const cpuLoad = probe.stop();
  const candidates = subjects.map((s, i) => ({
    name: s.name,
    number: numbers[i] as number,
    samplesNs: samples[i] as number[],
    summary: summarize(samples[i] as number[]),
  }));
  const base = candidates[baselineIndex] as CandidateResult;
  const comparisons = candidates
    .filter((_, i) => i !== baselineIndex)
    .map((c) => judgeComparison(base.name, base.samplesNs, c.name, c.samplesNs, options));
  const warnings: string[] = [];
  const loadWarning = cpuLoadWarning(cpuLoad);
  if (loadWarning) warnings.push(loadWarning);
  if (!timing.gc) warnings.push('no gc() was available: a run may pay for garbage left by the one before');
  return {
    baseline: base.name,
    candidates,
    comparisons,
    warnings,
    cpuLoad,
    environment: captureEnvironment(timing.gc !== undefined),
  };
}

/**
 * Times several functions side by side and judges each against the baseline.
 *
 * @example
 * const r = await compare({ spread: () => [...xs], slice: () => xs.slice() });
 * console.log(r.comparisons[0]?.text); // "slice is 1.32× faster than spread (95% CI 1.28–1.36, p < 0.0001)"
 * @throws InvalidOptionError for fewer than 2 candidates or an unknown baseline.
 */
export async function compare(
  candidates: Readonly<Record<string, () => unknown>>,
  options: CompareOptions = {},
): Promise<CompareResult> {
  const timing = resolveTimingOptions({ targetRepeatMs: 20, ...options });
  const subjects = Object.entries(candidates).map(([name, fn]) => ({
    name,
    subject: subjectFromFunction(fn),
  }));
  return compareSubjects(subjects, timing, options);
}

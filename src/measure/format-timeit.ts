/** Terminal report of a {@link TimeitResult}. */
import { describeEnvironment } from './environment.ts';
import { formatNs } from './format-duration.ts';
import type { TimeitResult } from './timeit.ts';

/**
 * A few lines in the manner of Python's timeit, with the spread that a single number hides:
 *
 * ```text
 * Math.sqrt(2): 10 repeats × 5,000,000 loops
 *   median 1.02 ns ± 0.01 ns MAD   min 1.01 ns   mean 1.03 ns   p95 1.08 ns   max 1.09 ns
 * ```
 */
export function formatTimeitResult(result: TimeitResult): string {
  const s = result.summary;
  const lines = [
    `${result.name}: ${result.repeat} repeats × ${result.number.toLocaleString('en-US')} loops` +
      (result.gcBetweenRepeats ? ', gc() before each' : ''),
    `  median ${formatNs(s.median)} ± ${formatNs(s.mad)} MAD   min ${formatNs(s.min)}   mean ${formatNs(s.mean)}` +
      `   p5 ${formatNs(s.p5)}   p95 ${formatNs(s.p95)}   max ${formatNs(s.max)}   (per loop)`,
    `  empty loop ${formatNs(result.loopOverheadNs)}; ${describeEnvironment(result.environment)}`,
  ];
  for (const warning of result.warnings) lines.push(`  warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

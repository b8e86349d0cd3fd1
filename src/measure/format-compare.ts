/** Terminal report of a {@link CompareResult}. */
import type { CompareResult } from './compare.ts';
import { describeEnvironment } from './environment.ts';
import { column, formatNs } from './format-duration.ts';

/**
 * A table of each candidate's timings followed by one verdict line per candidate:
 *
 * ```text
 * candidate        median      MAD        min        p95   loops × rounds
 * spread         12.3 µs    0.10 µs    12.1 µs    12.9 µs   4,000 × 20   (baseline)
 * slice          9.31 µs    0.08 µs    9.20 µs    9.70 µs   5,000 × 20
 *
 * slice is 1.32× faster than spread (95% CI 1.28–1.36, p < 0.0001)
 * ```
 */
export function formatCompareResult(result: CompareResult): string {
  const nameWidth = Math.max(9, ...result.candidates.map((c) => Math.min(40, c.name.length)));
  const lines = [
    `${column('candidate', nameWidth)}  ${column('median', 10, 'right')} ${column('MAD', 10, 'right')} ` +
      `${column('min', 10, 'right')} ${column('p95', 10, 'right')}   loops × rounds`,
  ];
  for (const c of result.candidates) {
    lines.push(
      `${column(c.name, nameWidth)}  ${column(formatNs(c.summary.median), 10, 'right')} ` +
        `${column(formatNs(c.summary.mad), 10, 'right')} ${column(formatNs(c.summary.min), 10, 'right')} ` +
        `${column(formatNs(c.summary.p95), 10, 'right')}   ${c.number.toLocaleString('en-US')} × ${c.samplesNs.length}` +
        (c.name === result.baseline ? '   (baseline)' : ''),
    );
  }
  lines.push('');
  for (const comparison of result.comparisons) lines.push(comparison.text);
  lines.push('', describeEnvironment(result.environment));
  for (const warning of result.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

/** Terminal report and compact chart of a {@link ScaleReport}. */
import { describeEnvironment } from './environment.ts';
import { column } from './format-duration.ts';
import type { ScaleReport } from './scale.ts';

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms >= 100 ? 0 : 1)} ms`;
}

/**
 * A table with one row per worker count and a bar of its speedup; the bar's scale puts the
 * ideal speedup for the largest count at the right edge, so a perfect scaler fills its row.
 *
 * ```text
 * workers      time  speedup  efficiency  Karp–Flatt  busy/worker
 *       1    2.07 s    1.00×        100%           —          99%  ████▌
 *       2    1.06 s    1.95×         98%       0.026          98%  █████████
 *       4    1.08 s    1.92×         48%       0.361          48%  ████████▊    oversubscribed
 * ```
 */
export function formatScaleReport(report: ScaleReport, barWidth = 32): string {
  const maxWorkers = Math.max(...report.points.map((p) => p.workers));
  const scaleMax = Math.max(maxWorkers, ...report.points.map((p) => p.speedup));
  const lines = [
    `${column('workers', 7, 'right')}  ${column('time', 9, 'right')}  ${column('speedup', 7, 'right')}  ` +
      `${column('efficiency', 10, 'right')}  ${column('Karp–Flatt', 10, 'right')}  ${column('busy/worker', 11, 'right')}  speedup`,
  ];
  for (const p of report.points) {
    const busy =
      p.perWorker.length > 0
        ? `${((p.perWorker.reduce((sum, w) => sum + w.utilization, 0) / p.perWorker.length) * 100).toFixed(0)}%`
        : '—';
    lines.push(
      `${column(String(p.workers), 7, 'right')}  ${column(formatMs(p.timeMs), 9, 'right')}  ` +
        `${column(`${p.speedup.toFixed(2)}×`, 7, 'right')}  ${column(`${(p.efficiency * 100).toFixed(0)}%`, 10, 'right')}  ` +
        `${column(p.karpFlatt === undefined ? '—' : p.karpFlatt.toFixed(3), 10, 'right')}  ${column(busy, 11, 'right')}  ` +
        `${bar(p.speedup / scaleMax, barWidth)}${p.oversubscribed ? '  oversubscribed' : ''}`,
    );
  }
  lines.push('');
  if (report.amdahl) {
    const fit = report.amdahl;
    lines.push(
      `Amdahl fit on ${fit.workersUsed.join(', ')} worker(s) (≤ ${report.cores} cores): serial fraction ` +
        `${(fit.serialFraction * 100).toFixed(1)}%, so at most ${Number.isFinite(fit.maxSpeedup) ? `${fit.maxSpeedup.toFixed(1)}×` : 'unbounded'} ` +
        `speedup with any number of workers` +
        (Number.isNaN(fit.rSquared) ? '' : `; R² ${fit.rSquared.toFixed(3)}`),
    );
  }
  const last = report.points[report.points.length - 1];
  if (last && last.perWorker.length > 0) {
    lines.push(
      `per worker at ${last.workers}: ` +
        last.perWorker
          .map((w) => `${w.name} busy ${formatMs(w.busyMs)} idle ${formatMs(w.idleMs)} (${w.tasks} tasks)`)
          .join('; '),
    );
  }
  lines.push(describeEnvironment(report.environment));
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar of `fraction` × `width` cells with eighth-cell resolution. */
export function bar(fraction: number, width: number): string {
  const eighths = Math.round(Math.max(0, Math.min(1, fraction)) * width * 8);
  return '█'.repeat(Math.floor(eighths / 8)) + (EIGHTHS[eighths % 8] ?? '');
}

/** Terminal rendering of profile tables, in the manner of Python's pstats. */
import { column } from '../format-duration.ts';
import type { ProfileSet } from './cpu-profile.ts';
import { profileTables, type ProfileTableOptions, type ThreadTable } from './profile-table.ts';

function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/** Renders one thread's table. */
export function formatThreadTable(table: ThreadTable): string {
  const hasCalls = table.rows.some((row) => row.calls !== undefined);
  const lines = [
    `── ${table.thread}: ${ms(table.busyMs)} ms busy, ${ms(table.idleMs)} ms idle ` +
      `(${ms(table.programMs)} ms program, ${ms(table.gcMs)} ms GC), ${table.samples} samples`,
    `${column('self ms', 9, 'right')} ${column('self %', 7, 'right')} ${column('total ms', 9, 'right')} ` +
      `${column('total %', 7, 'right')} ${column('samples', 7, 'right')}${hasCalls ? ` ${column('calls', 10, 'right')}` : ''}  function (file:line)`,
  ];
  for (const row of table.rows) {
    lines.push(
      `${column(ms(row.selfMs), 9, 'right')} ${column(row.selfPercent.toFixed(1), 7, 'right')} ` +
        `${column(ms(row.totalMs), 9, 'right')} ${column(row.totalPercent.toFixed(1), 7, 'right')} ` +
        `${column(String(row.samples), 7, 'right')}` +
        (hasCalls
          ? ` ${column(row.calls === undefined ? '' : row.calls.toLocaleString('en-US'), 10, 'right')}`
          : '') +
        `  ${row.name}${row.location ? ` (${row.location})` : ''}`,
    );
  }
  if (table.matched > table.rows.length)
    lines.push(`   … ${table.matched - table.rows.length} more functions`);
  return lines.join('\n');
}

/**
 * The pstats-like report of a profile set: per thread (or merged), functions sorted by self
 * time, total time or calls, filtered and cut to the top N.
 *
 * @example process.stdout.write(formatProfileTable(profiles, { limit: 10 }));
 */
export function formatProfileTable(set: ProfileSet, options: ProfileTableOptions = {}): string {
  const parts = profileTables(set, options).map(formatThreadTable);
  for (const warning of set.warnings) parts.push(`warning: ${warning}`);
  return `${parts.join('\n\n')}\n`;
}

/**
 * Formatting only: markdown tables for the terminal and RESULTS.md. The workloads measure; this
 * file never computes a figure.
 */
import { BUSY_OTHER_CPU_SHARE, type Environment } from './environment.ts';
import type { Section } from './workloads/common.ts';

/** An integer with thousands separators; "n/a" for a missing figure. */
export function formatCount(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  return Math.round(value).toLocaleString('en-US');
}

export function formatFixed(value: number | undefined, digits: number): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  return value.toFixed(digits);
}

/** A markdown table; numeric-looking columns are right-aligned so figures line up in a terminal. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const numeric = headers.map(
    (_, column) => column > 0 && rows.every((row) => /^[\d,.×n/a%-]*$/.test(row[column] ?? '')),
  );
  const cell = (text: string, column: number): string =>
    numeric[column] === true ? text.padStart(widths[column] ?? 0) : text.padEnd(widths[column] ?? 0);
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((text, column) => cell(text, column)).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (numeric[column] === true ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(headers), rule, ...rows.map((row) => line(row))].join('\n');
}

export function formatSection(section: Section): string {
  const others =
    section.otherCpuShare === undefined
      ? ''
      : `; other processes used ${(section.otherCpuShare * 100).toFixed(0)}% of the machine's CPU time during it${section.busy === true ? ' (busy machine)' : ''}`;
  const load =
    section.loadAverage === undefined
      ? []
      : ['', `Load average (1/5/15 min) when this section started: ${section.loadAverage}${others}.`];
  return [`### ${section.title}`, '', formatTable(section.headers, section.rows), ...load].join('\n');
}

export function formatTargets(sections: readonly Section[]): string {
  const rows = sections.flatMap((section) =>
    section.targets.map((target) => [
      target.target,
      `${target.met === undefined ? 'n/a' : target.met ? 'met' : 'MISSED'}${section.busy === true ? ' (busy machine)' : ''}`,
      target.figures,
    ]),
  );
  const table = formatTable(['target', 'verdict', 'figures'], rows);
  if (!sections.some((section) => section.busy === true)) return table;
  return `${table}\n\n(busy machine): other processes used more than ${BUSY_OTHER_CPU_SHARE * 100}% of the machine's CPU time during that section (from /proc/stat, minus this run's own threads and child processes); its figures, and so its verdicts, are not reliable. Re-run on a quiet machine.`;
}

export interface ResultsDocument {
  readonly environment: Environment;
  readonly command: string;
  readonly quick: boolean;
  readonly durationS: number;
  readonly sections: readonly Section[];
  readonly notes: readonly string[];
}

/** RESULTS.md: environment, method, every table, the target verdicts and the notes. */
export function formatResults(document: ResultsDocument): string {
  const { environment } = document;
  const parts = [
    '# manycore vs peers: side-by-side benchmark',
    '',
    `Written by \`${document.command}\` on ${environment.date}${document.quick ? ' (QUICK mode: fewer tasks and repetitions, figures are rough)' : ''}; the run took ${document.durationS.toFixed(0)} s.`,
    '',
    '## Machine',
    '',
    formatTable(
      ['field', 'value'],
      Object.entries(environment.fields).map(([field, value]) => [field, value]),
    ),
    '',
    '## Method',
    '',
    '- Every contender runs the same plain-JS kernels (`bench/tasks/kernels.mjs`) with 2 workers, Node flags not inherited by workers (`execArgv: []`); manycore is imported from the built `dist/`.',
    '- Repetitions are interleaved (A, B, C, … then again) with a fresh pool per repetition; tables show medians. Targets are reported, never asserted.',
    '- Every pool is closed with a time limit; a hang or failure is listed under Notes and the run goes on.',
    ...document.sections.map((section) => `- **${section.id}**: ${section.method}`),
    '',
    '## Results',
    '',
    ...document.sections.flatMap((section) => [formatSection(section), '']),
    '## Targets',
    '',
    formatTargets(document.sections),
    '',
    '## Notes',
    '',
    ...(document.notes.length === 0
      ? ['None: every pool answered and closed in time.']
      : document.notes.map((note) => `- ${note}`)),
    '',
    '## Other benchmarks',
    '',
    '- Shared memory (locks, Queue vs MessagePort, SharedArray scans against a plain TypedArray): [`shared/RESULTS.md`](shared/RESULTS.md), `npm run bench:shared` and `bench/shared/run-scan.ts`.',
    '- Process pool against process-backed peers: [`process/RESULTS.md`](process/RESULTS.md), `npm run bench:process`.',
    '- Earlier full runs of this bench, for the spread between runs: [`HISTORY.md`](HISTORY.md).',
    '',
  ];
  return parts.join('\n');
}

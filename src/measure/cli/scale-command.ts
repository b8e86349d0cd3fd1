/** `manycore scale module.ts#task --inputs FILE --workers 1,2,4`. */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { StatementError } from '../errors.ts';
import { formatScaleReport } from '../format-scale.ts';
import { scaleTask } from '../scale-task.ts';
import { scaleChartSvg } from '../svg-chart.ts';
import { parseNumberList, reportError, writeOutputFile, writers, type CommandIo } from './command-output.ts';

/** Parsed options of `manycore scale`. */
export interface ScaleCommandOptions extends CommandIo {
  /** `module.ts#exportName`. */
  readonly task: string;
  /** `--inputs <file.json>`: a JSON array, one element per task; an array element is the argument list, anything else the single argument. */
  readonly inputs: string;
  /** `--workers <list>`: e.g. "1,2,4" (default "1,2,4"; 1 is always added). */
  readonly workers?: string;
  /** `--repeat <n>`: timed runs per count (default 1). */
  readonly repeat?: number;
  /** `--no-warmup`: time worker start-up too. */
  readonly warmup?: boolean;
  /** `--svg <file>`: write the speedup chart. */
  readonly svg?: string;
  /** `--json`: print JSON. */
  readonly json?: boolean;
  /** `-o, --output <file>`: also write the JSON report. */
  readonly output?: string;
}

/** Runs `manycore scale`. Exit code 0, or 2 on bad options or a failing task. */
export async function runScaleCommand(options: ScaleCommandOptions): Promise<number> {
  const { out, err } = writers(options);
  try {
    const hash = options.task.lastIndexOf('#');
    if (hash <= 0)
      throw new StatementError(options.task, 'a scale task must be written module.ts#exportName');
    const modulePath = options.task.slice(0, hash);
    const parsed: unknown = JSON.parse(readFileSync(options.inputs, 'utf8'));
    if (!Array.isArray(parsed))
      throw new StatementError(options.inputs, 'the inputs file must hold a JSON array');
    const report = await scaleTask({
      module: isAbsolute(modulePath) ? modulePath : resolve(modulePath),
      task: options.task.slice(hash + 1),
      inputs: parsed.map((item: unknown) => (Array.isArray(item) ? (item as unknown[]) : [item])),
      workers: parseNumberList(options.workers ?? '1,2,4'),
      ...(options.repeat !== undefined ? { repeat: options.repeat } : {}),
      ...(options.warmup !== undefined ? { warmup: options.warmup } : {}),
      onRun: (workers, wallMs) => {
        if (!options.json) err(`  ${workers} worker(s): ${wallMs.toFixed(0)} ms\n`);
      },
    });
    const json = `${JSON.stringify(report, null, 2)}\n`;
    if (options.output) writeOutputFile(options.output, json);
    if (options.svg) writeOutputFile(options.svg, scaleChartSvg(report));
    out(options.json ? json : formatScaleReport(report));
    return 0;
  } catch (error) {
    return reportError(error, err);
  }
}

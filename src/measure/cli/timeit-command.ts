/** `manycore timeit [-s SETUP] STATEMENT`. */
import { formatTimeitResult } from '../format-timeit.ts';
import { loadStatement } from '../statement.ts';
import { resolveTimingOptions, timeSubject } from '../timeit.ts';
import { reportError, writeOutputFile, writers, type CommandIo } from './command-output.ts';

/** Parsed options of `manycore timeit`. */
export interface TimeitCommandOptions extends CommandIo {
  /** A JavaScript snippet, or `path/to/module.ts#export`. */
  readonly statement: string;
  /** `-s, --setup <code>`: snippet run before each repeat, untimed. */
  readonly setup?: string;
  /** `-n, --number <n>`: loops per repeat (default: calibrated). */
  readonly number?: number;
  /** `-r, --repeat <n>`: repeats (default 10). */
  readonly repeat?: number;
  /** `--target-ms <ms>`: duration of one calibrated repeat (default 50). */
  readonly targetRepeatMs?: number;
  /** `--args <json>`: JSON array of arguments for a module export. */
  readonly args?: string;
  /** `--json`: print the result as JSON instead of text. */
  readonly json?: boolean;
  /** `-o, --output <file>`: also write the JSON result to a file. */
  readonly output?: string;
}

/**
 * Runs `manycore timeit`. Exit code 0 on success, 2 when the statement or options are invalid.
 */
export async function runTimeitCommand(options: TimeitCommandOptions): Promise<number> {
  const { out, err } = writers(options);
  try {
    const args = options.args === undefined ? undefined : (JSON.parse(options.args) as unknown[]);
    const loaded = await loadStatement(options.statement, {
      ...(options.setup !== undefined ? { setup: options.setup } : {}),
      ...(Array.isArray(args) ? { args } : {}),
    });
    const timing = resolveTimingOptions({
      ...(options.number !== undefined ? { number: options.number } : {}),
      ...(options.repeat !== undefined ? { repeat: options.repeat } : {}),
      ...(options.targetRepeatMs !== undefined ? { targetRepeatMs: options.targetRepeatMs } : {}),
    });
    const result = await timeSubject(loaded.name, loaded.subject, timing);
    const json = `${JSON.stringify(result, null, 2)}\n`;
    if (options.output) writeOutputFile(options.output, json);
    out(options.json ? json : formatTimeitResult(result));
    return 0;
  } catch (error) {
    return reportError(error, err);
  }
}

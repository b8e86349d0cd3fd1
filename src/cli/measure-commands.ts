/**
 * The measurement subcommands (timeit, compare, profile, profile-report, scale). Each maps its
 * parsed options to a handler in src/measure/cli and exits with the handler's code.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { runCompareCommand } from '../measure/cli/compare-command.ts';
import type { CommandIo } from '../measure/cli/command-output.ts';
import {
  runProfileCommand,
  runProfileReportCommand,
  type ProfileTableCommandOptions,
} from '../measure/cli/profile-command.ts';
import { runScaleCommand } from '../measure/cli/scale-command.ts';
import { runTimeitCommand } from '../measure/cli/timeit-command.ts';

type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Drops options the user did not give, so handlers see them as absent (exactOptionalPropertyTypes). */
function defined<T extends object>(options: T): Defined<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Defined<T>;
}

function number(name: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0)
      throw new InvalidArgumentError(`${name} must be a number > 0; received "${value}".`);
    return parsed;
  };
}

const finish = (code: number): void => {
  process.exitCode = code;
};

/** What `profile` and `profile-report` share: how the per-thread tables are printed. */
type TableOptions = Omit<ProfileTableCommandOptions, keyof CommandIo>;

function addTableOptions(command: Command): Command {
  return command
    .option('--sort <key>', 'self | total | calls', 'self')
    .option('--limit <n>', 'rows per thread', number('--limit'))
    .option('--filter <text>', 'only functions whose name or file contains text')
    .option('--include-meta', 'keep (program), (idle) and (garbage collector) rows')
    .option('--merge-threads', 'one table for all threads');
}

export function addMeasureCommands(program: Command): void {
  program
    .command('timeit <statement>')
    .description('Time a snippet or a module export (path.ts#name): auto loop count, warm-up, statistics')
    .option('-s, --setup <code>', 'code run once before timing (not timed)')
    .option('-n, --number <n>', 'loops per repeat (default: calibrated)', number('--number'))
    .option('-r, --repeat <n>', 'timed repeats', number('--repeat'))
    .option('--target-ms <ms>', 'calibrate each repeat to about this long', number('--target-ms'))
    .option('--args <json>', 'JSON array of arguments for a module export')
    .option('--json', 'print the result as JSON')
    .option('-o, --output <file>', 'also write the JSON result to a file')
    .action(
      async (
        statement: string,
        options: {
          setup?: string;
          number?: number;
          repeat?: number;
          targetMs?: number;
          args?: string;
          json?: boolean;
          output?: string;
        },
      ) => {
        const { targetMs, ...rest } = options;
        finish(await runTimeitCommand(defined({ statement, targetRepeatMs: targetMs, ...rest })));
      },
    );

  program
    .command('compare <statements...>')
    .description('Compare statements with interleaved runs: ratio, 95% CI, Mann–Whitney test, verdict')
    .option('-s, --setup <code>', 'code run once before timing')
    .option('--baseline <statement>', 'the statement the others are compared with (default: the first)')
    .option('--rounds <n>', 'interleaved rounds', number('--rounds'))
    .option('--target-ms <ms>', 'calibrate each repeat to about this long', number('--target-ms'))
    .option('--confidence <x>', 'confidence level of the interval (default 0.95)', Number)
    .option('--seed <n>', 'seed of the bootstrap', number('--seed'))
    .option(
      '--fail-if-slower [fraction]',
      'exit 1 when a candidate is significantly slower than the baseline (by more than fraction)',
    )
    .option('--json', 'print the result as JSON')
    .option('-o, --output <file>', 'also write the JSON result to a file')
    .action(
      async (
        statements: string[],
        options: {
          setup?: string;
          baseline?: string;
          rounds?: number;
          targetMs?: number;
          confidence?: number;
          seed?: number;
          failIfSlower?: boolean | string;
          json?: boolean;
          output?: string;
        },
      ) => {
        const { targetMs, failIfSlower, ...rest } = options;
        const threshold = typeof failIfSlower === 'string' ? Number(failIfSlower) : failIfSlower;
        finish(
          await runCompareCommand(
            defined({ statements, targetRepeatMs: targetMs, failIfSlower: threshold, ...rest }),
          ),
        );
      },
    );

  const profileCommand = program
    .command('profile <script> [args...]')
    .description(
      'Profile a program: main thread, every worker thread and child process; table, speedscope, flame graph',
    )
    .option('-o, --out-dir <dir>', 'where the profiles go', 'profile-out')
    .option('--name <stem>', 'file name stem of the outputs')
    .option('--interval-us <us>', 'sampling interval in µs', number('--interval-us'))
    .option('--calls', 'exact call counts (precise coverage)');
  addTableOptions(profileCommand)
    .passThroughOptions()
    .action(
      async (
        script: string,
        args: string[],
        options: TableOptions & {
          outDir: string;
          name?: string;
          intervalUs?: number;
          calls?: boolean;
        },
      ) => {
        finish(await runProfileCommand(defined({ script, args, ...options })));
      },
    );

  const reportCommand = program
    .command('profile-report <files...>')
    .description('Load, merge and print saved profiles; save the merge or draw a flame graph')
    .option('--save <file>', 'write the merged profile set')
    .option('--flame <file.html>', 'write a self-contained flame graph');
  addTableOptions(reportCommand).action(
    async (
      files: string[],
      options: TableOptions & {
        save?: string;
        flame?: string;
      },
    ) => {
      finish(await runProfileReportCommand(defined({ files, ...options })));
    },
  );

  program
    .command('scale <task>')
    .description(
      'Run module.ts#task over inputs at several worker counts: speedup, efficiency, Karp–Flatt, Amdahl fit',
    )
    .requiredOption('--inputs <file>', 'JSON file: an array of inputs (one argument each)')
    .option('--workers <list>', 'comma-separated worker counts', '1,2,4')
    .option('--repeat <n>', 'runs per worker count', number('--repeat'))
    .option('--no-warmup', 'skip the warm-up run')
    .option('--svg <file>', 'write the chart as SVG')
    .option('--json', 'print the report as JSON')
    .option('-o, --output <file>', 'also write the JSON report to a file')
    .action(
      async (
        task: string,
        options: {
          inputs: string;
          workers: string;
          repeat?: number;
          warmup: boolean;
          svg?: string;
          json?: boolean;
          output?: string;
        },
      ) => {
        finish(await runScaleCommand(defined({ task, ...options })));
      },
    );
}

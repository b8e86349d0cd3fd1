/**
 * The `manycore` command line. commander parses the arguments (help, errors, subcommands) so
 * that this file only maps options to the library's functions.
 */
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { defaultDemoOptions, runDemo } from '../demo/run-demo.ts';
import { addMeasureCommands } from './measure-commands.ts';

function positiveInteger(name: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) {
      throw new InvalidArgumentError(`${name} must be an integer >= 1; received "${value}".`);
    }
    return parsed;
  };
}

export function buildProgram(): Command {
  const program = new Command('manycore')
    .description('Use every core from Node.js: pools, shared memory, measurement.')
    // `profile script.ts --flag` must pass --flag to the script, not parse it here.
    .enablePositionalOptions();
  program
    .command('demo')
    .description('The divisor experiment: main thread vs thread pool, answers verified, speedup table')
    .option(
      '--elements <n>',
      'number of integers in the shared array',
      positiveInteger('--elements'),
      defaultDemoOptions.elements,
    )
    .option('--workers <n>', 'worker threads', positiveInteger('--workers'), availableParallelism())
    .option('--seed <n>', 'PRNG seed of the array', positiveInteger('--seed'), defaultDemoOptions.seed)
    .option(
      '--ranges <n>',
      'element ranges per query (load balance)',
      positiveInteger('--ranges'),
      defaultDemoOptions.rangesPerQuery,
    )
    .option('--no-progress', 'hide the progress bar')
    .action(
      async (options: {
        elements: number;
        workers: number;
        seed: number;
        ranges: number;
        progress: boolean;
      }) => {
        await runDemo({
          elements: options.elements,
          workers: options.workers,
          seed: options.seed,
          rangesPerQuery: options.ranges,
          progress: options.progress,
        });
      },
    );
  addMeasureCommands(program);
  return program;
}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync([...argv]);
}

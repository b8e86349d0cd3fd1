/** `manycore compare A B …`. */
import { compareSubjects, type CompareResult } from '../compare.ts';
import { formatCompareResult } from '../format-compare.ts';
import { loadStatement } from '../statement.ts';
import { resolveTimingOptions } from '../timeit.ts';
import { reportError, writeOutputFile, writers, type CommandIo } from './command-output.ts';

/** Parsed options of `manycore compare`. */
export interface CompareCommandOptions extends CommandIo {
  /** Two or more statements (snippets or `module.ts#export`); the first is the baseline unless `baseline` says otherwise. */
  readonly statements: readonly string[];
  /** `-s, --setup <code>`: snippet run before each run of a snippet statement. */
  readonly setup?: string;
  /** `--baseline <statement>`: the statement the others are judged against (default: the first). */
  readonly baseline?: string;
  /** `--rounds <n>`: interleaved rounds (default 20). */
  readonly rounds?: number;
  /** `--target-ms <ms>`: duration of one run (default 20). */
  readonly targetRepeatMs?: number;
  /** `--confidence <level>`: confidence of the ratio interval (default 0.95). */
  readonly confidence?: number;
  /** `--seed <n>`: bootstrap seed (default 1). */
  readonly seed?: number;
  /** `--fail-if-slower [fraction]`: exit 1 when a candidate is significantly slower than the baseline by more than the fraction (default 0). */
  readonly failIfSlower?: boolean | number;
  /** `--json`: print JSON. */
  readonly json?: boolean;
  /** `-o, --output <file>`: also write the JSON result. */
  readonly output?: string;
}

/**
 * Candidates significantly slower than the baseline by more than `tolerance` (0.05 = 5%).
 *
 * @example findRegressions(result, 0.05).map((c) => c.candidate)
 */
export function findRegressions(result: CompareResult, tolerance = 0): CompareResult['comparisons'] {
  return result.comparisons.filter((c) => c.verdict === 'slower' && 1 / c.ratio.estimate > 1 + tolerance);
}

/**
 * Runs `manycore compare`. Exit code 0; 1 when `failIfSlower` is set and a candidate is
 * significantly slower than the baseline; 2 on invalid statements or options.
 */
export async function runCompareCommand(options: CompareCommandOptions): Promise<number> {
  const { out, err } = writers(options);
  try {
    const subjects = [];
    for (const statement of options.statements) {
      subjects.push(
        await loadStatement(statement, options.setup !== undefined ? { setup: options.setup } : {}),
      );
    }
    const timing = resolveTimingOptions({
      targetRepeatMs: options.targetRepeatMs ?? 20,
    });
    const result = await compareSubjects(subjects, timing, {
      ...(options.baseline !== undefined ? { baseline: options.baseline } : {}),
      ...(options.rounds !== undefined ? { rounds: options.rounds } : {}),
      ...(options.confidence !== undefined ? { confidence: options.confidence } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
    });
    const json = `${JSON.stringify(result, null, 2)}\n`;
    if (options.output) writeOutputFile(options.output, json);
    out(options.json ? json : formatCompareResult(result));
    if (options.failIfSlower !== undefined && options.failIfSlower !== false) {
      const tolerance = typeof options.failIfSlower === 'number' ? options.failIfSlower : 0;
      const regressions = findRegressions(result, tolerance);
      if (regressions.length > 0) {
        err(`failing: ${regressions.map((c) => c.text).join('; ')}\n`);
        return 1;
      }
    }
    return 0;
  } catch (error) {
    return reportError(error, err);
  }
}

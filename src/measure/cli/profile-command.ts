/** `manycore profile script.ts [args…]` and `manycore profile-report FILE…`. */
import { formatProfileTable } from '../profile/format-profile-table.ts';
import { loadProfile, mergeProfiles, saveProfile, writeProfileOutputs } from '../profile/profile-file.ts';
import { profileScript } from '../profile/profile-script.ts';
import type { ProfileTableOptions } from '../profile/profile-table.ts';
import { flameGraphHtml } from '../profile/flame-graph.ts';
import { reportError, writeOutputFile, writers, type CommandIo } from './command-output.ts';

/** Table options shared by both commands: `--sort`, `--limit`, `--filter`, `--include-meta`, `--merge-threads`. */
export interface ProfileTableCommandOptions extends CommandIo {
  /** `--sort <self|total|calls>` (default self). */
  readonly sort?: 'self' | 'total' | 'calls';
  /** `--limit <n>` (default 25). */
  readonly limit?: number;
  /** `--filter <text>`: keep functions whose name or file contains the text. */
  readonly filter?: string;
  /** `--include-meta`: keep (program), (garbage collector), (idle) rows. */
  readonly includeMeta?: boolean;
  /** `--merge-threads`: one table for all threads. */
  readonly mergeThreads?: boolean;
}

/** Parsed options of `manycore profile`. */
export interface ProfileCommandOptions extends ProfileTableCommandOptions {
  readonly script: string;
  readonly args?: readonly string[];
  /** `-o, --out-dir <dir>`: where the files go (default "profile-out"). */
  readonly outDir?: string;
  /** `--name <stem>`: file name stem (default "profile"). */
  readonly name?: string;
  /** `--interval-us <µs>`: sampling interval (default 1000). */
  readonly intervalUs?: number;
  /** `--calls`: exact call counts per function (slower run). */
  readonly calls?: boolean;
}

function tableOptions(options: ProfileTableCommandOptions): ProfileTableOptions {
  return {
    ...(options.sort !== undefined ? { sortBy: options.sort } : {}),
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    ...(options.filter !== undefined ? { filter: options.filter } : {}),
    ...(options.includeMeta !== undefined ? { includeMeta: options.includeMeta } : {}),
    ...(options.mergeThreads !== undefined ? { mergeThreads: options.mergeThreads } : {}),
  };
}

/**
 * Runs `manycore profile`: profiles the script's threads and forked Node children, prints
 * the table and writes the profile set, a speedscope file, per-thread .cpuprofile files and
 * a flame-graph HTML page. Exit code: the script's (0 if it succeeded), 2 on failure to profile.
 */
export async function runProfileCommand(options: ProfileCommandOptions): Promise<number> {
  const { out, err } = writers(options);
  try {
    const { exitCode, profiles } = await profileScript(options.script, options.args ?? [], {
      ...(options.intervalUs !== undefined ? { samplingIntervalUs: options.intervalUs } : {}),
      ...(options.calls !== undefined ? { callCounts: options.calls } : {}),
    });
    out(formatProfileTable(profiles, tableOptions(options)));
    const files = writeProfileOutputs(profiles, options.outDir ?? 'profile-out', options.name ?? 'profile');
    out(
      `\nwrote ${files.profile}\n      ${files.speedscope} (open in https://www.speedscope.app)\n` +
        `      ${files.flameGraph}\n      ${files.cpuProfiles.join('\n      ')} (Chrome DevTools)\n`,
    );
    return exitCode ?? 1;
  } catch (error) {
    return reportError(error, err);
  }
}

/** Parsed options of `manycore profile-report`. */
export interface ProfileReportCommandOptions extends ProfileTableCommandOptions {
  /** Profile files: *.manycore-profile.json or *.cpuprofile; several are merged. */
  readonly files: readonly string[];
  /** `--save <file>`: write the (merged) profile set. */
  readonly save?: string;
  /** `--flame <file.html>`: write flame graphs. */
  readonly flame?: string;
}

/** Runs `manycore profile-report`: loads, merges, prints the table. Exit code 0, or 2 on an unreadable file. */
export function runProfileReportCommand(options: ProfileReportCommandOptions): Promise<number> {
  const { out, err } = writers(options);
  try {
    const sets = options.files.map(loadProfile);
    const set = sets.length === 1 ? (sets[0] as (typeof sets)[number]) : mergeProfiles(sets);
    out(formatProfileTable(set, tableOptions(options)));
    if (options.save) saveProfile(set, options.save);
    if (options.flame) writeOutputFile(options.flame, flameGraphHtml(set));
    return Promise.resolve(0);
  } catch (error) {
    return Promise.resolve(reportError(error, err));
  }
}

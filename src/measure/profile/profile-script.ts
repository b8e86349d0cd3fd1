/**
 * Profiles a whole program in a child Node process with V8's own `--cpu-prof`, which writes
 * one profile per thread when each thread exits, so threads that end on their own are
 * covered too. Process-pool children inherit the flags through `process.execArgv` (what
 * `child_process.fork` passes by default); Node 20 refuses --cpu-prof in NODE_OPTIONS.
 * Exact call counts come from NODE_V8_COVERAGE, which every thread and child honours.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureEnvironment } from '../environment.ts';
import { ProfiledProgramError } from '../errors.ts';
import type { CpuProfile, ProfileSet, ThreadProfile } from './cpu-profile.ts';
import { callCountsFromCoverage } from './profile.ts';

/** Options of {@link profileScript}. */
export interface ProfileScriptOptions {
  /** Sampling interval, µs. Default 1000. */
  readonly samplingIntervalUs?: number;
  /** Record exact call counts (NODE_V8_COVERAGE; block coverage slows the program). Default false. */
  readonly callCounts?: boolean;
  /** Extra Node flags. `--import tsx` is added for .ts scripts. */
  readonly nodeArgs?: readonly string[];
  /** Working directory of the program. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Where the program's stdout/stderr go. Default 'inherit'. */
  readonly stdio?: 'inherit' | 'ignore';
}

/** What {@link profileScript} returns. */
export interface ProfileScriptResult {
  readonly exitCode: number | null;
  readonly profiles: ProfileSet;
}

const PROFILE_NAME = /^CPU\.\d+\.\d+\.(?<pid>\d+)\.(?<tid>\d+)\.\d+\.cpuprofile$/;
const COVERAGE_NAME = /^coverage-(?<pid>\d+)-\d+-(?<tid>\d+)\.json$/;

/** Node's module-hooks thread (from `--import tsx`) is an implementation detail, not the user's thread. */
function isLoaderThread(profile: CpuProfile): boolean {
  return profile.nodes.some((node) => node.callFrame.url === 'node:internal/modules/esm/worker');
}

/**
 * Runs `node [--import tsx] --cpu-prof … script args` and collects one profile per thread of
 * the program and of the Node processes it forks.
 *
 * @example const { profiles } = await profileScript('examples/divisors.ts', ['--n', '1e6']);
 * @throws ProfiledProgramError when the program wrote no profile (killed by a signal, failed to start).
 */
export async function profileScript(
  script: string,
  args: readonly string[] = [],
  options: ProfileScriptOptions = {},
): Promise<ProfileScriptResult> {
  const directory = mkdtempSync(join(tmpdir(), 'manycore-profile-'));
  const profileDir = join(directory, 'cpu');
  const coverageDir = join(directory, 'coverage');
  try {
    const nodeArgs = [
      ...(/\.[cm]?tsx?$/.test(script) ? ['--import', 'tsx'] : []),
      ...(options.nodeArgs ?? []),
      '--cpu-prof',
      `--cpu-prof-dir=${profileDir}`,
      `--cpu-prof-interval=${options.samplingIntervalUs ?? 1000}`,
    ];
    const env = { ...process.env, ...(options.callCounts ? { NODE_V8_COVERAGE: coverageDir } : {}) };
    const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env,
      stdio: options.stdio ?? 'inherit',
    });
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code: number | null) => resolve(code)); // 'close': after stdio and the process handle are released
    });
    // libuv frees the process handle in the "close callbacks" phase, after this turn's
    // setImmediate; two turns let callers (and leak checks) see it gone.
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
    const rootPid = child.pid ?? -1;
    let files: string[] = [];
    try {
      files = readdirSync(profileDir);
    } catch {
      // no directory: nothing was written
    }
    const coverage = new Map<string, ReturnType<typeof callCountsFromCoverage>>();
    if (options.callCounts) {
      for (const file of safeReaddir(coverageDir)) {
        const match = COVERAGE_NAME.exec(file);
        if (!match?.groups) continue;
        const parsed = JSON.parse(readFileSync(join(coverageDir, file), 'utf8')) as Parameters<
          typeof callCountsFromCoverage
        >[0];
        coverage.set(`${match.groups['pid']}/${match.groups['tid']}`, callCountsFromCoverage(parsed));
      }
    }
    const threads: ThreadProfile[] = [];
    for (const file of files) {
      const match = PROFILE_NAME.exec(file);
      if (!match?.groups) continue;
      const pid = Number(match.groups['pid']);
      const threadId = Number(match.groups['tid']);
      const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile;
      if (threadId !== 0 && isLoaderThread(profile)) continue;
      const own = pid === rootPid;
      const name = own
        ? threadId === 0
          ? 'main'
          : `worker ${threadId}`
        : `process ${pid}${threadId === 0 ? '' : ` worker ${threadId}`}`;
      const counts = coverage.get(`${pid}/${threadId}`);
      threads.push({
        name,
        kind: own ? (threadId === 0 ? 'main' : 'worker') : 'process',
        pid,
        threadId,
        profile,
        ...(counts ? { callCounts: counts } : {}),
      });
    }
    if (threads.length === 0) {
      throw new ProfiledProgramError(
        script,
        `it exited with code ${String(exitCode)} and wrote no CPU profile`,
      );
    }
    threads.sort(
      (a, b) =>
        Number(a.pid !== rootPid) - Number(b.pid !== rootPid) || a.pid - b.pid || a.threadId - b.threadId,
    );
    const warnings = exitCode === 0 ? [] : [`the program exited with code ${String(exitCode)}`];
    return {
      exitCode,
      profiles: {
        format: 'manycore-profile',
        version: 1,
        title: ['node', script, ...args].join(' '),
        threads,
        warnings,
        environment: captureEnvironment(),
      },
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function safeReaddir(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}

/** The machine and runtime a result was measured on; stored with every result (figures mean nothing without it). */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { packageVersion } from './package-version.ts';

/**
 * A 1-minute load average above this many runnable threads per core means other work competes
 * with the benchmark (the run itself accounts for at most cores + 1: main thread and workers).
 */
export const BUSY_LOAD_PER_CORE = 2.5;

export interface Environment {
  readonly date: string;
  readonly fields: Readonly<Record<string, string>>;
}

export function describeEnvironment(): Environment {
  const cpus = os.cpus();
  const load = os.loadavg().map((value) => value.toFixed(2));
  return {
    date: new Date().toISOString(),
    fields: {
      manycore: manycoreRevision(),
      node: process.version,
      v8: process.versions.v8,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      cpu: cpus[0]?.model ?? 'unknown',
      cores: `${os.availableParallelism()} available (${cpus.length} listed)`,
      memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
      'load average at start (1/5/15 min)': load.join(' / '),
      peers: ['piscina', 'tinypool', 'workerpool', 'poolifier']
        .map((name) => `${name} ${packageVersion(name)}`)
        .join(', '),
    },
  };
}

/** The commit measured, and whether src/ differs from it (a dirty tree measures unreviewed code). */
function manycoreRevision(): string {
  const root = new URL('..', import.meta.url);
  try {
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'src') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted changes in src/' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** Load average now, to note how busy the shared machine was at the end. */
export function loadAverageNow(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}

/** The machine and runtime a result was measured on; stored with every result (figures mean nothing without it). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { packageVersion } from './package-version.ts';

/**
 * Above this share of the machine's CPU time used by OTHER processes during a section, its
 * figures are marked unreliable: the pool's workers were not getting the cores.
 */
export const BUSY_OTHER_CPU_SHARE = 0.25;

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

/** CPU time counters at one instant: the whole machine's busy time and this process's (all its threads). */
export interface CpuSnapshot {
  readonly machineBusyMs: number;
  readonly ownMs: number;
  readonly wallMs: number;
}

/** Linux only (/proc/stat, in USER_HZ = 10 ms ticks); undefined elsewhere. */
export function cpuSnapshot(): CpuSnapshot | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    // Steal counts as busy: the hypervisor gave our vCPU to someone else.
    const ticks = [user, nice, system, irq, softirq, steal].reduce<number>(
      (sum, value) => sum + (value ?? 0),
      0,
    );
    const own = process.cpuUsage();
    return { machineBusyMs: ticks * 10, ownMs: (own.user + own.system) / 1000, wallMs: performance.now() };
  } catch {
    return undefined;
  }
}

/**
 * The share (0..1) of the machine's CPU time that other processes used between two snapshots;
 * `childMs` is CPU time of this run's own child processes (not in process.cpuUsage()).
 */
export function otherCpuShare(before: CpuSnapshot, after: CpuSnapshot, childMs: number): number {
  const others = after.machineBusyMs - before.machineBusyMs - (after.ownMs - before.ownMs) - childMs;
  const capacity = (after.wallMs - before.wallMs) * os.availableParallelism();
  return Math.min(1, Math.max(0, others / capacity));
}

/**
 * Measures whether something else used the CPU while we measured: the busy time of all CPUs
 * (from /proc/stat) minus this process's own CPU time. Measured, not assumed from the load
 * average, because a short burst from another process skews one run without moving loadavg.
 */
import { readFileSync } from 'node:fs';

/** What the machine did between `startCpuLoadProbe()` and `stop()`. */
export interface CpuLoadReport {
  readonly wallMs: number;
  /** CPU time (user + system) used by this process, all threads. */
  readonly ownCpuMs: number;
  /** CPU time all CPUs spent busy, from /proc/stat; NaN where /proc/stat is missing. */
  readonly machineBusyMs: number;
  /** `machineBusyMs − ownCpuMs`, at least 0: CPU time used by other processes (and the kernel). */
  readonly otherCpuMs: number;
  /** `otherCpuMs / wallMs`: how many cores, on average, others kept busy (0.3 = 30% of one core). */
  readonly otherCores: number;
  /** Steal time reported by the hypervisor: CPU our VM wanted but did not get. */
  readonly stealMs: number;
}

/**
 * Clock ticks per second of /proc/stat. Linux fixes USER_HZ at 100 for user space on every
 * architecture Node supports, whatever the kernel's internal HZ.
 */
const USER_HZ = 100;

interface ProcStatSample {
  readonly busyTicks: number;
  readonly stealTicks: number;
}

function readProcStat(): ProcStatSample | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return { busyTicks: user + nice + system + irq + softirq + steal, stealTicks: steal };
  } catch {
    return undefined;
  }
}

/** A running probe; call `stop()` once the measured work is done. */
export interface CpuLoadProbe {
  stop(): CpuLoadReport;
}

/**
 * Starts measuring machine-wide CPU use. Child processes' CPU counts as "other" (they are
 * other processes), so probe a process pool's run knowing that.
 *
 * @example const probe = startCpuLoadProbe(); work(); const { otherCores } = probe.stop();
 */
export function startCpuLoadProbe(): CpuLoadProbe {
  const startStat = readProcStat();
  const startCpu = process.cpuUsage();
  const startWall = performance.now();
  return {
    stop(): CpuLoadReport {
      const wallMs = performance.now() - startWall;
      const cpu = process.cpuUsage(startCpu);
      const ownCpuMs = (cpu.user + cpu.system) / 1000;
      const endStat = readProcStat();
      if (!startStat || !endStat) {
        return { wallMs, ownCpuMs, machineBusyMs: NaN, otherCpuMs: 0, otherCores: 0, stealMs: 0 };
      }
      const machineBusyMs = ((endStat.busyTicks - startStat.busyTicks) * 1000) / USER_HZ;
      // Tick granularity is 10 ms per CPU, so small negative differences are rounding.
      const otherCpuMs = Math.max(0, machineBusyMs - ownCpuMs);
      return {
        wallMs,
        ownCpuMs,
        machineBusyMs,
        otherCpuMs,
        otherCores: wallMs > 0 ? otherCpuMs / wallMs : 0,
        stealMs: ((endStat.stealTicks - startStat.stealTicks) * 1000) / USER_HZ,
      };
    },
  };
}

/**
 * A warning when others used more than `thresholdCores` cores on average, else undefined.
 * Runs shorter than 20 tick lengths are not judged: /proc/stat's 10 ms ticks make them noise.
 */
export function cpuLoadWarning(report: CpuLoadReport, thresholdCores = 0.15): string | undefined {
  if (Number.isNaN(report.machineBusyMs) || report.wallMs < 200) return undefined;
  if (report.otherCores <= thresholdCores) return undefined;
  return (
    `other processes used ${report.otherCores.toFixed(2)} cores on average during the run ` +
    `(${report.otherCpuMs.toFixed(0)} ms of CPU in ${report.wallMs.toFixed(0)} ms` +
    (report.stealMs > 0 ? `, ${report.stealMs.toFixed(0)} ms stolen by the hypervisor` : '') +
    '); results may be slower and noisier than on a quiet machine'
  );
}

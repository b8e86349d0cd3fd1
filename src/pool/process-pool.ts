import { InvalidOptionError } from '../errors.ts';
import { EngineExecutor } from './engine-executor.ts';
import { resolvePoolOptions, type PoolOptions } from './pool-options.ts';
import { processWorkerFactory } from './process-worker.ts';

/** Options of a ProcessPool: the shared pool options plus the process-only ones. */
export interface ProcessPoolOptions extends PoolOptions {
  /** Working directory of each child. Default: the parent's `process.cwd()`. */
  readonly cwd?: string;
  /**
   * V8 heap limit of each child, in MiB (`--max-old-space-size`). A child past it dies and its
   * task rejects with ERR_WORKER_EXITED, whose reason names this limit. Default: V8's own limit.
   */
  readonly maxMemoryMb?: number;
  /**
   * Linux only: CPU numbers to pin the children to; worker `i` runs on CPU `cpuAffinity[i % n]`
   * (applied with `taskset` before the worker takes a task). Default: not pinned.
   */
  readonly cpuAffinity?: readonly number[];
  /**
   * How long a child stopped by the pool (cancel, timeout, close, idle) may take to exit after
   * SIGTERM, in ms, before it gets SIGKILL. 0 sends SIGKILL at once. Default 2,000.
   */
  readonly killGraceMs?: number;
}

const PROCESS_OPTIONS = ['cwd', 'maxMemoryMb', 'cpuAffinity', 'killGraceMs'];
/** Default grace after SIGTERM: long enough for a cleanup handler, short enough not to stall close(). */
const DEFAULT_KILL_GRACE_MS = 2_000;

/**
 * A pool of child processes (`child_process.fork`). Each worker has its own heap, its own
 * crash domain and its own OS-level limits (heap size, CPU pinning); values travel by V8
 * serialization, so Maps, Sets, Dates and typed arrays survive, but SharedArrayBuffers cannot
 * be sent and every transfer is a copy. A child never outlives the parent, even a SIGKILLed one.
 *
 * @throws InvalidOptionError when an option is out of range (the message names it)
 * @example
 * await using pool = new ProcessPool({ workers: 2, maxMemoryMb: 512 });
 * const t = tasksOf<typeof import('./tasks.ts')>(new URL('./tasks.ts', import.meta.url));
 * console.log(await pool.submit(t.fib, 30));
 */
export class ProcessPool extends EngineExecutor {
  constructor(options: ProcessPoolOptions = {}) {
    const resolved = resolvePoolOptions(options, PROCESS_OPTIONS);
    const { cwd, maxMemoryMb, cpuAffinity, killGraceMs = DEFAULT_KILL_GRACE_MS } = options;
    if (cwd !== undefined && (typeof cwd !== 'string' || cwd.length === 0)) {
      throw new InvalidOptionError('cwd', 'a non-empty directory path', cwd);
    }
    if (maxMemoryMb !== undefined && !(Number.isInteger(maxMemoryMb) && maxMemoryMb >= 1)) {
      throw new InvalidOptionError('maxMemoryMb', 'an integer >= 1 (MiB)', maxMemoryMb);
    }
    if (!(Number.isFinite(killGraceMs) && killGraceMs >= 0)) {
      throw new InvalidOptionError('killGraceMs', 'a finite number >= 0 (ms)', killGraceMs);
    }
    if (cpuAffinity !== undefined) {
      if (process.platform !== 'linux') {
        throw new InvalidOptionError(
          'cpuAffinity',
          `unset on ${process.platform} (it works on Linux only)`,
          cpuAffinity,
        );
      }
      const valid =
        Array.isArray(cpuAffinity) &&
        cpuAffinity.length > 0 &&
        cpuAffinity.every((cpu) => Number.isInteger(cpu) && cpu >= 0);
      if (!valid)
        throw new InvalidOptionError(
          'cpuAffinity',
          'a non-empty array of CPU numbers (integers >= 0)',
          cpuAffinity,
        );
    }
    super(
      resolved,
      processWorkerFactory({
        env: resolved.env,
        execArgv: resolved.execArgv,
        cwd,
        maxMemoryMb,
        cpuAffinity: cpuAffinity === undefined ? undefined : Array.from<number>(cpuAffinity),
        killGraceMs,
      }),
    );
  }
}

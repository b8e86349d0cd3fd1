import type { ResourceLimits } from 'node:worker_threads';
import { InvalidOptionError } from '../errors.ts';
import { EngineExecutor } from './engine-executor.ts';
import { resolvePoolOptions, type PoolOptions } from './pool-options.ts';
import { threadWorkerFactory } from './thread-worker.ts';

/** Options of a ThreadPool: the shared pool options plus the thread-only ones. */
export interface ThreadPoolOptions extends PoolOptions {
  /** V8 heap limits per worker thread; a worker past them dies with an out-of-memory error naming the limit. */
  readonly resourceLimits?: ResourceLimits;
}

/**
 * A pool of worker threads (`node:worker_threads`): the default executor. Threads start fast,
 * share memory (SharedArrayBuffer) and exchange messages in microseconds.
 *
 * @throws InvalidOptionError when an option is out of range (the message names it)
 * @example
 * await using pool = new ThreadPool({ workers: 4 });
 * const t = tasksOf<typeof import('./tasks.ts')>(new URL('./tasks.ts', import.meta.url));
 * console.log(await pool.submit(t.fib, 30));
 */
export class ThreadPool extends EngineExecutor {
  constructor(options: ThreadPoolOptions = {}) {
    const resolved = resolvePoolOptions(options, ['resourceLimits']);
    if (
      options.resourceLimits !== undefined &&
      (typeof options.resourceLimits !== 'object' || options.resourceLimits === null)
    ) {
      throw new InvalidOptionError(
        'resourceLimits',
        'an object such as { maxOldGenerationSizeMb: 256 }',
        options.resourceLimits,
      );
    }
    super(
      resolved,
      threadWorkerFactory({
        resourceLimits: options.resourceLimits,
        env: resolved.env,
        execArgv: resolved.execArgv,
      }),
    );
  }
}

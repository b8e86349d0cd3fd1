import { availableParallelism } from 'node:os';
import { InvalidOptionError } from '../errors.ts';
import type { TaskRef } from '../executor/task-ref.ts';

/** Options shared by every pool backend. Each is checked once, in the constructor. */
export interface PoolOptions {
  /** Fixed number of workers (sets both min and max). Default `os.availableParallelism()`. */
  readonly workers?: number;
  /** Workers kept even when idle. Default: `workers`, or 1 when only `maxWorkers` is given. */
  readonly minWorkers?: number;
  /** Most workers at once; more start only while tasks wait. Default: `workers` or availableParallelism. */
  readonly maxWorkers?: number;
  /** A worker above `minWorkers` idle this long (ms) is stopped. Default 30,000. */
  readonly idleTimeoutMs?: number;
  /** Most tasks waiting in the queue (not yet in a worker). Default Infinity. */
  readonly maxQueue?: number;
  /**
   * What `submit` does when the queue is full: `'reject'` (the future rejects with
   * ERR_QUEUE_FULL) or `'wait'` (the task waits its turn outside the queue; pair with
   * `await pool.onQueueSpace()` for backpressure). Default `'reject'`.
   */
  readonly queueFullPolicy?: 'reject' | 'wait';
  /** A worker is replaced after running this many tasks (bounds leaks). Default Infinity. */
  readonly maxTasksPerWorker?: number;
  /** Run once in every worker before its first task; if it throws, the pool is broken. */
  readonly initializer?: TaskRef<readonly unknown[], unknown>;
  /** Arguments for `initializer`. Default []. */
  readonly initArgs?: readonly unknown[];
  /** Environment of each worker. Threads: default shares `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Node flags for each worker. Default: the parent's `process.execArgv`. */
  readonly execArgv?: readonly string[];
  /** Name prefix of the workers (`name-0`, `name-1`…), shown in stats and debuggers. Default "manycore". */
  readonly name?: string;
  /** Longest wait of `close()` for running tasks, in ms, before workers are stopped. Default 30,000. */
  readonly closeTimeoutMs?: number;
}

/** Options after validation, with every default filled in. */
export interface ResolvedPoolOptions {
  readonly minWorkers: number;
  readonly maxWorkers: number;
  readonly idleTimeoutMs: number;
  readonly maxQueue: number;
  readonly queueFullPolicy: 'reject' | 'wait';
  readonly maxTasksPerWorker: number;
  readonly initializer: TaskRef<readonly unknown[], unknown> | undefined;
  readonly initArgs: readonly unknown[];
  readonly env: Readonly<Record<string, string | undefined>> | undefined;
  readonly execArgv: readonly string[] | undefined;
  readonly name: string;
  readonly closeTimeoutMs: number;
}

const KNOWN = new Set([
  'workers',
  'minWorkers',
  'maxWorkers',
  'idleTimeoutMs',
  'maxQueue',
  'queueFullPolicy',
  'maxTasksPerWorker',
  'initializer',
  'initArgs',
  'env',
  'execArgv',
  'name',
  'closeTimeoutMs',
]);

/** Validates the shared options; `extra` names the options a backend adds. */
export function resolvePoolOptions(options: PoolOptions, extra: readonly string[] = []): ResolvedPoolOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError('options', 'an object', options);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key) && !extra.includes(key)) {
      throw new InvalidOptionError(key, `one of the known options (${[...KNOWN, ...extra].join(', ')})`, key);
    }
  }
  const count = (name: string, value: number | undefined, min: number): void => {
    if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
      throw new InvalidOptionError(name, `an integer >= ${min}`, value);
    }
  };
  count('workers', options.workers, 1);
  count('minWorkers', options.minWorkers, 0);
  count('maxWorkers', options.maxWorkers, 1);
  const maxWorkers = options.maxWorkers ?? options.workers ?? availableParallelism();
  const minWorkers =
    options.minWorkers ?? (options.maxWorkers !== undefined ? Math.min(1, maxWorkers) : maxWorkers);
  if (
    options.workers !== undefined &&
    (options.minWorkers !== undefined || options.maxWorkers !== undefined)
  ) {
    throw new InvalidOptionError(
      'workers',
      'not combined with minWorkers/maxWorkers (use one or the other)',
      options.workers,
    );
  }
  if (minWorkers > maxWorkers) {
    throw new InvalidOptionError('minWorkers', `an integer <= maxWorkers (${maxWorkers})`, minWorkers);
  }
  const positive = (name: string, value: number | undefined, fallback: number, allowZero = false): number => {
    if (value === undefined) return fallback;
    const ok = value === Infinity || (Number.isFinite(value) && (allowZero ? value >= 0 : value > 0));
    if (!ok)
      throw new InvalidOptionError(name, `a number ${allowZero ? '>= 0' : '> 0'} (or Infinity)`, value);
    return value;
  };
  const maxQueue = positive('maxQueue', options.maxQueue, Infinity, true);
  const maxTasksPerWorker = positive('maxTasksPerWorker', options.maxTasksPerWorker, Infinity);
  const idleTimeoutMs = positive('idleTimeoutMs', options.idleTimeoutMs, 30_000, true);
  const closeTimeoutMs = positive('closeTimeoutMs', options.closeTimeoutMs, 30_000, true);
  const policy = options.queueFullPolicy ?? 'reject';
  if (policy !== 'reject' && policy !== 'wait') {
    throw new InvalidOptionError('queueFullPolicy', '"reject" or "wait"', policy);
  }
  const { initializer } = options;
  if (
    initializer !== undefined &&
    (typeof initializer !== 'object' || typeof initializer.moduleUrl !== 'string')
  ) {
    throw new InvalidOptionError('initializer', 'a task reference (from tasksOf or taskRef)', initializer);
  }
  if (options.initArgs !== undefined && !Array.isArray(options.initArgs)) {
    throw new InvalidOptionError('initArgs', 'an array of arguments', options.initArgs);
  }
  if (
    options.execArgv !== undefined &&
    !(Array.isArray(options.execArgv) && options.execArgv.every((a) => typeof a === 'string'))
  ) {
    throw new InvalidOptionError('execArgv', 'an array of strings', options.execArgv);
  }
  if (options.env !== undefined && (typeof options.env !== 'object' || options.env === null)) {
    throw new InvalidOptionError('env', 'an object of strings', options.env);
  }
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name.length === 0)) {
    throw new InvalidOptionError('name', 'a non-empty string', options.name);
  }
  return {
    minWorkers,
    maxWorkers,
    idleTimeoutMs,
    maxQueue,
    queueFullPolicy: policy,
    maxTasksPerWorker,
    initializer,
    initArgs: options.initArgs ?? [],
    env: options.env,
    execArgv: options.execArgv,
    name: options.name ?? 'manycore',
    closeTimeoutMs,
  };
}

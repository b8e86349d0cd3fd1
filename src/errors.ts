/**
 * The error tree of manycore. Every error a user can catch is a `ManycoreError` with a stable
 * `code`; a message says what was expected, what was received and what to do. When an error
 * wraps another (a task's remote error, an abort reason), the wrapped one is `cause`.
 *
 * docs/errors.md lists every code; keep the two in step (a test checks it).
 */

/** Base class of every error manycore throws or rejects with. */
export class ManycoreError extends Error {
  /** Stable, documented identifier (`ERR_…`); match on this, not on the message. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An option had a value outside its accepted range. Thrown synchronously by constructors. */
export class InvalidOptionError extends ManycoreError {
  constructor(
    readonly option: string,
    expected: string,
    received: unknown,
  ) {
    super(
      'ERR_INVALID_OPTION',
      `Option "${option}" must be ${expected}; received ${describeValue(received)}. Fix the value passed for "${option}".`,
    );
  }
}

/** `submit`/`map` was called after `close()` began. */
export class PoolClosedError extends ManycoreError {
  constructor(what = 'submit') {
    super(
      'ERR_POOL_CLOSED',
      `Cannot ${what}: the pool is closed or closing. Create a new pool, or submit before calling close().`,
    );
  }
}

/** A task was cancelled (by `future.cancel()`, an `AbortSignal`, or `close({ cancelPending: true })`). */
export class CancelledError extends ManycoreError {
  constructor(message = 'The task was cancelled before it finished.', options?: { cause?: unknown }) {
    super('ERR_TASK_CANCELLED', message, options);
  }
}

/** A task ran longer than its `timeoutMs`; its worker was stopped and replaced. */
export class TaskTimeoutError extends ManycoreError {
  constructor(
    readonly timeoutMs: number,
    taskName: string,
  ) {
    super(
      'ERR_TASK_TIMEOUT',
      `Task ${taskName} did not finish within timeoutMs=${timeoutMs}; its worker was stopped and replaced. ` +
        'Raise timeoutMs, or split the work into smaller tasks.',
    );
  }
}

/** The task threw (or its promise rejected) inside the worker. `cause` is the remote error. */
export class TaskError extends ManycoreError {
  constructor(taskName: string, remote: RemoteError) {
    super('ERR_TASK_FAILED', `Task ${taskName} threw ${remote.name}: ${remote.message}`, { cause: remote });
  }
}

/**
 * A worker (thread or process) died while running the task: `process.exit()`, an uncaught
 * exception outside the task, out of memory, a signal. The worker is replaced.
 */
export class WorkerExitedError extends ManycoreError {
  constructor(
    readonly exitCode: number | null,
    readonly reason: string,
    taskName: string,
    options?: { cause?: unknown },
  ) {
    super(
      'ERR_WORKER_EXITED',
      `The worker running task ${taskName} exited (${reason}) before the task finished; it was replaced and ` +
        'other tasks went on. Look at the cause, or pass retry: { retries: N } to run it again.',
      options,
    );
  }
}

/** The per-worker initializer threw; the pool is broken and runs no more tasks. */
export class WorkerInitError extends ManycoreError {
  constructor(initializer: string, options?: { cause?: unknown }) {
    super(
      'ERR_WORKER_INIT_FAILED',
      `The worker initializer ${initializer} failed, so no worker can run tasks; the pool is broken. ` +
        'Fix the initializer (see cause) and create a new pool.',
      options,
    );
  }
}

/** A worker exited before it was ready (its entry or the process itself failed to start). */
export class WorkerStartError extends ManycoreError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(
      'ERR_WORKER_START_FAILED',
      `A worker exited before it was ready (${reason}), so the pool is broken and runs no more tasks. ` +
        'Check the pool options (execArgv, resourceLimits, env) and the cause, then create a new pool.',
      options,
    );
  }
}

/** An argument or a result cannot be sent between threads or processes (a function, a symbol…). */
export class NotCloneableError extends ManycoreError {
  constructor(
    readonly path: string,
    received: unknown,
    direction: 'argument' | 'result',
    options?: { cause?: unknown },
  ) {
    super(
      direction === 'argument' ? 'ERR_ARGUMENT_NOT_CLONEABLE' : 'ERR_RESULT_NOT_CLONEABLE',
      `The ${direction} at ${path} cannot be sent to another thread or process (expected data that the ` +
        `structured clone algorithm accepts; received ${describeValue(received)}). Send plain data instead; ` +
        'a function must live in the task module.',
      options,
    );
  }
}

/** The task module could not be found or failed while loading. */
export class TaskModuleError extends ManycoreError {
  constructor(moduleUrl: string, options?: { cause?: unknown }) {
    const detail = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(
      'ERR_TASK_MODULE_LOAD',
      `The task module ${moduleUrl} could not be loaded${detail}. Check the path (it is resolved as a URL, ` +
        'e.g. new URL("./tasks.ts", import.meta.url)) and that the module runs on its own.',
      options,
    );
  }
}

/** The task module loaded but has no function export of that name. */
export class TaskNotFoundError extends ManycoreError {
  constructor(moduleUrl: string, exportName: string, exportNames: readonly string[]) {
    super(
      'ERR_TASK_NOT_FOUND',
      `The task module ${moduleUrl} has no exported function "${exportName}"; its function exports are: ` +
        `${exportNames.length > 0 ? exportNames.join(', ') : '(none)'}. Export the function, or fix the name.`,
    );
  }
}

/** The pool's queue is at `maxQueue` and `queueFullPolicy` is `'reject'`. */
export class QueueFullError extends ManycoreError {
  constructor(maxQueue: number) {
    super(
      'ERR_QUEUE_FULL',
      `The pool's queue holds maxQueue=${maxQueue} tasks already. Await pool.onQueueSpace() before submitting, ` +
        'raise maxQueue, or set queueFullPolicy: "wait".',
    );
  }
}

/** A `.ts` task module was given, but this Node cannot load TypeScript and `tsx` is not installed. */
export class TypeScriptLoaderError extends ManycoreError {
  constructor(moduleUrl: string, options?: { cause?: unknown }) {
    super(
      'ERR_TS_LOADER_MISSING',
      `The task module ${moduleUrl} is TypeScript, but this Node (${process.version}) cannot strip types and ` +
        'the "tsx" package could not be loaded. Run `npm install --save-dev tsx`, or use Node >= 23.6.',
      options,
    );
  }
}

/**
 * An error thrown inside a worker, rebuilt on the caller's side: same `name`, `message`, own
 * properties (such as `code`), `cause` chain, and the remote `stack`.
 */
export class RemoteError extends Error {
  /** Always true: marks an error rebuilt from another thread or process. */
  readonly remote = true;
  [key: string]: unknown;
}

/** A short, safe description of any value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'symbol':
      return `a symbol (${value.description ?? ''})`;
    case 'function':
      return `a function${value.name ? ` (${value.name})` : ''}`;
    default: {
      const constructor: unknown = (value as { constructor?: unknown }).constructor;
      const name = typeof constructor === 'function' ? constructor.name : '';
      return name ? `an object of class ${name}` : 'an object';
    }
  }
}

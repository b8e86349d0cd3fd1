import { InvalidOptionError } from '../errors.ts';

/** Progress reported by a running task through `reportProgress`. */
export interface ProgressEvent {
  /** In [0, 1]. */
  readonly fraction: number;
  /** Whatever the task passed as `detail`. */
  readonly detail: unknown;
}

/** Retry policy for one task. Off unless `retries` > 0. */
export interface RetryOptions {
  /** How many times to run the task again after a failure. Default 0. */
  readonly retries: number;
  /** Wait before the first retry, in ms; doubles on each further retry. Default 100. */
  readonly backoffMs?: number;
  /** Upper bound of the wait between retries, in ms. Default 10,000. */
  readonly maxBackoffMs?: number;
  /**
   * Decides whether a failure is retried. Default: a worker that died (ERR_WORKER_EXITED), or a
   * task error whose remote error has `retryable: true`. Cancellation and timeouts are never
   * retried unless this returns true for them.
   */
  readonly retryOn?: (error: unknown, attempt: number) => boolean;
}

/** Options for one task, set with `taskRef.with({...})`. */
export interface TaskOptions {
  /** Cancels the task when aborted (queued: dropped; running: worker stopped and replaced). */
  readonly signal?: AbortSignal;
  /**
   * Longest run time in ms, counted from when the task is handed to an idle worker. A task that
   * runs longer (even in an infinite loop) has its worker stopped and replaced, and rejects with
   * ERR_TASK_TIMEOUT. Default: no limit.
   */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  /** Called on the main thread with each `reportProgress` of the task. */
  readonly onProgress?: (event: ProgressEvent) => void;
}

/** Checks task options once, when the task is submitted. */
export function validateTaskOptions(options: TaskOptions): void {
  const { timeoutMs, retry, signal, onProgress } = options;
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new InvalidOptionError('timeoutMs', 'a finite number of milliseconds > 0', timeoutMs);
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidOptionError('signal', 'an AbortSignal', signal);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new InvalidOptionError('onProgress', 'a function', onProgress);
  }
  if (retry === undefined) return;
  if (!Number.isInteger(retry.retries) || retry.retries < 0) {
    throw new InvalidOptionError('retry.retries', 'an integer >= 0', retry.retries);
  }
  for (const name of ['backoffMs', 'maxBackoffMs'] as const) {
    const value = retry[name];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new InvalidOptionError(`retry.${name}`, 'a finite number of milliseconds >= 0', value);
    }
  }
}

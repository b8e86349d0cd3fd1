/**
 * Turns a worker's failure report into the error the caller sees, and decides whether a failed
 * task runs again (retry with exponential backoff) or settles.
 */
import {
  CancelledError,
  NotCloneableError,
  TaskError,
  TaskModuleError,
  TaskNotFoundError,
  TaskTimeoutError,
  TypeScriptLoaderError,
  WorkerExitedError,
} from '../errors.ts';
import type { WorkerFailure } from '../protocol/messages.ts';
import { deserializeError } from '../protocol/serialize-error.ts';
import type { TaskRecord } from './task-record.ts';

const DEFAULT_BACKOFF_MS = 100;
const DEFAULT_MAX_BACKOFF_MS = 10_000;

/** The caller-side error for a failure reported by a worker. */
export function failureToError(failure: WorkerFailure, taskName: string): Error {
  switch (failure.kind) {
    case 'threw':
      return new TaskError(taskName, deserializeError(failure.error));
    case 'module':
      return new TaskModuleError(failure.moduleUrl, { cause: deserializeError(failure.error) });
    case 'not-found':
      return new TaskNotFoundError(failure.moduleUrl, failure.exportName, failure.exports);
    case 'ts-loader':
      return new TypeScriptLoaderError(failure.moduleUrl, { cause: deserializeError(failure.error) });
    case 'result-not-cloneable':
      return new NotCloneableError(failure.path, undefined, 'result', {
        cause: deserializeError(failure.error),
      });
  }
}

/** The default retry test: a dead worker, or a task error the task marked `retryable: true`. */
export function isRetryableByDefault(error: unknown): boolean {
  if (error instanceof WorkerExitedError) return true;
  if (error instanceof TaskError) {
    const remote = error.cause as { retryable?: unknown } | undefined;
    return remote?.retryable === true;
  }
  return false;
}

export interface FailureContext {
  /** Run the task again after `delayMs`. */
  retry(delayMs: number): void;
  /** Settle the task with the error. */
  fail(): void;
}

/** Retries the task if its policy allows, else settles it. */
export function settleFailure(record: TaskRecord, error: unknown, context: FailureContext): void {
  const policy = record.options?.retry;
  if (policy === undefined || record.attempt > policy.retries || record.future.done) {
    context.fail();
    return;
  }
  const wanted =
    policy.retryOn !== undefined
      ? policy.retryOn(error, record.attempt)
      : !(error instanceof CancelledError || error instanceof TaskTimeoutError) &&
        isRetryableByDefault(error);
  if (!wanted) {
    context.fail();
    return;
  }
  const base = policy.backoffMs ?? DEFAULT_BACKOFF_MS;
  const delayMs = Math.min(policy.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS, base * 2 ** (record.attempt - 1));
  context.retry(delayMs);
}

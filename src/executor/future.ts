import { CancelledError } from '../errors.ts';

/** Where a future is in its life; `running` means handed to a worker. */
export type FutureState = 'pending' | 'running' | 'fulfilled' | 'rejected' | 'cancelled';

/** What the owner of a future (the executor) can do to it; not part of the public surface. */
export interface FutureControl<T> {
  readonly future: Future<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
  markRunning(): void;
  /** True once the future is settled (fulfilled, rejected or cancelled). */
  readonly settled: boolean;
}

type CancelHook = (error: CancelledError) => boolean;

/**
 * The result of `submit`: a Promise (await it, pass it to `Promise.all`) that also knows its
 * state and can be cancelled, like `concurrent.futures.Future`.
 *
 * `then`/`catch` return plain Promises, not Futures (Symbol.species), so chaining never
 * creates orphan futures.
 *
 * @example
 * const future = pool.submit(t.slowSum, 1e9);
 * future.cancel();               // dropped if queued, its worker stopped if running
 * await future.catch((e) => e.code); // 'ERR_TASK_CANCELLED'
 */
export class Future<T> extends Promise<T> {
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  #state: FutureState = 'pending';
  #onCancel: CancelHook | undefined;

  /** @internal Use `Future.create()`; executors own the resolving functions. */
  constructor(executor: (resolve: (value: T) => void, reject: (error: unknown) => void) => void) {
    super(executor);
  }

  /** Creates a future and the control its executor keeps. */
  static create<T>(onCancel?: CancelHook): FutureControl<T> {
    let resolvePromise!: (value: T) => void;
    let rejectPromise!: (error: unknown) => void;
    const future = new Future<T>((resolve, reject) => {
      resolvePromise = resolve;
      rejectPromise = reject;
    });
    future.#onCancel = onCancel;
    const control: FutureControl<T> = {
      future,
      resolve(value) {
        if (future.done) return;
        future.#state = 'fulfilled';
        resolvePromise(value);
      },
      reject(error) {
        if (future.done) return;
        future.#state = error instanceof CancelledError ? 'cancelled' : 'rejected';
        rejectPromise(error);
      },
      markRunning() {
        if (future.#state === 'pending') future.#state = 'running';
      },
      get settled() {
        return future.done;
      },
    };
    return control;
  }

  /** The current state. */
  get state(): FutureState {
    return this.#state;
  }

  /** True when the future is fulfilled, rejected or cancelled. */
  get done(): boolean {
    return this.#state !== 'pending' && this.#state !== 'running';
  }

  /** True when the task was cancelled. */
  get cancelled(): boolean {
    return this.#state === 'cancelled';
  }

  /**
   * Cancels the task: a queued task is dropped; a running task's worker is stopped and
   * replaced. The future rejects with `CancelledError` (code ERR_TASK_CANCELLED) whose cause is
   * `reason`. A cancellation you asked for is never reported as an unhandled rejection.
   *
   * @returns true if the task was cancelled, false if it had already finished.
   */
  cancel(reason?: unknown): boolean {
    if (this.done) return false;
    const error = new CancelledError(
      'The task was cancelled by future.cancel() or its AbortSignal before it finished.',
      reason === undefined ? undefined : { cause: reason },
    );
    // The caller asked for this: don't crash the process if nobody awaits the future.
    this.catch(() => undefined);
    return this.#onCancel?.(error) ?? false;
  }
}

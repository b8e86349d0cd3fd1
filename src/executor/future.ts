import { CancelledError } from '../errors.ts';

/** Where a future is in its life; `running` means handed to a worker. */
export type FutureState = 'pending' | 'running' | 'fulfilled' | 'rejected' | 'cancelled';

/** The executor side of a future: who to ask when the caller cancels it. */
export interface FutureOwner<Token> {
  /** Cancels the task behind `token`; returns false if it had already finished. */
  cancelTask(token: Token, error: CancelledError): boolean;
}

type Resolver<T> = (value: T) => void;
type Rejecter = (error: unknown) => void;

let pendingResolve: Resolver<never> | undefined;
let pendingReject: Rejecter | undefined;

/**
 * The result of `submit`: a Promise (await it, pass it to `Promise.all`) that also knows its
 * state and can be cancelled, like `concurrent.futures.Future`.
 *
 * `then`/`catch` return plain Promises, not Futures, so chaining never creates orphan
 * futures; `future instanceof Future` and `instanceof Promise` are both true.
 *
 * @example
 * const future = pool.submit(t.slowSum, 1e9);
 * future.cancel();               // dropped if queued, its worker stopped if running
 * await future.catch((e) => e.code); // 'ERR_TASK_CANCELLED'
 */
export class Future<T> extends Promise<T> {
  // One object per task on the hot path: resolvers, owner and token live in fields rather than
  // in a separate control object with closures (100k submits make that difference visible).
  #state: FutureState = 'pending';
  #resolve: Resolver<T>;
  #reject: Rejecter;
  #owner: FutureOwner<unknown> | undefined;
  #token: unknown;

  /** @internal Use `Future.create()`; executors own the resolving functions. */
  constructor(executor: (resolve: Resolver<T>, reject: Rejecter) => void) {
    super(executor);
    this.#resolve = (pendingResolve as Resolver<T> | undefined) ?? noop;
    this.#reject = pendingReject ?? noop;
    pendingResolve = undefined;
    pendingReject = undefined;
  }

  /** @internal Creates a future owned by an executor, which settles it with the static helpers. */
  static create<T, Token>(owner: FutureOwner<Token> | undefined, token: Token): Future<T> {
    const future = new Future<T>(captureResolvers);
    future.#owner = owner;
    future.#token = token;
    return future;
  }

  /** @internal Fulfils the future (no effect once settled). */
  static fulfil<T>(future: Future<T>, value: T): void {
    if (future.done) return;
    future.#state = 'fulfilled';
    future.#resolve(value);
  }

  /** @internal Rejects the future (no effect once settled); a CancelledError marks it cancelled. */
  static fail<T>(future: Future<T>, error: unknown): void {
    if (future.done) return;
    future.#state = error instanceof CancelledError ? 'cancelled' : 'rejected';
    future.#reject(error); // eslint-disable-line @typescript-eslint/prefer-promise-reject-errors -- errors come from the engine, always Error instances
  }

  /** @internal Marks the future as handed to a worker. */
  static markRunning<T>(future: Future<T>): void {
    if (future.#state === 'pending') future.#state = 'running';
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
    if (this.#owner === undefined) {
      Future.fail(this, error);
      return true;
    }
    return this.#owner.cancelTask(this.#token, error);
  }
}

// `await future` and `Promise.all(futures)` take V8's fast path only for objects whose
// `constructor` is the built-in Promise; for any other constructor they wrap each future in a
// new promise and an extra job (measured: 3× the cost per future). So a Future reports
// Promise as its constructor, which also makes then()/catch() build plain Promises.
Reflect.defineProperty(Future.prototype, 'constructor', {
  value: Promise,
  writable: true,
  configurable: true,
});

function noop(): void {}

function captureResolvers(resolve: Resolver<never>, reject: Rejecter): void {
  pendingResolve = resolve;
  pendingReject = reject;
}

/**
 * `asCompleted` and `wait`, as in concurrent.futures, over any Futures (or Promises).
 */
import { InvalidOptionError, ManycoreError } from '../errors.ts';

/** `wait`/`asCompleted` ran out of time before the futures settled. */
export class WaitTimeoutError extends ManycoreError {
  constructor(timeoutMs: number, pending: number) {
    super(
      'ERR_WAIT_TIMEOUT',
      `${pending} future(s) were still pending after timeoutMs=${timeoutMs}. Raise timeoutMs, or handle the pending ones.`,
    );
  }
}

/** When `wait` returns. */
export type ReturnWhen = 'ALL_COMPLETED' | 'FIRST_COMPLETED' | 'FIRST_EXCEPTION';

export interface WaitOptions {
  /** Default 'ALL_COMPLETED'. */
  readonly returnWhen?: ReturnWhen;
  /** Return after this many ms even if the condition is not met. Default: no limit. */
  readonly timeoutMs?: number;
}

export interface WaitResult<F> {
  readonly done: Set<F>;
  readonly notDone: Set<F>;
}

interface Settlement<F> {
  readonly future: F;
  readonly ok: boolean;
}

function track<F extends PromiseLike<unknown>>(
  futures: Iterable<F>,
  onSettle: (s: Settlement<F>) => void,
): F[] {
  const all = [...futures];
  for (const future of all) {
    future.then(
      () => onSettle({ future, ok: true }),
      () => onSettle({ future, ok: false }),
    );
  }
  return all;
}

function checkTimeout(timeoutMs: number | undefined): void {
  if (timeoutMs !== undefined && !(timeoutMs >= 0)) {
    throw new InvalidOptionError('timeoutMs', 'a number of milliseconds >= 0', timeoutMs);
  }
}

/**
 * Waits until all futures settle, the first settles, or the first rejects (`returnWhen`), or
 * until `timeoutMs`. Never rejects: look at the futures in `done`.
 *
 * @example
 * const { done, notDone } = await wait(futures, { returnWhen: 'FIRST_EXCEPTION' });
 */
export function wait<F extends PromiseLike<unknown>>(
  futures: Iterable<F>,
  options: WaitOptions = {},
): Promise<WaitResult<F>> {
  const returnWhen = options.returnWhen ?? 'ALL_COMPLETED';
  if (!['ALL_COMPLETED', 'FIRST_COMPLETED', 'FIRST_EXCEPTION'].includes(returnWhen)) {
    throw new InvalidOptionError(
      'returnWhen',
      '"ALL_COMPLETED", "FIRST_COMPLETED" or "FIRST_EXCEPTION"',
      returnWhen,
    );
  }
  checkTimeout(options.timeoutMs);
  return new Promise((resolve) => {
    const done = new Set<F>();
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      if (timer !== undefined) clearTimeout(timer);
      resolve({ done: new Set(done), notDone: new Set(all.filter((future) => !done.has(future))) });
    };
    const all = track(futures, ({ future, ok }) => {
      done.add(future);
      const met =
        done.size === all.length ||
        returnWhen === 'FIRST_COMPLETED' ||
        (returnWhen === 'FIRST_EXCEPTION' && !ok);
      if (met) finish();
    });
    if (all.length === 0) finish();
    else if (options.timeoutMs !== undefined) timer = setTimeout(finish, options.timeoutMs);
  });
}

/**
 * Yields each future as it settles (fulfilled or rejected), first-finished first.
 *
 * @throws WaitTimeoutError (ERR_WAIT_TIMEOUT) if `timeoutMs` passes with futures still pending
 * @example
 * for await (const future of asCompleted(futures)) console.log(await future);
 */
export async function* asCompleted<F extends PromiseLike<unknown>>(
  futures: Iterable<F>,
  options: { readonly timeoutMs?: number } = {},
): AsyncGenerator<F, void, undefined> {
  checkTimeout(options.timeoutMs);
  const settled: F[] = [];
  let wake: (() => void) | undefined;
  const all = track(futures, ({ future }) => {
    settled.push(future);
    wake?.();
  });
  const deadline = options.timeoutMs === undefined ? undefined : performance.now() + options.timeoutMs;
  let yielded = 0;
  while (yielded < all.length) {
    const next = settled.shift();
    if (next !== undefined) {
      yielded += 1;
      yield next;
      continue;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await new Promise<boolean>((resolve) => {
      wake = () => resolve(false);
      if (deadline !== undefined)
        timer = setTimeout(() => resolve(true), Math.max(0, deadline - performance.now()));
    });
    wake = undefined;
    if (timer !== undefined) clearTimeout(timer);
    if (timedOut) throw new WaitTimeoutError(options.timeoutMs ?? 0, all.length - yielded);
  }
}

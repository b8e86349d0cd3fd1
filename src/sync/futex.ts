/**
 * The waiting primitives everything in src/sync is built from (wait, wait async, notify), plus
 * a futex-style mutex (Drepper, "Futexes Are Tricky", mutex #2) that Lock, Condition and Queue
 * share.
 *
 * Blocking waits are for workers (and for a ProcessPool child's main thread, see
 * {@link permitBlockingOnMainThread}); async waits keep the main thread's event loop running.
 * Every wait has a deadline (`performance.now()` ms, or Infinity) so a dead peer cannot hang a
 * waiter forever.
 *
 * Two kinds of memory, one choice per buffer:
 *   ordinary SharedArrayBuffer ── Atomics.wait / waitAsync / notify (V8's waiter list, one process)
 *   process-shared (/dev/shm)  ── the addon's kernel futex (reaches waiters in every process)
 * Waiters and notifiers on one word must use the same kind, so every primitive notifies through
 * {@link notify} here, never `Atomics.notify` directly.
 */
import { isMainThread, threadId } from 'node:worker_threads';
import { InvalidOptionError } from '../errors.ts';
import { loadSharedBufferAddon, type SharedBufferAddon } from '../shared/native-addon.ts';
import { isProcessShared } from '../shared/process-buffers.ts';
import { BlockingMainThreadError } from './errors.ts';

type WaitAsyncResult =
  { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
// ES2024 lib typing is not in our ES2023 lib set; Node 20 has the function.
const AtomicsWithWaitAsync = Atomics as unknown as {
  waitAsync(cells: Int32Array, index: number, value: number, timeoutMs?: number): WaitAsyncResult;
};

/** setTimeout's largest delay; longer keep-alive timers are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Tries before parking. A wake-up of an idle vCPU costs 45–80 µs (measured on a 2-vCPU VM)
 * while most critical sections here last well under 1 µs, so a short spin avoids most sleeps; longer spins burn a
 * core that, on a 2-vCPU machine, the holder may need.
 */
export const SPIN_TRIES = 100;

/** Unique for each thread of each process, never 0: identifies the owner of a RecursiveLock. */
export const THREAD_TOKEN = (((process.pid & 0x1fffff) << 10) | (threadId & 0x3ff)) + 1;

/**
 * Converts a `timeoutMs` option into an absolute deadline.
 *
 * @throws {InvalidOptionError} ERR_INVALID_OPTION unless timeoutMs is >= 0 (Infinity allowed).
 */
export function deadlineOf(timeoutMs: number): number {
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new InvalidOptionError('timeoutMs', 'a number >= 0 (Infinity to wait forever)', timeoutMs);
  }
  return timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
}

/**
 * Longest single futex wait on process-shared memory, in ms. Every primitive wakes waiters
 * through {@link notify}, so this is only a safety net: were a wake ever lost (a process killed
 * between its write and its notify), a waiter re-reads its word this often instead of
 * sleeping until its timeout. Larger means fewer idle wake-ups, smaller a shorter stall then.
 */
const PROCESS_WAIT_SLICE_MS = 100;

/**
 * Set on a ProcessPool child's globalThis (by src/worker/process-worker-main.ts): its main thread
 * runs tasks, like a worker thread, and has no event loop work that blocking would starve.
 */
const MAY_BLOCK_MAIN_THREAD = Symbol.for('manycore.mayBlockMainThread');

/** Lets blocking waits run on this process's main thread (what a ProcessPool child does). */
export function permitBlockingOnMainThread(): void {
  (globalThis as Record<symbol, unknown>)[MAY_BLOCK_MAIN_THREAD] = true;
}

/** Throws when a blocking wait is attempted on the main thread. */
export function assertMayBlock(method: string): void {
  if (isMainThread && (globalThis as Record<symbol, unknown>)[MAY_BLOCK_MAIN_THREAD] !== true) {
    throw new BlockingMainThreadError(method);
  }
}

/** The futex addon if `cells` lives in process-shared memory, else undefined (use Atomics). */
function processFutex(cells: Int32Array): SharedBufferAddon | undefined {
  return isProcessShared(cells.buffer) ? (loadSharedBufferAddon(true) ?? undefined) : undefined;
}

/**
 * Blocks while `cells[index] === expected`, until notified or the deadline.
 * Returns false only when the deadline has passed; callers re-check their condition in a loop.
 *
 * A wait that times out before the deadline is waited again: V8's `Atomics.waitAsync` drops the
 * fraction of its timeout (5.3 ms fires at 5 ms, before `performance.now()` reaches the deadline;
 * measured on Node 20), and a process-shared wait is cut into slices. Timeouts are rounded up to
 * whole milliseconds so the last slice is not a busy loop.
 */
export function waitSync(cells: Int32Array, index: number, expected: number, deadline: number): boolean {
  const futex = processFutex(cells);
  for (;;) {
    const remainingMs = deadline - performance.now();
    if (remainingMs <= 0) return false;
    const outcome =
      futex === undefined
        ? Atomics.wait(cells, index, expected, Math.ceil(remainingMs))
        : futex.wait(
            cells.buffer as SharedArrayBuffer,
            cells.byteOffset + index * 4,
            expected,
            Math.min(Math.ceil(remainingMs), PROCESS_WAIT_SLICE_MS),
          );
    if (outcome !== 'timed-out') return true;
  }
}

/** The async form of {@link waitSync}; never blocks the calling thread. */
export async function waitAsync(
  cells: Int32Array,
  index: number,
  expected: number,
  deadline: number,
): Promise<boolean> {
  const futex = processFutex(cells);
  for (;;) {
    const remainingMs = deadline - performance.now();
    if (remainingMs <= 0) return false;
    const timeoutMs = Math.ceil(remainingMs);
    const outcome =
      futex === undefined
        ? await atomicsWaitAsync(cells, index, expected, timeoutMs)
        : await new Promise<string>((resolve) => {
            // A helper thread of the addon blocks in the futex; its open handle keeps the loop alive.
            futex.waitAsync(
              cells.buffer as SharedArrayBuffer,
              cells.byteOffset + index * 4,
              expected,
              Math.min(timeoutMs, PROCESS_WAIT_SLICE_MS),
              resolve,
            );
          });
    if (outcome !== 'timed-out') return true;
  }
}

/** One `Atomics.waitAsync`, holding the event loop open while it is pending. */
async function atomicsWaitAsync(
  cells: Int32Array,
  index: number,
  expected: number,
  timeoutMs: number,
): Promise<string> {
  const result = AtomicsWithWaitAsync.waitAsync(cells, index, expected, timeoutMs);
  if (!result.async) return result.value;
  // A pending waitAsync does not keep Node's event loop alive (the process would exit with the
  // promise unsettled, measured on Node 20), so hold a timer for as long as we wait.
  const keepAlive = setInterval(() => {}, Math.min(timeoutMs, MAX_TIMER_MS));
  try {
    return await result.value;
  } finally {
    clearInterval(keepAlive);
  }
}

// Mutex word states.
const UNLOCKED = 0;
const LOCKED = 1;
const CONTENDED = 2; // locked, and someone may be parked on the word

/** One attempt, plus a short spin; true if the mutex is now ours. */
export function tryLockMutex(cells: Int32Array, index: number, spinTries = 0): boolean {
  if (Atomics.compareExchange(cells, index, UNLOCKED, LOCKED) === UNLOCKED) return true;
  for (let i = 0; i < spinTries; i++) {
    if (
      Atomics.load(cells, index) === UNLOCKED &&
      Atomics.compareExchange(cells, index, UNLOCKED, LOCKED) === UNLOCKED
    ) {
      return true;
    }
  }
  return false;
}

/** Blocking acquire of the mutex word; false on timeout. */
export function lockMutexSync(cells: Int32Array, index: number, deadline: number): boolean {
  if (tryLockMutex(cells, index, SPIN_TRIES)) return true;
  // Mark contended so the holder's unlock knows to notify; we own it if the old value was 0.
  while (Atomics.exchange(cells, index, CONTENDED) !== UNLOCKED) {
    if (!waitSync(cells, index, CONTENDED, deadline)) return false;
  }
  return true;
}

/** Async acquire of the mutex word; false on timeout. */
export async function lockMutexAsync(cells: Int32Array, index: number, deadline: number): Promise<boolean> {
  if (tryLockMutex(cells, index, SPIN_TRIES)) return true;
  while (Atomics.exchange(cells, index, CONTENDED) !== UNLOCKED) {
    if (!(await waitAsync(cells, index, CONTENDED, deadline))) return false;
  }
  return true;
}

/**
 * Wakes up to `count` waiters on `cells[index]` (default all), in every process when the memory
 * is process-shared; returns how many woke (as `Atomics.notify`). Use it instead of
 * `Atomics.notify`, which cannot reach a futex waiter.
 */
export function notify(cells: Int32Array, index: number, count = Infinity): number {
  const futex = processFutex(cells);
  if (futex === undefined) return Atomics.notify(cells, index, count);
  return futex.wake(cells.buffer as SharedArrayBuffer, cells.byteOffset + index * 4, count);
}

/** Releases the mutex word; false if it was not locked. */
export function unlockMutex(cells: Int32Array, index: number): boolean {
  const previous = Atomics.exchange(cells, index, UNLOCKED);
  if (previous === CONTENDED) notify(cells, index, 1);
  return previous !== UNLOCKED;
}

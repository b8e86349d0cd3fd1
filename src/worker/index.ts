/**
 * The worker-side API: functions a task module may call while it runs inside a manycore worker.
 * Import from `manycore/worker`.
 */
import { getWorkerIndex, reportForRunningTask } from './task-context.ts';

export { move } from '../protocol/move.ts';

/**
 * Reports how far the running task has come. The caller receives it through the submit option
 * `onProgress` and the pool's `progress` event. Outside a task (or outside a worker) it does
 * nothing, so a task function stays callable on the main thread.
 *
 * @param fraction - progress in [0, 1]; values outside are clamped
 * @param detail - any cloneable value (a message, counts…), delivered as is
 * @example
 * export function crunch(items: number[]) {
 *   for (let i = 0; i < items.length; i++) {
 *     work(items[i]);
 *     if (i % 1000 === 0) reportProgress(i / items.length, { done: i });
 *   }
 * }
 */
export function reportProgress(fraction: number, detail?: unknown): void {
  const clamped = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  reportForRunningTask(clamped, detail);
}

/** The index (0, 1, …) of the worker this code runs in, or undefined outside a manycore worker. */
export function currentWorkerIndex(): number | undefined {
  return getWorkerIndex();
}

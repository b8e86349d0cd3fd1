/** Helpers shared by the executor suites: task handles, leak checks, progress handshakes. */
import { fileURLToPath } from 'node:url';
import { tasksOf, type Future, type PoolEventMap } from '../../src/index.ts';
import type { TestPool } from './backend.ts';
export { checkLeaksAfterEach } from '../helpers/leak-check.ts';

export const tasksUrl = new URL('../fixtures/tasks.ts', import.meta.url);
export const t = tasksOf<typeof import('../fixtures/tasks.ts')>(tasksUrl);
export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** A spinning task that is known to be running: resolves once the worker reported "started". */
export async function startSpinning(
  submit: (onProgress: () => void) => Future<void>,
): Promise<{ readonly future: Future<void> }> {
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const future = submit(() => started());
  future.catch(() => undefined);
  await running;
  // Wrapped: returning a Future from an async function would wait for it to settle.
  return { future };
}

/** Collects an async iterable into an array. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Resolves with the next event of that name from a pool. */
export function nextEvent<K extends keyof PoolEventMap>(
  pool: TestPool,
  name: K,
): Promise<PoolEventMap[K][0]> {
  return new Promise((resolve) => {
    const listener = (...event: PoolEventMap[K]): void => {
      pool.off(name, listener);
      resolve(event[0]);
    };
    pool.on(name, listener);
  });
}

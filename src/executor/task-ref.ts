import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidOptionError } from '../errors.ts';
import type { TaskOptions } from './task-options.ts';

/**
 * A reference to an exported function of a task module, typed by that function: the executor
 * infers argument and result types from it. Build one with `tasksOf` (all exports of a module)
 * or `taskRef` (one export).
 *
 * `A` is the argument tuple, `R` the awaited result.
 */
export interface TaskRef<A extends readonly unknown[], R> {
  /** The module's absolute `file:` URL. */
  readonly moduleUrl: string;
  /** The export's name. */
  readonly exportName: string;
  /** Per-task options (timeout, signal, retry, progress) set with `.with()`. */
  readonly options: TaskOptions | undefined;
  /** A copy of this reference that applies `options` to every task submitted with it. */
  with(options: TaskOptions): TaskRef<A, R>;
  /** Never set: carries the function type so inference works. */
  readonly __signature?: (...args: A) => R;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the widest function type, for matching exports
type AnyFunction = (...args: any[]) => unknown;

/** The task references of a module type `M` (e.g. `typeof import('./tasks.ts')`). */
export type TasksOf<M> = {
  readonly [K in keyof M as M[K] extends AnyFunction ? K : never]: M[K] extends (...args: infer A) => infer R
    ? TaskRef<A, Awaited<R>>
    : never;
};

/** The argument tuple of a task reference. */
export type TaskArgs<T> = T extends { readonly __signature?: (...args: infer A) => unknown } ? A : never;
/** The result type of a task reference. */
export type TaskResult<T> = T extends { readonly __signature?: (...args: never) => infer R } ? R : never;

/**
 * Typed references to every exported function of a task module.
 *
 * @param moduleUrl - the module as a URL (`new URL('./tasks.ts', import.meta.url)`), a `file:`
 *   URL string, or an absolute path
 * @throws InvalidOptionError when `moduleUrl` is a relative path (it would depend on the cwd)
 * @example
 * const t = tasksOf<typeof import('./tasks.ts')>(new URL('./tasks.ts', import.meta.url));
 * const n = await pool.submit(t.countDivisors, 1_000_000); // n: number; a string fails tsc
 */
export function tasksOf<M>(moduleUrl: string | URL): TasksOf<M> {
  const url = normaliseModuleUrl(moduleUrl);
  const cache = new Map<string, TaskRef<readonly unknown[], unknown>>();
  return new Proxy({} as TasksOf<M>, {
    get(_target, property) {
      if (typeof property !== 'string' || property === 'then') return undefined;
      let ref = cache.get(property);
      if (ref === undefined) {
        ref = makeTaskRef(url, property, undefined);
        cache.set(property, ref);
      }
      return ref;
    },
  });
}

/**
 * A typed reference to one export of a task module; `F` is the function's type.
 *
 * @example
 * const parse = taskRef<typeof import('./tasks.ts')['parse']>(new URL('./tasks.ts', import.meta.url), 'parse');
 */
export function taskRef<F extends AnyFunction>(
  moduleUrl: string | URL,
  exportName: string,
): TaskRef<Parameters<F>, Awaited<ReturnType<F>>> {
  return makeTaskRef(normaliseModuleUrl(moduleUrl), exportName, undefined);
}

function makeTaskRef<A extends readonly unknown[], R>(
  moduleUrl: string,
  exportName: string,
  options: TaskOptions | undefined,
): TaskRef<A, R> {
  return Object.freeze({
    moduleUrl,
    exportName,
    options,
    with(next: TaskOptions): TaskRef<A, R> {
      return makeTaskRef(moduleUrl, exportName, { ...options, ...next });
    },
  });
}

/** Resolves a module given as URL, `file:` string or absolute path to a `file:` URL string. */
export function normaliseModuleUrl(moduleUrl: string | URL): string {
  if (moduleUrl instanceof URL) return moduleUrl.href;
  if (typeof moduleUrl !== 'string' || moduleUrl.length === 0) {
    throw new InvalidOptionError('moduleUrl', 'a URL, a file: URL string or an absolute path', moduleUrl);
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(moduleUrl) && !/^[a-z]:[\\/]/i.test(moduleUrl)) return moduleUrl;
  if (!isAbsolute(moduleUrl)) {
    throw new InvalidOptionError(
      'moduleUrl',
      'a URL or an absolute path (use new URL("./tasks.ts", import.meta.url))',
      moduleUrl,
    );
  }
  return pathToFileURL(moduleUrl).href;
}

/** A short name for messages: `tasks.ts#parse`. */
export function describeTask(task: { moduleUrl: string; exportName: string }): string {
  const file = task.moduleUrl.slice(task.moduleUrl.lastIndexOf('/') + 1);
  return `${file}#${task.exportName}`;
}

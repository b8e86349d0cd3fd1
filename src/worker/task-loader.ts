/**
 * Loads task modules inside a worker and finds their exports. A `.ts` module needs a loader on
 * Node 20: `tsx` is registered once per worker, on first need (an optional peer dependency, so
 * the core itself stays on `node:` built-ins).
 */
import type { TaskDefinition, WorkerFailure } from '../protocol/messages.ts';
import { serializeError } from '../protocol/serialize-error.ts';

export type TaskFunction = (...args: unknown[]) => unknown;

const TS_EXTENSION = /\.(?:ts|mts|cts|tsx)$/;
const TSX_FLAG = Symbol.for('manycore.tsxRegistered');

/** A failure to load, carried as wire data so it reaches the caller unchanged. */
export class LoadFailure extends Error {
  constructor(readonly failure: WorkerFailure) {
    super('task load failed');
  }
}

export class TaskLoader {
  readonly #modules = new Map<string, Promise<Record<string, unknown>>>();
  readonly #functions = new Map<number, TaskFunction>();
  readonly #definitions = new Map<number, TaskDefinition>();

  define(definition: TaskDefinition): void {
    this.#definitions.set(definition.key, definition);
  }

  /** The function for a key if it is loaded already: the synchronous fast path. */
  loaded(key: number): TaskFunction | undefined {
    return this.#functions.get(key);
  }

  /** Loads the module behind `key` (once) and returns the export; throws a LoadFailure. */
  async load(key: number): Promise<TaskFunction> {
    const definition = this.#definitions.get(key);
    if (definition === undefined) throw new Error(`manycore internal error: unknown task key ${key}`);
    const module = await this.#importModule(definition.moduleUrl);
    const candidate = module[definition.exportName];
    if (typeof candidate !== 'function') {
      const exports = Object.keys(module).filter((name) => typeof module[name] === 'function');
      throw new LoadFailure({
        kind: 'not-found',
        moduleUrl: definition.moduleUrl,
        exportName: definition.exportName,
        exports,
      });
    }
    const fn = candidate as TaskFunction;
    this.#functions.set(key, fn);
    return fn;
  }

  #importModule(moduleUrl: string): Promise<Record<string, unknown>> {
    let pending = this.#modules.get(moduleUrl);
    if (pending === undefined) {
      pending = importTaskModule(moduleUrl);
      this.#modules.set(moduleUrl, pending);
    }
    return pending;
  }
}

async function importTaskModule(moduleUrl: string): Promise<Record<string, unknown>> {
  if (TS_EXTENSION.test(moduleUrl)) await ensureTypeScriptLoader(moduleUrl);
  try {
    return (await import(moduleUrl)) as Record<string, unknown>;
  } catch (error) {
    throw new LoadFailure({ kind: 'module', moduleUrl, error: serializeError(error) });
  }
}

/** Registers tsx in this thread once; falls back to Node's own type stripping (Node >= 23.6). */
async function ensureTypeScriptLoader(moduleUrl: string): Promise<void> {
  const registry = globalThis as { [TSX_FLAG]?: boolean };
  if (registry[TSX_FLAG] === true) return;
  try {
    const api = (await import('tsx/esm/api')) as { register: () => unknown };
    api.register();
    registry[TSX_FLAG] = true;
  } catch (error) {
    const features = process.features as { typescript?: string | false };
    if (typeof features.typescript === 'string') return; // this Node strips types itself
    throw new LoadFailure({ kind: 'ts-loader', moduleUrl, error: serializeError(error) });
  }
}

/**
 * manycore, imported from the BUILT library (dist/) so the benchmark runs the JS users get,
 * not tsx-transpiled source. The URL is computed so that type-checking does not need dist/.
 */
import type * as Manycore from '../../src/index.ts';
import type * as Kernels from '../tasks/kernels.mjs';
import { KERNELS_URL, type Contender, type PoolHandle, type TaskName } from './contender.ts';

const distUrl = new URL('../../dist/index.js', import.meta.url).href;
const manycore = (await import(distUrl)) as typeof Manycore;
const packageJson = (await import('../../package.json', { with: { type: 'json' } })) as {
  default: { version: string };
};

const tasks = manycore.tasksOf<typeof Kernels>(KERNELS_URL);
// Resolved once: tasksOf returns a Proxy, and a lookup per submit is not what users write.
const refs = { inc: tasks.inc, divisorSum: tasks.divisorSum, sum: tasks.sum } as const;

export const manycoreContender: Contender = {
  label: `manycore ${packageJson.default.version}`,
  key: 'manycore',
  isPeer: false,
  create(workers: number): PoolHandle {
    const pool = new manycore.ThreadPool({ workers, execArgv: [] });
    return {
      submit(task: TaskName, payload: unknown, options): Promise<unknown> {
        const ref = refs[task] as Manycore.TaskRef<readonly [unknown], unknown>;
        const value = options?.transfer === true ? manycore.move(payload as Float64Array) : payload;
        return pool.submit(ref, value);
      },
      close: () => pool.close(),
    };
  },
};

/** The pool itself, for workloads that use manycore-only API (lazy map). */
export function createManycorePool(workers: number): {
  readonly pool: Manycore.ThreadPool;
  readonly inc: Manycore.TaskRef<readonly [number], number>;
} {
  return { pool: new manycore.ThreadPool({ workers, execArgv: [] }), inc: refs.inc };
}

/**
 * The process-backed pools compared in bench/process/run.ts, behind one small interface:
 * manycore's ProcessPool (imported from the BUILT dist/), tinypool (runtime 'child_process'),
 * workerpool (workerType 'process') and poolifier (cluster pool, CommonJS worker).
 */
import { fileURLToPath } from 'node:url';
import { FixedClusterPool } from 'poolifier';
import { Tinypool } from 'tinypool';
import workerpool from 'workerpool';
import type * as Manycore from '../../src/index.ts';
import type * as Kernels from '../tasks/kernels.mjs';
import { KERNELS_URL, type PoolHandle } from '../contenders/contender.ts';
import { packageVersion } from '../package-version.ts';

const distUrl = new URL('../../dist/index.js', import.meta.url).href;
export const manycore = (await import(distUrl)) as typeof Manycore;

export interface ProcessContender {
  readonly label: string;
  readonly key: 'manycore' | 'tinypool' | 'workerpool' | 'poolifier';
  /** True when the pool can take memory shared across processes (only manycore). */
  readonly shares: boolean;
  create(workers: number): PoolHandle;
}

const tasks = manycore.tasksOf<typeof Kernels>(KERNELS_URL);
const refs = { inc: tasks.inc, divisorSum: tasks.divisorSum, sum: tasks.sum } as const;

const manycoreProcess: ProcessContender = {
  label: 'manycore ProcessPool',
  key: 'manycore',
  shares: true,
  create(workers) {
    const pool = new manycore.ProcessPool({ workers, execArgv: [] });
    return {
      submit: (task, payload) =>
        pool.submit(refs[task] as Manycore.TaskRef<readonly [unknown], unknown>, payload),
      close: () => pool.close(),
    };
  },
};

const tinypoolProcess: ProcessContender = {
  label: `tinypool ${packageVersion('tinypool')} (child_process)`,
  key: 'tinypool',
  shares: false,
  create(workers) {
    const pool = new Tinypool({
      filename: KERNELS_URL.href,
      runtime: 'child_process',
      minThreads: workers,
      maxThreads: workers,
      execArgv: [],
      // Typed arrays survive only V8 serialization (the default JSON channel empties them).
      serialization: 'advanced',
    });
    return {
      submit: (task, payload) => pool.run(payload, { name: task }) as Promise<unknown>,
      close: () => pool.destroy(),
    };
  },
};

const workerpoolProcess: ProcessContender = {
  label: `workerpool ${packageVersion('workerpool')} (process)`,
  key: 'workerpool',
  shares: false,
  create(workers) {
    const script = fileURLToPath(new URL('../tasks/workerpool-worker.mjs', KERNELS_URL));
    // 'advanced' serialization, so typed arrays reach the worker as typed arrays (the default
    // JSON channel would turn 8 M doubles into a giant object).
    const pool = workerpool.pool(script, {
      workerType: 'process',
      minWorkers: workers,
      maxWorkers: workers,
      forkOpts: { execArgv: [], serialization: 'advanced' },
    });
    return {
      submit: (task, payload) => pool.exec(task, [payload]),
      close: async () => {
        await pool.terminate();
      },
    };
  },
};

const poolifierCluster: ProcessContender = {
  label: `poolifier ${packageVersion('poolifier')} (cluster)`,
  key: 'poolifier',
  shares: false,
  create(workers) {
    const script = fileURLToPath(new URL('./poolifier-cluster-worker.cjs', import.meta.url));
    const pool = new FixedClusterPool<unknown, unknown>(workers, script, {
      settings: { execArgv: [], serialization: 'advanced' },
    });
    return {
      submit: (task, payload) => pool.execute(payload, task),
      close: () => pool.destroy(),
    };
  },
};

export const PROCESS_CONTENDERS: readonly ProcessContender[] = [
  manycoreProcess,
  tinypoolProcess,
  workerpoolProcess,
  poolifierCluster,
];

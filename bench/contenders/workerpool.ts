import { fileURLToPath } from 'node:url';
import workerpool from 'workerpool';
import { bufferOf, type Contender, type PoolHandle } from './contender.ts';
import { packageVersion } from '../package-version.ts';

const version = packageVersion('workerpool');
const script = fileURLToPath(new URL('../tasks/workerpool-worker.mjs', import.meta.url));

export const workerpoolContender: Contender = {
  label: `workerpool ${version}`,
  key: 'workerpool',
  isPeer: true,
  create(workers: number): PoolHandle {
    // 'thread' explicitly: 'auto' would pick worker_threads too, but the README warns against relying on it.
    const pool = workerpool.pool(script, {
      minWorkers: workers,
      maxWorkers: workers,
      workerType: 'thread',
      workerThreadOpts: { execArgv: [] },
    });
    return {
      submit: (task, payload, options) =>
        pool.exec(
          task,
          [payload],
          options?.transfer === true ? { transfer: [bufferOf(payload)] } : undefined,
        ) as Promise<unknown>,
      close: async () => {
        await pool.terminate();
      },
    };
  },
};

import { fileURLToPath } from 'node:url';
import { FixedThreadPool } from 'poolifier';
import { bufferOf, type Contender, type PoolHandle } from './contender.ts';
import { packageVersion } from '../package-version.ts';

const version = packageVersion('poolifier');
const script = fileURLToPath(new URL('../tasks/poolifier-worker.mjs', import.meta.url));

export const poolifierContender: Contender = {
  label: `poolifier ${version}`,
  key: 'poolifier',
  isPeer: true,
  create(workers: number): PoolHandle {
    // Defaults otherwise (no task queue): what a user gets from the README's first example.
    const pool = new FixedThreadPool<unknown, unknown>(workers, script, { workerOptions: { execArgv: [] } });
    return {
      submit: (task, payload, options) =>
        pool.execute(payload, task, undefined, options?.transfer === true ? [bufferOf(payload)] : undefined),
      close: () => pool.destroy(),
    };
  },
};

import { Piscina } from 'piscina';
import { bufferOf, KERNELS_URL, type Contender, type PoolHandle } from './contender.ts';
import { packageVersion } from '../package-version.ts';

const version = packageVersion('piscina');

export const piscinaContender: Contender = {
  label: `piscina ${version}`,
  key: 'piscina',
  isPeer: true,
  create(workers: number): PoolHandle {
    const pool = new Piscina({
      filename: KERNELS_URL.href,
      minThreads: workers,
      maxThreads: workers,
      execArgv: [],
    });
    return {
      submit: (task, payload, options) =>
        pool.run(payload, {
          name: task,
          ...(options?.transfer === true && { transferList: [bufferOf(payload)] }),
        }) as Promise<unknown>,
      close: () => pool.destroy(),
    };
  },
};

import { Tinypool } from 'tinypool';
import { bufferOf, KERNELS_URL, type Contender, type PoolHandle } from './contender.ts';
import { packageVersion } from '../package-version.ts';

const version = packageVersion('tinypool');

export const tinypoolContender: Contender = {
  label: `tinypool ${version}`,
  key: 'tinypool',
  isPeer: true,
  create(workers: number): PoolHandle {
    const pool = new Tinypool({
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

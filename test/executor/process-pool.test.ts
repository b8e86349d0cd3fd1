import { ProcessPool, type ProcessPoolOptions } from '../../src/index.ts';
import { contractSuite } from './contract.ts';
import { faultSuite } from './faults.ts';
import type { Backend } from './backend.ts';

const processes: Backend = {
  name: 'ProcessPool',
  create: (options = {}) => new ProcessPool(options as ProcessPoolOptions),
  sharesMemory: false,
  smallHeap: { options: { maxMemoryMb: 32 }, reasonIncludes: 'maxMemoryMb=32' },
};

contractSuite(processes);
faultSuite(processes);

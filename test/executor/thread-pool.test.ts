import { ThreadPool, type ThreadPoolOptions } from '../../src/index.ts';
import { contractSuite } from './contract.ts';
import { faultSuite } from './faults.ts';
import type { Backend } from './backend.ts';

const threads: Backend = {
  name: 'ThreadPool',
  create: (options = {}) => new ThreadPool(options as ThreadPoolOptions),
  sharesMemory: true,
  smallHeap: {
    options: { resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 } },
    reasonIncludes: 'maxOldGenerationSizeMb=32',
  },
};

contractSuite(threads);
faultSuite(threads);

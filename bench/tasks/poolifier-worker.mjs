// poolifier's thread worker: the shared kernels as named task functions.
import { ThreadWorker } from 'poolifier';
import { divisorSum, inc, sum } from './kernels.mjs';

export default new ThreadWorker({ inc, divisorSum, sum });

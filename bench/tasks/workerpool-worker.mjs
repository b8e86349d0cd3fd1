// workerpool's worker script: registers the shared kernels under their names.
import workerpool from 'workerpool';
import { divisorSum, inc, sum } from './kernels.mjs';

workerpool.worker({ inc, divisorSum, sum });

// The hand-written reference: a bare worker_threads worker with no library in between.
// Messages are [id, name, payload] (one task) or [id, 'batch', items] (the map ceiling).
import { parentPort } from 'node:worker_threads';
import * as kernels from './kernels.mjs';

parentPort.on('message', (message) => {
  const [id, name, payload] = message;
  if (name === 'batch') {
    const results = new Array(payload.length);
    for (let index = 0; index < payload.length; index += 1) results[index] = kernels.inc(payload[index]);
    parentPort.postMessage([id, results]);
    return;
  }
  parentPort.postMessage([id, kernels[name](payload)]);
});

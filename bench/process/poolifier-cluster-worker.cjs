// poolifier's cluster worker. CommonJS on purpose: with an ES-module worker poolifier 5.3.2's
// cluster pool never answers on Node 20 (FACTS.md: the first IPC message arrives before the
// module registers its listener). Node 20 cannot require() the ES kernels, so these are the
// same three functions as bench/tasks/kernels.mjs, line for line.
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS worker is the point (see above)
const { ClusterWorker } = require('poolifier');

function inc(value) {
  return value + 1;
}

function divisorSum(query) {
  return sumDivisorCounts(new Int32Array(query.shared), query.limit);
}

function sumDivisorCounts(values, limit) {
  let total = 0;
  for (let index = 0; index < values.length; index += 1) {
    const x = values[index];
    if (x <= limit) total += countDivisors(x);
  }
  return total;
}

function countDivisors(x) {
  let count = 0;
  for (let d = 1; d * d <= x; d += 1) {
    if (x % d === 0) count += d * d === x ? 1 : 2;
  }
  return count;
}

function sum(array) {
  let total = 0;
  for (let index = 0; index < array.length; index += 1) total += array[index];
  return total;
}

module.exports = new ClusterWorker({ inc, divisorSum, sum });

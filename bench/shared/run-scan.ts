/**
 * Only the SharedArray scan benchmarks, for quick before/after comparisons while tuning access
 * paths (the full suite in run.ts also starts workers). Prints medians and the load average;
 * writes nothing.
 *
 *   node --import tsx bench/shared/run-scan.ts [repetitions]
 */
import { loadavg } from 'node:os';
import { scanBenchmarks } from './scan.ts';
import { median } from '../stats.ts';

const repetitions = Number(process.argv[2] ?? 9);
const results = new Map<string, number[]>();
const loadBefore = loadavg()[0]!;
for (let rep = 0; rep < repetitions; rep++) {
  for (const [name, ms] of scanBenchmarks()) results.set(name, [...(results.get(name) ?? []), ms]);
}
// Ratios to the plain loop are taken within each repetition, then the median: a burst of load
// then slows both sides of a ratio alike. Reads compare with the plain read loop, set(i) rows
// with the plain store loop.
const plainOf = (name: string): number[] => {
  const loop = name.includes('set(i)') ? 'store loop' : 'loop';
  const unit = name.includes('CPU') ? 'CPU ms' : 'ms';
  return results.get(`scan 256 MiB: plain Float64Array ${loop} (${unit})`) ?? [];
};
process.stdout.write(
  `Node ${process.version}, ${repetitions} repetitions, load average ${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}\n`,
);
for (const [name, values] of results) {
  const m = median(values);
  const min = Math.min(...values);
  const plain = plainOf(name);
  const ratio = median(values.map((value, rep) => value / plain[rep]!));
  process.stdout.write(
    `${name.padEnd(60)} median ${m.toFixed(1).padStart(7)}  min ${min.toFixed(1).padStart(7)}  ×${ratio.toFixed(2)}\n`,
  );
}

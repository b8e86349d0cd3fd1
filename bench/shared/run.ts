/**
 * Shared-memory benchmarks (not tests): lock acquire/release, Queue vs MessagePort throughput,
 * SharedArray sequential scan vs a plain TypedArray. Medians over interleaved repetitions;
 * results go to bench/shared/results/node-<major>.md with the environment (RESULTS.md is the
 * hand-written summary with before/after figures).
 *
 *   node --import tsx bench/shared/run.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { MessageChannel, Worker } from 'node:worker_threads';
import { SharedArray } from '../../src/shared/shared-array.ts';
import { Barrier } from '../../src/sync/barrier.ts';
import { Lock } from '../../src/sync/lock.ts';
import { Queue } from '../../src/sync/queue.ts';
import type { Role } from './bench-worker.ts';
import { scanBenchmarks } from './scan.ts';
import { median } from '../stats.ts';

const REPETITIONS = 7;
const bootstrap =
  `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((api) => { api.register(); ` +
  `return import(${JSON.stringify(new URL('./bench-worker.ts', import.meta.url).href)}); });`;

/** Starts one worker per role spec, releases them together, returns the slowest elapsed ms. */
async function runWorkers(
  specs: { role: Role; args: unknown[]; transfer?: MessagePortLike[] }[],
): Promise<number> {
  const start = new Barrier({ parties: specs.length });
  const times = await Promise.all(
    specs.map(({ role, args, transfer }) => {
      const worker = new Worker(bootstrap, {
        eval: true,
        workerData: { role, args: [start, ...args] },
        transferList: transfer ?? [],
      });
      return new Promise<number>((resolve, reject) => {
        worker.once('message', (elapsed: number) => resolve(elapsed));
        worker.once('error', reject);
      }).finally(() => void worker.terminate());
    }),
  );
  return Math.max(...times);
}
type MessagePortLike = import('node:worker_threads').MessagePort;

async function lockNsPerOp(workers: number, times: number): Promise<number> {
  const lock = new Lock();
  const cell = SharedArray.create('Int32', 1);
  const elapsed = await runWorkers(
    Array.from({ length: workers }, () => ({ role: 'lock' as const, args: [lock, cell, times] })),
  );
  if (cell.get(0) !== workers * times) throw new Error('lock benchmark lost updates');
  return (elapsed * 1e6) / (workers * times);
}

async function queueItemsPerSecond(kind: 'number' | 'object', count: number): Promise<number> {
  const queue = new Queue({ capacity: 1024, capacityBytes: 1 << 20 });
  const elapsed = await runWorkers([
    { role: 'queue-produce', args: [queue, count, kind] },
    { role: 'queue-consume', args: [queue, count] },
  ]);
  return count / (elapsed / 1000);
}

async function portItemsPerSecond(kind: 'number' | 'object', count: number): Promise<number> {
  const { port1, port2 } = new MessageChannel();
  const elapsed = await runWorkers([
    { role: 'port-produce', args: [port1, count, kind], transfer: [port1] },
    { role: 'port-consume', args: [port2, count], transfer: [port2] },
  ]);
  return count / (elapsed / 1000);
}

async function mainThreadLockNs(times: number): Promise<{ tryAcquire: number; asyncAcquire: number }> {
  const lock = new Lock();
  let t0 = performance.now();
  for (let i = 0; i < times; i++) lock.tryAcquire()?.release();
  const tryAcquire = ((performance.now() - t0) * 1e6) / times;
  t0 = performance.now();
  for (let i = 0; i < times / 10; i++) (await lock.acquire()).release();
  const asyncAcquire = ((performance.now() - t0) * 1e6) / (times / 10);
  return { tryAcquire, asyncAcquire };
}

const loadBefore = loadavg();
const results = new Map<string, number[]>();
const record = (name: string, value: number): void =>
  void results.set(name, [...(results.get(name) ?? []), value]);

for (let rep = 0; rep < REPETITIONS; rep++) {
  // Interleaved: every benchmark once per repetition, so machine noise spreads over all of them.
  record('lock, 1 worker, uncontended (ns/op)', await lockNsPerOp(1, 2_000_000));
  record('lock, 2 workers, contended (ns/op)', await lockNsPerOp(2, 500_000));
  const main = await mainThreadLockNs(1_000_000);
  record('lock, main thread tryAcquire+release (ns/op)', main.tryAcquire);
  record('lock, main thread await acquire()+release (ns/op)', main.asyncAcquire);
  record('Queue numbers worker→worker (items/s)', await queueItemsPerSecond('number', 500_000));
  record('MessagePort numbers worker→worker (items/s)', await portItemsPerSecond('number', 500_000));
  record('Queue objects worker→worker (items/s)', await queueItemsPerSecond('object', 200_000));
  record('MessagePort objects worker→worker (items/s)', await portItemsPerSecond('object', 200_000));
  for (const [name, value] of scanBenchmarks()) record(name, value);
  process.stdout.write(`repetition ${rep + 1}/${REPETITIONS} done\n`);
}

const rows = [...results].map(([name, values]) => {
  const m = median(values);
  const spread = `${Math.min(...values).toPrecision(3)} … ${Math.max(...values).toPrecision(3)}`;
  return `| ${name} | ${m >= 1e4 ? Math.round(m).toLocaleString('en-US') : m.toPrecision(3)} | ${spread} |`;
});
const report = [
  '# Shared-memory benchmarks',
  '',
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `${new Date().toISOString().slice(0, 10)}. Median of ${REPETITIONS} interleaved repetitions (min … max beside it). ` +
    'Produced by `node --import tsx bench/shared/run.ts`; the machine is shared, so compare rows of one run, not runs. ' +
    `Load average (1/5/15 min) ${loadBefore.map((l) => l.toFixed(2)).join('/')} at start, ` +
    `${loadavg()
      .map((l) => l.toFixed(2))
      .join('/')} at end, on ${cpus().length} CPUs.`,
  '',
  '| benchmark | median | min … max |',
  '| --- | ---: | --- |',
  ...rows,
  '',
];
const major = process.versions.node.split('.')[0] ?? 'unknown';
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL(`./results/node-${major}.md`, import.meta.url), report.join('\n'));
process.stdout.write(report.join('\n'));

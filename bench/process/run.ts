/**
 * Process-backed pools side by side (issue 4 §3): manycore's ProcessPool against tinypool
 * (child_process), workerpool (process) and poolifier (cluster), 2 processes each, in one run.
 *
 *   (a) 100,000 trivial tasks submitted at once → tasks/s
 *   (c) the divisor workload (13 queries over 1,000,000 seeded ints): speedup over the main
 *       thread. Peers get the array copied with every query; manycore maps it once, shared.
 *   (d) a 64 MiB Float64Array sent to a child and summed: copied vs shared across processes,
 *       against the ThreadPool's shared figure.
 *
 *   npm run build && node --import tsx bench/process/run.ts [--quick]
 *
 * Repetitions are interleaved (each repetition visits every contender) and medians reported;
 * every library call is raced against a timeout (some peers hang on close). Writes
 * bench/process/RESULTS.md with the environment and load averages.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type * as Allocators from '../../src/shared/process-memory-allocator.ts';
import { sumDivisorCounts } from '../tasks/kernels.mjs';
import type * as Kernels from '../tasks/kernels.mjs';
import { KERNELS_URL } from '../contenders/contender.ts';
import { describeEnvironment, loadAverageNow } from '../environment.ts';
import { withTimeout } from '../guard.ts';
import { formatTable } from '../report.ts';
import { median } from '../stats.ts';
import type { PoolHandle } from '../contenders/contender.ts';
import { manycore, PROCESS_CONTENDERS, type ProcessContender } from './contenders.ts';
import { ELEMENTS, fillDivisorInts, QUERY_KS, WARMUP_LIMIT } from '../workloads/divisors.ts';

const allocators = (await import(
  new URL('../../dist/shared/process-memory-allocator.js', import.meta.url).href
)) as typeof Allocators;

const WORKERS = 2;
const CALL_TIMEOUT_MS = 120_000;
const CLOSE_TIMEOUT_MS = 5_000;
const FLOATS = (64 * 2 ** 20) / 8;

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick === true;
const TINY_TASKS = quick ? 10_000 : 100_000;
const REPS_A = quick ? 1 : 3;
const REPS_C = quick ? 1 : 3;
const REPS_D = quick ? 2 : 5;
const log = (line: string): void => void process.stderr.write(`  ${line}\n`);
const notes: string[] = [];

/** Runs `body` on a fresh pool (started and warmed outside the timing); null when it failed or hung. */
async function onFreshPool<T>(
  contender: ProcessContender,
  what: string,
  body: (pool: PoolHandle) => Promise<T>,
): Promise<T | null> {
  const pool = contender.create(WORKERS);
  try {
    const warm = await withTimeout(
      Promise.all(Array.from({ length: 4 * WORKERS }, (_, i) => pool.submit('inc', i))),
      CALL_TIMEOUT_MS,
      `${contender.label} start`,
    );
    if (!warm.ok) {
      notes.push(`${what}: ${warm.reason}`);
      return null;
    }
    const outcome = await withTimeout(body(pool), CALL_TIMEOUT_MS, `${contender.label} ${what}`);
    if (!outcome.ok) notes.push(`${what}: ${outcome.reason}`);
    return outcome.ok ? outcome.value : null;
  } finally {
    const closed = await withTimeout(pool.close(), CLOSE_TIMEOUT_MS, `${contender.label} close`);
    if (!closed.ok) notes.push(`${what}: ${closed.reason}`);
  }
}

async function tinyTasks(contender: ProcessContender): Promise<number | null> {
  return onFreshPool(contender, '(a)', async (pool) => {
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: TINY_TASKS }, (_, i) => pool.submit('inc', i)));
    const seconds = (performance.now() - started) / 1000;
    if (results[TINY_TASKS - 1] !== TINY_TASKS) throw new Error('wrong answer');
    return TINY_TASKS / seconds;
  });
}

async function divisorRun(contender: ProcessContender, expected: readonly number[]): Promise<number | null> {
  const ints = new Int32Array(ELEMENTS);
  fillDivisorInts(ints);
  // manycore: the ints live in /dev/shm, mapped once by each child; peers: copied with each query.
  let shared: ArrayBufferLike = ints.buffer;
  let memory: Allocators.ProcessMemoryAllocator | undefined;
  if (contender.shares) {
    memory = new allocators.ProcessMemoryAllocator();
    shared = memory.allocate(ints.byteLength);
    new Int32Array(shared).set(ints);
  }
  try {
    return await onFreshPool(contender, '(c)', async (pool) => {
      await Promise.all(
        Array.from({ length: WORKERS }, () => pool.submit('divisorSum', { shared, limit: WARMUP_LIMIT })),
      );
      const started = performance.now();
      const answers = await Promise.all(
        QUERY_KS.map((k) => pool.submit('divisorSum', { shared, limit: 100_000 * k })),
      );
      const ms = performance.now() - started;
      if (answers.some((answer, i) => answer !== expected[i])) throw new Error('wrong answers');
      return ms;
    });
  } finally {
    memory?.release();
  }
}

/** Milliseconds of the first send and of a second send of the same array to the same pool. */
async function bigArray(
  contender: ProcessContender,
  mode: 'copied' | 'shared',
): Promise<readonly [number, number] | null> {
  const memory = mode === 'shared' ? new allocators.ProcessMemoryAllocator() : undefined;
  const array =
    memory === undefined ? new Float64Array(FLOATS) : new Float64Array(memory.allocate(FLOATS * 8));
  array.fill(0.5);
  try {
    return await onFreshPool(contender, `(d) ${mode}`, async (pool) => {
      const timed = async (): Promise<number> => {
        const started = performance.now();
        const total = await pool.submit('sum', array);
        if (total !== FLOATS * 0.5) throw new Error(`wrong sum ${String(total)}`);
        return performance.now() - started;
      };
      const first = await timed();
      // "Again" must reach a child that has seen the array: send it to both first.
      await Promise.all(Array.from({ length: WORKERS }, () => pool.submit('sum', array)));
      return [first, await timed()] as const;
    });
  } finally {
    memory?.release();
  }
}

async function threadPoolShared(): Promise<readonly [number, number] | null> {
  const tasks = manycore.tasksOf<typeof Kernels>(KERNELS_URL);
  const pool = new manycore.ThreadPool({ workers: WORKERS, execArgv: [] });
  const array = new Float64Array(new SharedArrayBuffer(FLOATS * 8)).fill(0.5);
  try {
    await Promise.all([pool.submit(tasks.inc, 1), pool.submit(tasks.inc, 2)]);
    const times: number[] = [];
    for (let round = 0; round < 2; round += 1) {
      const started = performance.now();
      const total = await pool.submit(tasks.sum, array);
      times.push(performance.now() - started);
      if (total !== FLOATS * 0.5) return null;
    }
    return [times[0] ?? NaN, times[1] ?? NaN] as const;
  } finally {
    await pool.close();
  }
}

function collect<K extends string>(): Map<K, number[]> {
  return new Map<K, number[]>();
}

function push<K>(map: Map<K, number[]>, key: K, value: number | null): void {
  if (value === null) return;
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}

const medianOf = (list: readonly number[] | undefined): number | undefined =>
  list === undefined || list.length === 0 ? undefined : median(list);
const fixed = (value: number | undefined, digits: number): string =>
  value === undefined ? 'failed' : value.toFixed(digits);

async function main(): Promise<void> {
  const environment = describeEnvironment();
  const loads: string[] = [];
  const sections: string[] = [];

  // (a)
  loads.push(`(a) start: ${loadAverageNow()}`);
  const throughput = collect<string>();
  for (let rep = 0; rep < REPS_A; rep += 1) {
    for (const contender of PROCESS_CONTENDERS) {
      const value = await tinyTasks(contender);
      log(`(a) rep ${rep + 1} ${contender.label}: ${fixed(value ?? undefined, 0)} tasks/s`);
      push(throughput, contender.label, value);
    }
  }
  const tableA = PROCESS_CONTENDERS.map((c) => [c.label, fixed(medianOf(throughput.get(c.label)), 0)]);
  sections.push(
    `### (a) ${TINY_TASKS.toLocaleString('en')} trivial tasks at once, ${WORKERS} processes\n\n` +
      formatTable(['pool', 'tasks/s (median)'], tableA),
  );

  // (c)
  loads.push(`(c) start: ${loadAverageNow()}`);
  const ints = new Int32Array(ELEMENTS);
  fillDivisorInts(ints);
  const mainStarted = performance.now();
  const expected = QUERY_KS.map((k) => sumDivisorCounts(ints, 100_000 * k));
  const mainMs = performance.now() - mainStarted;
  const divisorMs = collect<string>();
  for (let rep = 0; rep < REPS_C; rep += 1) {
    for (const contender of PROCESS_CONTENDERS) {
      const value = await divisorRun(contender, expected);
      log(`(c) rep ${rep + 1} ${contender.label}: ${fixed(value ?? undefined, 0)} ms`);
      push(divisorMs, contender.label, value);
    }
  }
  const tableC = PROCESS_CONTENDERS.map((c) => {
    const ms = medianOf(divisorMs.get(c.label));
    return [c.label, c.shares ? 'shared' : 'copied per query', fixed(ms, 0), fixed(ms && mainMs / ms, 2)];
  });
  sections.push(
    `### (c) divisor workload, ${WORKERS} processes (main thread alone: ${mainMs.toFixed(0)} ms)\n\n` +
      formatTable(['pool', 'data', 'ms (median)', 'speedup'], tableC),
  );

  // (d)
  loads.push(`(d) start: ${loadAverageNow()}`);
  const arrayMs = collect<string>();
  for (let rep = 0; rep < REPS_D; rep += 1) {
    const pushBoth = (key: string, pair: readonly [number, number] | null): void => {
      push(arrayMs, `${key}|first`, pair?.[0] ?? null);
      push(arrayMs, `${key}|again`, pair?.[1] ?? null);
    };
    for (const contender of PROCESS_CONTENDERS) {
      pushBoth(`${contender.label}|copied`, await bigArray(contender, 'copied'));
      if (contender.shares) pushBoth(`${contender.label}|shared`, await bigArray(contender, 'shared'));
    }
    pushBoth('threads|shared', await threadPoolShared());
    log(`(d) rep ${rep + 1} done`);
  }
  const rowD = (label: string, memory: string, key: string): string[] => [
    label,
    memory,
    fixed(medianOf(arrayMs.get(`${key}|first`)), 1),
    fixed(medianOf(arrayMs.get(`${key}|again`)), 1),
  ];
  const rowsD: string[][] = [];
  for (const contender of PROCESS_CONTENDERS) {
    rowsD.push(rowD(contender.label, 'copied', `${contender.label}|copied`));
    if (contender.shares)
      rowsD.push(rowD(contender.label, 'shared across processes', `${contender.label}|shared`));
  }
  rowsD.push(rowD('manycore ThreadPool', 'shared (threads)', 'threads|shared'));
  sections.push(
    '### (d) 64 MiB Float64Array sent to one worker and summed (submit → result)\n\n' +
      formatTable(['pool', 'memory', 'first send, ms', 'same array again, ms'], rowsD) +
      '\n\n"First send" includes mapping the pages into the child (one minor page fault per 4 KiB ' +
      'page the first time a process touches them); "again" is the same array to the same pool.',
  );
  loads.push(`end: ${loadAverageNow()}`);

  // Targets
  const ours = medianOf(throughput.get('manycore ProcessPool'));
  const peers = PROCESS_CONTENDERS.filter((c) => c.key !== 'manycore').map(
    (c) => [c.label, medianOf(throughput.get(c.label))] as const,
  );
  const best = peers.reduce<readonly [string, number | undefined]>(
    (top, entry) => ((entry[1] ?? 0) > (top[1] ?? 0) ? entry : top),
    ['none', undefined],
  );
  const ratioA = ours !== undefined && best[1] !== undefined ? ours / best[1] : undefined;
  const oursC = medianOf(divisorMs.get('manycore ProcessPool'));
  const speedup = oursC === undefined ? undefined : mainMs / oursC;
  const ratioOf = (when: string): number | undefined => {
    const shared = medianOf(arrayMs.get(`manycore ProcessPool|shared|${when}`));
    const threads = medianOf(arrayMs.get(`threads|shared|${when}`));
    return shared !== undefined && threads !== undefined ? shared / threads : undefined;
  };
  const ratioD = ratioOf('again');
  const ratioFirst = ratioOf('first');
  const verdict = (ok: boolean | undefined): string =>
    ok === undefined ? 'not measured' : ok ? 'met' : 'MISSED';
  const targets = formatTable(
    ['target', 'measured', 'verdict'],
    [
      [
        'tiny-task throughput ≥ 3× best process peer',
        `${fixed(ratioA, 2)}× (${best[0]})`,
        verdict(ratioA === undefined ? undefined : ratioA >= 3),
      ],
      [
        'divisor speedup ≥ 1.95× on 2 processes',
        `${fixed(speedup, 2)}×`,
        verdict(speedup === undefined ? undefined : speedup >= 1.95),
      ],
      [
        '(d) shared across processes within 10% of threads (same array again)',
        `${fixed(ratioD, 2)}× the thread figure`,
        verdict(ratioD === undefined ? undefined : ratioD <= 1.1),
      ],
      [
        '(d) the same, first send to a fresh child',
        `${fixed(ratioFirst, 2)}× the thread figure`,
        verdict(ratioFirst === undefined ? undefined : ratioFirst <= 1.1),
      ],
    ],
  );

  const env = Object.entries(environment.fields)
    .map(([key, value]) => `- ${key}: ${value}`)
    .join('\n');
  const document = [
    '# Process pools: results',
    '',
    `Measured ${environment.date} by \`node --import tsx bench/process/run.ts${quick ? ' --quick' : ''}\`` +
      ` (${WORKERS} processes per pool; medians of ${REPS_A}/${REPS_C}/${REPS_D} interleaved repetitions` +
      ' for (a)/(c)/(d); each repetition on a fresh pool, started and warmed outside the timing).',
    '',
    env,
    ...loads.map((line) => `- load average (1/5/15 min) at ${line}`),
    '',
    '### Targets',
    '',
    targets,
    '',
    ...sections.flatMap((section) => [section, '']),
    'Notes:',
    '',
    '- The machine may be shared: a load average well above 0 before a section means the pools did',
    '  not have every core to themselves, and the figures of that section are low.',
    ...notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
  console.log(document);
  await writeFile(new URL('./RESULTS.md', import.meta.url), document);
}

await main();

/**
 * One repetition of (a) and (e) in a process of its own, so each library's start-up and RSS are
 * measured from a clean process and no library's heap or threads leak into the next one's figures.
 * argv: contender key, task count (0: start-up only). Replies with one BurstSample over IPC, then exits.
 */
import { contenderByKey } from '../contenders/index.ts';
import { withTimeout } from '../guard.ts';
import { CLOSE_TIMEOUT_MS, firstResult } from './common.ts';

export interface BurstSample {
  /** new pool → first trivial result, ms. */
  readonly startupMs: number;
  /** Tasks per second of the burst (all submitted at once). */
  readonly tasksPerSecond: number;
  /** Process RSS right after the burst, MiB. */
  readonly rssMiB: number;
  /** CPU time of this whole process (main thread and workers), ms: the parent does not see it otherwise. */
  readonly cpuMs: number;
  /** Problems met (close hung, wrong sum), for the notes. */
  readonly problems: readonly string[];
}

/** Warm-up tasks before the timed burst: gives every library's JIT and adaptive batching type feedback. */
const WARMUP_TASKS = 2_000;

async function main(): Promise<void> {
  const [key = '', countText = ''] = process.argv.slice(2);
  const count = Number(countText);
  const contender = contenderByKey(key);
  const problems: string[] = [];

  const started = performance.now();
  const pool = contender.create(2);
  await firstResult(pool);
  const startupMs = performance.now() - started;

  if (count > 0)
    await Promise.all(Array.from({ length: WARMUP_TASKS }, (_, index) => pool.submit('inc', index)));

  const burstStart = performance.now();
  const futures: Promise<unknown>[] = new Array<Promise<unknown>>(count);
  for (let index = 0; index < count; index += 1) futures[index] = pool.submit('inc', index);
  const results = await Promise.all(futures);
  const elapsedMs = performance.now() - burstStart;
  const rssMiB = process.memoryUsage().rss / 2 ** 20;

  let sum = 0;
  for (const result of results) sum += result as number;
  const expected = (count * (count + 1)) / 2;
  if (sum !== expected) problems.push(`(a) wrong results: sum ${sum}, expected ${expected}`);

  const closed = await withTimeout(pool.close(), CLOSE_TIMEOUT_MS, 'close() after (a)');
  if (!closed.ok) problems.push(closed.reason);
  const cpu = process.cpuUsage();
  const sample: BurstSample = {
    startupMs,
    tasksPerSecond: (count / elapsedMs) * 1000,
    rssMiB,
    cpuMs: (cpu.user + cpu.system) / 1000,
    problems,
  };
  process.send?.(sample, () => process.exit(0));
}

await main();

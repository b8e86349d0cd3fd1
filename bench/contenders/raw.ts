/**
 * The reference: bare worker_threads, one message per task sent at once to the worker with the
 * fewest unanswered messages; no queue, no crash handling. It bounds what any pool can reach
 * with one message per task; the batched variant (`mapInBatches`) bounds what a lazy map can reach.
 */
import { Worker } from 'node:worker_threads';
import type { Contender, PoolHandle, TaskName } from './contender.ts';
import { bufferOf } from './contender.ts';

const script = new URL('../tasks/raw-worker.mjs', import.meta.url);

type Reply = [id: number, result: unknown];

export class RawPool {
  readonly #workers: Worker[];
  /** Unanswered messages per worker: sending to the least loaded keeps uneven tasks balanced. */
  readonly #outstanding: number[];
  readonly #pending = new Map<number, (value: unknown) => void>();
  #nextId = 0;

  constructor(workers: number) {
    this.#outstanding = new Array<number>(workers).fill(0);
    this.#workers = Array.from({ length: workers }, (_, index) => {
      const worker = new Worker(script, { execArgv: [] });
      worker.on('message', ([id, result]: Reply) => {
        this.#outstanding[index] = (this.#outstanding[index] ?? 1) - 1;
        const resolve = this.#pending.get(id);
        this.#pending.delete(id);
        resolve?.(result);
      });
      return worker;
    });
  }

  post(name: TaskName | 'batch', payload: unknown, transfer: ArrayBuffer[] | undefined): Promise<unknown> {
    const id = this.#nextId++;
    let target = 0;
    for (let index = 1; index < this.#workers.length; index += 1) {
      if ((this.#outstanding[index] ?? 0) < (this.#outstanding[target] ?? 0)) target = index;
    }
    this.#outstanding[target] = (this.#outstanding[target] ?? 0) + 1;
    const worker = this.#workers[target] as Worker;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      worker.postMessage([id, name, payload], transfer);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}

export const rawContender: Contender = {
  label: 'raw worker_threads (reference)',
  key: 'raw',
  isPeer: false,
  create(workers: number): PoolHandle {
    const pool = new RawPool(workers);
    return {
      submit: (task, payload, options) =>
        pool.post(task, payload, options?.transfer === true ? [bufferOf(payload)] : undefined),
      close: () => pool.close(),
    };
  },
};

/**
 * The map ceiling: `items` inc'ed in batches of `batchSize` per message, `window` batches in
 * flight. Returns the sum of the results (a sink the JIT cannot drop, and a check).
 */
export async function mapInBatches(
  pool: RawPool,
  items: Iterable<number>,
  batchSize: number,
  window: number,
): Promise<number> {
  const iterator = items[Symbol.iterator]();
  let sum = 0;
  let done = false;
  const nextBatch = (): number[] => {
    const batch: number[] = [];
    while (batch.length < batchSize) {
      const next = iterator.next();
      if (next.done === true) {
        done = true;
        break;
      }
      batch.push(next.value);
    }
    return batch;
  };
  // Each lane keeps one batch in flight and refills on reply: `window` lanes in parallel.
  const lane = async (): Promise<void> => {
    while (!done) {
      const batch = nextBatch();
      if (batch.length === 0) break;
      const results = (await pool.post('batch', batch, undefined)) as number[];
      for (const result of results) sum += result;
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
  return sum;
}

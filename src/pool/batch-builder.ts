/**
 * Builds the `run` message that hands queued tasks to one worker: as many as its prefetch
 * allowance lets it hold, in column form (see TaskBatch). Kept apart from the engine because
 * it is the one place that decides how much work a worker holds ahead.
 */
import type { TransferListItem } from 'node:worker_threads';
import type { ChunkMode, MainToWorker, TaskDefinition } from '../protocol/messages.ts';
import type { TaskKeys, TaskRecord } from './task-record.ts';
import type { TaskQueue } from './task-queue.ts';
import type { WorkerSlot } from './worker-slot.ts';

/**
 * Work (in ms of measured run time) a worker may hold ahead. More batches tiny tasks better;
 * less limits the damage when the estimate is wrong (a kind of task measured on small inputs,
 * then sent large ones: whatever a worker holds, no other worker can run).
 */
const PREFETCH_TARGET_MS = 1;
/** Below this many waiting tasks per worker, workers take one task at a time (greedy balance). */
const PREFETCH_MIN_SHARE = 8;
/** Upper bound of tasks one worker holds: bounds message size and the loss a crash can cause. */
const MAX_IN_FLIGHT = 1024;

export interface Batch {
  readonly message: MainToWorker;
  readonly transfers: TransferListItem[] | undefined;
}

/**
 * How many tasks like this one a worker may hold: about PREFETCH_TARGET_MS of expected work,
 * at least one (long tasks stay balanced), at most MAX_IN_FLIGHT (tiny tasks travel in big
 * batches). A map chunk counts as its items (the mean is measured per item), so one worker
 * never takes the whole map window while another idles.
 */
function prefetchAllowance(keys: TaskKeys, key: number, items: number): number {
  const mean = keys.meanMs(key) * items;
  if (Number.isNaN(mean)) return 1;
  return Math.max(1, Math.min(MAX_IN_FLIGHT, Math.floor(PREFETCH_TARGET_MS / Math.max(mean, 1e-6))));
}

/**
 * Moves tasks from the queue into `slot.inFlight` and returns the message that carries them,
 * or undefined when the worker may take none. `onStarted` runs for each task handed over.
 * An exclusive task (timeout or signal) goes alone to an empty worker.
 */
export function takeBatch(
  slot: WorkerSlot,
  queue: TaskQueue<TaskRecord>,
  keys: TaskKeys,
  limits: { readonly maxTasksPerWorker: number; readonly fairShare: number },
  onStarted: (record: TaskRecord) => void,
): Batch | undefined {
  const args: (readonly unknown[])[] = [];
  const taskKeys: number[] = [];
  const chunks: ChunkMode[] = [];
  let mixed = false;
  let defs: TaskDefinition[] | undefined;
  let transfers: TransferListItem[] | undefined;
  let shared = false;
  const firstSeq = slot.nextSeq;
  // Never more than this worker's fair share of what waits, so the others get some too; and
  // when little waits, one at a time: batching gains nothing then, and a wrong estimate of the
  // tasks' length would leave one worker holding work that another could run now.
  const share = limits.fairShare <= PREFETCH_MIN_SHARE ? 1 : limits.fairShare;
  const budget = Math.min(limits.maxTasksPerWorker - slot.assigned, share);
  let allowanceKey = 0;
  let allowanceItems = 0;
  let allowance = 0;
  for (let next = queue.peek(); next !== undefined; next = queue.peek()) {
    if (args.length >= budget) break;
    const items = next.chunk === 0 ? 1 : next.args.length;
    if (next.key !== allowanceKey || items !== allowanceItems) {
      allowanceKey = next.key;
      allowanceItems = items;
      allowance = prefetchAllowance(keys, next.key, items);
    }
    if (next.exclusive) {
      // A timeout counts from the hand-over, so only a worker that is up may take it.
      if (slot.inFlight.size > 0 || args.length > 0 || !slot.ready) break;
      slot.exclusive = true;
    } else if (slot.inFlight.size >= allowance) {
      break;
    }
    queue.shift();
    const seq = slot.nextSeq++;
    next.slotIndex = slot.index;
    next.seq = seq;
    slot.inFlight.set(seq, next);
    if (!slot.knownKeys.has(next.key)) {
      slot.knownKeys.add(next.key);
      (defs ??= []).push(keys.definition(next.key));
    }
    if (next.transfers !== undefined) (transfers ??= []).push(...next.transfers);
    if (next.shared) shared = true;
    if (args.length > 0 && (next.key !== taskKeys[0] || next.chunk !== chunks[0])) mixed = true;
    args.push(next.args);
    taskKeys.push(next.key);
    chunks.push(next.chunk);
    onStarted(next);
    if (slot.exclusive) break;
  }
  if (args.length === 0) return undefined;
  slot.assigned += args.length;
  slot.state = 'busy';
  const message: MainToWorker = {
    type: 'run',
    defs,
    firstSeq,
    keys: mixed ? taskKeys : (taskKeys[0] as number),
    chunks: mixed ? chunks : (chunks[0] as ChunkMode),
    args,
    ...(shared && { shared }),
  };
  return { message, transfers };
}

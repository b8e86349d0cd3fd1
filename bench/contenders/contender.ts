/**
 * The one small interface every library is benchmarked through. Each adapter maps it onto the
 * library's own natural call (submit / run / exec / execute), so the workloads are written once.
 */

/** The kernels of tasks/kernels.mjs; every one takes a single payload. */
export type TaskName = 'inc' | 'divisorSum' | 'sum';

export interface SubmitOptions {
  /** Transfer the payload's ArrayBuffer instead of copying it (the payload must be a typed array). */
  readonly transfer?: boolean;
}

/** A running pool of one library. */
export interface PoolHandle {
  submit(task: TaskName, payload: unknown, options?: SubmitOptions): Promise<unknown>;
  close(): Promise<void>;
}

export interface Contender {
  /** Row label, e.g. "piscina 5.3.2". */
  readonly label: string;
  /** Short key for `--only`-style filtering and child processes. */
  readonly key: ContenderKey;
  /** False for the hand-written reference: it is a ceiling, not a peer to beat. */
  readonly isPeer: boolean;
  /** Starts a pool of `workers` threads (Node flags not inherited: workers run plain JS). */
  create(workers: number): PoolHandle;
}

export type ContenderKey = 'manycore' | 'piscina' | 'tinypool' | 'workerpool' | 'poolifier' | 'raw';

/** The task module every contender loads (directly or through a wrapper). */
export const KERNELS_URL = new URL('../tasks/kernels.mjs', import.meta.url);

/** The buffer of a typed-array payload, for transfer lists. */
export function bufferOf(payload: unknown): ArrayBuffer {
  if (!ArrayBuffer.isView(payload) || !(payload.buffer instanceof ArrayBuffer)) {
    throw new TypeError('transfer needs a typed array over an ArrayBuffer as payload');
  }
  return payload.buffer;
}

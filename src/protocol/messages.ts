/**
 * The wire between the pool (main side) and a worker. Every message is one of these shapes;
 * both sides import them, so a change here is checked on both ends.
 *
 * Tasks travel in batches: when many tiny tasks are queued, one `run` message carries many of
 * them and one `results` message brings many results back. That is what makes 100k tiny
 * submits cheap; a long task still goes out alone because the pool limits how much work it
 * queues in each worker (see `prefetch` in pool-engine.ts).
 */

/** Wire form of an error thrown in a worker: enough to rebuild it on the other side. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** Own enumerable properties that survived structured clone (e.g. `code`, `retryable`). */
  readonly props: Record<string, unknown>;
  readonly cause?: SerializedError | { readonly value: unknown };
}

/** Tells the worker which module export a numeric task key stands for (sent once per worker). */
export interface TaskDefinition {
  readonly key: number;
  readonly moduleUrl: string;
  readonly exportName: string;
}

/** 0: one call with `args`; 1: `args` is a list of single arguments (map); 2: a list of argument lists (starmap). */
export type ChunkMode = 0 | 1 | 2;

/**
 * A batch of tasks in column form (fewer objects to clone than one object per task). The
 * tasks have consecutive sequence numbers from `firstSeq`; `keys` and `chunks` are one value
 * for the whole batch or one per task. A chunk runs many items one after another; its result
 * is the list of their results (how `map` ships many tiny items in one task).
 */
export interface TaskBatch {
  readonly firstSeq: number;
  readonly keys: number | readonly number[];
  readonly chunks: ChunkMode | readonly ChunkMode[];
  readonly args: readonly (readonly unknown[])[];
  /** Set when some task's arguments hold a shared object or its handle (checked at submit). */
  readonly shared?: true;
}

export type MainToWorker =
  | ({ readonly type: 'run'; readonly defs: readonly TaskDefinition[] | undefined } & TaskBatch)
  | { readonly type: 'init'; readonly def: TaskDefinition; readonly args: readonly unknown[] };

/**
 * Results of consecutive tasks from `firstSeq` (a worker runs its tasks in order): `values[i]`
 * is the result, or a WorkerFailure when `i` is listed in `failed`; `durationsMs[i]` is the
 * time the task ran.
 */
export interface ResultBatch {
  readonly firstSeq: number;
  readonly values: readonly unknown[];
  readonly failed: readonly number[];
  readonly durationsMs: readonly number[];
}

/** Why a task failed inside a worker. */
export type WorkerFailure =
  | { readonly kind: 'threw'; readonly error: SerializedError }
  | { readonly kind: 'module'; readonly moduleUrl: string; readonly error: SerializedError }
  | {
      readonly kind: 'not-found';
      readonly moduleUrl: string;
      readonly exportName: string;
      readonly exports: string[];
    }
  | { readonly kind: 'ts-loader'; readonly moduleUrl: string; readonly error: SerializedError }
  | { readonly kind: 'result-not-cloneable'; readonly path: string; readonly error: SerializedError };

export type WorkerToMain =
  | { readonly type: 'ready' }
  | ({ readonly type: 'results' } & ResultBatch)
  | { readonly type: 'progress'; readonly seq: number; readonly fraction: number; readonly detail: unknown }
  | { readonly type: 'init-done'; readonly ok: true }
  | { readonly type: 'init-done'; readonly ok: false; readonly failure: WorkerFailure };

/** What the pool passes to a new worker at start-up. */
export interface WorkerBootData {
  readonly workerIndex: number;
  readonly name: string;
  /** Int32 slot: the sequence number of the task the worker is running (0 = none). Threads only. */
  readonly currentTask: SharedArrayBuffer | undefined;
}

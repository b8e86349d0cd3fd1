/**
 * The stable observation API of a pool: events and stats. The dashboard and the measurement
 * tools read only these, never the engine's internals.
 */

/** How a task ended. */
export type TaskStatus = 'fulfilled' | 'rejected' | 'cancelled';

export interface TaskQueuedEvent {
  readonly id: number;
  /** `module-file#export`. */
  readonly task: string;
}

export interface TaskStartedEvent extends TaskQueuedEvent {
  /** The worker it was handed to. */
  readonly workerIndex: number;
  /** 1 for the first run, 2 for the first retry… */
  readonly attempt: number;
}

export interface TaskSettledEvent extends TaskQueuedEvent {
  readonly status: TaskStatus;
  /** The worker that ran it last, if any did. */
  readonly workerIndex: number | undefined;
  /** Time the task ran in its worker, in ms (0 when it never ran). */
  readonly durationMs: number;
  readonly error: unknown;
}

export interface TaskProgressEvent extends TaskQueuedEvent {
  readonly fraction: number;
  readonly detail: unknown;
}

export interface WorkerOnlineEvent {
  readonly workerIndex: number;
  readonly name: string;
  /** Thread id or process id. */
  readonly systemId: number;
}

export interface WorkerExitEvent extends WorkerOnlineEvent {
  readonly exitCode: number | null;
  readonly reason: string;
  /** False when the worker died on its own (crash, OOM, exit) rather than being stopped by the pool. */
  readonly expected: boolean;
}

/** Event names and payloads of `pool.on(...)`. */
export interface PoolEventMap {
  'task:queued': [TaskQueuedEvent];
  'task:started': [TaskStartedEvent];
  'task:settled': [TaskSettledEvent];
  'task:progress': [TaskProgressEvent];
  'worker:online': [WorkerOnlineEvent];
  'worker:exit': [WorkerExitEvent];
}

export type WorkerState = 'starting' | 'initializing' | 'idle' | 'busy' | 'stopping';

export interface WorkerStats {
  readonly workerIndex: number;
  readonly name: string;
  readonly systemId: number;
  readonly state: WorkerState;
  /** Tasks handed to it and not yet settled. */
  readonly inFlight: number;
  readonly tasksCompleted: number;
  /** Time spent running tasks, in ms. */
  readonly busyMs: number;
  /** Share of its life its event loop was busy, in [0, 1], where the backend can tell. */
  readonly eventLoopUtilization: number | undefined;
}

export interface PoolStats {
  readonly workers: readonly WorkerStats[];
  /** Tasks waiting for a worker. */
  readonly queued: number;
  /** Tasks handed to workers and not yet settled. */
  readonly running: number;
  readonly submitted: number;
  readonly fulfilled: number;
  readonly rejected: number;
  readonly cancelled: number;
  readonly closed: boolean;
}

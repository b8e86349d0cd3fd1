import type { TransferListItem } from 'node:worker_threads';
import type { MainToWorker, WorkerToMain } from '../protocol/messages.ts';

/** What a backend reports about its worker to the pool engine. */
export interface WorkerHandleEvents {
  onMessage(message: WorkerToMain): void;
  /** The worker is gone. `reason` is human-readable ("exit code 1", "out of memory", "signal SIGKILL"). */
  onExit(exitCode: number | null, reason: string, error: Error | undefined): void;
}

/**
 * One worker as the engine sees it, whatever it runs on (a thread, a child process). The
 * engine never touches `node:worker_threads` or `node:child_process` itself.
 */
export interface WorkerHandle {
  /** Thread id or process id, for stats. */
  readonly systemId: number;
  /**
   * Messages sent before the worker said "ready" wait for it in its channel (a MessagePort
   * does; a process's IPC channel drops what arrives before the child listens).
   */
  readonly acceptsEarlyMessages?: boolean;
  /** Sends a message; throws (synchronously) if a value cannot be cloned. */
  send(message: MainToWorker, transfer?: readonly TransferListItem[]): void;
  /** Stops the worker at once (a running task is abandoned); resolves when it is gone. */
  terminate(): Promise<void>;
  /** Sequence number of the task the worker was running, if the backend can tell. */
  currentSeq(): number | undefined;
  /** Share of time the worker's event loop was busy since it started, in [0, 1], if known. */
  eventLoopUtilization(): number | undefined;
}

/** Starts a worker; `index` is stable for the pool's life, `name` is for debuggers. */
export type WorkerFactory = (index: number, name: string, events: WorkerHandleEvents) => WorkerHandle;

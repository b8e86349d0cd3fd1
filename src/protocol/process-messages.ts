/**
 * What a child process tells its parent besides the common wire (messages.ts): the process
 * backend handles these notices itself and never passes them to the pool engine.
 *
 * The exit notice names the running task as the child exits (`process.exit()`, an uncaught
 * exception). A SIGKILL or a V8 out-of-memory abort sends nothing: the pool then reads the
 * running-task word the child keeps in /dev/shm (src/pool/running-task-word.ts), and only
 * without the addon blames the oldest unsettled task of that worker.
 */
import type { SerializedError, WorkerToMain } from './messages.ts';

export type ProcessNotice =
  /** The child is exiting; `seq` is the task it was running (0: none). */
  | { readonly type: 'process:exiting'; readonly seq: number }
  /** An exception nobody caught is about to end the child. */
  | { readonly type: 'process:uncaught'; readonly error: SerializedError };

/** Everything a child process sends over its IPC channel. */
export type ChildToParent = WorkerToMain | ProcessNotice;

/** True for the backend's own notices, which the engine must not see. */
export function isProcessNotice(message: ChildToParent): message is ProcessNotice {
  return message.type === 'process:exiting' || message.type === 'process:uncaught';
}

/**
 * What a sender puts on a process channel instead of a message holding SharedArrayBuffers
 * (src/shared/process-transport.ts writes and opens it; the child only recognises it).
 */
export interface SharedEnvelope {
  readonly type: 'manycore:shared-envelope';
  readonly message: unknown;
}

/** True for a message that process-transport wrapped as a {@link SharedEnvelope}. */
export function isSharedEnvelope(message: unknown): message is SharedEnvelope {
  return (message as { type?: unknown } | null)?.type === 'manycore:shared-envelope';
}

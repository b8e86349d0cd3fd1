/**
 * Entry point of a manycore child process: wires the shared runtime to the IPC channel
 * (`process.send` / `process.on('message')`). The pool forks this file with
 * `serialization: 'advanced'`, so Maps, Sets, Dates, typed arrays and BigInts survive the trip.
 *
 * A child must never outlive its parent:
 * - idle, it exits on the IPC channel's `disconnect` (the parent died or let it go);
 * - busy in a long synchronous task, its main thread cannot see that event, so a tiny watchdog
 *   thread reads an extra pipe (fd 4) that only the parent holds open: when the parent dies,
 *   even by SIGKILL, the kernel closes it, the read ends, and the watchdog kills this process.
 *
 * "ready" is posted only after this module (and so the runtime's message listener) has loaded:
 * an ES module loads asynchronously, and a message sent earlier would be lost.
 */
import { Worker } from 'node:worker_threads';
import type { ChildToParent } from '../protocol/process-messages.ts';
import { serializeError } from '../protocol/serialize-error.ts';
import { loadSharedBufferAddon } from '../shared/native-addon.ts';
import { receiveMaybeShared, sendMaybeShared } from './shared-envelopes.ts';
import { setWorkerIndex } from './task-context.ts';
import { WorkerRuntime } from './worker-runtime.ts';

/** The pipe the parent keeps open for the child's whole life (stdio index 4 in process-worker.ts). */
const PARENT_PIPE_FD = 4;

/** CommonJS run in the watchdog thread; `execArgv: []` keeps loaders (tsx) out of it. */
const WATCHDOG = `
const { Socket } = require('node:net');
const die = () => process.kill(process.pid, 'SIGKILL');
const pipe = new Socket({ fd: ${PARENT_PIPE_FD}, readable: true, writable: false });
pipe.on('data', () => {});
pipe.on('end', die);
pipe.on('error', die);
`;

function send(message: ChildToParent): void {
  // Sending on a closed channel emits 'error' on `process`, which would crash us with a
  // confusing second error; a parent that is gone needs no message.
  if (process.connected) sendMaybeShared((value) => process.send?.(value), message);
}

function mapRunningTaskWord(name: string | undefined): Float64Array | undefined {
  if (name === undefined || name === '-') return undefined;
  try {
    const buffer = loadSharedBufferAddon(true)?.map(name, Float64Array.BYTES_PER_ELEMENT, false);
    return buffer === undefined ? undefined : new Float64Array(buffer);
  } catch {
    return undefined; // the parent then relies on our exit notice
  }
}

if (process.send === undefined) {
  throw new Error('manycore: process-worker-main must be started by ProcessPool (it needs an IPC channel).');
}
// Started with tsx's `--import` loader when the pool runs from TypeScript source: tsx already
// handles every module, so the task loader must not register it a second time.
if (import.meta.url.endsWith('.ts')) {
  (globalThis as Record<symbol, unknown>)[Symbol.for('manycore.tsxRegistered')] = true;
}

// This main thread runs tasks, as a worker thread does: a task may block in Lock.acquireSync
// (src/sync/futex.ts reads this flag; a symbol, so the sync layer loads only if a task needs it).
(globalThis as Record<symbol, unknown>)[Symbol.for('manycore.mayBlockMainThread')] = true;

const workerIndex = Number(process.argv[2]);
setWorkerIndex(workerIndex);
if (process.argv[3] !== undefined) process.title = process.argv[3];

new Worker(WATCHDOG, { eval: true, execArgv: [], name: 'manycore-parent-watchdog' }).unref();
process.on('disconnect', () => process.exit());

let current = 0;
/** The parent's running-task word (src/pool/running-task-word.ts), when it could make one. */
const runningWord = mapRunningTaskWord(process.argv[4]);
process.on('uncaughtExceptionMonitor', (error) =>
  send({ type: 'process:uncaught', error: serializeError(error) }),
);
process.on('exit', () => send({ type: 'process:exiting', seq: current }));

new WorkerRuntime({
  // Transfer lists mean nothing across processes: the IPC channel always copies.
  post: (message) => send(message),
  listen: (handler) => process.on('message', receiveMaybeShared(handler)),
  publishCurrent: (seq) => {
    current = seq;
    if (runningWord !== undefined) runningWord[0] = seq;
  },
});
if (process.argv[5] === 'preload-shared') {
  // The parent uses process-shared memory: load what opening and reviving it needs now, while
  // we start, rather than in the first task that receives some (~10 ms of module loading).
  await Promise.all([import('../shared/process-transport.ts'), import('../shared/revive.ts')]);
}
send({ type: 'ready' });

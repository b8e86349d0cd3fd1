/**
 * Entry point of a manycore worker thread: wires the shared runtime to the thread's message
 * port. The pool starts this file (through a tsx bootstrap when it runs from TypeScript source).
 */
import {
  receiveMessageOnPort,
  workerData,
  type MessagePort,
  type TransferListItem,
} from 'node:worker_threads';
import type { MainToWorker, WorkerBootData } from '../protocol/messages.ts';
import { setWorkerIndex } from './task-context.ts';
import { WorkerRuntime } from './worker-runtime.ts';

const boot = workerData as WorkerBootData & { port: MessagePort };
const current = boot.currentTask === undefined ? undefined : new Float64Array(boot.currentTask);
setWorkerIndex(boot.workerIndex);

new WorkerRuntime({
  post: (message, transfer) => boot.port.postMessage(message, transfer as TransferListItem[] | undefined),
  listen: (handler) => boot.port.on('message', (message: MainToWorker) => handler(message)),
  publishCurrent: (seq) => {
    if (current !== undefined) current[0] = seq;
  },
  poll: () => receiveMessageOnPort(boot.port)?.message as MainToWorker | undefined,
});
boot.port.postMessage({ type: 'ready' });

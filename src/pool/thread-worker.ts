/**
 * The thread backend's worker: a `node:worker_threads` Worker running thread-worker-main, with
 * its own MessageChannel (so the pool's traffic never mixes with the user's `parentPort` use).
 */
import { MessageChannel, Worker, type ResourceLimits, type TransferListItem } from 'node:worker_threads';
import type { MainToWorker, WorkerBootData, WorkerToMain } from '../protocol/messages.ts';
import { trackWorker } from './live-workers.ts';
import type { WorkerFactory, WorkerHandle } from './worker-handle.ts';
import { workerEntry } from './worker-entry.ts';

export interface ThreadWorkerOptions {
  readonly resourceLimits: ResourceLimits | undefined;
  readonly env: Readonly<Record<string, string | undefined>> | undefined;
  readonly execArgv: readonly string[] | undefined;
}

export function threadWorkerFactory(options: ThreadWorkerOptions): WorkerFactory {
  const entry = workerEntry('thread-worker-main');
  return (index, name, events) => {
    const untrack = trackWorker();
    const { port1, port2 } = new MessageChannel();
    const current = new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT);
    const currentView = new Float64Array(current);
    const boot: WorkerBootData & { port: typeof port2 } = {
      workerIndex: index,
      name,
      currentTask: current,
      port: port2,
    };
    const worker = new Worker(entry.script, {
      eval: entry.eval,
      name,
      workerData: boot,
      transferList: [port2],
      ...(options.resourceLimits !== undefined && { resourceLimits: options.resourceLimits }),
      ...(options.env !== undefined && { env: { ...options.env } }),
      ...(options.execArgv !== undefined && { execArgv: [...options.execArgv] }),
    });
    let lastError: Error | undefined;
    port1.on('message', (message: WorkerToMain) => events.onMessage(message));
    worker.on('error', (error) => {
      lastError = error;
    });
    // Our end of the channel closes on its own when the worker's end goes; report the exit only
    // once both happened, so no handle outlives the worker.
    const portClosed = new Promise<void>((resolve) => port1.once('close', () => resolve()));
    worker.once('exit', (exitCode) => {
      port1.close();
      void portClosed.then(() => {
        untrack();
        events.onExit(exitCode, describeExit(exitCode, lastError, options.resourceLimits), lastError);
      });
    });
    const handle: WorkerHandle = {
      systemId: worker.threadId,
      acceptsEarlyMessages: true,
      send: (message: MainToWorker, transfer) =>
        port1.postMessage(message, transfer as TransferListItem[] | undefined),
      terminate: async () => {
        await worker.terminate();
        await portClosed;
      },
      currentSeq: () => currentView[0],
      eventLoopUtilization: () => {
        const utilization = worker.performance.eventLoopUtilization().utilization;
        return Number.isFinite(utilization) ? utilization : undefined;
      },
    };
    return handle;
  };
}

function describeExit(
  exitCode: number,
  error: Error | undefined,
  limits: ResourceLimits | undefined,
): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    const limit = limits?.maxOldGenerationSizeMb;
    return `out of memory${limit === undefined ? '' : ` (resourceLimits.maxOldGenerationSizeMb=${limit})`}`;
  }
  if (error !== undefined) return `uncaught ${error.name}: ${error.message}`;
  return `exit code ${exitCode}`;
}

/**
 * Worker side of the shared-memory benchmarks: each role runs a measured loop and reports its
 * own elapsed time, so thread start-up is not measured.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { reviveShared } from '../../src/shared/revive.ts';
import type { SharedArray } from '../../src/shared/shared-array.ts';
import type { Barrier } from '../../src/sync/barrier.ts';
import type { Lock } from '../../src/sync/lock.ts';
import type { Queue } from '../../src/sync/queue.ts';

/** Roles a benchmark worker can play; the args differ per role. */
export type Role = 'lock' | 'queue-produce' | 'queue-consume' | 'port-produce' | 'port-consume';

/** Runs `role` and returns elapsed milliseconds of its measured loop. */
export async function runRole(role: Role, args: unknown[]): Promise<number> {
  const [start, ...rest] = reviveShared(args) as [Barrier, ...unknown[]];
  start.waitSync(60_000); // everyone starts the clock together
  const t0 = performance.now();
  switch (role) {
    case 'lock':
      lockLoop(rest[0] as Lock, rest[1] as SharedArray<'Int32'>, rest[2] as number);
      break;
    case 'queue-produce':
      for (let i = 0; i < (rest[1] as number); i++)
        (rest[0] as Queue).putSync(rest[2] === 'object' ? { id: i, text: 'item' } : i);
      break;
    case 'queue-consume':
      for (let i = 0; i < (rest[1] as number); i++) (rest[0] as Queue).getSync();
      break;
    case 'port-produce':
      for (let i = 0; i < (rest[1] as number); i++)
        (rest[0] as MessagePort).postMessage(rest[2] === 'object' ? { id: i, text: 'item' } : i);
      break;
    case 'port-consume':
      await new Promise<void>((resolve) => {
        let seen = 0;
        const port = rest[0] as MessagePort;
        port.on('message', () => {
          if (++seen === (rest[1] as number)) {
            port.close();
            resolve();
          }
        });
      });
      break;
  }
  return performance.now() - t0;
}

function lockLoop(lock: Lock, cell: SharedArray<'Int32'>, times: number): void {
  for (let i = 0; i < times; i++) {
    lock.acquireSync();
    cell.set(0, cell.get(0) + 1);
    lock.release();
  }
}

if (parentPort !== null && (workerData as { role?: Role } | null)?.role !== undefined) {
  const { role, args } = workerData as { role: Role; args: unknown[] };
  parentPort.postMessage(await runRole(role, args));
}

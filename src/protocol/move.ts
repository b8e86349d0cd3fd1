/**
 * Marks values whose memory should be transferred (moved) to the other side instead of copied.
 * After a move the sender's ArrayBuffer is detached (length 0): that is the price of zero copy.
 */
import type { MessagePort, TransferListItem } from 'node:worker_threads';

const moved = new WeakSet<object>();
let movedEver = false;

type Movable = ArrayBuffer | ArrayBufferView | MessagePort;

/**
 * Transfers `value`'s memory to the worker (or, in a worker, back to the caller) instead of
 * copying it. Use on large typed arrays you no longer need on the sending side.
 *
 * @example
 * const pixels = new Float64Array(8_000_000);
 * await pool.submit(t.blur, move(pixels)); // pixels.length === 0 afterwards
 */
export function move<T extends Movable>(value: T): T {
  moved.add(value);
  movedEver = true;
  return value;
}

/** The transfer list for a task's arguments (top level, and one level into arrays and objects). */
export function collectTransfers(values: readonly unknown[]): TransferListItem[] | undefined {
  if (!movedEver) return undefined;
  let transfers: TransferListItem[] | undefined;
  const visit = (value: unknown): void => {
    if (typeof value !== 'object' || value === null || !moved.has(value)) return;
    const transferable = ArrayBuffer.isView(value) ? value.buffer : value;
    if (transferable instanceof SharedArrayBuffer) return; // shared memory needs no transfer
    transfers ??= [];
    if (!transfers.includes(transferable as TransferListItem))
      transfers.push(transferable as TransferListItem);
  };
  for (const value of values) {
    visit(value);
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) {
      for (const item of Object.values(value)) visit(item);
    }
  }
  return transfers;
}

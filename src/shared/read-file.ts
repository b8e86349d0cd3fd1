/** Reading a file straight into shared segments, with no intermediate copy. */
import { open } from 'node:fs/promises';
import { openSync, readSync, closeSync } from 'node:fs';
import { FileSizeMismatchError } from './errors.ts';

/**
 * One read call moves at most this many bytes: Node rejects lengths above 2^31-1, and 1 GiB
 * keeps each call well under it at no measurable cost (one syscall per GiB).
 */
const READ_STEP_BYTES = 2 ** 30;

/** Fills each target completely from the file, in order, starting at byte 0. */
export async function readFileInto(path: string, targets: readonly Uint8Array[]): Promise<void> {
  const file = await open(path, 'r');
  try {
    let position = 0;
    for (const target of targets) {
      for (let filled = 0; filled < target.length;) {
        const length = Math.min(READ_STEP_BYTES, target.length - filled);
        const { bytesRead } = await file.read(target, filled, length, position);
        if (bytesRead === 0) throw new Error(`${path} became shorter while it was being read`);
        filled += bytesRead;
        position += bytesRead;
      }
    }
  } finally {
    await file.close();
  }
}

/** Blocking form of {@link readFileInto}. */
export function readFileIntoSync(path: string, targets: readonly Uint8Array[]): void {
  const fd = openSync(path, 'r');
  try {
    let position = 0;
    for (const target of targets) {
      for (let filled = 0; filled < target.length;) {
        const length = Math.min(READ_STEP_BYTES, target.length - filled);
        const bytesRead = readSync(fd, target, filled, length, position);
        if (bytesRead === 0) throw new Error(`${path} became shorter while it was being read`);
        filled += bytesRead;
        position += bytesRead;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * How many elements of `bytesPerElement` bytes a file of `byteLength` bytes holds.
 *
 * @throws {FileSizeMismatchError} ERR_FILE_SIZE_MISMATCH when the size is not whole elements.
 */
export function elementsInFile(path: string, byteLength: number, bytesPerElement: number): number {
  if (byteLength % bytesPerElement !== 0) throw new FileSizeMismatchError(path, byteLength, bytesPerElement);
  return byteLength / bytesPerElement;
}

/** A byte view of each segment, whole, in order: what {@link readFileInto} fills. */
export function bytesOf(segments: readonly SharedArrayBuffer[]): Uint8Array[] {
  return segments.map((segment) => new Uint8Array(segment));
}

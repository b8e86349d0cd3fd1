/** Errors of shared arrays and shared values; every one has a stable code listed in docs/errors.md. */
import { totalmem } from 'node:os';
import { ManycoreError } from '../errors.ts';

/** A SharedValue was used after `release()`. */
export class SharedReleasedError extends ManycoreError {
  constructor(readonly id: string) {
    super(
      'ERR_SHARED_RELEASED',
      `The shared value ${id} was released, so its data is gone (expected a live value; received a ` +
        'released one). Release it only after every task that reads it has finished, or put it again.',
    );
  }
}

/** Shared memory of the requested size could not be allocated. */
export class SharedAllocationError extends ManycoreError {
  constructor(
    readonly byteLength: number,
    allocator: string,
    options?: { cause?: unknown },
  ) {
    super(
      'ERR_SHARED_ALLOCATION_FAILED',
      `Could not allocate ${byteLength} bytes of shared memory from the "${allocator}" allocator ` +
        `(the machine has ${Math.round(totalMemoryGiB() * 10) / 10} GiB in all). Ask for less, free other ` +
        'shared arrays, or process the data in pieces.',
      options,
    );
  }
}

/** An index or range lies outside a SharedArray. */
export class IndexOutOfRangeError extends ManycoreError {
  constructor(what: string, received: string, length: number) {
    super(
      'ERR_INDEX_OUT_OF_RANGE',
      `${what} must lie within 0 … ${length} (the array's length); received ${received}. ` +
        'Check the index arithmetic, or split with splitRange().',
    );
  }
}

/** A file's size is not a whole number of elements of the requested kind. */
export class FileSizeMismatchError extends ManycoreError {
  constructor(path: string, byteLength: number, bytesPerElement: number) {
    super(
      'ERR_FILE_SIZE_MISMATCH',
      `The file ${path} holds ${byteLength} bytes, which is not a multiple of ${bytesPerElement} (bytes ` +
        'per element of the requested kind). Pick the kind the file was written with, or trim the file.',
    );
  }
}

function totalMemoryGiB(): number {
  return totalmem() / 2 ** 30;
}

/**
 * Where shared objects get their memory. Every SharedArray, SharedValue and sync primitive is
 * built over `SharedArrayBuffer`s obtained here, never over `new SharedArrayBuffer` directly, so
 * the process pool can later supply buffers mapped from /dev/shm by a native addon instead.
 */
import { InvalidOptionError } from '../errors.ts';

/**
 * Supplies shared buffers. The default, {@link heapAllocator}, calls `new SharedArrayBuffer`;
 * another allocator (for example one mapping /dev/shm) returns buffers visible to more than one
 * process.
 *
 * @example
 * ```ts
 * const counting: MemoryAllocator = {
 *   name: 'counting',
 *   allocate(byteLength) { total += byteLength; return new SharedArrayBuffer(byteLength); },
 * };
 * const arr = SharedArray.create('Float64', 1000, { memory: counting });
 * ```
 */
export interface MemoryAllocator {
  /** Shown in error messages. */
  readonly name: string;
  /** Returns a zero-filled shared buffer of exactly `byteLength` bytes; throws if it cannot. */
  allocate(byteLength: number): SharedArrayBuffer;
}

/** A region of an existing shared buffer, starting at `byteOffset` (default 0). */
export interface MemorySlice {
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset?: number;
}

/** Either something that allocates, or a region someone else allocated. */
export type MemorySource = MemoryAllocator | MemorySlice;

/** Allocates with `new SharedArrayBuffer`: pages are committed by the OS on first touch. */
export const heapAllocator: MemoryAllocator = Object.freeze({
  name: 'heap',
  allocate(byteLength: number): SharedArrayBuffer {
    return new SharedArrayBuffer(byteLength);
  },
});

/** A resolved region: the buffer and the aligned offset an object's state starts at. */
export interface MemoryRegion {
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
}

/**
 * Resolves `source` into a region of `byteLength` bytes aligned to `alignment`.
 *
 * @throws {InvalidOptionError} ERR_INVALID_OPTION when a slice is misaligned or too small.
 */
export function resolveMemory(
  source: MemorySource | undefined,
  byteLength: number,
  alignment: number,
): MemoryRegion {
  if (source === undefined) return { buffer: heapAllocator.allocate(byteLength), byteOffset: 0 };
  if ('allocate' in source) return { buffer: source.allocate(byteLength), byteOffset: 0 };
  const byteOffset = source.byteOffset ?? 0;
  if (!(source.buffer instanceof SharedArrayBuffer)) {
    throw new InvalidOptionError('memory.buffer', 'a SharedArrayBuffer', source.buffer);
  }
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0 || byteOffset % alignment !== 0) {
    throw new InvalidOptionError('memory.byteOffset', `a non-negative multiple of ${alignment}`, byteOffset);
  }
  if (byteOffset + byteLength > source.buffer.byteLength) {
    throw new InvalidOptionError(
      'memory',
      `a slice with at least ${byteLength} bytes after byteOffset=${byteOffset}`,
      `a buffer of ${source.buffer.byteLength} bytes`,
    );
  }
  return { buffer: source.buffer, byteOffset };
}

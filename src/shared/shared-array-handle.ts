/** The plain-data side of a `SharedArray`: its handle, its options and their defaults. */
import type { ElementKind } from './element-kinds.ts';
import type { MemoryAllocator } from './memory.ts';

/** Elements per segment unless `chunkLength` says otherwise (see SharedArrayOptions). */
export const DEFAULT_CHUNK_LENGTH = 2 ** 30;

/** Plain-data form of a `SharedArray`; survives structured clone (segments are shared, not copied). */
export interface SharedArrayHandle<K extends ElementKind = ElementKind> {
  readonly __manycore: 'SharedArray';
  readonly kind: K;
  /** Elements in this array (or view). */
  readonly length: number;
  /** Index, within the segments, of this array's element 0 (non-zero for subarray views). */
  readonly start: number;
  /** Elements per segment; every segment but the last holds exactly this many. */
  readonly chunkLength: number;
  readonly segments: readonly SharedArrayBuffer[];
}

/** Options of `SharedArray.create` and the other constructors. */
export interface SharedArrayOptions {
  /**
   * Elements per segment. Default: 2^30 (1 GiB of Uint8 … 8 GiB of Float64): under the 2^32
   * elements one TypedArray can hold, and small enough that every index within a segment is a
   * small integer for V8. Most arrays then fit in one segment, whose get/set is a single load.
   * Smaller values only help to test segment boundaries.
   */
  readonly chunkLength?: number;
  /** Where segments come from; default `heapAllocator` (`new SharedArrayBuffer`). */
  readonly memory?: MemoryAllocator;
}

/** The plain-data side of a `SharedArray`: its handle, its options and their defaults. */
import { constants } from 'node:buffer';
import type { ElementKind } from './element-kinds.ts';
import type { MemoryAllocator } from './memory.ts';

/**
 * The most elements one TypedArray holds on this engine (V8's limit, which Node reports as
 * `buffer.constants.MAX_LENGTH`): 2^32 on Node 20, 2^53 − 1 from Node 22 on.
 */
export const MAX_VIEW_LENGTH = constants.MAX_LENGTH;

/**
 * Elements per segment unless `chunkLength` says otherwise (see SharedArrayOptions): on an
 * engine whose TypedArrays hold any length, the whole array; otherwise 2^30.
 */
export const DEFAULT_CHUNK_LENGTH = MAX_VIEW_LENGTH > 2 ** 32 ? MAX_VIEW_LENGTH : 2 ** 30;

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
   * Elements per segment, from 1 to the most one TypedArray holds ({@link MAX_VIEW_LENGTH}).
   * Default: from Node 22 on, the whole array — one segment whatever its size. On Node 20, where
   * one TypedArray holds at most 2^32 elements, 2^30 (1 GiB of Uint8 … 8 GiB of Float64): every
   * index within a segment is then a small integer for V8, which the window check of get/set
   * across segments relies on. An array within one segment has a get/set that is a single load.
   * Smaller values only help to test segment boundaries.
   */
  readonly chunkLength?: number;
  /** Where segments come from; default `heapAllocator` (`new SharedArrayBuffer`). */
  readonly memory?: MemoryAllocator;
}

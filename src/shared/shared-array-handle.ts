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
 * Elements per segment of an array of `length` elements unless `chunkLength` says otherwise (see
 * SharedArrayOptions): the whole array when one TypedArray can hold it, 2^30 otherwise.
 */
export function defaultChunkLength(length: number): number {
  return length <= MAX_VIEW_LENGTH ? Math.max(length, 1) : 2 ** 30;
}

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
   * Default: the whole array — one segment — whenever one TypedArray can hold it: always from
   * Node 22 on, up to 2^32 elements on Node 20. A longer array on Node 20 gets segments of 2^30
   * elements (1 GiB of Uint8 … 8 GiB of Float64): every index within a segment is then a small
   * integer for V8, which the window check of get/set across segments relies on. An array within
   * one segment has a get/set that is a single load. Smaller values only help to test segment
   * boundaries.
   */
  readonly chunkLength?: number;
  /** Where segments come from; default `heapAllocator` (`new SharedArrayBuffer`). */
  readonly memory?: MemoryAllocator;
}

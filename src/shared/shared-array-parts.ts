/**
 * How a SharedArray's handle maps onto TypedArrays: checking a handle's shape, and cutting the
 * segments it covers into "parts" (one TypedArray per segment, clipped to the array's range).
 */
import { InvalidOptionError } from '../errors.ts';
import { ELEMENT_KINDS, checkElementKind, type ElementKind } from './element-kinds.ts';
import type { SharedArrayHandle } from './shared-array-handle.ts';

/** The operations parts and chunks share, whatever their kind (casts keep public types exact). */
export interface View {
  [index: number]: number | bigint;
  readonly length: number;
  subarray(begin: number, end: number): View;
  fill(value: never, begin: number, end: number): View;
  set(source: ArrayLike<never>, offset: number): void;
}

/**
 * Returns the handle's fields once they describe whole segments of one element kind and a range
 * inside them.
 *
 * @throws {InvalidOptionError} ERR_INVALID_OPTION naming the inconsistent field.
 */
export function checkHandle<K extends ElementKind>(handle: SharedArrayHandle<K>): SharedArrayHandle<K> {
  const { kind, length, start, chunkLength, segments } = handle ?? {};
  checkElementKind(kind);
  if (!Array.isArray(segments) || !segments.every((s) => s instanceof SharedArrayBuffer)) {
    throw new InvalidOptionError('segments', 'an array of SharedArrayBuffers', segments);
  }
  const bytesPerElement = ELEMENT_KINDS[kind].BYTES_PER_ELEMENT;
  const counts = segments.map((segment: SharedArrayBuffer) => segment.byteLength / bytesPerElement);
  const total = counts.reduce((sum, count) => sum + count, 0);
  const shapeOk = counts.every(
    (count, i) =>
      Number.isInteger(count) &&
      (count === chunkLength || (i === segments.length - 1 && count <= chunkLength)),
  );
  if (!Number.isSafeInteger(chunkLength) || chunkLength < 1 || !shapeOk) {
    throw new InvalidOptionError(
      'chunkLength',
      'the element count of every segment but the last',
      chunkLength,
    );
  }
  if (
    !Number.isSafeInteger(start) ||
    !Number.isSafeInteger(length) ||
    start < 0 ||
    length < 0 ||
    start + length > total
  ) {
    throw new InvalidOptionError(
      'start/length',
      `a range within the ${total} elements of the segments`,
      `${start}/${length}`,
    );
  }
  return handle;
}

/**
 * The segments that `[start, start + length)` covers, each as a TypedArray clipped to that
 * range, in order. Only the first part can start mid-segment and only the last can end early.
 */
export function clipParts(
  Kind: Int8ArrayConstructor,
  segments: readonly SharedArrayBuffer[],
  start: number,
  length: number,
  chunkLength: number,
): View[] {
  const parts: View[] = [];
  for (let at = start; at < start + length;) {
    const segment = Math.floor(at / chunkLength);
    const within = at - segment * chunkLength;
    const count = Math.min(start + length - at, chunkLength - within);
    parts.push(new Kind(segments[segment]!, within * Kind.BYTES_PER_ELEMENT, count));
    at += count;
  }
  return parts;
}

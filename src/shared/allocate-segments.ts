/** Making the segments of a new SharedArray: what `SharedArray.create` and its siblings share. */
import { InvalidOptionError } from '../errors.ts';
import { ELEMENT_KINDS, checkElementKind, type ElementKind } from './element-kinds.ts';
import { SharedAllocationError } from './errors.ts';
import { heapAllocator } from './memory.ts';
import { elementsInFile } from './read-file.ts';
import {
  MAX_VIEW_LENGTH,
  defaultChunkLength,
  type SharedArrayHandle,
  type SharedArrayOptions,
} from './shared-array-handle.ts';

/**
 * Allocates the zero-filled segments of an array of `length` elements of `kind` from
 * `options.memory` (default: `new SharedArrayBuffer`), and returns the handle over them.
 *
 * @throws {SharedAllocationError} ERR_SHARED_ALLOCATION_FAILED when memory runs out.
 * @throws {InvalidOptionError} ERR_INVALID_OPTION for a bad kind, length or chunkLength.
 */
export function allocateSegments<K extends ElementKind>(
  kind: K,
  length: number,
  options?: SharedArrayOptions,
): SharedArrayHandle<K> {
  checkElementKind(kind);
  if (!Number.isSafeInteger(length) || length < 0)
    throw new InvalidOptionError('length', 'a non-negative safe integer', length);
  const bytesPerElement = ELEMENT_KINDS[kind].BYTES_PER_ELEMENT;
  const chunkLength = options?.chunkLength ?? defaultChunkLength(length);
  if (!Number.isInteger(chunkLength) || chunkLength < 1 || chunkLength > MAX_VIEW_LENGTH) {
    throw new InvalidOptionError(
      'chunkLength',
      `an integer from 1 to ${MAX_VIEW_LENGTH} (the most elements one TypedArray holds here)`,
      chunkLength,
    );
  }
  const allocator = options?.memory ?? heapAllocator;
  const segments: SharedArrayBuffer[] = [];
  for (let first = 0; first < length; first += chunkLength) {
    const byteLength = Math.min(chunkLength, length - first) * bytesPerElement;
    try {
      segments.push(allocator.allocate(byteLength));
    } catch (cause) {
      throw new SharedAllocationError(length * bytesPerElement, allocator.name, { cause });
    }
  }
  return { __manycore: 'SharedArray', kind, length, start: 0, chunkLength, segments };
}

/**
 * Allocates the segments for the contents of the file at `path`, `byteLength` bytes long.
 *
 * @throws {FileSizeMismatchError} ERR_FILE_SIZE_MISMATCH when the size is not whole elements.
 * @throws {InvalidOptionError} ERR_INVALID_OPTION for a bad kind or chunkLength.
 */
export function allocateForFile<K extends ElementKind>(
  kind: K,
  path: string,
  byteLength: number,
  options?: SharedArrayOptions,
): SharedArrayHandle<K> {
  const bytesPerElement = ELEMENT_KINDS[checkElementKind(kind)].BYTES_PER_ELEMENT;
  return allocateSegments(kind, elementsInFile(path, byteLength, bytesPerElement), options);
}

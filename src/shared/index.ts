/** Shared memory: typed arrays of any size, shared values, range splitting and revival of handles. */
export { SharedArray, type SharedArrayHandle, type SharedArrayOptions } from './shared-array.ts';
export { SharedValue, type SharedValueHandle, type SharedValueOptions } from './shared-value.ts';
export { splitRange, mapRanges, type IndexRange, type SplitOptions } from './split-range.ts';
export { reviveShared, isSharedHandle, type SharedTag } from './revive.ts';
export { heapAllocator, type MemoryAllocator, type MemorySlice, type MemorySource } from './memory.ts';
export { ELEMENT_KINDS, type ElementKind, type ArrayOf, type ElementOf } from './element-kinds.ts';
export {
  SharedReleasedError,
  SharedAllocationError,
  IndexOutOfRangeError,
  FileSizeMismatchError,
} from './errors.ts';
export { ProcessMemoryAllocator, processMemoryAllocator } from './process-memory-allocator.ts';
export { releaseProcessMemory, isProcessShared } from './process-buffers.ts';
export {
  ProcessMemory,
  ProcessMemoryError,
  processMemoryIsShared,
  type ProcessMemoryHandle,
  type WaitOutcome,
} from './process-memory.ts';

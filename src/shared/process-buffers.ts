/**
 * Questions about one SharedArrayBuffer that the rest of the library asks: is it mapped from
 * /dev/shm (so waiting on it needs the kernel futex, and a child can map it by name)? And the
 * reverse: the buffer for a name another process sent.
 */
import { loadSharedBufferAddon } from './native-addon.ts';
import { ProcessMemoryError } from './process-memory.ts';
import { isReleasedSegment, releaseSegment, segmentExists } from './process-segments.ts';

/** Per thread: buffer → its segment name, or null for an ordinary SharedArrayBuffer. */
const names = new WeakMap<SharedArrayBuffer, string | null>();
/**
 * Per thread: segments mapped from a name, held so that a name is mapped once, not per task (a
 * fresh mapping costs a page fault per 4 KiB page touched: ~6 ms for 64 MiB here). Held strongly,
 * since a task's arguments die with the task; an entry is dropped once its name is gone from
 * /dev/shm (its owner released it), so memory the owner freed is not kept alive here.
 */
const opened = new Map<string, SharedArrayBuffer>();
/** Set once this thread made or mapped a segment: only then can a message hold a shared view. */
let inUse = false;

/** True once this thread created or mapped process-shared memory. */
export function processMemoryInUse(): boolean {
  return inUse;
}

/** Records that process-shared memory exists in this thread (called by the allocator). */
export function markProcessMemoryInUse(): void {
  inUse = true;
}

/**
 * The /dev/shm name `buffer` maps, or undefined for an ordinary SharedArrayBuffer. Recognises a
 * process-shared buffer in any thread of the process (the addon keeps a process-wide table).
 */
function processSegmentName(buffer: SharedArrayBuffer): string | undefined {
  let name = names.get(buffer);
  if (name === undefined) {
    // Quietly: asking is not using; a program without process memory never needs the addon.
    name = loadSharedBufferAddon(true)?.describe(buffer) ?? null;
    names.set(buffer, name);
  }
  return name ?? undefined;
}

/** True if `buffer` is mapped from /dev/shm, i.e. shared with other processes. */
export function isProcessShared(buffer: ArrayBufferLike): buffer is SharedArrayBuffer {
  return buffer instanceof SharedArrayBuffer && processSegmentName(buffer) !== undefined;
}

/**
 * Maps the segment `name` (sent by another process), or returns the mapping this thread already
 * has.
 *
 * @throws {ProcessMemoryError} ERR_PROCESS_MEMORY when the addon is missing or the name is gone.
 */
export function openProcessSegment(name: string, byteLength: number): SharedArrayBuffer {
  const existing = opened.get(name);
  if (existing !== undefined) return existing;
  forgetReleased();
  const addon = loadSharedBufferAddon();
  if (addon === null) {
    throw new ProcessMemoryError(
      `Cannot map shared memory ${name}: the addon is not available in this process (pid ${process.pid}). ` +
        'Rebuild it with `node native/build.mjs`.',
    );
  }
  let buffer: SharedArrayBuffer;
  try {
    buffer = addon.map(name, byteLength, false);
  } catch (cause) {
    throw new ProcessMemoryError(
      `Cannot map shared memory ${name} (${byteLength} bytes): ${(cause as Error).message}. Its owner ` +
        'released it or exited; keep shared objects (and the process that created them) alive until ' +
        'every task using them has finished.',
      { cause },
    );
  }
  names.set(buffer, name);
  opened.set(name, buffer);
  inUse = true;
  return buffer;
}

/** Drops held mappings whose names were removed (checked on each new mapping, not per task). */
function forgetReleased(): void {
  for (const name of opened.keys()) if (!segmentExists(name)) opened.delete(name);
}

/**
 * The name to send for `buffer`.
 *
 * @throws {ProcessMemoryError} ERR_PROCESS_MEMORY when it was released already.
 */
export function nameToSend(buffer: SharedArrayBuffer): string | undefined {
  const name = processSegmentName(buffer);
  if (name !== undefined && isReleasedSegment(name)) {
    throw new ProcessMemoryError(
      `Cannot send shared memory ${name} to another process: it was released (releaseProcessMemory, ` +
        'ProcessMemoryAllocator.release or `using`). Release it only after the last task that uses it.',
    );
  }
  return name;
}

/**
 * Removes the /dev/shm names of every process-shared buffer inside `value` (a SharedArray, a
 * Lock, a Queue, their handles, or arrays and objects holding them). Processes that mapped them
 * keep working; no new process can map them. Returns how many names were released.
 *
 * @example
 * ```ts
 * const data = SharedArray.create('Float64', n, { memory: processMemoryAllocator });
 * try { await pool.map(t.work, data.ranges({ parts: 8 }).map((r) => [data, r])); }
 * finally { releaseProcessMemory(data); }
 * ```
 */
export function releaseProcessMemory(value: unknown): number {
  let count = 0;
  for (const buffer of buffersIn(value, new Set())) {
    const name = processSegmentName(buffer);
    if (name !== undefined && !isReleasedSegment(name)) {
      releaseSegment(name);
      count += 1;
    }
  }
  return count;
}

function* buffersIn(value: unknown, seen: Set<object>): Generator<SharedArrayBuffer> {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (value instanceof SharedArrayBuffer) yield value;
  else if (ArrayBuffer.isView(value)) yield* buffersIn(value.buffer, seen);
  else if (value instanceof Map) for (const entry of value.values()) yield* buffersIn(entry, seen);
  else if (value instanceof Set || Array.isArray(value))
    for (const item of value) yield* buffersIn(item, seen);
  else for (const key of Object.keys(value)) yield* buffersIn((value as Record<string, unknown>)[key], seen);
}

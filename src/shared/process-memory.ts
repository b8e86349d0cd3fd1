/**
 * Memory that several processes map at once (POSIX shared memory under /dev/shm), and a futex
 * wait/notify that works across them: what a SharedArrayBuffer is to threads, for a ProcessPool.
 *
 *   parent: ProcessMemory.create(n) ──handle (plain data)──► child: ProcessMemory.open(handle)
 *            buffers[0..k] ◄──────── the same physical pages ────────► buffers[0..k]
 *
 * Why an addon (native/shm.cc): a SharedArrayBuffer cannot be sent to a child process as
 * shared memory (a ProcessPool shares SharedArrays through ProcessMemoryAllocator instead), and
 * `Atomics.wait` refuses the external ArrayBuffer an addon returns. `Atomics.load/store/add`
 * do work on it (they are plain atomic instructions), so only waiting and waking go native.
 * Node-API caps one external buffer at 4 GiB, so a larger region is several mappings.
 *
 * When the addon did not build, everything still runs but nothing is shared: the memory is an
 * ordinary buffer, the handle carries a copy, and a child's writes stay in the child. One
 * warning (code MANYCORE_NO_SHARED_PROCESS_MEMORY) says so.
 */
import { ManycoreError } from '../errors.ts';
import { loadShmAddon, type WaitOutcome } from './native-addon.ts';
import { newSegmentName } from './process-segments.ts';

export type { WaitOutcome } from './native-addon.ts';

/** Bytes one mapping covers at most (Node-API's limit on one external buffer). */
export const MAX_MAPPING_BYTES = 2 ** 32;

/** A failure of shared process memory: a system call refused, or a handle was not valid. */
export class ProcessMemoryError extends ManycoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_PROCESS_MEMORY', message, options);
  }
}

/** Plain data that names a ProcessMemory: send it to a child as a task argument and `open` it there. */
export interface ProcessMemoryHandle {
  readonly kind: 'manycore:process-memory';
  readonly name: string;
  readonly sizeBytes: number;
  /** Only without the addon: a copy of the contents (the child gets its own memory). */
  readonly copy: readonly ArrayBuffer[] | undefined;
}

/** Whether processes really share ProcessMemory here (the addon built and loaded). */
export function processMemoryIsShared(): boolean {
  return loadShmAddon() !== null;
}

/**
 * A region of memory mapped by several processes. `buffers[i]` covers bytes
 * `[i * MAX_MAPPING_BYTES, …)`; views (`Int32Array`, `Float64Array`…) over them behave as over
 * a SharedArrayBuffer, except that waiting goes through `wait`/`notify` below.
 *
 * @example
 * const memory = ProcessMemory.create(1024);
 * await pool.submit(t.count, memory.handle()); // the task calls ProcessMemory.open(handle)
 * console.log(Atomics.load(new Int32Array(memory.buffers[0]!), 0));
 * memory.unlink();
 */
export class ProcessMemory {
  readonly name: string;
  readonly sizeBytes: number;
  /** The mappings, in order; at most MAX_MAPPING_BYTES each. */
  readonly buffers: readonly ArrayBuffer[];
  /** False when the addon is missing: this memory is private to the process. */
  readonly shared: boolean;

  private constructor(name: string, sizeBytes: number, buffers: readonly ArrayBuffer[], shared: boolean) {
    this.name = name;
    this.sizeBytes = sizeBytes;
    this.buffers = buffers;
    this.shared = shared;
  }

  /**
   * Creates a new zero-filled region of `sizeBytes` bytes (pages are committed on first touch).
   *
   * @throws ProcessMemoryError when the system refuses (no space in /dev/shm, a limit)
   */
  static create(sizeBytes: number): ProcessMemory {
    if (!(Number.isSafeInteger(sizeBytes) && sizeBytes > 0)) {
      throw new ProcessMemoryError(`sizeBytes must be a positive integer; received ${String(sizeBytes)}.`);
    }
    const name = newSegmentName();
    const native = loadShmAddon();
    if (native === null) return new ProcessMemory(name, sizeBytes, privateBuffers(sizeBytes), false);
    return new ProcessMemory(
      name,
      sizeBytes,
      callNative(() => native.map(name, sizeBytes, true)),
      true,
    );
  }

  /**
   * Maps the region a handle names (in a child process, typically inside a task).
   *
   * @throws ProcessMemoryError when the handle is not one, or its region was unlinked already
   */
  static open(handle: ProcessMemoryHandle): ProcessMemory {
    if (handle?.kind !== 'manycore:process-memory' || typeof handle.name !== 'string') {
      throw new ProcessMemoryError(
        'open() expects a handle from ProcessMemory#handle(); received something else.',
      );
    }
    if (handle.copy !== undefined)
      return new ProcessMemory(handle.name, handle.sizeBytes, handle.copy, false);
    const native = loadShmAddon();
    if (native === null) {
      throw new ProcessMemoryError(
        `Cannot open shared memory ${handle.name}: the addon is not built in this process (build it with node native/build.mjs).`,
      );
    }
    return new ProcessMemory(
      handle.name,
      handle.sizeBytes,
      callNative(() => native.map(handle.name, handle.sizeBytes, false)),
      true,
    );
  }

  /** Plain data for `open` in another process. Without the addon it carries a copy of the contents. */
  handle(): ProcessMemoryHandle {
    return {
      kind: 'manycore:process-memory',
      name: this.name,
      sizeBytes: this.sizeBytes,
      copy: this.shared ? undefined : this.buffers.map((buffer) => buffer.slice(0)),
    };
  }

  /**
   * Blocks until another process calls `notify` on the same word, like `Atomics.wait`: returns
   * "not-equal" at once if `view[index]` is not `expected`. Never call it on a main thread that
   * serves other work (it blocks); a task in a child process may.
   *
   * @param timeoutMs longest wait in ms; default Infinity
   * @throws ProcessMemoryError without the addon when the wait could only end by another process
   */
  wait(view: Int32Array, index: number, expected: number, timeoutMs = Infinity): WaitOutcome {
    const native = this.shared ? loadShmAddon() : null;
    if (native === null) {
      if (Atomics.load(view, index) !== expected) return 'not-equal';
      throw new ProcessMemoryError(
        'wait() needs the shared-memory addon: without it no other process can notify.',
      );
    }
    return native.wait(view.buffer as ArrayBuffer, view.byteOffset + index * 4, expected, timeoutMs);
  }

  /** Wakes up to `count` processes waiting on `view[index]`; returns how many woke (default: all). */
  notify(view: Int32Array, index: number, count = Infinity): number {
    const native = this.shared ? loadShmAddon() : null;
    if (native === null) return 0;
    return native.wake(view.buffer as ArrayBuffer, view.byteOffset + index * 4, count);
  }

  /** Removes the name: no new process can open it; the memory lives until the last mapping is gone. */
  unlink(): void {
    if (this.shared) loadShmAddon()?.unlink(this.name);
  }
}

function privateBuffers(sizeBytes: number): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (let offset = 0; offset < sizeBytes; offset += MAX_MAPPING_BYTES) {
    buffers.push(new ArrayBuffer(Math.min(MAX_MAPPING_BYTES, sizeBytes - offset)));
  }
  return buffers;
}

function callNative<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw new ProcessMemoryError(`Shared process memory failed: ${(error as Error).message}.`, {
      cause: error,
    });
  }
}

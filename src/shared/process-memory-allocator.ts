/**
 * A {@link MemoryAllocator} whose buffers several processes map at once: pass it as `memory` and
 * the SharedArray, Lock, Queue… you build can be handed to a ProcessPool task like to a
 * ThreadPool task — the child works on the same pages.
 *
 *   parent: SharedArray.create('Float64', n, { memory: processMemoryAllocator })
 *      │ segments = SharedArrayBuffers over /dev/shm/manycore-<pid>-<uuid>
 *      │ pool.submit(task, array) ── child.send: each buffer travels as its name ──┐
 *      ▼                                                                         ▼
 *   the same physical pages ◄────────────────────────── child: map(name) → SharedArrayBuffer
 *
 * Each buffer is a real SharedArrayBuffer (native/shared-buffer.cc), so every shared object
 * works unchanged; waiting on one goes through the kernel futex (src/sync/futex.ts) because
 * `Atomics.wait/notify` do not reach other processes.
 */
import type { MemoryAllocator } from './memory.ts';
import { loadSharedBufferAddon } from './native-addon.ts';
import { markProcessMemoryInUse } from './process-buffers.ts';
import { ProcessMemoryError } from './process-memory.ts';
import { newSegmentName, releaseSegment, trackOwnedSegment } from './process-segments.ts';
// Loaded with the allocator: a ProcessPool child that makes shared memory can then send it back.
import './process-transport.ts';

/**
 * Allocates process-shared buffers and owns them: `release()` (or leaving a `using` block)
 * removes their /dev/shm names; so does this process's exit. Processes that already mapped a
 * buffer keep using it after the release — only new processes can no longer open it — and the
 * kernel frees the memory when the last of them unmaps it.
 *
 * Without the native addon, buffers are ordinary SharedArrayBuffers and a ProcessPool copies
 * them to its children (one warning, MANYCORE_NO_SHARED_PROCESS_MEMORY, names the fix).
 *
 * @example
 * ```ts
 * using memory = new ProcessMemoryAllocator();
 * const data = SharedArray.create('Float64', 1_000_000, { memory });
 * const lock = new Lock({ memory });
 * await pool.submit(t.addUnderLock, data, lock); // a ProcessPool child writes into `data`
 * console.log(data.get(0));
 * ```
 */
export class ProcessMemoryAllocator implements MemoryAllocator, Disposable {
  readonly name = 'process';
  readonly #names = new Set<string>();

  /**
   * Returns a zero-filled SharedArrayBuffer of `byteLength` bytes mapped from /dev/shm (pages are
   * committed on first touch, and count against /dev/shm's size limit).
   *
   * @throws {ProcessMemoryError} ERR_PROCESS_MEMORY when the system refuses (no space, a limit).
   */
  allocate(byteLength: number): SharedArrayBuffer {
    const addon = loadSharedBufferAddon();
    if (addon === null) return new SharedArrayBuffer(byteLength);
    // A zero-length mapping does not exist; an empty buffer needs no sharing.
    if (byteLength === 0) return new SharedArrayBuffer(0);
    const name = newSegmentName();
    let buffer: SharedArrayBuffer;
    try {
      buffer = addon.map(name, byteLength, true);
    } catch (cause) {
      throw new ProcessMemoryError(
        `Could not map ${byteLength} bytes of shared memory at /dev/shm${name}: ${(cause as Error).message}. ` +
          'Free space in /dev/shm (df -h /dev/shm), release arrays you no longer need, or ask for less.',
        { cause },
      );
    }
    trackOwnedSegment(name);
    markProcessMemoryInUse();
    this.#names.add(name);
    return buffer;
  }

  /** Number of segments allocated and not yet released. */
  get segmentCount(): number {
    return this.#names.size;
  }

  /** Removes the names of every buffer this allocator made; allocating again is allowed. */
  release(): void {
    for (const name of this.#names) releaseSegment(name);
    this.#names.clear();
  }

  /** Same as {@link ProcessMemoryAllocator.release}, for `using`. */
  [Symbol.dispose](): void {
    this.release();
  }
}

/**
 * The process-wide {@link ProcessMemoryAllocator}: its buffers' names stay until
 * {@link releaseProcessMemory} or this process's exit.
 *
 * @example
 * ```ts
 * const data = SharedArray.create('Int32', 1000, { memory: processMemoryAllocator });
 * await pool.submit(t.fill, data); // pool: a ProcessPool
 * releaseProcessMemory(data);
 * ```
 */
export const processMemoryAllocator: ProcessMemoryAllocator = new ProcessMemoryAllocator();

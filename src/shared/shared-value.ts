/**
 * Named shared objects, like Ray's `ray.put`: serialize a value once into shared memory, pass the
 * small handle to any number of tasks, and each thread deserializes it at most once (cached by
 * id) instead of receiving a copy with every task.
 */
import { randomUUID } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { NotCloneableError } from '../errors.ts';
import { SharedReleasedError } from './errors.ts';
import { heapAllocator, type MemoryAllocator } from './memory.ts';

/** Plain-data form of a {@link SharedValue}; small to send (buffers are shared, not copied). */
export interface SharedValueHandle {
  readonly __manycore: 'SharedValue';
  /** Unique id; the per-thread cache key. */
  readonly id: string;
  /** The serialized value (`v8.serialize` bytes). */
  readonly data: SharedArrayBuffer;
  /** One Int32 word: 1 once released. Separate from `data` so caches can watch it without keeping `data` alive. */
  readonly state: SharedArrayBuffer;
}

/** Options of {@link SharedValue.put}. */
export interface SharedValueOptions {
  /** Where the bytes live; default {@link heapAllocator}. */
  readonly memory?: MemoryAllocator;
}

/** This thread's deserialized values; entries of released values are dropped on the next get(). */
const cache = new Map<string, { value: unknown; state: Int32Array }>();
/** What a released object points at instead of its data, so its bytes can be garbage-collected. */
const RELEASED_DATA = new SharedArrayBuffer(0);

/**
 * A value put once into shared memory. `get()` returns this thread's copy (deserialized on first
 * use); `release()` marks it gone everywhere, and its memory is freed once no thread references
 * the handle any more. Holds anything `v8.serialize` accepts — except SharedArrayBuffers and
 * SharedArrays, which are already shared: pass those directly.
 *
 * @example
 * ```ts
 * const model = SharedValue.put({ weights: [...], labels: [...] });
 * await Promise.all(items.map((x) => pool.submit(t.classify, model, x)));
 * model.release();
 * // in the task: export function classify(model: SharedValue<Model>, x: number) { model.get()… }
 * ```
 */
export class SharedValue<T = unknown> implements SharedValueHandle {
  readonly __manycore = 'SharedValue' as const;
  readonly id: string;
  readonly data: SharedArrayBuffer;
  readonly state: SharedArrayBuffer;
  readonly #state: Int32Array;

  /** Attaches to a handle; use {@link SharedValue.put} to make a new one. */
  constructor(handle: SharedValueHandle) {
    this.id = handle.id;
    this.data = handle.data;
    this.state = handle.state;
    this.#state = new Int32Array(handle.state, 0, 1);
  }

  /**
   * Serializes `value` into shared memory, once.
   *
   * @throws {NotCloneableError} ERR_ARGUMENT_NOT_CLONEABLE when `value` cannot be serialized.
   */
  static put<T>(value: T, options?: SharedValueOptions): SharedValue<T> {
    let bytes: Buffer;
    try {
      bytes = serialize(value);
    } catch (cause) {
      throw new NotCloneableError('SharedValue.put(value)', value, 'argument', { cause });
    }
    const allocator = options?.memory ?? heapAllocator;
    const data = allocator.allocate(bytes.length);
    new Uint8Array(data).set(bytes);
    const handle = {
      __manycore: 'SharedValue' as const,
      id: randomUUID(),
      data,
      state: allocator.allocate(4),
    };
    return new SharedValue<T>(handle);
  }

  /** Rebuilds the live object from its handle (done for you by `reviveShared`). */
  static fromHandle<T = unknown>(handle: SharedValueHandle): SharedValue<T> {
    return new SharedValue<T>(handle);
  }

  /** The plain-data handle to send elsewhere. */
  toHandle(): SharedValueHandle {
    return { __manycore: 'SharedValue', id: this.id, data: this.data, state: this.state };
  }

  /** True once released (by any thread). */
  get released(): boolean {
    return Atomics.load(this.#state, 0) === 1;
  }

  /** Serialized size in bytes. */
  get byteLength(): number {
    return this.data.byteLength;
  }

  /**
   * This thread's copy of the value, deserialized on first use and cached. Treat it as
   * read-only: changes stay in this thread.
   *
   * @throws {SharedReleasedError} ERR_SHARED_RELEASED after release().
   */
  get(): T {
    sweepReleased();
    if (this.released) throw new SharedReleasedError(this.id);
    const hit = cache.get(this.id);
    if (hit !== undefined) return hit.value as T;
    const value = deserialize(new Uint8Array(this.data)) as T;
    cache.set(this.id, { value, state: this.#state });
    return value;
  }

  /** Marks the value released for every thread and drops this object's reference to the bytes. Idempotent. */
  release(): void {
    Atomics.store(this.#state, 0, 1);
    cache.delete(this.id);
    // The field is readonly to users; dropping the reference here lets the bytes be collected.
    (this as { data: SharedArrayBuffer }).data = RELEASED_DATA;
  }
}

function sweepReleased(): void {
  for (const [id, entry] of cache) if (Atomics.load(entry.state, 0) === 1) cache.delete(id);
}

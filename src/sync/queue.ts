/**
 * A bounded multi-producer multi-consumer queue of structured values in shared memory.
 *
 *   producers ──put──▶ [ header words | byte ring: rec rec rec … ] ──get──▶ consumers
 *
 * One futex mutex guards the header (head, tail, used bytes, count); copies in and out of the
 * ring happen under it, encoding (JSON or `v8.serialize`) and decoding outside it. A full
 * queue parks producers on NOT_FULL, an empty one parks consumers on NOT_EMPTY; each side's
 * sequence word is bumped under the mutex before the mutex is released, so a waiter that read
 * the word under the mutex cannot miss the change.
 */
import { InvalidOptionError } from '../errors.ts';
import { resolveMemory, type MemorySource } from '../shared/memory.ts';
import { QueueClosedError, QueueItemTooLargeError, SyncTimeoutError } from './errors.ts';
import {
  assertMayBlock,
  deadlineOf,
  lockMutexAsync,
  lockMutexSync,
  notify,
  unlockMutex,
  waitAsync,
  waitSync,
} from './futex.ts';
import {
  encodeItem,
  readRecord,
  RecordScratch,
  RECORD_HEADER_BYTES,
  writeRecord,
  type Decoder,
  type EncodedItem,
} from './queue-codec.ts';

const HEADER_BYTES = 64; // 16 Int32 words; keeps the ring 8-byte aligned
const MUTEX = 0;
const HEAD = 1; // ring position of the oldest record
const TAIL = 2; // ring position where the next record goes
const USED_BYTES = 3;
const COUNT = 4;
const CLOSED = 5;
const NOT_EMPTY = 6; // bumped by every put and by close
const NOT_FULL = 7; // bumped by every get and by close
const CAPACITY = 8;

/** Plain-data form of a {@link Queue}; survives structured clone. */
export interface QueueHandle {
  readonly __manycore: 'Queue';
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly capacityBytes: number;
}

/** Options of {@link Queue}. */
export interface QueueOptions {
  /** Most items held at once; integer >= 1. Default 1024. */
  readonly capacity?: number;
  /** Bytes of ring memory; each item takes 5 bytes plus its payload (8 for a number). Default 1 MiB. */
  readonly capacityBytes?: number;
  /** Where the queue lives; default a fresh SharedArrayBuffer (see SyncOptions.memory). */
  readonly memory?: MemorySource;
}

type Step<T> = { done: true; value: T } | { done: false; sequenceWord: number; sequence: number };

/**
 * Values are copied in (`put`) and out (`get`): numbers travel as 8 raw bytes, a `Uint8Array` as
 * its bytes (it comes out as a new `Uint8Array`), strings and flat plain objects of strings,
 * finite numbers, booleans and null as JSON (same result as structured clone, several times
 * cheaper), anything else through `v8.serialize` (what `postMessage` accepts, except
 * SharedArrayBuffers and transferables). Workers use the blocking
 * `putSync`/`getSync`; the main thread awaits `put`/`get`. After `close()`, puts fail and gets
 * drain what is left, then fail with `QueueClosedError` — the end-of-stream signal.
 *
 * @example
 * ```ts
 * const jobs = new Queue<number>({ capacity: 256 });
 * // workers: for (;;) { const n = jobs.getSync(60_000); … } (until ERR_QUEUE_CLOSED)
 * for (const n of inputs) await jobs.put(n);
 * jobs.close();
 * ```
 */
export class Queue<T = unknown> implements QueueHandle {
  readonly __manycore = 'Queue' as const;
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly capacityBytes: number;
  readonly #cells: Int32Array;
  readonly #ring: Uint8Array;
  readonly #scratch = new RecordScratch();
  static #attaching: QueueHandle | undefined;

  /** @throws {InvalidOptionError} ERR_INVALID_OPTION for a bad capacity, capacityBytes or memory. */
  constructor(options?: QueueOptions) {
    const attach = Queue.#attaching;
    const capacity = options?.capacity ?? 1024;
    const capacityBytes = attach?.capacityBytes ?? options?.capacityBytes ?? 1024 * 1024;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 0x7fffffff) {
      throw new InvalidOptionError('capacity', 'an integer from 1 to 2147483647', capacity);
    }
    if (!Number.isInteger(capacityBytes) || capacityBytes < 16 || capacityBytes > 0x7fffffff) {
      throw new InvalidOptionError('capacityBytes', 'an integer from 16 to 2147483647', capacityBytes);
    }
    const region = attach ?? resolveMemory(options?.memory, HEADER_BYTES + capacityBytes, 8);
    this.buffer = region.buffer;
    this.byteOffset = region.byteOffset;
    this.capacityBytes = capacityBytes;
    this.#cells = new Int32Array(this.buffer, this.byteOffset, HEADER_BYTES / 4);
    this.#ring = new Uint8Array(this.buffer, this.byteOffset + HEADER_BYTES, capacityBytes);
    if (attach === undefined) {
      this.#cells.fill(0);
      Atomics.store(this.#cells, CAPACITY, capacity);
    }
  }

  /**
   * Rebuilds the live queue from its handle (done for you by `reviveShared`).
   *
   * @throws {InvalidOptionError} ERR_INVALID_OPTION when `handle` is not a queue handle.
   */
  static fromHandle<T = unknown>(handle: QueueHandle): Queue<T> {
    if (
      handle?.__manycore !== 'Queue' ||
      !(handle.buffer instanceof SharedArrayBuffer) ||
      handle.byteOffset + HEADER_BYTES + handle.capacityBytes > handle.buffer.byteLength
    ) {
      throw new InvalidOptionError('handle', 'a Queue handle (from Queue.toHandle())', handle);
    }
    Queue.#attaching = handle;
    try {
      return new Queue<T>();
    } finally {
      Queue.#attaching = undefined;
    }
  }

  /** The plain-data handle to send elsewhere. */
  toHandle(): QueueHandle {
    const { buffer, byteOffset, capacityBytes } = this;
    return { __manycore: 'Queue', buffer, byteOffset, capacityBytes };
  }

  /** Most items held at once. */
  get capacity(): number {
    return Atomics.load(this.#cells, CAPACITY);
  }

  /** Items in the queue now (a snapshot). */
  get size(): number {
    return Atomics.load(this.#cells, COUNT);
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return Atomics.load(this.#cells, CLOSED) === 1;
  }

  /**
   * Copies `value` in, blocking the calling worker while the queue is full.
   *
   * @param timeoutMs - milliseconds to wait for room; default Infinity.
   * @throws {QueueClosedError} ERR_QUEUE_CLOSED after close().
   * @throws {QueueItemTooLargeError} ERR_QUEUE_ITEM_TOO_LARGE when it can never fit.
   * @throws {SyncTimeoutError} ERR_WAIT_TIMEOUT.
   * @throws {BlockingMainThreadError} ERR_BLOCKING_MAIN_THREAD on the main thread.
   */
  putSync(value: T, timeoutMs = Infinity): void {
    assertMayBlock('Queue.putSync');
    const deadline = deadlineOf(timeoutMs);
    const item = this.#encode(value);
    for (;;) {
      if (!lockMutexSync(this.#cells, MUTEX, deadline))
        throw new SyncTimeoutError('Queue.putSync', timeoutMs);
      const step = this.#tryPutLocked(item);
      if (step.done) return;
      if (!waitSync(this.#cells, step.sequenceWord, step.sequence, deadline)) {
        throw new SyncTimeoutError('Queue.putSync', timeoutMs);
      }
    }
  }

  /** Async form of {@link Queue.putSync}, for the main thread; same errors, as rejections. */
  async put(value: T, timeoutMs = Infinity): Promise<void> {
    const deadline = deadlineOf(timeoutMs);
    const item = this.#encode(value);
    for (;;) {
      if (!(await lockMutexAsync(this.#cells, MUTEX, deadline)))
        throw new SyncTimeoutError('Queue.put', timeoutMs);
      const step = this.#tryPutLocked(item);
      if (step.done) return;
      if (!(await waitAsync(this.#cells, step.sequenceWord, step.sequence, deadline))) {
        throw new SyncTimeoutError('Queue.put', timeoutMs);
      }
    }
  }

  /**
   * Takes the oldest value out, blocking the calling worker while the queue is empty.
   *
   * @param timeoutMs - milliseconds to wait for an item; default Infinity.
   * @throws {QueueClosedError} ERR_QUEUE_CLOSED when closed and empty (end of stream).
   * @throws {SyncTimeoutError} ERR_WAIT_TIMEOUT.
   * @throws {BlockingMainThreadError} ERR_BLOCKING_MAIN_THREAD on the main thread.
   */
  getSync(timeoutMs = Infinity): T {
    assertMayBlock('Queue.getSync');
    const deadline = deadlineOf(timeoutMs);
    for (;;) {
      if (!lockMutexSync(this.#cells, MUTEX, deadline))
        throw new SyncTimeoutError('Queue.getSync', timeoutMs);
      const step = this.#tryGetLocked();
      if (step.done) return step.value;
      if (!waitSync(this.#cells, step.sequenceWord, step.sequence, deadline)) {
        throw new SyncTimeoutError('Queue.getSync', timeoutMs);
      }
    }
  }

  /** Async form of {@link Queue.getSync}, for the main thread; same errors, as rejections. */
  async get(timeoutMs = Infinity): Promise<T> {
    const deadline = deadlineOf(timeoutMs);
    for (;;) {
      if (!(await lockMutexAsync(this.#cells, MUTEX, deadline)))
        throw new SyncTimeoutError('Queue.get', timeoutMs);
      const step = this.#tryGetLocked();
      if (step.done) return step.value;
      if (!(await waitAsync(this.#cells, step.sequenceWord, step.sequence, deadline))) {
        throw new SyncTimeoutError('Queue.get', timeoutMs);
      }
    }
  }

  /**
   * Closes the queue: puts fail from now on, gets drain the remaining items and then fail, and
   * every waiter wakes. Idempotent; also the way to free consumers when a producer's worker died.
   */
  close(): void {
    // Without the mutex: a waiter re-checks CLOSED after it wakes, and the sequence bumps wake it.
    Atomics.store(this.#cells, CLOSED, 1);
    Atomics.add(this.#cells, NOT_EMPTY, 1);
    Atomics.add(this.#cells, NOT_FULL, 1);
    notify(this.#cells, NOT_EMPTY);
    notify(this.#cells, NOT_FULL);
  }

  #encode(value: T): EncodedItem {
    if (this.closed) throw new QueueClosedError('put');
    const item = encodeItem(value, this.#scratch);
    const bytes = RECORD_HEADER_BYTES + item.payload.length;
    if (bytes > this.capacityBytes) throw new QueueItemTooLargeError(bytes, this.capacityBytes);
    return item;
  }

  /** Called holding the mutex; always releases it. */
  #tryPutLocked(item: EncodedItem): Step<undefined> {
    const cells = this.#cells;
    try {
      if (Atomics.load(cells, CLOSED) === 1) throw new QueueClosedError('put');
      const bytes = RECORD_HEADER_BYTES + item.payload.length;
      const used = Atomics.load(cells, USED_BYTES);
      if (Atomics.load(cells, COUNT) >= Atomics.load(cells, CAPACITY) || used + bytes > this.capacityBytes) {
        return { done: false, sequenceWord: NOT_FULL, sequence: Atomics.load(cells, NOT_FULL) };
      }
      Atomics.store(cells, TAIL, writeRecord(this.#ring, Atomics.load(cells, TAIL), item, this.#scratch));
      Atomics.store(cells, USED_BYTES, used + bytes);
      Atomics.add(cells, COUNT, 1);
      Atomics.add(cells, NOT_EMPTY, 1);
    } finally {
      unlockMutex(cells, MUTEX);
    }
    notify(cells, NOT_EMPTY);
    return { done: true, value: undefined };
  }

  /** Called holding the mutex; always releases it. */
  #tryGetLocked(): Step<T> {
    const cells = this.#cells;
    let value: unknown;
    let decode: Decoder | undefined;
    try {
      if (Atomics.load(cells, COUNT) === 0) {
        if (Atomics.load(cells, CLOSED) === 1) throw new QueueClosedError('get');
        return { done: false, sequenceWord: NOT_EMPTY, sequence: Atomics.load(cells, NOT_EMPTY) };
      }
      const record = readRecord(this.#ring, Atomics.load(cells, HEAD), this.#scratch);
      value = record.value;
      decode = record.decode;
      Atomics.store(cells, HEAD, record.next);
      Atomics.sub(cells, USED_BYTES, record.bytes);
      Atomics.sub(cells, COUNT, 1);
      Atomics.add(cells, NOT_FULL, 1);
    } finally {
      unlockMutex(cells, MUTEX);
    }
    notify(cells, NOT_FULL);
    // Deserializing outside the mutex keeps the critical section a plain copy.
    return { done: true, value: (decode === undefined ? value : decode(value as Uint8Array)) as T };
  }
}

/**
 * A typed array in shared memory, of any length memory allows (also past 4 GiB and 2^32
 * elements). The elements live in segments — one SharedArrayBuffer each, `chunkLength` elements
 * long — because one TypedArray holds at most 2^32 elements (FACTS.md) and a native mapping is
 * capped at 4 GiB. `get/set` hide the segments for random access; `chunks()` hands out plain
 * TypedArrays for hot loops, which then run at plain-TypedArray speed.
 */
import { stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { InvalidOptionError } from '../errors.ts';
import {
  ELEMENT_KINDS,
  isElementKind,
  type ArrayOf,
  type ElementKind,
  type ElementOf,
} from './element-kinds.ts';
import { FileSizeMismatchError, IndexOutOfRangeError, SharedAllocationError } from './errors.ts';
import { heapAllocator, type MemoryAllocator } from './memory.ts';
import { readFileInto, readFileIntoSync } from './read-file.ts';
import { splitRange, type IndexRange, type SplitOptions } from './split-range.ts';

/** Plain-data form of a {@link SharedArray}; survives structured clone (segments are shared, not copied). */
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

/** Options of {@link SharedArray.create} and the other constructors. */
export interface SharedArrayOptions {
  /**
   * Elements per segment. Default: 1 GiB worth (2^30 / bytes per element) — under the 2^32-element
   * TypedArray cap and the 4 GiB native-mapping cap, and large enough that per-segment overhead
   * (one view each) is nothing. Smaller values only help to test chunk boundaries.
   */
  readonly chunkLength?: number;
  /** Where segments come from; default {@link heapAllocator} (`new SharedArrayBuffer`). */
  readonly memory?: MemoryAllocator;
}

/** The operations chunks share, whatever their kind (casts keep the public types exact). */
interface View {
  [index: number]: number | bigint;
  readonly length: number;
  subarray(begin: number, end: number): View;
  fill(value: never, begin: number, end: number): View;
  set(source: ArrayLike<never>, offset: number): void;
}

/**
 * @example
 * ```ts
 * const data = SharedArray.create('Float64', 800_000_000); // 6.4 GB, zero-filled
 * data.set(5_000_000_000 % data.length, 1.5);
 * let sum = 0;
 * for (const [chunk] of data.chunks()) sum += sumOf(chunk); // hot loop in its own function
 * await pool.submit(t.fillRange, data, 0, 1000); // the worker sees the same memory
 * ```
 */
export class SharedArray<K extends ElementKind = ElementKind> implements SharedArrayHandle<K> {
  // Own enumerable fields = the handle, so structured clone of the live array is its handle.
  readonly __manycore = 'SharedArray' as const;
  readonly kind: K;
  readonly length: number;
  readonly start: number;
  readonly chunkLength: number;
  readonly segments: readonly SharedArrayBuffer[];
  readonly #views: View[];

  /**
   * Attaches to existing segments (what {@link SharedArray.fromHandle} does); to make a new
   * array use {@link SharedArray.create}, {@link SharedArray.from} or {@link SharedArray.fromFile}.
   *
   * @throws {InvalidOptionError} ERR_INVALID_OPTION when the handle is inconsistent.
   */
  constructor(handle: SharedArrayHandle<K>) {
    const { kind, length, start, chunkLength, segments } = handle ?? {};
    if (!isElementKind(kind))
      throw new InvalidOptionError('kind', `one of ${Object.keys(ELEMENT_KINDS).join(', ')}`, kind);
    if (!Array.isArray(segments) || !segments.every((s) => s instanceof SharedArrayBuffer)) {
      throw new InvalidOptionError('segments', 'an array of SharedArrayBuffers', segments);
    }
    // The constructors differ only in element type; one signature stands for all of them.
    const Kind = ELEMENT_KINDS[kind] as Int8ArrayConstructor;
    this.#views = segments.map((segment: SharedArrayBuffer) => new Kind(segment) as unknown as View);
    const total = this.#views.reduce((sum, view) => sum + view.length, 0);
    const shapeOk = this.#views.every(
      (v, i) => v.length === chunkLength || (i === segments.length - 1 && v.length <= chunkLength),
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
    this.kind = kind;
    this.length = length;
    this.start = start;
    this.chunkLength = chunkLength;
    this.segments = segments;
  }

  /**
   * Allocates a zero-filled array of `length` elements.
   *
   * @param length - number of elements, any safe integer memory allows.
   * @throws {SharedAllocationError} ERR_SHARED_ALLOCATION_FAILED when memory runs out.
   * @throws {InvalidOptionError} ERR_INVALID_OPTION for a bad kind, length or chunkLength.
   */
  static create<K extends ElementKind>(
    kind: K,
    length: number,
    options?: SharedArrayOptions,
  ): SharedArray<K> {
    if (!isElementKind(kind))
      throw new InvalidOptionError('kind', `one of ${Object.keys(ELEMENT_KINDS).join(', ')}`, kind);
    if (!Number.isSafeInteger(length) || length < 0)
      throw new InvalidOptionError('length', 'a non-negative safe integer', length);
    const bytesPerElement = ELEMENT_KINDS[kind].BYTES_PER_ELEMENT;
    const chunkLength = options?.chunkLength ?? 2 ** 30 / bytesPerElement;
    if (!Number.isInteger(chunkLength) || chunkLength < 1 || chunkLength > 2 ** 32) {
      throw new InvalidOptionError('chunkLength', 'an integer from 1 to 2^32', chunkLength);
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
    return new SharedArray({ __manycore: 'SharedArray', kind, length, start: 0, chunkLength, segments });
  }

  /** Allocates an array holding a copy of `source` (a TypedArray or any array-like). */
  static from<K extends ElementKind>(
    kind: K,
    source: ArrayLike<ElementOf<K>>,
    options?: SharedArrayOptions,
  ): SharedArray<K> {
    const array = SharedArray.create(kind, source.length, options);
    array.copyFrom(source);
    return array;
  }

  /**
   * Allocates an array and fills it with a file's bytes, read straight into shared memory.
   *
   * @throws {FileSizeMismatchError} ERR_FILE_SIZE_MISMATCH when the size is not whole elements.
   */
  static async fromFile<K extends ElementKind>(
    kind: K,
    path: string,
    options?: SharedArrayOptions,
  ): Promise<SharedArray<K>> {
    const array = SharedArray.create(
      kind,
      SharedArray.#elementsIn(path, (await stat(path)).size, kind),
      options,
    );
    await readFileInto(path, array.#byteViews());
    return array;
  }

  /** Blocking form of {@link SharedArray.fromFile}. */
  static fromFileSync<K extends ElementKind>(
    kind: K,
    path: string,
    options?: SharedArrayOptions,
  ): SharedArray<K> {
    const array = SharedArray.create(kind, SharedArray.#elementsIn(path, statSync(path).size, kind), options);
    readFileIntoSync(path, array.#byteViews());
    return array;
  }

  /** Rebuilds the live array from its handle (done for you by `reviveShared`). */
  static fromHandle<K extends ElementKind>(handle: SharedArrayHandle<K>): SharedArray<K> {
    return new SharedArray(handle);
  }

  /** The plain-data handle to send elsewhere. */
  toHandle(): SharedArrayHandle<K> {
    const { kind, length, start, chunkLength, segments } = this;
    return { __manycore: 'SharedArray', kind, length, start, chunkLength, segments };
  }

  /** Size in bytes of this array's elements. */
  get byteLength(): number {
    return this.length * ELEMENT_KINDS[this.kind].BYTES_PER_ELEMENT;
  }

  /**
   * Reads element `index`. For sequential scans prefer {@link SharedArray.chunks}.
   *
   * @throws {IndexOutOfRangeError} ERR_INDEX_OUT_OF_RANGE unless 0 <= index < length, integer.
   */
  get(index: number): ElementOf<K> {
    if (!(index >= 0 && index < this.length && index % 1 === 0)) this.#outOfRange(index);
    const at = this.start + index;
    const chunk = Math.floor(at / this.chunkLength);
    return this.#views[chunk]![at - chunk * this.chunkLength] as ElementOf<K>;
  }

  /**
   * Writes element `index` (the value converts like a TypedArray store: wraps, rounds, clamps).
   *
   * @throws {IndexOutOfRangeError} ERR_INDEX_OUT_OF_RANGE unless 0 <= index < length, integer.
   */
  set(index: number, value: ElementOf<K>): void {
    if (!(index >= 0 && index < this.length && index % 1 === 0)) this.#outOfRange(index);
    const at = this.start + index;
    const chunk = Math.floor(at / this.chunkLength);
    this.#views[chunk]![at - chunk * this.chunkLength] = value;
  }

  /**
   * Yields `[chunk, offset]` pairs covering `[begin, end)` in order: `chunk` is a plain TypedArray
   * over the shared memory (no copy) and `offset` the index of its first element in this array.
   *
   * @throws {IndexOutOfRangeError} ERR_INDEX_OUT_OF_RANGE unless 0 <= begin <= end <= length.
   * @example
   * ```ts
   * for (const [chunk, offset] of data.chunks(start, end)) fillChunk(chunk, offset);
   * ```
   */
  *chunks(begin = 0, end = this.length): Generator<[chunk: ArrayOf<K>, offset: number], void, undefined> {
    this.#checkRange(begin, end);
    for (let index = begin; index < end;) {
      const at = this.start + index;
      const chunk = Math.floor(at / this.chunkLength);
      const within = at - chunk * this.chunkLength;
      const count = Math.min(end - index, this.chunkLength - within);
      yield [this.#views[chunk]!.subarray(within, within + count) as unknown as ArrayOf<K>, index];
      index += count;
    }
  }

  /** Calls `fn(chunk, offset)` for every chunk of `[begin, end)`; see {@link SharedArray.chunks}. */
  forEachChunk(fn: (chunk: ArrayOf<K>, offset: number) => void, begin = 0, end = this.length): void {
    for (const [chunk, offset] of this.chunks(begin, end)) fn(chunk, offset);
  }

  /** Yields every element in order (convenient; a chunk loop is faster). */
  *[Symbol.iterator](): Generator<ElementOf<K>, void, undefined> {
    for (const [chunk] of this.chunks())
      for (let i = 0; i < chunk.length; i++) yield chunk[i] as ElementOf<K>;
  }

  /** Sets elements `[begin, end)` to `value`; returns this array. */
  fill(value: ElementOf<K>, begin = 0, end = this.length): this {
    for (const [chunk] of this.chunks(begin, end))
      (chunk as unknown as View).fill(value as never, 0, chunk.length);
    return this;
  }

  /** Copies `source` in, starting at index `offset` (default 0). */
  copyFrom(source: ArrayLike<ElementOf<K>>, offset = 0): void {
    for (const [chunk, at] of this.chunks(offset, offset + source.length)) {
      const from = at - offset;
      const part = ArrayBuffer.isView(source)
        ? (source as unknown as View).subarray(from, from + chunk.length)
        : Array.prototype.slice.call(source, from, from + chunk.length);
      (chunk as unknown as View).set(part as unknown as ArrayLike<never>, 0);
    }
  }

  /** Copies `[begin, end)` into a new, unshared TypedArray (at most 2^32 elements). */
  slice(begin = 0, end = this.length): ArrayOf<K> {
    this.#checkRange(begin, end);
    const copy = new ELEMENT_KINDS[this.kind](end - begin) as unknown as View;
    for (const [chunk, at] of this.chunks(begin, end))
      copy.set(chunk as unknown as ArrayLike<never>, at - begin);
    return copy as unknown as ArrayOf<K>;
  }

  /** A view of `[begin, end)` sharing this array's memory (nothing is copied). */
  subarray(begin = 0, end = this.length): SharedArray<K> {
    this.#checkRange(begin, end);
    const { kind, chunkLength, segments } = this;
    return new SharedArray({
      __manycore: 'SharedArray',
      kind,
      length: end - begin,
      start: this.start + begin,
      chunkLength,
      segments,
    });
  }

  /** Splits this array's index range into per-worker pieces; see {@link splitRange}. */
  ranges(options?: SplitOptions): IndexRange[] {
    return splitRange(this.length, options);
  }

  #checkRange(begin: number, end: number): void {
    if (!(
      Number.isSafeInteger(begin) &&
      Number.isSafeInteger(end) &&
      begin >= 0 &&
      begin <= end &&
      end <= this.length
    )) {
      throw new IndexOutOfRangeError('The range [begin, end)', `[${begin}, ${end})`, this.length);
    }
  }

  #outOfRange(index: number): never {
    throw new IndexOutOfRangeError('The index', String(index), this.length);
  }

  #byteViews(): Uint8Array[] {
    return this.segments.map((segment) => new Uint8Array(segment));
  }

  static #elementsIn(path: string, byteLength: number, kind: ElementKind): number {
    const bytesPerElement = ELEMENT_KINDS[kind].BYTES_PER_ELEMENT;
    if (byteLength % bytesPerElement !== 0)
      throw new FileSizeMismatchError(path, byteLength, bytesPerElement);
    return byteLength / bytesPerElement;
  }
}

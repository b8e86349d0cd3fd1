/**
 * A typed array in shared memory, of any length memory allows (also past 4 GiB and 2^32
 * elements). The elements live in segments — one SharedArrayBuffer each, `chunkLength` elements
 * long — because on Node 20 one TypedArray holds at most 2^32 elements
 * (buffer.constants.MAX_LENGTH); by default an array is one segment whenever one TypedArray can
 * hold it (always from Node 22 on). `get/set`
 * and the iterator hide the segments; `chunks()` hands out plain TypedArrays.
 *
 * An array within one segment gets a subclass whose get/set is a single load/store. Others keep
 * a window: the part (segment clipped to this array's range) the last get/set landed in, and
 * the array index of its element 0; a get inside it is a subtraction, two compares and a load,
 * and moving it costs a division. Why each access is written the way it is (what V8 compiles):
 * docs/architecture.md, "How SharedArray access is compiled"; figures: bench/shared/RESULTS.md.
 */
import { stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { allocateForFile, allocateSegments } from './allocate-segments.ts';
import { ELEMENT_KINDS, type ArrayOf, type ElementKind, type ElementOf } from './element-kinds.ts';
import { IndexOutOfRangeError } from './errors.ts';
import { bytesOf, readFileInto, readFileIntoSync } from './read-file.ts';
import { splitRange, type IndexRange, type SplitOptions } from './split-range.ts';
import { PartIterator, PartsIterator, iterationViews, type ElementView } from './shared-array-iterator.ts';
import { checkHandle, clipParts, type View } from './shared-array-parts.ts';
import type { SharedArrayHandle, SharedArrayOptions } from './shared-array-handle.ts';

export type { SharedArrayHandle, SharedArrayOptions } from './shared-array-handle.ts';

const WINDOW = Symbol('manycore.window');
const WINDOW_LENGTH = Symbol('manycore.windowLength');
const WINDOW_BASE = Symbol('manycore.windowBase');
/** The largest small integer (Smi) of V8 on 64-bit Node: a field that holds one loads unchecked. */
const SMALL_INTEGER_MAX = 2 ** 31 - 1;

/**
 * The first window length of an array whose first part is `part`: its length capped at 2^31 − 1,
 * so that a long one-segment array (which never reads it) keeps the field a small integer for
 * every array. A compare, not Math.min, which returns a heap number.
 */
function windowLength(part: View): number {
  return part.length > SMALL_INTEGER_MAX ? SMALL_INTEGER_MAX : part.length;
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
  // The fields a scan reads (these and the window) are `declare`d, so no class field is emitted:
  // they are plain properties the constructor assigns first (the window also moves in get/set).
  // Node 20 rechecks a class field on every access (docs/architecture.md).
  declare readonly __manycore: 'SharedArray';
  declare readonly kind: K;
  declare readonly length: number;
  declare readonly start: number;
  declare readonly chunkLength: number;
  declare readonly segments: readonly SharedArrayBuffer[];
  /**
   * The segments this array covers, each clipped to the array's range, in order: part k holds
   * array indices from {@link SharedArray.#baseOf}(k) on. Clipping (rather than whole segments)
   * makes every part's bounds the TypedArray's own, so the window check needs no lower bound.
   */
  readonly #parts: View[];
  /** Index, within its segment, of this array's element 0 (`start % chunkLength`). */
  readonly #offset: number;
  // The window: symbol-keyed, as a private (#) field is always declared; structured clone and
  // Object.keys see string keys only, so the handle stays the handle.
  /** The part the last get/set used. */
  declare [WINDOW]: View;
  /**
   * `[WINDOW].length` as a small integer (a TypedArray's length compares as a double). Starts
   * capped at 2^31 − 1 (see {@link windowLength}); a window move stores the part's length as it
   * is, so only a part past 2^31 elements (a chunkLength that large) widens it, and its indices
   * past 2^31 take the window move on every access — correct, slower.
   */
  declare [WINDOW_LENGTH]: number;
  /** The array index of the window's element 0. */
  declare [WINDOW_BASE]: number;
  /** What PartsIterator walks (see {@link iterationViews}); made on the first iteration. */
  #iterationViews: readonly ElementView[] | undefined;

  /**
   * Attaches to existing segments (what {@link SharedArray.fromHandle} does); to make a new
   * array use {@link SharedArray.create}, {@link SharedArray.from} or {@link SharedArray.fromFile}.
   *
   * @throws {InvalidOptionError} ERR_INVALID_OPTION when the handle is inconsistent.
   */
  constructor(handle: SharedArrayHandle<K>) {
    const { kind, length, start, chunkLength, segments } = checkHandle(handle);
    // The constructors differ only in element type; one signature stands for all of them.
    const Kind = ELEMENT_KINDS[kind] as Int8ArrayConstructor;
    this.__manycore = 'SharedArray';
    this.kind = kind;
    this.length = length;
    this.start = start;
    this.chunkLength = chunkLength;
    this.segments = segments;
    this.#parts = clipParts(Kind, segments, start, length, chunkLength);
    this.#offset = start % chunkLength;
    // Starts on the first part; with no elements, on an empty view of the same kind (every
    // access then misses and is range-checked). One kind per field keeps its loads monomorphic.
    this[WINDOW] = this.#parts[0] ?? new Kind(0);
    this[WINDOW_LENGTH] = windowLength(this[WINDOW]);
    this[WINDOW_BASE] = 0;
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
    return SharedArray.#attach(allocateSegments(kind, length, options));
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
    const handle = allocateForFile(kind, path, (await stat(path)).size, options);
    await readFileInto(path, bytesOf(handle.segments));
    return SharedArray.#attach(handle);
  }

  /** Blocking form of {@link SharedArray.fromFile}. */
  static fromFileSync<K extends ElementKind>(
    kind: K,
    path: string,
    options?: SharedArrayOptions,
  ): SharedArray<K> {
    const handle = allocateForFile(kind, path, statSync(path).size, options);
    readFileIntoSync(path, bytesOf(handle.segments));
    return SharedArray.#attach(handle);
  }

  /** Rebuilds the live array from its handle (done for you by `reviveShared`). */
  static fromHandle<K extends ElementKind>(handle: SharedArrayHandle<K>): SharedArray<K> {
    return SharedArray.#attach(handle);
  }

  /**
   * The live array over `handle`: a {@link SharedArray.#OnePart} when the range lies in one
   * segment (with the default chunkLength, every array one TypedArray can hold), the general
   * class otherwise.
   */
  static #attach<K extends ElementKind>(handle: SharedArrayHandle<K>): SharedArray<K> {
    const { length, start, chunkLength } = handle;
    const onePart = length > 0 && (start % chunkLength) + length <= chunkLength;
    return onePart ? new SharedArray.#OnePart<K>(handle) : new SharedArray(handle);
  }

  /**
   * An array whose range lies in one segment. Its window never moves, so get() is a single load
   * from the only part, whose own bounds check stands in for the range check (a TypedArray reads
   * undefined at any non-element index: negative, too large, fractional, NaN). A class, not a
   * branch in get(), because V8 keeps type feedback per function. A sequential get(i) loop runs
   * at 1.06× a plain loop on Node 20 and 1.00× on Node 24; the iterator at 1.48× / 1.33×.
   */
  static readonly #OnePart = class OnePartArray<K extends ElementKind> extends SharedArray<K> {
    override get(index: number): ElementOf<K> {
      const value = this[WINDOW][index];
      if (value === undefined) throw this.#outOfRange(index);
      return value as ElementOf<K>;
    }

    override set(index: number, value: ElementOf<K>): void {
      if (this[WINDOW][index] === undefined) throw this.#outOfRange(index);
      this[WINDOW][index] = value;
    }

    override [Symbol.iterator](): IterableIterator<ElementOf<K>> {
      return new PartIterator<ElementOf<K>>(this[WINDOW]);
    }
  };

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
   * Reads element `index`. A sequential get(i) loop measured 1.06× a plain TypedArray loop on
   * Node 20 and 1.00× on Node 24 over an array within one segment (the default for any array
   * one TypedArray holds), 1.33× on both across segments (bench/shared/RESULTS.md); 4–6×
   * in a process that has caught an out-of-range get (docs/architecture.md). A chunks() loop
   * runs at 1.00× everywhere.
   *
   * @throws {IndexOutOfRangeError} ERR_INDEX_OUT_OF_RANGE unless 0 <= index < length, integer.
   */
  get(index: number): ElementOf<K> {
    let local = index - this[WINDOW_BASE];
    // `(local | 0) === local` rejects fractions and NaN, and V8 folds it away when `local` is
    // already an int32 (the usual loop counter). A part past 2^31 elements (only with a custom
    // chunkLength) takes the slow path for its upper half: correct, just slower.
    if (!((local | 0) === local && local >= 0 && local < this[WINDOW_LENGTH])) {
      // Written inline (also in set), not called: see docs/architecture.md.
      if (index >= 0 && index < this.length && index % 1 === 0) {
        const part = this.#partOf(index);
        this[WINDOW] = this.#parts[part]!;
        this[WINDOW_BASE] = this.#baseOf(part);
        this[WINDOW_LENGTH] = this[WINDOW].length;
        local = index - this[WINDOW_BASE];
      } else {
        local = -1; // reads undefined below
      }
    }
    const value = this[WINDOW][local];
    // No `throw` on a path of its own: see docs/architecture.md, "Why get throws the way it does".
    if (value === undefined) throw this.#outOfRange(index);
    return value as ElementOf<K>;
  }

  /**
   * Writes element `index` (the value converts like a TypedArray store: wraps, rounds, clamps).
   * Costs what {@link SharedArray.get} does.
   *
   * @throws {IndexOutOfRangeError} ERR_INDEX_OUT_OF_RANGE unless 0 <= index < length, integer.
   */
  set(index: number, value: ElementOf<K>): void {
    let local = index - this[WINDOW_BASE];
    if (!((local | 0) === local && local >= 0 && local < this[WINDOW_LENGTH])) {
      if (index >= 0 && index < this.length && index % 1 === 0) {
        const part = this.#partOf(index);
        this[WINDOW] = this.#parts[part]!;
        this[WINDOW_BASE] = this.#baseOf(part);
        this[WINDOW_LENGTH] = this[WINDOW].length;
        local = index - this[WINDOW_BASE];
      } else {
        local = -1;
      }
    }
    // A TypedArray ignores a store out of bounds; reading first finds a bad index the way get
    // does, without a path of its own (docs/architecture.md).
    if (this[WINDOW][local] === undefined) throw this.#outOfRange(index);
    this[WINDOW][local] = value;
  }

  /** Index in #parts of the part holding array index `index` (0 <= index < length). */
  #partOf(index: number): number {
    return Math.floor((index + this.#offset) / this.chunkLength);
  }

  /**
   * Array index of element 0 of part `part` (only the first part can start mid-segment, so only
   * its product is negative). No branch (docs/architecture.md).
   */
  #baseOf(part: number): number {
    return Math.max(0, part * this.chunkLength - this.#offset);
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
      const part = this.#partOf(index);
      const view = this.#parts[part]!;
      const within = index - this.#baseOf(part);
      const count = Math.min(end - index, view.length - within);
      yield [view.subarray(within, within + count) as unknown as ArrayOf<K>, index];
      index += count;
    }
  }

  /** Calls `fn(chunk, offset)` for every chunk of `[begin, end)`; see {@link SharedArray.chunks}. */
  forEachChunk(fn: (chunk: ArrayOf<K>, offset: number) => void, begin = 0, end = this.length): void {
    for (const [chunk, offset] of this.chunks(begin, end)) fn(chunk, offset);
  }

  /**
   * Iterates every element in order (`for (const x of array)`, spread, `Array.from`), with no
   * allocation per element once optimised (shared-array-iterator.ts). A scan measured 1.48× a
   * plain indexed loop on Node 20 and 1.33× on Node 24 within one segment, 2.7× / 1.33× across
   * segments: a third of `for...of` over a plain Float64Array (4.8×) on Node 20, an eighth of
   * it (10.7×) on Node 24. The final `{ done: true }` result carries an element (the last one,
   * or a zero) as `value`, not `undefined`. A chunks() loop stays the fastest way to scan.
   */
  [Symbol.iterator](): IterableIterator<ElementOf<K>> {
    // The end view: one element of this kind, where an iterator reads once it is done.
    this.#iterationViews ??= iterationViews(
      this.#parts,
      new (ELEMENT_KINDS[this.kind] as Int8ArrayConstructor)(1),
    );
    return new PartsIterator<ElementOf<K>>(this.#iterationViews);
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
    return SharedArray.#attach({
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

  /** Returns (not throws) the error, so callers' `throw` tells V8 the path ends there. */
  #outOfRange(index: number): IndexOutOfRangeError {
    return new IndexOutOfRangeError('The index', String(index), this.length);
  }
}

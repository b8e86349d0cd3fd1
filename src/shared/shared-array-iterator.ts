/**
 * Element iteration over a SharedArray's parts (its segments clipped to the array's range):
 * {@link PartIterator} for an array within one segment, {@link PartsIterator} otherwise.
 *
 * A hand-written iterator class rather than a generator: a generator's `next()` resumes a
 * suspended frame that V8 does not inline into the `for...of` loop, so every element paid a call
 * and a heap-allocated `{ value, done }` (measured 24–26× a plain TypedArray loop). This `next()`
 * is small and monomorphic, so TurboFan inlines it into the caller's loop. These details keep the
 * result object and the element unboxed there:
 *
 * - one allocation site: escape analysis removes `{ value, done }` only when every path returns
 *   the same object literal; two `return { … }` sites merge into a real heap object;
 * - `value` is always an element load: once done, the last element again (PartIterator) or a
 *   one-element view's zero (PartsIterator), never `undefined`. A merge of a float64 with
 *   `undefined` would make V8 box every element;
 * - no call, inner loop or never-taken branch in next(): with one, Node 24 left the caller's
 *   loop unpeeled or spilled its sum to memory (4.0× a plain indexed loop);
 * - fields TypeScript-private and only assigned in the constructor (Node 20 rechecks a declared
 *   field, as every `#` field is, on every access; docs/architecture.md).
 *
 * What remains (bench/shared/RESULTS.md): one segment 1.48× a plain indexed loop on Node 20 and
 * 1.33× on Node 24; across segments 2.7× / 1.33×. A scan's loop runs as on-stack-replaced code
 * and the iterator was allocated before it, so V8 cannot keep the iterator's fields in
 * registers; every element loads and stores its position in the object (the plain loop with
 * its index in an object field: 1.33× / 1.05×).
 */

/** The element-reading part of a TypedArray, whatever its kind. */
export interface ElementView {
  readonly [index: number]: number | bigint;
  readonly length: number;
}

/** Iterates the elements of `parts` in order, as one sequence. */
export class PartsIterator<T extends number | bigint> implements IterableIterator<T> {
  /**
   * The non-empty parts, then `end`. Moving past the last part lands on `end` and stays there,
   * so moving on needs neither a loop nor a test for "no more parts" (see next()).
   */
  declare private readonly views: readonly ElementView[];
  /** The last view: one element of the parts' kind, the view once the iteration is done. */
  declare private readonly end: ElementView;
  /** Index in `views` of `view`. */
  declare private viewIndex: number;
  /** The view being read. */
  declare private view: ElementView;
  /** Index of the view's last element. */
  declare private last: number;
  /** Index in `view` of the next element. */
  declare private position: number;

  /**
   * `views`: the array's non-empty parts followed by `end`, a one-element TypedArray of their
   * kind (see {@link iterationViews}); shared by every iterator of one array, never changed.
   */
  constructor(views: readonly ElementView[]) {
    this.views = views;
    this.end = views[views.length - 1]!;
    this.viewIndex = 0;
    this.view = views[0]!;
    this.last = this.view.length - 1;
    this.position = 0;
  }

  /**
   * Written so that, inlined into a `for...of` loop, it adds no path that a scan never takes:
   * no call (a call that V8 does not inline makes it keep the caller's running sum in memory),
   * no inner loop (V8 peels only innermost loops) and no "no more parts" branch (a branch never
   * taken becomes a deoptimisation exit, and a loop with such an exit is not peeled; see
   * docs/architecture.md). `done` is a reference compare, a known boolean.
   */
  next(): IteratorResult<T> {
    let position = this.position;
    let view = this.view;
    if (position > this.last) {
      const index = Math.min(this.viewIndex + 1, this.views.length - 1);
      view = this.views[index]!;
      this.viewIndex = index;
      this.view = view;
      this.last = view.length - 1;
      position = 0;
    }
    this.position = position + 1;
    return { value: view[position] as T, done: view === this.end };
  }

  [Symbol.iterator](): this {
    return this;
  }
}

/** What {@link PartsIterator} iterates over: the non-empty `parts`, then `end`. */
export function iterationViews(parts: readonly ElementView[], end: ElementView): ElementView[] {
  return [...parts.filter((part) => part.length > 0), end];
}

/**
 * Iterates the elements of one non-empty view: the iterator of an array within one segment (the
 * default for any array one TypedArray can hold). Its `next()`, inlined into a `for...of` loop,
 * is one position load and store, a `Math.min` and one element load: 1.48× a plain
 * indexed loop on Node 20 and 1.33× on Node 24, where PartsIterator over the same single part
 * took 3.2× / 2.5× (bench/shared/RESULTS.md).
 */
export class PartIterator<T extends number | bigint> implements IterableIterator<T> {
  declare private readonly view: ElementView;
  /** Index of the view's last element. */
  declare private readonly last: number;
  /** Index of the next element; past `last` once done (and counting on, harmlessly). */
  declare private position: number;

  /** `view` must have at least one element: the final `{ done: true }` carries its last one. */
  constructor(view: ElementView) {
    this.view = view;
    this.last = view.length - 1;
    this.position = 0;
  }

  next(): IteratorResult<T> {
    const position = this.position;
    this.position = position + 1;
    const last = this.last;
    // Once done, `value` is the last element again: always an element load, so V8 never merges
    // the number with `undefined` (which would box every element; see the top of this file).
    return { value: this.view[Math.min(position, last)] as T, done: position > last };
  }

  [Symbol.iterator](): this {
    return this;
  }
}

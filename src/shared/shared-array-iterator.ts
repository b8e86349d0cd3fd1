/**
 * Element iteration over a SharedArray's parts (its segments clipped to the array's range).
 *
 * A hand-written iterator class rather than a generator: a generator's `next()` resumes a
 * suspended frame that V8 does not inline into the `for...of` loop, so every element paid a call
 * and a heap-allocated `{ value, done }` (measured 18–24× a plain TypedArray loop). This `next()`
 * is small and monomorphic, so TurboFan inlines it into the caller's loop. Two details keep the
 * result object and the element unboxed there:
 *
 * - one allocation site: escape analysis removes `{ value, done }` only when every path returns
 *   the same object literal; two `return { … }` sites merge into a real heap object;
 * - `value` is always an element load: once done, reading happens from a one-element view of the
 *   same kind (so the final result's value is a zero, not `undefined`). A merge of a float64
 *   with `undefined` would make V8 box every element.
 */

/** The element-reading part of a TypedArray, whatever its kind. */
export interface ElementView {
  readonly [index: number]: number | bigint;
  readonly length: number;
  subarray(begin: number, end: number): ElementView;
}

/** Iterates the elements of `parts` in order, as one sequence. */
export class PartsIterator<T extends number | bigint> implements IterableIterator<T> {
  readonly #parts: readonly ElementView[];
  /** One element of the parts' kind, read once the iteration is done. */
  readonly #end: ElementView;
  /** Index in #parts of #view; the next part to move to is #partIndex + 1. */
  #partIndex = 0;
  /** The part being read (#end once done). */
  #view: ElementView;
  /** Index in #view of the next element. */
  #position = 0;
  #done = false;

  /** `end` is a one-element TypedArray of the parts' kind. */
  constructor(parts: readonly ElementView[], end: ElementView) {
    this.#parts = parts;
    this.#end = end;
    this.#view = parts[0] ?? end.subarray(0, 0);
  }

  next(): IteratorResult<T> {
    let position = this.#position;
    let view = this.#view;
    if (position >= view.length) {
      view = this.#nextPart();
      position = 0;
    }
    this.#position = position + 1;
    return { value: view[position] as T, done: this.#done };
  }

  /** Moves to the next non-empty part, or to #end; kept out of next() so that it inlines. */
  #nextPart(): ElementView {
    for (;;) {
      const view = this.#parts[this.#partIndex + 1];
      if (view === undefined) {
        this.#done = true;
        this.#view = this.#end;
        return this.#end;
      }
      this.#partIndex++;
      this.#view = view;
      if (view.length > 0) return view;
    }
  }

  [Symbol.iterator](): this {
    return this;
  }
}

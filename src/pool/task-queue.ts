/**
 * A FIFO of tasks with O(1) push, shift and unshift (a growable ring buffer). Arrays' shift()
 * is O(n) once V8 leaves its fast path, which 100k queued tasks reach.
 */
export class TaskQueue<T> {
  #items: (T | undefined)[] = new Array<T | undefined>(16);
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#size) & (this.#items.length - 1)] = item;
    this.#size += 1;
  }

  /** Puts an item back at the front (a task returned by a worker that died before running it). */
  unshift(item: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#head = (this.#head - 1) & (this.#items.length - 1);
    this.#items[this.#head] = item;
    this.#size += 1;
  }

  peek(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[this.#head];
  }

  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#items.length - 1);
    this.#size -= 1;
    return item;
  }

  /** Removes one item (a cancelled task); O(n), used only on cancellation. */
  remove(item: T): boolean {
    const all = this.drain();
    const index = all.indexOf(item);
    if (index >= 0) all.splice(index, 1);
    for (const kept of all) this.push(kept);
    return index >= 0;
  }

  /** Empties the queue, returning the items in order. */
  drain(): T[] {
    const items: T[] = [];
    for (let item = this.shift(); item !== undefined; item = this.shift()) items.push(item);
    return items;
  }

  #grow(): void {
    const next = new Array<T | undefined>(this.#items.length * 2);
    for (let i = 0; i < this.#size; i += 1)
      next[i] = this.#items[(this.#head + i) & (this.#items.length - 1)];
    this.#items = next;
    this.#head = 0;
  }
}

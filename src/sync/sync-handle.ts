/**
 * The plain-data form shared by every sync primitive. A live primitive keeps exactly these as
 * its own enumerable fields (everything else is `#private` or on the prototype), so structured
 * clone of the live object — `postMessage`, a pool's task argument — yields its handle, and
 * `reviveShared` turns the handle back into a live object on the other side.
 */
import { InvalidOptionError } from '../errors.ts';
import { resolveMemory, type MemoryRegion, type MemorySource } from '../shared/memory.ts';

/** The tags of the sync primitives' handles. */
export type SyncTag =
  | 'Lock'
  | 'RecursiveLock'
  | 'Semaphore'
  | 'Barrier'
  | 'Event'
  | 'Condition'
  | 'CountdownLatch'
  | 'AtomicCounter';

/** What crosses to a worker: a tag and the region holding the primitive's Int32 state words. */
export interface SyncHandle<Tag extends SyncTag = SyncTag> {
  readonly __manycore: Tag;
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
}

/** Options every sync primitive accepts. */
export interface SyncOptions {
  /**
   * Where the state words live. Default: a fresh `SharedArrayBuffer`. Pass a
   * `{ buffer, byteOffset }` slice (4-byte aligned) to pack many primitives into one buffer, or
   * an allocator to take memory from elsewhere (e.g. /dev/shm for processes).
   */
  readonly memory?: MemorySource;
}

/** Allocates `words` Int32 state words for a new primitive. */
function allocateWords(words: number, options: SyncOptions | undefined): MemoryRegion {
  return resolveMemory(options?.memory, words * Int32Array.BYTES_PER_ELEMENT, Int32Array.BYTES_PER_ELEMENT);
}

/**
 * Checks a handle received from elsewhere and returns its state words.
 *
 * @throws {InvalidOptionError} ERR_INVALID_OPTION when the handle is not one of `tag`.
 */
export function wordsOf(handle: SyncHandle, tag: SyncTag, words: number): Int32Array {
  if (
    handle === null ||
    typeof handle !== 'object' ||
    handle.__manycore !== tag ||
    !(handle.buffer instanceof SharedArrayBuffer) ||
    !Number.isSafeInteger(handle.byteOffset) ||
    handle.byteOffset % 4 !== 0 ||
    handle.byteOffset + words * 4 > handle.buffer.byteLength
  ) {
    throw new InvalidOptionError('handle', `a ${tag} handle (from ${tag}.toHandle())`, handle);
  }
  return new Int32Array(handle.buffer, handle.byteOffset, words);
}

/** Marks constructor options that attach to existing state words (set by `attachOptions`). */
const ATTACH = Symbol('manycore.attach');

/**
 * Constructor options that attach to the state words of a handle received from elsewhere,
 * instead of allocating and initialising new ones: what every `fromHandle` passes.
 *
 * @throws {InvalidOptionError} ERR_INVALID_OPTION when the handle is not one of `tag`.
 */
export function attachOptions(handle: SyncHandle, tag: SyncTag, words: number): SyncOptions {
  wordsOf(handle, tag, words);
  const options = { memory: { buffer: handle.buffer, byteOffset: handle.byteOffset }, [ATTACH]: true };
  return options;
}

/** True when `options` came from `attachOptions`: the state words already hold live state. */
function isAttaching(options: SyncOptions | undefined): boolean {
  return (options as { [ATTACH]?: boolean } | undefined)?.[ATTACH] === true;
}

/**
 * Base of the sync primitives whose handle is their state words (Condition adds its lock's
 * handle): it allocates the words and keeps exactly the handle's fields as own properties. A
 * symbol-keyed option marks an attach, so no per-class static flag is needed.
 */
export abstract class SyncPrimitive<Tag extends SyncTag> implements SyncHandle<Tag> {
  readonly __manycore: Tag;
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;

  readonly #stateWords: Int32Array;
  readonly #attached: boolean;

  protected constructor(tag: Tag, words: number, options: SyncOptions | undefined) {
    this.__manycore = tag;
    const region = allocateWords(words, options);
    this.buffer = region.buffer;
    this.byteOffset = region.byteOffset;
    this.#stateWords = wordsOf(this, tag, words);
    this.#attached = isAttaching(options);
  }

  /** The state words (a subclass keeps them in a field of its own for its hot paths). */
  protected get stateWords(): Int32Array {
    return this.#stateWords;
  }

  /** True when built by `fromHandle`: the words hold live state, which must not be reset. */
  protected get attached(): boolean {
    return this.#attached;
  }

  /** The plain-data handle to send elsewhere (structured clone of the object gives the same). */
  toHandle(): SyncHandle<Tag> {
    return { __manycore: this.__manycore, buffer: this.buffer, byteOffset: this.byteOffset };
  }
}

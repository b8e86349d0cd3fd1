/** Proof of holding a lock; releasing it (by `using`, or `release()`) releases the lock once. */
export class LockGuard implements Disposable {
  #release: (() => void) | undefined;

  /** @internal Made by Lock/RecursiveLock; `release` runs at most once. */
  constructor(release: () => void) {
    this.#release = release;
  }

  /** True until the guard released its lock. */
  get held(): boolean {
    return this.#release !== undefined;
  }

  /**
   * Releases the lock; later calls do nothing, so a `using` block after a manual release is safe.
   *
   * @example
   * ```ts
   * const guard = lock.acquireSync(1000);
   * try { work(); } finally { guard.release(); }
   * ```
   */
  release(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  /** Same as {@link LockGuard.release}; lets `using guard = lock.acquireSync()` release on scope exit. */
  [Symbol.dispose](): void {
    this.release();
  }
}

/**
 * Timeouts around everything a library controls: a pool that never answers or never finishes
 * closing (some peers hang on destroy) must cost the run a few seconds, not the run.
 */

export type Guarded<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** Races `work` against a timer. The timer keeps the process alive: a pool whose threads are gone and whose promise never settles would otherwise let Node exit silently mid-run. */
export async function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<Guarded<T>> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<Guarded<T>>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, reason: `${what} did not finish within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      work.then(
        (value): Guarded<T> => ({ ok: true, value }),
        (error: unknown): Guarded<T> => ({ ok: false, reason: `${what} failed: ${describe(error)}` }),
      ),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * A process-wide count of workers (threads and child processes) that manycore has started
 * and not yet seen exit. Tests read it after each test to prove that nothing leaked.
 */
let live = 0;

/** Called by a backend when a worker starts; the returned function marks it gone (idempotent). */
export function trackWorker(): () => void {
  live += 1;
  let gone = false;
  return () => {
    if (gone) return;
    gone = true;
    live -= 1;
  };
}

/** How many workers started by manycore in this process have not exited yet. */
export function liveWorkerCount(): number {
  return live;
}

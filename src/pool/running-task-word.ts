/**
 * Where a child process publishes the task it is running, so that after a SIGKILL (or a V8
 * out-of-memory abort, which sends nothing either) the pool blames exactly that task.
 *
 *   parent: map 8 bytes of /dev/shm ── name in argv ──► child: maps it, writes seq before each task
 *           └─ removes the name once the child is ready (both keep their mapping)
 *
 * It needs the shared-memory addon; without it (or if mapping fails) there is no word, and the
 * pool falls back to the child's exit notice, then to the oldest unsettled task.
 *
 * Cost: the child loads the addon while it starts, ~2.5 ms of a 2-process pool's ~83 ms to its
 * first result (median of 25, with vs MANYCORE_DISABLE_ADDON=1), and nothing per task (one
 * store). Without it, the oldest-task guess is wrong only when results of finished tasks are
 * still held back: the runtime sends them before any task that may be long, so that happens
 * when a task that was always quick hangs, which is when exact blame matters most.
 */
import { loadSharedBufferAddon } from '../shared/native-addon.ts';
import { newSegmentName, removeOwnedSegment, trackOwnedSegment } from '../shared/process-segments.ts';

export interface RunningTaskWord {
  /** The /dev/shm name the child maps (argv of process-worker-main). */
  readonly name: string;
  /** `[0]`: the seq of the task the child runs, 0 between tasks. */
  readonly view: Float64Array;
  /** Removes the name (idempotent); the mapping stays valid on both sides. */
  unlink(): void;
}

/** A fresh word for one child, or undefined when process-shared memory is not available. */
export function createRunningTaskWord(): RunningTaskWord | undefined {
  const addon = loadSharedBufferAddon(true);
  if (addon === null) return undefined;
  const name = newSegmentName();
  let view: Float64Array;
  try {
    view = new Float64Array(addon.map(name, Float64Array.BYTES_PER_ELEMENT, true));
  } catch {
    return undefined; // no /dev/shm room or rights: blame falls back as without the addon
  }
  // Owned like any segment: removed at our exit, and swept by others if we are SIGKILLed first.
  trackOwnedSegment(name);
  return { name, view, unlink: () => removeOwnedSegment(name) };
}

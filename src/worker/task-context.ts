/**
 * Which task the current worker is running, so worker-side helpers (`reportProgress`) know
 * whom to report to. A worker runs one task at a time, so one number is enough; the reporter
 * is installed once per worker (no allocation per task).
 */
type ProgressReporter = (seq: number, fraction: number, detail: unknown) => void;

let runningSeq = 0;
let reporter: ProgressReporter | undefined;
let workerIndex: number | undefined;

export function setProgressReporter(next: ProgressReporter): void {
  reporter = next;
}

/** The running task's sequence number, or 0 between tasks. */
export function setRunningSeq(seq: number): void {
  runningSeq = seq;
}

/** Sends progress for the running task; false when no task runs here. */
export function reportForRunningTask(fraction: number, detail: unknown): boolean {
  if (runningSeq === 0 || reporter === undefined) return false;
  reporter(runningSeq, fraction, detail);
  return true;
}

export function setWorkerIndex(index: number): void {
  workerIndex = index;
}

export function getWorkerIndex(): number | undefined {
  return workerIndex;
}

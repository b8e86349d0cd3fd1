/**
 * Which task the current worker is running, so worker-side helpers (`reportProgress`) know
 * whom to report to. A worker runs one task at a time, so one slot is enough.
 */
export interface RunningTask {
  readonly seq: number;
  readonly reportProgress: (fraction: number, detail: unknown) => void;
}

let running: RunningTask | undefined;
let workerIndex: number | undefined;

export function setRunningTask(task: RunningTask | undefined): void {
  running = task;
}

export function getRunningTask(): RunningTask | undefined {
  return running;
}

export function setWorkerIndex(index: number): void {
  workerIndex = index;
}

export function getWorkerIndex(): number | undefined {
  return workerIndex;
}

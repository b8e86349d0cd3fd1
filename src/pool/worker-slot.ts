import type { WorkerHandle } from './worker-handle.ts';
import type { WorkerState, WorkerStats } from './pool-events.ts';
import type { TaskRecord } from './task-record.ts';

/** The engine's bookkeeping for one live worker. */
export class WorkerSlot {
  readonly index: number;
  readonly name: string;
  handle: WorkerHandle | undefined;
  state: WorkerState = 'starting';
  /** Tasks handed over and not settled, by sequence number, in the order they were sent. */
  readonly inFlight = new Map<number, TaskRecord>();
  /** Task keys this worker has been told about. */
  readonly knownKeys = new Set<number>();
  nextSeq = 1;
  /** Tasks handed to this worker so far (for maxTasksPerWorker). */
  assigned = 0;
  tasksCompleted = 0;
  busyMs = 0;
  /** Set when the pool itself stops this worker (so its exit is not a crash). */
  stopping = false;
  /** Has said "ready" (loaded, initializer done). An exit before that is a start failure. */
  ready = false;
  /** May take tasks while still starting (its channel queues them): thread workers without an initializer. */
  early = false;
  /** Running an exclusive task (timeout or signal): nothing else goes to it. */
  exclusive = false;
  idleTimer: NodeJS.Timeout | undefined;

  constructor(index: number, name: string) {
    this.index = index;
    this.name = name;
  }

  /** Its last task in flight settled or went back to the queue: idle, or still starting. */
  drained(): void {
    this.exclusive = false;
    this.state = this.ready ? 'idle' : 'starting';
  }

  /** Can take tasks now. */
  get accepting(): boolean {
    const open = this.state === 'idle' || this.state === 'busy' || (this.state === 'starting' && this.early);
    return open && !this.stopping && !this.exclusive;
  }

  stats(): WorkerStats {
    return {
      workerIndex: this.index,
      name: this.name,
      systemId: this.handle?.systemId ?? 0,
      state: this.stopping ? 'stopping' : this.state,
      inFlight: this.inFlight.size,
      tasksCompleted: this.tasksCompleted,
      busyMs: this.busyMs,
      eventLoopUtilization: this.handle?.eventLoopUtilization(),
    };
  }
}

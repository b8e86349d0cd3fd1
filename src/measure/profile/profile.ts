/**
 * In-process CPU profiling of the main thread and of every worker thread started while
 * profiling, through one inspector session:
 *
 *   main thread session ── Profiler.start ─────────────────────────────── Profiler.stop
 *        │ NodeWorker.enable { waitForDebuggerOnStart }
 *        ▼
 *   attachedToWorker(sessionId) ─ sendMessageToWorker: Profiler.enable/start
 *                               ─ Runtime.runIfWaitingForDebugger ─ … ─ Profiler.stop
 *
 * A worker is paused before its first line until its profiler runs, so its profile starts
 * at its first line. A profile lives inside the worker and dies with it, so while profiling
 * `Worker.prototype.terminate` is wrapped to fetch the worker's profile first (pools stop
 * workers that way). A worker that exits on its own before `fn` settles is reported in
 * `warnings`; use `manycore profile` (which uses --cpu-prof) for those programs.
 */
import { Session } from 'node:inspector/promises';
import { Worker } from 'node:worker_threads';
import { captureEnvironment } from '../environment.ts';
import { ProfilerError } from '../errors.ts';
import type { CpuProfile, FunctionCallCount, ProfileSet, ThreadProfile } from './cpu-profile.ts';

/** Options of {@link profile}. */
export interface ProfileOptions {
  /** Sampling interval in µs; smaller sees shorter functions but costs more. Default 1000 (1 ms). */
  readonly samplingIntervalUs?: number;
  /** Also profile worker threads started while profiling. Default true. */
  readonly workers?: boolean;
  /** Record exact call counts per function (precise coverage; slows the code down). Default false. */
  readonly callCounts?: boolean;
  /** Title stored in the profile set. Default "profile()". */
  readonly title?: string;
}

/** What {@link profile} returns: `fn`'s value and the profiles. */
export interface ProfileResult<T> {
  readonly value: T;
  readonly profiles: ProfileSet;
}

interface CoverageFunction {
  readonly functionName: string;
  readonly ranges: readonly { readonly count: number }[];
}
interface CoverageResult {
  readonly result: readonly { readonly url: string; readonly functions: readonly CoverageFunction[] }[];
}

/** Turns precise coverage into per-function call counts (the first range is the whole function). */
export function callCountsFromCoverage(coverage: CoverageResult): FunctionCallCount[] {
  const counts: FunctionCallCount[] = [];
  for (const script of coverage.result) {
    for (const fn of script.functions) {
      const count = fn.ranges[0]?.count ?? 0;
      if (count > 0) counts.push({ url: script.url, functionName: fn.functionName, count });
    }
  }
  return counts;
}

/** A connection to one worker's inspector, multiplexed over the main session. */
class WorkerChannel {
  readonly #session: Session;
  readonly #sessionId: string;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  #nextId = 1;

  constructor(
    session: Session,
    sessionId: string,
    readonly threadId: number,
    readonly title: string,
  ) {
    this.#session = session;
    this.#sessionId = sessionId;
  }

  async post(method: string, params: object = {}): Promise<unknown> {
    const id = this.#nextId++;
    const reply = new Promise<unknown>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    await this.#session.post('NodeWorker.sendMessageToWorker', {
      sessionId: this.#sessionId,
      message: JSON.stringify({ id, method, params }),
    });
    return reply;
  }

  receive(raw: string): void {
    const message = JSON.parse(raw) as { id?: number; result?: unknown; error?: { message: string } };
    if (message.id === undefined) return; // an event; none are subscribed to
    const waiter = this.#pending.get(message.id);
    this.#pending.delete(message.id);
    if (message.error) waiter?.reject(new ProfilerError(`worker ${this.threadId}: ${message.error.message}`));
    else waiter?.resolve(message.result);
  }

  /** The worker exited: nothing more will answer. */
  detach(): void {
    for (const waiter of this.#pending.values())
      waiter.reject(new ProfilerError(`worker ${this.threadId} exited`));
    this.#pending.clear();
  }
}

let profiling = false;

/**
 * Runs `fn` under the sampling CPU profiler and returns its value with one profile per
 * thread: the main thread and each worker thread started meanwhile (directly from the main
 * thread; workers started by workers are not followed).
 *
 * @example
 * const { profiles } = await profile(() => runMyPool());
 * console.log(formatProfileTable(profiles));
 * @throws ProfilerError when another profile() is running or the inspector fails; whatever `fn` throws.
 */
export async function profile<T>(
  fn: () => T | Promise<T>,
  options: ProfileOptions = {},
): Promise<ProfileResult<T>> {
  if (profiling) throw new ProfilerError('profile() is already running in this process');
  profiling = true;
  const interval = options.samplingIntervalUs ?? 1000;
  const session = new Session();
  session.connect();
  const channels = new Map<string, WorkerChannel>();
  const threads: ThreadProfile[] = [];
  const warnings: string[] = [];
  const harvests = new Map<number, Promise<void>>();
  // eslint-disable-next-line @typescript-eslint/unbound-method -- restored as is, always called with .call(worker)
  const originalTerminate = Worker.prototype.terminate;

  const startCommands = (post: (method: string, params?: object) => Promise<unknown>): Promise<unknown>[] => [
    post('Profiler.enable'),
    post('Profiler.setSamplingInterval', { interval }),
    ...(options.callCounts
      ? [post('Profiler.startPreciseCoverage', { callCount: true, detailed: false })]
      : []),
    post('Profiler.start'),
  ];

  const stopChannel = (channel: WorkerChannel): Promise<void> => {
    const existing = harvests.get(channel.threadId);
    if (existing) return existing;
    const harvest = (async () => {
      const counts = options.callCounts
        ? callCountsFromCoverage((await channel.post('Profiler.takePreciseCoverage')) as CoverageResult)
        : undefined;
      const { profile: cpu } = (await channel.post('Profiler.stop')) as { profile: CpuProfile };
      threads.push({
        name: channel.title || `worker ${channel.threadId}`,
        kind: 'worker',
        pid: process.pid,
        threadId: channel.threadId,
        profile: cpu,
        ...(counts ? { callCounts: counts } : {}),
      });
    })().catch((error: unknown) => {
      warnings.push(
        `worker ${channel.threadId}: no profile (${error instanceof Error ? error.message : String(error)})`,
      );
    });
    harvests.set(channel.threadId, harvest);
    return harvest;
  };

  try {
    await Promise.all(startCommands((method, params) => session.post(method as 'Profiler.enable', params)));
    if (options.workers !== false) {
      session.on('NodeWorker.receivedMessageFromWorker', ({ params }) =>
        channels.get(params.sessionId)?.receive(params.message),
      );
      session.on('NodeWorker.detachedFromWorker', ({ params }) => {
        const channel = channels.get(params.sessionId);
        if (channel && !harvests.has(channel.threadId)) {
          warnings.push(`worker ${channel.threadId} exited on its own before its profile could be collected`);
        }
        channel?.detach();
      });
      session.on('NodeWorker.attachedToWorker', ({ params }) => {
        const { sessionId, workerInfo } = params;
        if (workerInfo.url.startsWith('node:internal')) {
          // Node's own threads (the module-hooks thread of --import tsx…) block in Atomics.wait
          // and would never answer; let them run and leave them alone.
          void session
            .post('NodeWorker.sendMessageToWorker', {
              sessionId,
              message: JSON.stringify({ id: 1, method: 'Runtime.runIfWaitingForDebugger' }),
            })
            .then(() => session.post('NodeWorker.detach', { sessionId }))
            .catch(() => undefined);
          return;
        }
        const threadId = Number(workerInfo.workerId);
        const title = workerInfo.title.startsWith('[worker') ? '' : workerInfo.title;
        const channel = new WorkerChannel(session, sessionId, threadId, title);
        channels.set(sessionId, channel);
        Promise.all(startCommands((method, p) => channel.post(method, p)))
          .then(() => channel.post('Runtime.runIfWaitingForDebugger'))
          .catch((error: unknown) =>
            warnings.push(`worker ${threadId}: profiler did not start (${String(error)})`),
          );
      });
      // Pools stop workers with terminate(); fetch the profile while the worker still exists.
      Worker.prototype.terminate = function terminateAfterProfile(this: Worker): Promise<number> {
        const channel = [...channels.values()].find((c) => c.threadId === this.threadId);
        const stopped = channel ? stopChannel(channel) : Promise.resolve();
        return stopped.then(() => originalTerminate.call(this));
      };
      await session.post('NodeWorker.enable', { waitForDebuggerOnStart: true });
    }
    // On Node 24 a worker paused for the debugger does not keep the event loop alive; without
    // a handle of our own the process could exit while fn() waits for that worker.
    const keepAlive = setInterval(() => undefined, 2 ** 30);
    let value: T;
    try {
      value = await fn();
      await Promise.all([...channels.values()].map(stopChannel));
    } finally {
      clearInterval(keepAlive);
    }
    const counts = options.callCounts
      ? callCountsFromCoverage(await session.post('Profiler.takePreciseCoverage'))
      : undefined;
    const { profile: mainProfile } = await session.post('Profiler.stop');
    threads.unshift({
      name: 'main',
      kind: 'main',
      pid: process.pid,
      threadId: 0,
      profile: mainProfile as CpuProfile,
      ...(counts ? { callCounts: counts } : {}),
    });
    threads.sort((a, b) => a.threadId - b.threadId);
    return {
      value,
      profiles: {
        format: 'manycore-profile',
        version: 1,
        title: options.title ?? 'profile()',
        threads,
        warnings,
        environment: captureEnvironment(),
      },
    };
  } finally {
    Worker.prototype.terminate = originalTerminate;
    if (options.workers !== false) await session.post('NodeWorker.disable').catch(() => undefined);
    await session.post('Profiler.disable').catch(() => undefined);
    session.disconnect();
    profiling = false;
  }
}

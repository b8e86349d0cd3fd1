/**
 * The process backend's worker: a child process (`child_process.fork`) running
 * process-worker-main over the IPC channel with V8 ("advanced") serialization.
 *
 *   parent                                   child
 *   fd 3  IPC ◄──── run / init ─────────────► WorkerRuntime
 *         ◄──────── ready, results, progress, process:exiting, process:uncaught
 *   fd 2  stderr ◄── forwarded to our stderr; the tail is kept to recognise "heap out of memory"
 *   fd 4  pipe held open by us only ───────► watchdog thread: EOF = parent died → SIGKILL self
 *
 * The running task (`currentSeq()`, whom to blame when the child dies) comes from a word of
 * /dev/shm the child writes before each task (running-task-word.ts), or, without the addon, from
 * the seq the child announces while exiting; failing both, the engine blames the oldest
 * unsettled task of that worker (see process-messages.ts).
 *
 * Shared memory: a message holding SharedArrayBuffers (a SharedArray, a Lock…) cannot be cloned
 * onto the channel; process-transport.ts sends it again with each buffer named (process-shared
 * memory from /dev/shm) or copied (ordinary memory). When a child is gone, its /dev/shm
 * segments are removed here: a SIGKILLed child never ran its own exit hook.
 */
import { execFile, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MainToWorker } from '../protocol/messages.ts';
import {
  isProcessNotice,
  isSharedEnvelope,
  type ChildToParent,
  type ProcessNotice,
} from '../protocol/process-messages.ts';
import { deserializeError } from '../protocol/serialize-error.ts';
import { processMemoryInUse } from '../shared/process-buffers.ts';
import { releaseSegmentsOf } from '../shared/process-segments.ts';
import { openSharedEnvelope, sendWithSharedMemory } from '../shared/process-transport.ts';
import { trackWorker } from './live-workers.ts';
import { childExecArgv, describeProcessExit, StderrTail } from './process-exit.ts';
import { createRunningTaskWord } from './running-task-word.ts';
import type { WorkerFactory, WorkerHandle } from './worker-handle.ts';
import { workerEntry } from './worker-entry.ts';

export interface ProcessWorkerOptions {
  readonly env: Readonly<Record<string, string | undefined>> | undefined;
  readonly execArgv: readonly string[] | undefined;
  readonly cwd: string | undefined;
  readonly maxMemoryMb: number | undefined;
  readonly cpuAffinity: readonly number[] | undefined;
  readonly killGraceMs: number;
}

export function processWorkerFactory(options: ProcessWorkerOptions): WorkerFactory {
  const entry = workerEntry('process-worker-main');
  const script = fileURLToPath(entry.url);
  const execArgv = childExecArgv(options.execArgv, entry.eval, options.maxMemoryMb);
  return (index, name, events) => {
    const untrack = trackWorker();
    const running = createRunningTaskWord();
    // A program that made process-shared memory before this child started will send it some:
    // the child loads the shared-memory layer while it starts, not on the first task that needs it.
    const preloadShared = processMemoryInUse() ? 'preload-shared' : '-';
    const child = fork(script, [String(index), name, running?.name ?? '-', preloadShared], {
      execArgv,
      serialization: 'advanced',
      // stdin unused; stdout shared; stderr piped (forwarded, and read for OOM); 3 IPC; 4 watchdog pipe.
      stdio: ['ignore', 'inherit', 'pipe', 'ipc', 'pipe'],
      ...(options.env !== undefined && { env: { ...options.env } }),
      ...(options.cwd !== undefined && { cwd: options.cwd }),
    });
    const stderr = new StderrTail();
    let exitingSeq: number | undefined;
    let uncaught: Error | undefined;
    let lastError: Error | undefined;
    let startFailure: string | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let gone = false;
    // With cpuAffinity, "ready" waits until the pin is applied, so every task runs pinned.
    let pinned = options.cpuAffinity === undefined;
    let readyHeld = false;
    let ready = false;

    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      process.stderr.write(chunk);
      stderr.append(chunk);
    });
    child.on('error', (error) => {
      lastError = error; // spawn failure, or a send on a channel that just closed
    });
    child.on('message', (received: ChildToParent) => {
      let message = received;
      if (isSharedEnvelope(received)) {
        try {
          message = openSharedEnvelope(received) as ChildToParent;
        } catch (error) {
          // The child sent memory we cannot map (it released it, or exited): its message is lost,
          // so treat the child as broken; the engine fails its tasks with this error as the cause.
          lastError = error as Error;
          child.kill('SIGKILL');
          return;
        }
      }
      if (isProcessNotice(message)) return onNotice(message);
      if (message.type === 'ready') {
        ready = true;
        running?.unlink(); // mapped by the child by now
        if (!pinned) {
          readyHeld = true;
          return;
        }
      }
      events.onMessage(message);
    });
    let resolveClosed!: () => void;
    const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
    // 'close' (not 'exit'): the process is reaped and its pipes are drained, so the stderr tail
    // is complete. Node closes the process handle as the child exits, but libuv frees it only in
    // the loop's close phase, which follows the check phase: two immediates later it is gone, so
    // whoever awaits terminate() sees no handle of ours left.
    child.once('close', (exitCode, signal) => {
      gone = true;
      if (killTimer !== undefined) clearTimeout(killTimer);
      setImmediate(() => setImmediate(() => onClosed(exitCode, signal)));
    });

    function onClosed(exitCode: number | null, signal: NodeJS.Signals | null): void {
      untrack();
      running?.unlink();
      if (child.pid !== undefined) releaseSegmentsOf(child.pid);
      const reason = describeProcessExit({
        exitCode,
        signal,
        stderrTail: stderr.text,
        uncaught,
        startFailure,
        maxMemoryMb: options.maxMemoryMb,
        beforeReady: !ready,
      });
      events.onExit(exitCode, reason, uncaught ?? lastError);
      resolveClosed();
    }

    function onNotice(notice: ProcessNotice): void {
      if (notice.type === 'process:exiting') exitingSeq = notice.seq;
      else uncaught = deserializeError(notice.error);
    }

    if (options.cpuAffinity !== undefined && child.pid !== undefined) {
      const cpu = options.cpuAffinity[index % options.cpuAffinity.length] as number;
      const pid = child.pid;
      // -a: every thread of the child (V8 and libuv threads already exist), not only the main one.
      execFile('taskset', ['-a', '-cp', String(cpu), String(pid)], (error, _stdout, errorText) => {
        if (error !== null) {
          startFailure = `cpuAffinity: could not pin worker ${index} to CPU ${cpu} (taskset: ${errorText.trim() || error.message})`;
          child.kill('SIGKILL');
          return;
        }
        pinned = true;
        if (readyHeld) events.onMessage({ type: 'ready' });
      });
    }

    const handle: WorkerHandle = {
      systemId: child.pid ?? 0,
      send: (message: MainToWorker) => {
        // Throws synchronously when a value cannot be serialized: the engine relies on that.
        sendWithSharedMemory((value) => child.send(value as MainToWorker), message);
      },
      terminate: () => {
        if (!gone && killTimer === undefined) {
          if (options.killGraceMs === 0) {
            child.kill('SIGKILL');
          } else {
            // SIGTERM first so a task module's own handler can clean up; SIGKILL once the grace is over.
            child.kill('SIGTERM');
            killTimer = setTimeout(() => child.kill('SIGKILL'), options.killGraceMs);
          }
        }
        return closed;
      },
      currentSeq: () => exitingSeq ?? running?.view[0],
      eventLoopUtilization: () => undefined,
    };
    return handle;
  };
}

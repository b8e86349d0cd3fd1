/**
 * Data types of profiles: V8's CPU profile (the `.cpuprofile` format Chrome DevTools reads)
 * and manycore's profile set, one CPU profile per thread of a program.
 */
import type { Environment } from '../environment.ts';

/** Where a function is defined (0-based line and column, as V8 reports them). */
export interface CallFrame {
  readonly functionName: string;
  readonly scriptId: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

/** A node of V8's call tree: one call frame in one calling context. */
export interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly hitCount?: number;
  readonly children?: readonly number[];
}

/** V8's sampled CPU profile (`Profiler.Profile`); times in microseconds. */
export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  /** Node id of the innermost frame at each sample. */
  readonly samples?: readonly number[];
  /** Microseconds from the previous sample (the first: from `startTime`). */
  readonly timeDeltas?: readonly number[];
}

/** Exact call count of one function, from V8's precise coverage. */
export interface FunctionCallCount {
  readonly url: string;
  readonly functionName: string;
  readonly count: number;
}

/** The profile of one thread. */
export interface ThreadProfile {
  /** "main", "worker 1", "process 4242 main"… */
  readonly name: string;
  readonly kind: 'main' | 'worker' | 'process';
  readonly pid: number;
  /** `threadId` of the thread in its process (0 for a main thread). */
  readonly threadId: number;
  readonly profile: CpuProfile;
  /** Present when call counts were requested. */
  readonly callCounts?: readonly FunctionCallCount[];
}

/** Every thread's profile from one run: what `profile()` returns and profile files hold. */
export interface ProfileSet {
  readonly format: 'manycore-profile';
  readonly version: 1;
  /** What was profiled, e.g. the command line. */
  readonly title: string;
  readonly threads: readonly ThreadProfile[];
  /** Things that went wrong but did not stop profiling (a worker that exited unprofiled…). */
  readonly warnings: readonly string[];
  readonly environment?: Environment;
}

/** Frames V8 adds for time outside JavaScript functions; reports treat them apart. */
export const META_FRAMES: ReadonlySet<string> = new Set([
  '(root)',
  '(program)',
  '(idle)',
  '(garbage collector)',
]);

/** A stable identity of a function across nodes, threads and runs. */
export function functionKey(frame: CallFrame): string {
  return `${frame.functionName}\u0000${frame.url}\u0000${frame.lineNumber}\u0000${frame.columnNumber}`;
}

/** Display name of a frame: V8 leaves anonymous functions unnamed. */
export function displayName(frame: CallFrame): string {
  return frame.functionName === '' ? '(anonymous)' : frame.functionName;
}

/** "file.ts:12" with a 1-based line, the way editors count; empty for frames without a script. */
export function displayLocation(frame: CallFrame): string {
  if (frame.url === '') return '';
  const file = frame.url.startsWith('file://') ? decodeURIComponent(new URL(frame.url).pathname) : frame.url;
  return `${file}:${frame.lineNumber + 1}`;
}

/**
 * Per-sample weights in microseconds: the time until the next sample, which is how long the
 * sampled stack was current. The last sample gets the mean interval.
 */
export function sampleWeights(profile: CpuProfile): number[] {
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const count = samples.length;
  const mean = count > 0 ? (profile.endTime - profile.startTime) / count : 0;
  const weights = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const next = deltas[i + 1];
    weights[i] = next !== undefined && next >= 0 ? next : mean;
  }
  return weights;
}

/**
 * pstats-like per-function statistics from a CPU profile: self time (samples where the
 * function was the innermost frame) and total time (samples where it was anywhere on the
 * stack, counted once per sample even under recursion).
 */
import { InvalidOptionError } from '../../errors.ts';
import {
  META_FRAMES,
  displayLocation,
  displayName,
  functionKey,
  sampleWeights,
  type CallFrame,
  type CpuProfile,
  type ProfileSet,
  type ThreadProfile,
} from './cpu-profile.ts';

/** One function's row. */
export interface FunctionStats {
  readonly name: string;
  /** "path/file.ts:12" (1-based line), empty for native frames. */
  readonly location: string;
  readonly callFrame: CallFrame;
  readonly selfMs: number;
  readonly totalMs: number;
  /** Self time as a share of the thread's sampled non-idle time, in percent. */
  readonly selfPercent: number;
  readonly totalPercent: number;
  /** Samples with this function innermost. */
  readonly samples: number;
  /** Exact calls, when call counts were recorded (functions of one name in one file are summed). */
  readonly calls: number | undefined;
}

/** The table of one thread (or of several merged). */
export interface ThreadTable {
  readonly thread: string;
  /** Sampled time excluding `(idle)`, ms. */
  readonly busyMs: number;
  readonly idleMs: number;
  readonly programMs: number;
  readonly gcMs: number;
  readonly samples: number;
  /** Rows after sorting, filtering and limiting. */
  readonly rows: readonly FunctionStats[];
  /** How many functions matched before the limit. */
  readonly matched: number;
}

/** How to order, filter and cut the table. */
export interface ProfileTableOptions {
  /** Sort key, descending. Default 'self'. */
  readonly sortBy?: 'self' | 'total' | 'calls';
  /** Keep the top N rows. Default 25. */
  readonly limit?: number;
  /** Keep functions whose name or location matches (substring, case-insensitive, or a RegExp). */
  readonly filter?: string | RegExp;
  /** Keep V8's (program), (garbage collector) and (idle) rows. Default false: shown in the footer. */
  readonly includeMeta?: boolean;
  /** One table for all threads instead of one per thread. Default false. */
  readonly mergeThreads?: boolean;
}

interface Accumulator {
  callFrame: CallFrame;
  selfUs: number;
  totalUs: number;
  samples: number;
}

/** Adds one profile's per-function self and total time into `into`. */
function accumulate(
  profile: CpuProfile,
  into: Map<string, Accumulator>,
): { totalUs: number; samples: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  const selfSamples = new Map<number, number>();
  const weights = sampleWeights(profile);
  (profile.samples ?? []).forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (weights[i] ?? 0));
    selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
  });
  const childIds = new Set(profile.nodes.flatMap((node) => node.children ?? []));
  const roots = profile.nodes.filter((node) => !childIds.has(node.id));
  // Subtree time per node, computed children-first with an explicit stack (stacks can be deep).
  const subtreeUs = new Map<number, number>();
  const order: number[] = [];
  const pending = roots.map((node) => node.id);
  while (pending.length > 0) {
    const id = pending.pop() as number;
    order.push(id);
    for (const child of byId.get(id)?.children ?? []) pending.push(child);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i] as number;
    let sum = selfUs.get(id) ?? 0;
    for (const child of byId.get(id)?.children ?? []) sum += subtreeUs.get(child) ?? 0;
    subtreeUs.set(id, sum);
  }
  // Total time: add a node's subtree only at the outermost occurrence of its function on the
  // path, so recursion is not counted twice.
  const onPath = new Map<string, number>();
  const walk: { id: number; leaving: boolean }[] = roots.map((node) => ({ id: node.id, leaving: false }));
  while (walk.length > 0) {
    const { id, leaving } = walk.pop() as { id: number; leaving: boolean };
    const node = byId.get(id);
    if (!node) continue;
    const key = functionKey(node.callFrame);
    if (leaving) {
      onPath.set(key, (onPath.get(key) ?? 1) - 1);
      continue;
    }
    let entry = into.get(key);
    if (!entry) {
      entry = { callFrame: node.callFrame, selfUs: 0, totalUs: 0, samples: 0 };
      into.set(key, entry);
    }
    entry.selfUs += selfUs.get(id) ?? 0;
    entry.samples += selfSamples.get(id) ?? 0;
    if ((onPath.get(key) ?? 0) === 0) entry.totalUs += subtreeUs.get(id) ?? 0;
    onPath.set(key, (onPath.get(key) ?? 0) + 1);
    walk.push({ id, leaving: true });
    for (const child of node.children ?? []) walk.push({ id: child, leaving: false });
  }
  return { totalUs: weights.reduce((sum, w) => sum + w, 0), samples: weights.length };
}

function buildTable(
  name: string,
  threads: readonly ThreadProfile[],
  options: ProfileTableOptions,
): ThreadTable {
  const functions = new Map<string, Accumulator>();
  let samples = 0;
  for (const thread of threads) samples += accumulate(thread.profile, functions).samples;
  const metaUs = (frame: string): number =>
    [...functions.values()]
      .filter((f) => f.callFrame.functionName === frame)
      .reduce((sum, f) => sum + f.selfUs, 0);
  const sampledUs = [...functions.values()].reduce((sum, f) => sum + f.selfUs, 0);
  const idleUs = metaUs('(idle)');
  const busyUs = sampledUs - idleUs;
  const calls = new Map<string, number>();
  for (const thread of threads) {
    for (const c of thread.callCounts ?? []) {
      const key = `${c.functionName}\u0000${c.url}`;
      calls.set(key, (calls.get(key) ?? 0) + c.count);
    }
  }
  const hasCalls = threads.some((t) => t.callCounts !== undefined);
  const filter =
    options.filter === undefined
      ? undefined
      : typeof options.filter === 'string'
        ? new RegExp(options.filter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i')
        : options.filter;
  const rows = [...functions.values()]
    .filter((f) => options.includeMeta === true || !META_FRAMES.has(f.callFrame.functionName))
    .map((f): FunctionStats => ({
      name: displayName(f.callFrame),
      location: displayLocation(f.callFrame),
      callFrame: f.callFrame,
      selfMs: f.selfUs / 1000,
      totalMs: f.totalUs / 1000,
      selfPercent: busyUs > 0 ? (f.selfUs / busyUs) * 100 : 0,
      totalPercent: busyUs > 0 ? (f.totalUs / busyUs) * 100 : 0,
      samples: f.samples,
      calls: hasCalls ? (calls.get(`${f.callFrame.functionName}\u0000${f.callFrame.url}`) ?? 0) : undefined,
    }))
    .filter((row) => !filter || filter.test(row.name) || filter.test(row.location));
  const sortBy = options.sortBy ?? 'self';
  const keyOf = (row: FunctionStats): number =>
    sortBy === 'self' ? row.selfMs : sortBy === 'total' ? row.totalMs : (row.calls ?? 0);
  rows.sort((a, b) => keyOf(b) - keyOf(a) || b.totalMs - a.totalMs);
  return {
    thread: name,
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    programMs: metaUs('(program)') / 1000,
    gcMs: metaUs('(garbage collector)') / 1000,
    samples,
    rows: rows.slice(0, options.limit ?? 25),
    matched: rows.length,
  };
}

/**
 * Per-function tables of a profile set: one per thread, or one for all with `mergeThreads`.
 *
 * @example profileTables(profiles, { sortBy: 'total', limit: 10, filter: 'src/' })
 * @throws InvalidOptionError on a bad sort key or limit.
 */
export function profileTables(set: ProfileSet, options: ProfileTableOptions = {}): ThreadTable[] {
  if (options.sortBy !== undefined && !['self', 'total', 'calls'].includes(options.sortBy)) {
    throw new InvalidOptionError('sortBy', '"self", "total" or "calls"', options.sortBy);
  }
  if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
    throw new InvalidOptionError('limit', 'an integer ≥ 1', options.limit);
  }
  if (options.mergeThreads === true) return [buildTable('all threads', set.threads, options)];
  return set.threads.map((thread) => buildTable(thread.name, [thread], options));
}

/**
 * Saving, loading and merging profiles, and writing every output format of a run at once.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ProfileFormatError } from '../errors.ts';
import type {
  CpuProfile,
  CpuProfileNode,
  FunctionCallCount,
  ProfileSet,
  ThreadProfile,
} from './cpu-profile.ts';
import { functionKey } from './cpu-profile.ts';
import { flameGraphHtml } from './flame-graph.ts';
import { toSpeedscope } from './speedscope.ts';

function isCpuProfile(value: unknown): value is CpuProfile {
  const v = value as Partial<CpuProfile> | null;
  return typeof v === 'object' && v !== null && Array.isArray(v.nodes) && typeof v.startTime === 'number';
}

/** Writes a profile set as JSON (the format {@link loadProfile} reads back). */
export function saveProfile(set: ProfileSet, file: string): void {
  writeFileSync(file, JSON.stringify(set));
}

/**
 * Reads a profile file: a profile set written by manycore, or a single Chrome DevTools /
 * `--cpu-prof` `.cpuprofile` (which becomes a one-thread set).
 *
 * @throws ProfileFormatError when the file is neither.
 */
export function loadProfile(file: string): ProfileSet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ProfileFormatError(file, 'not readable JSON', { cause });
  }
  const candidate = parsed as Partial<ProfileSet> | null;
  if (candidate?.format === 'manycore-profile') {
    if (candidate.version !== 1 || !Array.isArray(candidate.threads)) {
      throw new ProfileFormatError(file, `unsupported version ${String(candidate.version)}`);
    }
    return candidate as ProfileSet;
  }
  if (isCpuProfile(parsed)) {
    return {
      format: 'manycore-profile',
      version: 1,
      title: basename(file),
      threads: [{ name: basename(file, '.cpuprofile'), kind: 'main', pid: 0, threadId: 0, profile: parsed }],
      warnings: [],
    };
  }
  throw new ProfileFormatError(file, 'no "threads" of a manycore profile and no "nodes" of a .cpuprofile');
}

/**
 * Merges two CPU profiles into one whose call tree is the union of both (nodes with the same
 * function under the same parent are one node) and whose samples are both runs in sequence,
 * like adding two pstats files.
 */
export function mergeCpuProfiles(a: CpuProfile, b: CpuProfile): CpuProfile {
  const nodes: { id: number; callFrame: CpuProfileNode['callFrame']; children: number[] }[] = [];
  const childByKey = new Map<string, number>(); // `${parentId}/${functionKey}` → merged id
  const add = (profile: CpuProfile): Map<number, number> => {
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const childIds = new Set(profile.nodes.flatMap((node) => node.children ?? []));
    const mapping = new Map<number, number>();
    const pending: { id: number; parent: number }[] = profile.nodes
      .filter((node) => !childIds.has(node.id))
      .map((node) => ({ id: node.id, parent: 0 }));
    while (pending.length > 0) {
      const { id, parent } = pending.pop() as { id: number; parent: number };
      const node = byId.get(id) as CpuProfileNode;
      const key = `${parent}/${functionKey(node.callFrame)}`;
      let merged = childByKey.get(key);
      if (merged === undefined) {
        merged = nodes.length + 1;
        nodes.push({ id: merged, callFrame: node.callFrame, children: [] });
        childByKey.set(key, merged);
        if (parent !== 0) nodes[parent - 1]?.children.push(merged);
      }
      mapping.set(id, merged);
      for (const child of node.children ?? []) pending.push({ id: child, parent: merged });
    }
    return mapping;
  };
  const mapA = add(a);
  const mapB = add(b);
  const samples = [
    ...(a.samples ?? []).map((id) => mapA.get(id) ?? 1),
    ...(b.samples ?? []).map((id) => mapB.get(id) ?? 1),
  ];
  const deltasB = [...(b.timeDeltas ?? [])];
  if (deltasB.length > 0) deltasB[0] = 0; // b's first sample follows a's last directly
  const timeDeltas = [...(a.timeDeltas ?? []), ...deltasB];
  return {
    nodes,
    startTime: a.startTime,
    endTime: a.endTime + (b.endTime - b.startTime),
    samples,
    timeDeltas,
  };
}

function mergeCounts(
  a: readonly FunctionCallCount[] | undefined,
  b: readonly FunctionCallCount[] | undefined,
): FunctionCallCount[] | undefined {
  if (!a && !b) return undefined;
  const byKey = new Map<string, FunctionCallCount>();
  for (const c of [...(a ?? []), ...(b ?? [])]) {
    const key = `${c.functionName}\u0000${c.url}`;
    const seen = byKey.get(key);
    byKey.set(key, seen ? { ...seen, count: seen.count + c.count } : c);
  }
  return [...byKey.values()];
}

/**
 * Merges profile sets (e.g. several runs of one program): threads with the same name are
 * merged into one profile; the others are kept side by side.
 *
 * @example saveProfile(mergeProfiles([loadProfile('a.json'), loadProfile('b.json')]), 'ab.json')
 */
export function mergeProfiles(sets: readonly ProfileSet[], title = 'merged profiles'): ProfileSet {
  const threads = new Map<string, ThreadProfile>();
  for (const set of sets) {
    for (const thread of set.threads) {
      const seen = threads.get(thread.name);
      if (!seen) {
        threads.set(thread.name, thread);
        continue;
      }
      const callCounts = mergeCounts(seen.callCounts, thread.callCounts);
      threads.set(thread.name, {
        ...seen,
        profile: mergeCpuProfiles(seen.profile, thread.profile),
        ...(callCounts ? { callCounts } : {}),
      });
    }
  }
  return {
    format: 'manycore-profile',
    version: 1,
    title,
    threads: [...threads.values()],
    warnings: sets.flatMap((set) => set.warnings),
    ...(sets[0]?.environment ? { environment: sets[0].environment } : {}),
  };
}

/** Paths written by {@link writeProfileOutputs}. */
export interface ProfileOutputs {
  /** manycore's own format, for `loadProfile` and merging. */
  readonly profile: string;
  /** One file with every thread, for https://www.speedscope.app (or `npx speedscope FILE`). */
  readonly speedscope: string;
  /** Flame graphs, self-contained HTML. */
  readonly flameGraph: string;
  /** One Chrome DevTools `.cpuprofile` per thread (DevTools → Performance → Load profile). */
  readonly cpuProfiles: readonly string[];
}

/**
 * Writes every format of a profile set into `directory` (created if missing).
 *
 * @param name file name stem. Default "profile".
 */
export function writeProfileOutputs(set: ProfileSet, directory: string, name = 'profile'): ProfileOutputs {
  mkdirSync(directory, { recursive: true });
  const profile = join(directory, `${name}.manycore-profile.json`);
  saveProfile(set, profile);
  const speedscope = join(directory, `${name}.speedscope.json`);
  writeFileSync(speedscope, JSON.stringify(toSpeedscope(set)));
  const flameGraph = join(directory, `${name}.flame.html`);
  writeFileSync(flameGraph, flameGraphHtml(set));
  const cpuProfiles = set.threads.map((thread) => {
    const file = join(directory, `${name}.${thread.name.replace(/[^\w.-]+/g, '-')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(thread.profile));
    return file;
  });
  return { profile, speedscope, flameGraph, cpuProfiles };
}

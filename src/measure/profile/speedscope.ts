/**
 * Writes a profile set in speedscope's file format (https://www.speedscope.app/file-format-schema.json):
 * one "sampled" profile per thread over one shared frame table, so speedscope shows a thread
 * picker with every thread of the program.
 */
import {
  displayName,
  functionKey,
  sampleWeights,
  type CpuProfileNode,
  type ProfileSet,
} from './cpu-profile.ts';

interface SpeedscopeFrame {
  name: string;
  file?: string;
  line?: number;
  col?: number;
}

/** speedscope's JSON document. */
export interface SpeedscopeFile {
  readonly $schema: 'https://www.speedscope.app/file-format-schema.json';
  readonly shared: { readonly frames: readonly SpeedscopeFrame[] };
  readonly profiles: readonly {
    readonly type: 'sampled';
    readonly name: string;
    readonly unit: 'microseconds';
    readonly startValue: number;
    readonly endValue: number;
    readonly samples: readonly (readonly number[])[];
    readonly weights: readonly number[];
  }[];
  readonly name: string;
  readonly activeProfileIndex: number;
  readonly exporter: string;
}

/**
 * Converts a profile set to speedscope's format. Stacks are root-first frame indices; V8's
 * `(root)` frame is dropped, and `(idle)` samples are kept so that idle time shows.
 *
 * @example writeFileSync('run.speedscope.json', JSON.stringify(toSpeedscope(profiles)));
 */
export function toSpeedscope(set: ProfileSet): SpeedscopeFile {
  const frames: SpeedscopeFrame[] = [];
  const frameIndex = new Map<string, number>();
  const profiles = set.threads.map((thread) => {
    const { profile } = thread;
    const byId = new Map<number, CpuProfileNode>(profile.nodes.map((node) => [node.id, node]));
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const stackCache = new Map<number, number[]>();
    const stackOf = (id: number): number[] => {
      const cached = stackCache.get(id);
      if (cached) return cached;
      const ids: number[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) ids.push(at);
      const stack: number[] = [];
      for (let i = ids.length - 1; i >= 0; i--) {
        const frame = (byId.get(ids[i] as number) as CpuProfileNode).callFrame;
        if (frame.functionName === '(root)') continue;
        const key = functionKey(frame);
        let index = frameIndex.get(key);
        if (index === undefined) {
          index = frames.length;
          frameIndex.set(key, index);
          frames.push({
            name: displayName(frame),
            ...(frame.url
              ? { file: frame.url, line: frame.lineNumber + 1, col: frame.columnNumber + 1 }
              : {}),
          });
        }
        stack.push(index);
      }
      stackCache.set(id, stack);
      return stack;
    };
    const weights = sampleWeights(profile);
    return {
      type: 'sampled' as const,
      name: `${thread.name} (pid ${thread.pid})`,
      unit: 'microseconds' as const,
      startValue: 0,
      endValue: weights.reduce((sum, w) => sum + w, 0),
      samples: (profile.samples ?? []).map(stackOf),
      weights,
    };
  });
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles,
    name: set.title,
    activeProfileIndex: 0,
    exporter: 'manycore',
  };
}

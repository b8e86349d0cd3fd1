/**
 * What a caught out-of-range get() costs later scans in the same process. get() throws on a bad
 * index through its one element load (see the end of src/shared/shared-array.ts); once that load
 * has read out of bounds, V8 compiles it with the out-of-bounds case and the throw in every
 * caller's loop. This runs the get(i) scans of scan.ts twice in separate processes: clean, and
 * after get(-1) and get(length) were caught. Prints median CPU-time ratios to a plain loop.
 *
 *   node --import tsx bench/shared/run-scan-after-error.ts
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { SharedArray } from '../../src/shared/shared-array.ts';
// The same loops as the main scan bench; this one runs in a process of its own, so their type
// feedback starts fresh here.
import { sumGet, sumGetOneSegment, sumPlain } from './scan.ts';
import { median } from '../stats.ts';

const LENGTH = 2 ** 25;
const REPETITIONS = 5;

function cpuMs(fn: () => number, sink: { value: number }): number {
  const start = process.cpuUsage();
  sink.value += fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function measure(afterError: boolean): string {
  const plain = new Float64Array(LENGTH).map((_, i) => i % 97);
  const segmented = SharedArray.from('Float64', plain, { chunkLength: 2 ** 22 });
  const oneSegment = SharedArray.from('Float64', plain);
  const sink = { value: 0 };
  if (afterError) {
    for (const array of [segmented, oneSegment]) {
      // Enough calls first that V8 records feedback for get(), then the caught errors.
      for (let i = 0; i < 200; i++) sink.value += array.get(i);
      for (const bad of [-1, array.length]) {
        try {
          array.get(bad);
        } catch {
          sink.value++;
        }
      }
    }
  }
  for (let warm = 0; warm < 3; warm++)
    sink.value += sumPlain(plain) + sumGet(segmented) + sumGetOneSegment(oneSegment);
  const ratios: [number[], number[]] = [[], []];
  for (let rep = 0; rep < REPETITIONS; rep++) {
    const reference = cpuMs(() => sumPlain(plain), sink);
    ratios[0].push(cpuMs(() => sumGet(segmented), sink) / reference);
    ratios[1].push(cpuMs(() => sumGetOneSegment(oneSegment), sink) / reference);
  }
  const ratio = (values: number[]): string => median(values).toFixed(2);
  return `${afterError ? 'after caught errors' : 'clean              '}  get(i) 8 segments ×${ratio(ratios[0])}  one segment ×${ratio(ratios[1])}${sink.value === -1 ? '!' : ''}`;
}

const mode = process.argv[2];
if (mode === 'clean' || mode === 'error') {
  process.stdout.write(`${measure(mode === 'error')}\n`);
} else {
  process.stdout.write(`Node ${process.version}, load average ${loadavg()[0]!.toFixed(2)}\n`);
  for (const child of ['clean', 'error']) {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), child]);
    process.stdout.write(out);
  }
}

/**
 * Sequential scan of a SharedArray (through chunks(), get(i) and the iterator) against the same
 * loop over a plain Float64Array. Each kernel is its own function (FACTS.md: a hot loop inlined
 * next to other code can run ~12% slower), and each result feeds a sink so V8 cannot drop it.
 */
import { SharedArray } from '../../src/shared/shared-array.ts';

const LENGTH = 2 ** 25; // 32 Mi doubles = 256 MiB
// Eight segments, so chunk boundaries are really crossed (default segments are 1 GiB).
const CHUNK_LENGTH = 2 ** 22;
let sink = 0;

function sumPlain(array: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < array.length; i++) sum += array[i]!;
  return sum;
}

function sumChunks(array: SharedArray<'Float64'>): number {
  let sum = 0;
  for (const [chunk] of array.chunks()) sum += sumPlain(chunk);
  return sum;
}

function sumGet(array: SharedArray<'Float64'>): number {
  let sum = 0;
  for (let i = 0; i < array.length; i++) sum += array.get(i);
  return sum;
}

function sumIterator(array: SharedArray<'Float64'>): number {
  let sum = 0;
  for (const value of array) sum += value;
  return sum;
}

let plain: Float64Array | undefined;
let shared: SharedArray<'Float64'> | undefined;

function time(fn: () => number): number {
  const t0 = performance.now();
  sink += fn();
  return performance.now() - t0;
}

/** One repetition of every scan; returns [name, milliseconds] pairs. */
export function scanBenchmarks(): [string, number][] {
  if (plain === undefined || shared === undefined) {
    plain = new Float64Array(LENGTH).map((_, i) => i % 97);
    shared = SharedArray.from('Float64', plain, { chunkLength: CHUNK_LENGTH });
    for (let warm = 0; warm < 3; warm++) sink += sumPlain(plain) + sumChunks(shared);
  }
  const a = plain;
  const b = shared;
  const result: [string, number][] = [
    ['scan 256 MiB: plain Float64Array loop (ms)', time(() => sumPlain(a))],
    ['scan 256 MiB: SharedArray chunks() loop (ms)', time(() => sumChunks(b))],
    ['scan 256 MiB: SharedArray get(i) loop (ms)', time(() => sumGet(b))],
    ['scan 256 MiB: SharedArray iterator (ms)', time(() => sumIterator(b))],
  ];
  if (sink === -1) console.log(sink);
  return result;
}

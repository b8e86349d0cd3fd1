/**
 * Sequential scan of a SharedArray (through chunks(), get(i) and the iterator) against the same
 * loop over a plain Float64Array. Each kernel is its own function (measured: a hot loop inlined
 * next to other code can run ~12% slower), and each result feeds a sink so V8 cannot drop it.
 */
import { SharedArray } from '../../src/shared/shared-array.ts';

const LENGTH = 2 ** 25; // 32 Mi doubles = 256 MiB
// Eight segments, so chunk boundaries are really crossed (default segments are 1 GiB).
const CHUNK_LENGTH = 2 ** 22;
let sink = 0;

export function sumPlain(array: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < array.length; i++) sum += array[i]!;
  return sum;
}

/** The same scan written as for...of over the plain array: the fair baseline for the iterator. */
function sumPlainForOf(array: Float64Array): number {
  let sum = 0;
  for (const value of array) sum += value;
  return sum;
}

function sumChunks(array: SharedArray<'Float64'>): number {
  let sum = 0;
  for (const [chunk] of array.chunks()) sum += sumPlain(chunk);
  return sum;
}

export function sumGet(array: SharedArray<'Float64'>): number {
  let sum = 0;
  for (let i = 0; i < array.length; i++) sum += array.get(i);
  return sum;
}

/**
 * The same loop as sumGet, over an array of one segment (what the default chunkLength gives any
 * array one TypedArray can hold). A function of its own, as a user's loop over one array would be: sharing
 * sumGet would mix two array classes in one call site's feedback.
 */
export function sumGetOneSegment(array: SharedArray<'Float64'>): number {
  let sum = 0;
  for (let i = 0; i < array.length; i++) sum += array.get(i);
  return sum;
}

/**
 * Writes through set(i) (the values already there, so every scan reads the same data), against
 * the same store loop over the plain array.
 */
function fillPlain(array: Float64Array): number {
  for (let i = 0; i < array.length; i++) array[i] = i % 97;
  return array.length;
}

function fillSet(array: SharedArray<'Float64'>): number {
  for (let i = 0; i < array.length; i++) array.set(i, i % 97);
  return array.length;
}

/** fillSet over the one-segment array, a function of its own like sumGetOneSegment. */
function fillSetOneSegment(array: SharedArray<'Float64'>): number {
  for (let i = 0; i < array.length; i++) array.set(i, i % 97);
  return array.length;
}

function sumIterator(array: SharedArray<'Float64'>): number {
  let sum = 0;
  for (const value of array) sum += value;
  return sum;
}

/** sumIterator over the one-segment array, a function of its own like sumGetOneSegment. */
function sumIteratorOneSegment(array: SharedArray<'Float64'>): number {
  let sum = 0;
  for (const value of array) sum += value;
  return sum;
}

/**
 * Reference for iterators: the plain loop with its index kept in an object field, as any
 * iterator keeps its position. A scan runs as on-stack-replaced code with the iterator made
 * before it, so V8 keeps that position in memory; this row is the cost of that alone.
 */
function sumPlainIndexInField(array: Float64Array): number {
  const cursor = { index: 0 };
  let sum = 0;
  for (; cursor.index < array.length; cursor.index++) sum += array[cursor.index]!;
  return sum;
}

let plain: Float64Array | undefined;
let shared: SharedArray<'Float64'> | undefined;
let sharedOneSegment: SharedArray<'Float64'> | undefined;

/**
 * Wall and CPU milliseconds of one call. CPU time (user + system of this process, which runs
 * nothing else meanwhile) leaves out the time the thread sat descheduled: on a shared 2-vCPU
 * machine with a load average above 2 that is most of the noise in the wall time.
 */
function time(fn: () => number): [wallMs: number, cpuMs: number] {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  sink += fn();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return [wall, (cpu.user + cpu.system) / 1000];
}

/** One repetition of every scan; returns [name, milliseconds] pairs. */
export function scanBenchmarks(): [string, number][] {
  if (plain === undefined || shared === undefined || sharedOneSegment === undefined) {
    plain = new Float64Array(LENGTH).map((_, i) => i % 97);
    shared = SharedArray.from('Float64', plain, { chunkLength: CHUNK_LENGTH });
    sharedOneSegment = SharedArray.from('Float64', plain);
    // Every kernel is warmed up alike, so no repetition measures on-stack replacement or a
    // first deoptimisation instead of the steady state.
    for (let warm = 0; warm < 3; warm++)
      sink +=
        sumPlain(plain) +
        sumPlainForOf(plain) +
        sumChunks(shared) +
        sumGet(shared) +
        sumGetOneSegment(sharedOneSegment) +
        sumIterator(shared) +
        sumIteratorOneSegment(sharedOneSegment) +
        sumPlainIndexInField(plain) +
        fillPlain(plain) +
        fillSet(shared) +
        fillSetOneSegment(sharedOneSegment);
  }
  const a = plain;
  const b = shared;
  const c = sharedOneSegment;
  const kernels: [string, () => number][] = [
    ['plain Float64Array loop', () => sumPlain(a)],
    ['plain Float64Array for...of', () => sumPlainForOf(a)],
    ['SharedArray chunks() loop', () => sumChunks(b)],
    ['SharedArray get(i) loop', () => sumGet(b)],
    ['SharedArray get(i) loop, one segment', () => sumGetOneSegment(c)],
    ['SharedArray iterator', () => sumIterator(b)],
    ['SharedArray iterator, one segment', () => sumIteratorOneSegment(c)],
    ['plain loop, index in an object field', () => sumPlainIndexInField(a)],
    ['plain Float64Array store loop', () => fillPlain(a)],
    ['SharedArray set(i) loop', () => fillSet(b)],
    ['SharedArray set(i) loop, one segment', () => fillSetOneSegment(c)],
  ];
  const result: [string, number][] = [];
  for (const [name, fn] of kernels) {
    const [wall, cpu] = time(fn);
    result.push([`scan 256 MiB: ${name} (ms)`, wall], [`scan 256 MiB: ${name} (CPU ms)`, cpu]);
  }
  if (sink === -1) console.log(sink);
  return result;
}

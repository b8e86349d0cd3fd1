import assert from 'node:assert/strict';
import { constants } from 'node:buffer';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ELEMENT_KINDS, type ElementKind } from '../../src/shared/element-kinds.ts';
import { reviveShared } from '../../src/shared/revive.ts';
import { SharedArray } from '../../src/shared/shared-array.ts';
import { checkLeaksAfterEach } from '../helpers/leak-check.ts';
import { runScenario, terminateAll } from './fixtures/run-worker.ts';
import { BLOCK_BYTES, blockByte } from './fixtures/scenarios.ts';

checkLeaksAfterEach(terminateAll);

describe('SharedArray', () => {
  it('indexes across segment boundaries as one array', () => {
    const array = SharedArray.create('Int32', 10, { chunkLength: 4 });
    assert.equal(array.segments.length, 3);
    for (let i = 0; i < 10; i++) array.set(i, i * 10);
    assert.deepEqual([...array], [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    assert.deepEqual(
      [...array.chunks(3, 9)].map(([chunk, offset]) => [[...chunk], offset]),
      [
        [[30], 3],
        [[40, 50, 60, 70], 4],
        [[80], 8],
      ],
    );
    assert.throws(() => array.get(10), { code: 'ERR_INDEX_OUT_OF_RANGE' });
    assert.throws(() => array.get(-1), { code: 'ERR_INDEX_OUT_OF_RANGE' });
    assert.throws(() => array.set(1.5, 0), { code: 'ERR_INDEX_OUT_OF_RANGE' });
    assert.throws(() => [...array.chunks(5, 11)], { code: 'ERR_INDEX_OUT_OF_RANGE' });
  });

  it('get/set move their segment window both ways and still reject bad indices', () => {
    const array = SharedArray.create('Int32', 10, { chunkLength: 4 });
    // Forward, backward and jumping access: every step may leave the cached segment.
    for (const i of [0, 5, 9, 3, 4, 8, 1, 7, 2, 6]) array.set(i, i + 100);
    for (const i of [9, 0, 4, 3, 8, 7, 2, 5, 1, 6]) assert.equal(array.get(i), i + 100);
    // Bad indices are refused whatever segment the window is on, also right beside it.
    for (const warm of [0, 5, 9]) {
      array.get(warm);
      for (const bad of [-1, 10, 1.5, 4.5, NaN, Infinity, -Infinity, 2 ** 32, -(2 ** 32)]) {
        assert.throws(() => array.get(bad), { code: 'ERR_INDEX_OUT_OF_RANGE' }, `get(${bad})`);
        assert.throws(() => array.set(bad, 0), { code: 'ERR_INDEX_OUT_OF_RANGE' }, `set(${bad})`);
      }
    }
    // A view starting mid-segment: its window never reaches outside the view.
    const view = array.subarray(3, 9);
    assert.deepEqual(
      Array.from({ length: 6 }, (_, i) => view.get(i)),
      [103, 104, 105, 106, 107, 108],
    );
    view.get(0);
    assert.throws(() => view.get(-1), { code: 'ERR_INDEX_OUT_OF_RANGE' });
    view.get(5);
    assert.throws(() => view.get(6), { code: 'ERR_INDEX_OUT_OF_RANGE' });
    const empty = array.subarray(4, 4);
    assert.throws(() => empty.get(0), { code: 'ERR_INDEX_OUT_OF_RANGE' });
    assert.deepEqual([...empty], []);
  });

  it('an array within one segment (its own get) reads like any other and refuses bad indices', () => {
    const whole = SharedArray.from('Float64', [10, 11, 12, 13, 14, 15]);
    const inside = SharedArray.from('Int32', [0, 1, 2, 3, 4, 5, 6, 7], { chunkLength: 4 }).subarray(4, 7);
    const big = SharedArray.from('BigUint64', [1n, 2n, 2n ** 64n - 1n]);
    for (const array of [whole, inside, big] as SharedArray[]) {
      assert.ok(array instanceof SharedArray);
      assert.deepEqual(
        Array.from({ length: array.length }, (_, i) => array.get(i)),
        [...array],
      );
      assert.equal(array.get(-0), array.get(0));
      for (const bad of [-1, array.length, 0.5, array.length - 0.5, NaN, Infinity, -Infinity, 2 ** 32]) {
        assert.throws(() => array.get(bad), { code: 'ERR_INDEX_OUT_OF_RANGE' }, `get(${bad})`);
        assert.throws(() => array.set(bad, 0), { code: 'ERR_INDEX_OUT_OF_RANGE' }, `set(${bad})`);
      }
    }
    assert.deepEqual([...inside], [4, 5, 6]);
    inside.set(2, -6);
    assert.equal(inside.get(2), -6);
    assert.equal(big.get(2), 2n ** 64n - 1n);
    assert.deepEqual(
      Object.keys(structuredClone(inside) as object).sort(),
      Object.keys(inside.toHandle()).sort(),
    );
    // A view over one segment of a many-segment array, and the reverse, keep working.
    assert.equal(SharedArray.fromHandle(inside.toHandle()).get(1), 5);
    assert.throws(() => SharedArray.from('Uint8', []).get(0), { code: 'ERR_INDEX_OUT_OF_RANGE' });
  });

  it('iterates views across segment boundaries, and stays done', () => {
    const array = SharedArray.from('Float64', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { chunkLength: 3 });
    for (let begin = 0; begin <= 11; begin++) {
      for (let end = begin; end <= 11; end++) {
        const expected = Array.from({ length: end - begin }, (_, i) => begin + i);
        assert.deepEqual([...array.subarray(begin, end)], expected, `[${begin}, ${end})`);
      }
    }
    const iterator = array.subarray(2, 4)[Symbol.iterator]();
    assert.deepEqual(
      [iterator.next(), iterator.next()],
      [
        { value: 2, done: false },
        { value: 3, done: false },
      ],
    );
    assert.deepEqual(iterator.next(), { value: 0, done: true }, 'done carries a zero of the kind');
    assert.equal(iterator.next().done, true);
    // Within one segment (its own iterator class), done carries the last element.
    const within = array.subarray(3, 5)[Symbol.iterator]();
    assert.deepEqual(
      [within.next(), within.next(), within.next(), within.next()],
      [
        { value: 3, done: false },
        { value: 4, done: false },
        { value: 4, done: true },
        { value: 4, done: true },
      ],
    );
    // Two iterators over one array (they share its list of parts) keep their own positions.
    const [first, second] = [array[Symbol.iterator](), array[Symbol.iterator]()];
    const pairs: [number, number][] = [];
    for (let i = 0; i < 11; i++) pairs.push([first.next().value as number, second.next().value as number]);
    assert.deepEqual(
      pairs,
      Array.from({ length: 11 }, (_, i) => [i, i]),
    );
    assert.equal(first.next().done && second.next().done, true);
    assert.equal(iterator[Symbol.iterator](), iterator);
    const big = SharedArray.from('BigInt64', [1n, 2n, 3n], { chunkLength: 2 });
    assert.deepEqual([...big], [1n, 2n, 3n]);
  });

  it('fill, copyFrom, slice and subarray views hide the segments', () => {
    const array = SharedArray.create('Float64', 11, { chunkLength: 3 });
    array.fill(1).fill(2, 4, 8);
    assert.deepEqual([...array.slice()], [1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1]);
    array.copyFrom([7, 8, 9, 10], 2);
    array.copyFrom(new Float64Array([5, 6]), 9);
    assert.deepEqual([...array.slice(1, 11)], [1, 7, 8, 9, 10, 2, 2, 1, 5, 6]);
    const view = array.subarray(2, 10);
    assert.equal(view.length, 8);
    view.set(0, -1);
    assert.equal(array.get(2), -1, 'a subarray shares memory');
    assert.deepEqual([...view.subarray(1, 3)], [8, 9]);
    assert.deepEqual(
      [...view.chunks()].map(([, offset]) => offset),
      [0, 1, 4, 7],
    );
    let sum = 0;
    view.forEachChunk((chunk) => chunk.forEach((x) => (sum += x)));
    assert.equal(sum, -1 + 8 + 9 + 10 + 2 + 2 + 1 + 5);
  });

  it('supports every element kind, created from data', () => {
    for (const kind of Object.keys(ELEMENT_KINDS) as ElementKind[]) {
      const big = kind === 'BigInt64' || kind === 'BigUint64';
      const source = big ? [1n, 2n, 3n, 4n, 5n] : [1, 2, 3, 4, 5];
      const array = SharedArray.from(kind, source, { chunkLength: 2 });
      assert.equal(array.kind, kind);
      assert.deepEqual([...array], source, kind);
      assert.ok(array.slice() instanceof ELEMENT_KINDS[kind], kind);
      assert.equal(array.byteLength, 5 * ELEMENT_KINDS[kind].BYTES_PER_ELEMENT);
    }
    assert.throws(() => SharedArray.create('Int128' as ElementKind, 1), { code: 'ERR_INVALID_OPTION' });
    assert.throws(() => SharedArray.create('Int8', -1), { code: 'ERR_INVALID_OPTION' });
  });

  it('fills from a file, async and sync, and refuses a file of partial elements', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'manycore-shared-'));
    try {
      const path = join(dir, 'data.bin');
      writeFileSync(path, new Uint8Array(new Float64Array([1.5, 2.5, 3.5, 4.5, 5.5]).buffer));
      const fromAsync = await SharedArray.fromFile('Float64', path, { chunkLength: 2 });
      assert.deepEqual([...fromAsync], [1.5, 2.5, 3.5, 4.5, 5.5]);
      assert.deepEqual([...SharedArray.fromFileSync('Float64', path)], [1.5, 2.5, 3.5, 4.5, 5.5]);
      writeFileSync(path, new Uint8Array(9));
      await assert.rejects(SharedArray.fromFile('Float64', path), { code: 'ERR_FILE_SIZE_MISMATCH' });
      await assert.rejects(SharedArray.fromFile('Int128' as ElementKind, path), {
        code: 'ERR_INVALID_OPTION',
      });
      assert.throws(() => SharedArray.fromFileSync('Int128' as ElementKind, path), {
        code: 'ERR_INVALID_OPTION',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // libuv frees a settled fs promise's request object on the next turn of the loop; let it
    // happen so the leak check does not count it (not a wait for any concurrent work).
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('structured clone yields the handle, which revives over the same memory', () => {
    const array = SharedArray.create('Uint16', 6, { chunkLength: 4 }).subarray(1, 5);
    const clone = structuredClone(array) as unknown;
    assert.deepEqual(Object.keys(clone as object).sort(), [
      '__manycore',
      'chunkLength',
      'kind',
      'length',
      'segments',
      'start',
    ]);
    const live = reviveShared(clone) as SharedArray<'Uint16'>;
    assert.ok(live instanceof SharedArray);
    live.set(3, 99);
    assert.equal(array.get(3), 99);
    assert.throws(() => new SharedArray({ ...array.toHandle(), length: 99 }), { code: 'ERR_INVALID_OPTION' });
  });

  it('is zero-copy with workers: their writes are seen by the main thread and ours by them', async () => {
    const array = SharedArray.create('Float64', 1000, { chunkLength: 300 });
    assert.equal(await runScenario('fillRange', array, 100, 900), 800);
    assert.equal(array.get(0), 0);
    assert.equal(array.get(100), 100);
    assert.equal(array.get(899), 899);
    const ints = SharedArray.from('Int32', [1, 2, 3, 4], { chunkLength: 3 });
    ints.set(3, 40);
    assert.equal(await runScenario('sumInt32', ints), 46);
  });

  it('segments by default only where one TypedArray cannot hold the array', () => {
    // 2^32 + 1 bytes (lazily committed): one segment where a TypedArray holds any length
    // (Node 22+); on Node 20, where one holds 2^32 elements at most, five of 2^30.
    const array = SharedArray.create('Uint8', 2 ** 32 + 1);
    assert.equal(array.segments.length, constants.MAX_LENGTH > 2 ** 32 ? 1 : 5);
    array.set(2 ** 32, 7);
    array.set(2 ** 31 + 1, 8);
    assert.deepEqual([array.get(2 ** 32), array.get(2 ** 31 + 1), array.get(0)], [7, 8, 0]);
    // An array that one TypedArray holds is one segment everywhere, however long.
    assert.equal(SharedArray.create('Uint8', 2 ** 31 + 1).segments.length, 1);
    assert.equal(SharedArray.create('Float64', 0).segments.length, 0);
    assert.throws(() => SharedArray.create('Uint8', 1, { chunkLength: constants.MAX_LENGTH + 1 }), {
      code: 'ERR_INVALID_OPTION',
    });
  });

  it('reads and writes a multi-segment array whose part is longer than 2^31 elements', () => {
    // The window starts with its length capped at 2^31 − 1, and the part's indices past 2^31
    // are reached through the window move.
    const chunkLength = 2 ** 31 + 8;
    const array = SharedArray.create('Uint8', chunkLength + 8, { chunkLength });
    assert.equal(array.segments.length, 2);
    const indices = [0, 2 ** 31 - 2, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 7, chunkLength, chunkLength + 7];
    indices.forEach((index, k) => array.set(index, k + 1));
    for (const index of [...indices].reverse()) assert.equal(array.get(index), indices.indexOf(index) + 1);
    assert.throws(() => array.get(chunkLength + 8), { code: 'ERR_INDEX_OUT_OF_RANGE' });
  });

  it('a 6 GiB array (past 2^32 elements) written by workers is read whole on the main thread', async (t) => {
    const bytes = 6 * 2 ** 30;
    if (totalmem() < bytes + 4 * 2 ** 30) {
      t.skip(`needs about 10 GiB of RAM; this machine has ${(totalmem() / 2 ** 30).toFixed(1)} GiB`);
      return;
    }
    const array = SharedArray.create('Uint8', bytes);
    const [low, high] = array.ranges({ parts: 2, align: BLOCK_BYTES });
    assert.ok(low && high);
    await Promise.all([
      runScenario('fillBlocks', array, low.start, low.end),
      runScenario('fillBlocks', array, high.start, high.end),
    ]);
    for (const index of [0, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 4096, high.start, bytes - 1]) {
      assert.equal(array.get(index), blockByte(Math.floor(index / BLOCK_BYTES)), `index ${index}`);
    }
    // Sequential get/set and iteration across the segment boundaries around 2^32, on a view
    // that starts past 2^32 elements too.
    const around = array.subarray(2 ** 32 - 3, 2 ** 32 + 3);
    const expected = Array.from({ length: 6 }, (_, i) =>
      blockByte(Math.floor((2 ** 32 - 3 + i) / BLOCK_BYTES)),
    );
    assert.deepEqual([...around], expected);
    assert.deepEqual(
      Array.from({ length: 6 }, (_, i) => around.get(i)),
      expected,
    );
    const past = array.subarray(2 ** 32 + 1);
    past.set(0, 200);
    assert.equal(array.get(2 ** 32 + 1), 200);
    assert.equal(past.get(past.length - 1), array.get(bytes - 1));
    array.set(2 ** 32 + 1, blockByte(Math.floor((2 ** 32 + 1) / BLOCK_BYTES)));
    // Every byte, read on this thread four at a time.
    let mismatches = 0;
    for (const [chunk, offset] of array.chunks()) mismatches += countMismatches(chunk, offset);
    assert.equal(mismatches, 0);
  });
});

function countMismatches(chunk: Uint8Array, offset: number): number {
  const words = new Int32Array(chunk.buffer, chunk.byteOffset, chunk.length / 4);
  const wordsPerBlock = BLOCK_BYTES / 4;
  let bad = 0;
  for (let block = 0; block * wordsPerBlock < words.length; block++) {
    const expected = Math.imul(blockByte(offset / BLOCK_BYTES + block), 0x01010101);
    const end = (block + 1) * wordsPerBlock;
    for (let i = block * wordsPerBlock; i < end; i++) if (words[i] !== expected) bad++;
  }
  return bad;
}

/**
 * How queue items are laid out in the queue's byte ring: a 5-byte record header (payload length
 * as uint32 little-endian, then a kind byte) followed by the payload, wrapping around the end of
 * the ring. Numbers and byte arrays skip `v8.serialize` — the fast paths — and so do strings and
 * flat plain objects, which travel as UTF-8 JSON (see queue-json.ts).
 */
import { Buffer } from 'node:buffer';
import { deserialize, serialize } from 'node:v8';
import { toExactJson } from './queue-json.ts';

/** Record header size in bytes. */
export const RECORD_HEADER_BYTES = 5;

const KIND_STRUCTURED = 0;
const KIND_NUMBER = 1;
const KIND_BYTES = 2;
const KIND_JSON = 3;

/** An item ready to be copied into the ring. */
export interface EncodedItem {
  readonly kind: number;
  /** Payload bytes; for numbers the 8 bytes live in the scratch instead. */
  readonly payload: Uint8Array;
}

/** Per-queue-object scratch space, so the number fast path allocates nothing. */
export class RecordScratch {
  readonly bytes = new Uint8Array(16);
  readonly view = new DataView(this.bytes.buffer);
}

/**
 * Encodes `value`: number → 8 bytes, Uint8Array → itself, a string or flat plain object → UTF-8
 * JSON, anything else → v8.serialize.
 */
export function encodeItem(value: unknown, scratch: RecordScratch): EncodedItem {
  if (typeof value === 'number') {
    scratch.view.setFloat64(8, value, true);
    return { kind: KIND_NUMBER, payload: scratch.bytes.subarray(8, 16) };
  }
  // Exactly Uint8Array (Buffer is a subclass and would come back as a plain Uint8Array).
  if (value instanceof Uint8Array && value.constructor === Uint8Array)
    return { kind: KIND_BYTES, payload: value };
  const json = toExactJson(value);
  if (json !== undefined) return { kind: KIND_JSON, payload: Buffer.from(json, 'utf8') };
  return { kind: KIND_STRUCTURED, payload: serialize(value) };
}

/** Copies `source` into the ring at `position`, wrapping; returns the position after it. */
export function writeRing(ring: Uint8Array, position: number, source: Uint8Array): number {
  const first = Math.min(source.length, ring.length - position);
  ring.set(first === source.length ? source : source.subarray(0, first), position);
  if (first < source.length) ring.set(source.subarray(first), 0);
  return (position + source.length) % ring.length;
}

/** Copies `target.length` bytes out of the ring from `position`, wrapping; returns the position after. */
export function readRing(ring: Uint8Array, position: number, target: Uint8Array): number {
  const first = Math.min(target.length, ring.length - position);
  target.set(ring.subarray(position, position + first));
  if (first < target.length) target.set(ring.subarray(0, target.length - first), first);
  return (position + target.length) % ring.length;
}

/** Writes the record for `item` at `position`; returns the position after it. */
export function writeRecord(
  ring: Uint8Array,
  position: number,
  item: EncodedItem,
  scratch: RecordScratch,
): number {
  scratch.view.setUint32(0, item.payload.length, true);
  scratch.bytes[4] = item.kind;
  const afterHeader = writeRing(ring, position, scratch.bytes.subarray(0, RECORD_HEADER_BYTES));
  return writeRing(ring, afterHeader, item.payload);
}

/** Turns an encoded record's payload back into its value. */
export type Decoder = (payload: Uint8Array) => unknown;

/**
 * Reads the record at `position`; returns the value (for a JSON or v8-serialized item, its still
 * encoded bytes plus the `decode` to apply after releasing the queue's mutex), the position after
 * the record and the record's size.
 */
export function readRecord(
  ring: Uint8Array,
  position: number,
  scratch: RecordScratch,
): { value: unknown; decode: Decoder | undefined; next: number; bytes: number } {
  const afterHeader = readRing(ring, position, scratch.bytes.subarray(0, RECORD_HEADER_BYTES));
  const length = scratch.view.getUint32(0, true);
  const kind = scratch.bytes[4];
  const bytes = RECORD_HEADER_BYTES + length;
  if (kind === KIND_NUMBER) {
    const next = readRing(ring, afterHeader, scratch.bytes.subarray(8, 16));
    return { value: scratch.view.getFloat64(8, true), decode: undefined, next, bytes };
  }
  const payload = new Uint8Array(length);
  const next = readRing(ring, afterHeader, payload);
  const decode = kind === KIND_STRUCTURED ? decodeV8 : kind === KIND_JSON ? decodeJson : undefined;
  return { value: payload, decode, next, bytes };
}

function decodeV8(payload: Uint8Array): unknown {
  return deserialize(payload);
}

function decodeJson(payload: Uint8Array): unknown {
  return JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString('utf8'));
}

/**
 * Carrying SharedArrayBuffers over a child process's IPC channel, which cannot clone them.
 *
 *   sender: send(message) ── DataCloneError? ── encode: each SharedArrayBuffer → descriptor
 *           └─ send({ type: 'manycore:shared-envelope', message: encoded })
 *   receiver: envelope? ── decode: descriptor → the same mapping (by name) or a copy
 *
 * A descriptor names the /dev/shm segment for a process-shared buffer, so both sides work on one
 * set of pages. An ordinary SharedArrayBuffer (heap memory, or no addon) cannot be shared with
 * another process: it travels as a copy, and one warning says how to share it instead.
 * Until this process uses process-shared memory the plain path costs nothing: a message is
 * encoded only after a plain send refused it. From then on every message is first walked once
 * for typed arrays over that memory (which the channel would copy without complaint).
 */
import type { SharedEnvelope } from '../protocol/process-messages.ts';
import { missingAddonWarned } from './native-addon.ts';
import { isProcessShared, nameToSend, openProcessSegment, processMemoryInUse } from './process-buffers.ts';

interface BufferDescriptor {
  readonly kind: 'manycore:shared-buffer';
  readonly byteLength: number;
  /** The /dev/shm segment, when the buffer is process-shared. */
  readonly name: string | undefined;
  /** Otherwise its bytes. */
  readonly copy: ArrayBuffer | undefined;
}

interface ViewDescriptor {
  readonly kind: 'manycore:shared-view';
  readonly type: string;
  readonly buffer: BufferDescriptor;
  readonly byteOffset: number;
  readonly length: number;
}

/** The warning's code when a heap SharedArrayBuffer is copied to a child. */
const COPIED_WARNING = 'MANYCORE_SHARED_MEMORY_COPIED';
let copyWarned = false;

/**
 * Sends `message` with `send` (e.g. `child.send`); if the channel refuses it for holding a
 * SharedArrayBuffer, sends it again as an envelope with each buffer described by name.
 *
 * @throws whatever `send` throws for a value that is not clonable for another reason;
 *   ProcessMemoryError ERR_PROCESS_MEMORY for a buffer released already.
 */
export function sendWithSharedMemory(send: (message: unknown) => void, message: unknown): void {
  // A typed array over a SharedArrayBuffer does not make the channel throw: Node's serializer
  // copies its bytes. Over process-shared memory that would silently unshare it, so once such
  // memory exists here, look for those views first (the only cost on the plain path).
  if (processMemoryInUse() && holdsProcessSharedView(message, new Set())) {
    const encoded = encode(message, new Map(), { found: false });
    send({ type: 'manycore:shared-envelope', message: encoded } satisfies SharedEnvelope);
    return;
  }
  try {
    send(message);
  } catch (error) {
    // V8's serializer throws a plain Error ("#<SharedArrayBuffer> could not be cloned."); rather
    // than match its text, look for buffers and rethrow when there are none.
    const state = { found: false };
    const encoded = encode(message, new Map(), state);
    if (!state.found) throw error;
    send({ type: 'manycore:shared-envelope', message: encoded } satisfies SharedEnvelope);
  }
}

/** The message an envelope carries, with every buffer mapped (or copied) in this process. */
export function openSharedEnvelope(envelope: SharedEnvelope): unknown {
  return decode(envelope.message, new Map());
}

function encode(value: unknown, memo: Map<object, unknown>, state: { found: boolean }): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = memo.get(value);
  if (done !== undefined) return done;
  if (value instanceof SharedArrayBuffer) {
    state.found = true;
    const descriptor = describeBuffer(value);
    memo.set(value, descriptor);
    return descriptor;
  }
  if (ArrayBuffer.isView(value)) {
    if (!(value.buffer instanceof SharedArrayBuffer)) return value;
    const descriptor: ViewDescriptor = {
      kind: 'manycore:shared-view',
      type: value.constructor.name,
      buffer: encode(value.buffer, memo, state) as BufferDescriptor,
      byteOffset: value.byteOffset,
      length: value instanceof DataView ? value.byteLength : (value as unknown as { length: number }).length,
    };
    memo.set(value, descriptor);
    return descriptor;
  }
  if (isOpaque(value)) return value;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    memo.set(value, copy);
    for (const item of value) copy.push(encode(item, memo, state));
    return copy;
  }
  if (value instanceof Map) {
    const copy = new Map<unknown, unknown>();
    memo.set(value, copy);
    for (const [key, entry] of value) copy.set(encode(key, memo, state), encode(entry, memo, state));
    return copy;
  }
  if (value instanceof Set) {
    const copy = new Set<unknown>();
    memo.set(value, copy);
    for (const item of value) copy.add(encode(item, memo, state));
    return copy;
  }
  // Any other object crosses as its own enumerable fields (what the serializer does anyway):
  // live SharedArrays, Locks… become their handles.
  const copy: Record<string, unknown> = {};
  memo.set(value, copy);
  for (const key of Object.keys(value))
    copy[key] = encode((value as Record<string, unknown>)[key], memo, state);
  return copy;
}

function holdsProcessSharedView(value: unknown, seen: Set<object>): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (ArrayBuffer.isView(value)) return isProcessShared(value.buffer);
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer || seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const item of value) if (holdsProcessSharedView(item, seen)) return true;
    return false;
  }
  if (value instanceof Map) {
    for (const [key, entry] of value)
      if (holdsProcessSharedView(key, seen) || holdsProcessSharedView(entry, seen)) return true;
    return false;
  }
  if (value instanceof Set) {
    for (const item of value) if (holdsProcessSharedView(item, seen)) return true;
    return false;
  }
  for (const key of Object.keys(value))
    if (holdsProcessSharedView((value as Record<string, unknown>)[key], seen)) return true;
  return false;
}

function describeBuffer(buffer: SharedArrayBuffer): BufferDescriptor {
  const name = nameToSend(buffer);
  if (name !== undefined)
    return { kind: 'manycore:shared-buffer', byteLength: buffer.byteLength, name, copy: undefined };
  warnCopied();
  const copy = new ArrayBuffer(buffer.byteLength);
  new Uint8Array(copy).set(new Uint8Array(buffer));
  return { kind: 'manycore:shared-buffer', byteLength: buffer.byteLength, name: undefined, copy };
}

function warnCopied(): void {
  // Without the addon, the missing-addon warning already said that memory is copied.
  if (copyWarned || missingAddonWarned()) return;
  copyWarned = true;
  process.emitWarning(
    'A SharedArrayBuffer from ordinary memory was sent to a child process: it is copied, so the ' +
      "child's writes are not seen by this process. To share it, allocate the object with " +
      '`{ memory: processMemoryAllocator }` (or a `new ProcessMemoryAllocator()`).',
    { code: COPIED_WARNING },
  );
}

function decode(value: unknown, memo: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = memo.get(value);
  if (done !== undefined) return done;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || isOpaque(value)) return value;
  const kind = (value as { kind?: unknown }).kind;
  if (kind === 'manycore:shared-buffer') {
    const buffer = openBuffer(value as BufferDescriptor);
    memo.set(value, buffer);
    return buffer;
  }
  if (kind === 'manycore:shared-view') {
    const view = openView(value as ViewDescriptor, memo);
    memo.set(value, view);
    return view;
  }
  // Decoding in place: the message is a fresh copy made by the channel.
  memo.set(value, value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decode(value[i], memo);
  } else if (value instanceof Map) {
    for (const [key, entry] of value) value.set(key, decode(entry, memo));
  } else if (value instanceof Set) {
    const items = [...value];
    value.clear();
    for (const item of items) value.add(decode(item, memo));
  } else {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = decode(record[key], memo);
  }
  return value;
}

function openBuffer(descriptor: BufferDescriptor): SharedArrayBuffer {
  if (descriptor.name !== undefined) return openProcessSegment(descriptor.name, descriptor.byteLength);
  const buffer = new SharedArrayBuffer(descriptor.byteLength);
  if (descriptor.copy !== undefined) new Uint8Array(buffer).set(new Uint8Array(descriptor.copy));
  return buffer;
}

type ViewConstructor = new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => unknown;

function openView(descriptor: ViewDescriptor, memo: Map<object, unknown>): unknown {
  const buffer = decode(descriptor.buffer, memo) as SharedArrayBuffer;
  const View = (globalThis as unknown as Record<string, ViewConstructor | undefined>)[descriptor.type];
  if (View === undefined) return buffer;
  return new View(buffer, descriptor.byteOffset, descriptor.length);
}

/** Objects the serializer handles itself and that cannot hold a SharedArrayBuffer inside. */
function isOpaque(value: object): boolean {
  return (
    value instanceof Date ||
    value instanceof RegExp ||
    value instanceof Error ||
    value instanceof ArrayBuffer ||
    value instanceof Boolean ||
    value instanceof Number ||
    value instanceof String ||
    Object.prototype.toString.call(value) === '[object BigInt]'
  );
}

// A ProcessPool child loads this module only when it needs it (src/worker/shared-envelopes.ts)
// and finds it here, without importing the shared-memory layer up front.
(globalThis as Record<symbol, unknown>)[Symbol.for('manycore.sharedTransport')] = {
  sendWithSharedMemory,
  openSharedEnvelope,
};

/**
 * Turning handles back into live objects after they crossed a thread boundary.
 *
 * Every shared object keeps its state in shared buffers plus plain own fields, one of them the
 * tag `__manycore: '<Class>'`; structured clone (postMessage) therefore delivers a plain object
 * with the same fields. `reviveShared` finds those tagged objects anywhere inside a value and
 * replaces each with the live object over the same memory.
 */
import { Barrier, type BarrierHandle } from '../sync/barrier.ts';
import { AtomicCounter, type AtomicCounterHandle } from '../sync/atomic-counter.ts';
import { Condition, type ConditionHandle } from '../sync/condition.ts';
import { CountdownLatch, type CountdownLatchHandle } from '../sync/countdown-latch.ts';
import { Event, type EventHandle } from '../sync/event.ts';
import { Lock, type LockHandle } from '../sync/lock.ts';
import { Queue, type QueueHandle } from '../sync/queue.ts';
import { RecursiveLock, type RecursiveLockHandle } from '../sync/recursive-lock.ts';
import { Semaphore, type SemaphoreHandle } from '../sync/semaphore.ts';
import { SharedArray, type SharedArrayHandle } from './shared-array.ts';
import { SharedValue, type SharedValueHandle } from './shared-value.ts';

const revivers = {
  SharedArray: (h: SharedArrayHandle) => SharedArray.fromHandle(h),
  SharedValue: (h: SharedValueHandle) => SharedValue.fromHandle(h),
  Lock: (h: LockHandle) => Lock.fromHandle(h),
  RecursiveLock: (h: RecursiveLockHandle) => RecursiveLock.fromHandle(h),
  Semaphore: (h: SemaphoreHandle) => Semaphore.fromHandle(h),
  Barrier: (h: BarrierHandle) => Barrier.fromHandle(h),
  Event: (h: EventHandle) => Event.fromHandle(h),
  Condition: (h: ConditionHandle) => Condition.fromHandle(h),
  CountdownLatch: (h: CountdownLatchHandle) => CountdownLatch.fromHandle(h),
  AtomicCounter: (h: AtomicCounterHandle) => AtomicCounter.fromHandle(h),
  Queue: (h: QueueHandle) => Queue.fromHandle(h),
} as const;

const liveClasses: readonly (abstract new (...args: never[]) => unknown)[] = [
  SharedArray,
  SharedValue,
  Lock,
  RecursiveLock,
  Semaphore,
  Barrier,
  Event,
  Condition,
  CountdownLatch,
  AtomicCounter,
  Queue,
];

/** The tag of every shared object's handle. */
export type SharedTag = keyof typeof revivers;

/** True if `value` is a shared object's handle or the live object itself. */
export function isSharedHandle(value: unknown): value is { readonly __manycore: SharedTag } {
  if (typeof value !== 'object' || value === null) return false;
  const tag = (value as { __manycore?: unknown }).__manycore;
  return typeof tag === 'string' && Object.hasOwn(revivers, tag);
}

/**
 * Returns `value` with every shared-object handle inside it (at any depth of arrays, plain
 * objects, Maps and Sets) replaced by the live object. Containers are updated in place — call
 * it on what postMessage delivered, which is a fresh copy. Live objects and anything without
 * handles pass through unchanged; the same handle reached twice yields the same live object.
 * A worker calls it on every task argument once some task has brought a handle (both pools).
 *
 * @throws {InvalidOptionError} ERR_INVALID_OPTION when a tagged object is malformed.
 * @example
 * ```ts
 * parentPort.on('message', (message) => { const [data, lock] = reviveShared(message.args); … });
 * ```
 */
export function reviveShared<T>(value: T): T {
  return revive(value, new Map()) as T;
}

function revive(value: unknown, done: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer)
    return value;
  const seen = done.get(value);
  if (seen !== undefined) return seen;
  if (liveClasses.some((Live) => value instanceof Live)) return value;
  if (isSharedHandle(value)) {
    // Children first: a Condition's handle holds its Lock's handle.
    done.set(value, value);
    reviveChildren(value, done);
    const live = (revivers[value.__manycore] as (handle: unknown) => unknown)(value);
    done.set(value, live);
    return live;
  }
  done.set(value, value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i], done);
  } else if (value instanceof Map) {
    for (const [key, entry] of value) value.set(key, revive(entry, done));
  } else if (value instanceof Set) {
    const items = [...value];
    value.clear();
    for (const item of items) value.add(revive(item, done));
  } else if (isPlainObject(value)) {
    reviveChildren(value as Record<string, unknown>, done);
  }
  return value;
}

function reviveChildren(record: Record<string, unknown>, done: Map<object, unknown>): void {
  for (const key of Object.keys(record)) {
    const child = record[key];
    if (typeof child === 'object' && child !== null) record[key] = revive(child, done);
  }
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

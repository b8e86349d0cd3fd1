/**
 * Whether a value holds a shared-object handle (an object with a `__manycore` tag) anywhere
 * inside it. The worker loads the shared-memory layer (about 30 modules) only when arguments
 * need it, which keeps a worker's start-up as light as the task module allows. Tasks come
 * flagged (`TaskBatch.shared`, found by the submit-time clone check); this walk is for an
 * initializer's arguments, once per worker.
 */
export function hasSharedHandle(value: unknown): boolean {
  // The common case, a task's argument list of primitives, is decided without allocating.
  if (Array.isArray(value) && !value.some(isObject)) return false;
  const seen = new Set<object>();
  const visit = (item: unknown): boolean => {
    if (typeof item !== 'object' || item === null) return false;
    if (ArrayBuffer.isView(item) || item instanceof ArrayBuffer || item instanceof SharedArrayBuffer)
      return false;
    if (seen.has(item)) return false;
    seen.add(item);
    if (typeof (item as { __manycore?: unknown }).__manycore === 'string') return true;
    if (Array.isArray(item)) return item.some(visit);
    if (item instanceof Map) {
      for (const [key, entry] of item) if (visit(key) || visit(entry)) return true;
      return false;
    }
    if (item instanceof Set) {
      for (const entry of item) if (visit(entry)) return true;
      return false;
    }
    return Object.values(item).some(visit);
  };
  return visit(value);
}

function isObject(item: unknown): boolean {
  return typeof item === 'object' && item !== null;
}

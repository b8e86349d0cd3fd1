/**
 * Finds the first value inside `root` that the structured clone algorithm rejects (a function,
 * a symbol, a WeakMap…), so an error can name its path (`args[1].onDone`) instead of the
 * platform's anonymous DataCloneError. Returns undefined when everything can be cloned.
 *
 * Cheap on the hot path: primitives return at once, typed arrays and buffers are not walked.
 * When `marks` is given, the same walk sets `marks.sharedHandle` if it meets a shared object or
 * its handle (an object with a `__manycore` tag), so the worker need not look for one again.
 */
export function findUncloneable(
  root: unknown,
  rootPath: string,
  marks?: { sharedHandle: boolean },
): { path: string; value: unknown } | undefined {
  const seen = new Set<object>();
  const walk = (value: unknown, path: string): { path: string; value: unknown } | undefined => {
    const type = typeof value;
    if (type === 'function' || type === 'symbol') return { path, value };
    if (type !== 'object' || value === null) return undefined;
    const object = value as object;
    if (seen.has(object)) return undefined;
    seen.add(object);
    if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer || object instanceof SharedArrayBuffer) {
      return undefined;
    }
    if (
      object instanceof WeakMap ||
      object instanceof WeakSet ||
      object instanceof WeakRef ||
      object instanceof Promise
    ) {
      return { path, value };
    }
    if (object instanceof Map) {
      let index = 0;
      for (const [key, item] of object) {
        const found = walk(key, `${path}.<key ${index}>`) ?? walk(item, `${path}.get(${describeKey(key)})`);
        if (found) return found;
        index += 1;
      }
      return undefined;
    }
    if (object instanceof Set) {
      let index = 0;
      for (const item of object) {
        const found = walk(item, `${path}.<item ${index}>`);
        if (found) return found;
        index += 1;
      }
      return undefined;
    }
    if (Array.isArray(object)) {
      for (let index = 0; index < object.length; index += 1) {
        const found = walk(object[index] as unknown, `${path}[${index}]`);
        if (found) return found;
      }
      return undefined;
    }
    if (marks !== undefined && typeof (object as { __manycore?: unknown }).__manycore === 'string') {
      marks.sharedHandle = true;
    }
    for (const key of Object.keys(object)) {
      const found = walk((object as Record<string, unknown>)[key], `${path}.${key}`);
      if (found) return found;
    }
    return undefined;
  };
  return walk(root, rootPath);
}

function describeKey(key: unknown): string {
  return typeof key === 'string' ? JSON.stringify(key) : String(key);
}

/**
 * The queue's JSON fast path for structured values. `v8.serialize`/`deserialize` cost about 5 µs
 * per small object on this machine (a fresh Serializer, a JS-driven walk); `JSON.stringify` and
 * `JSON.parse` run in C++ and cost about a quarter of that. JSON is only used where it gives back
 * exactly what structured clone would: strings, booleans, null, and flat plain objects of those
 * plus finite numbers. Everything else (nested objects, arrays with possible holes, -0, NaN,
 * ±Infinity, undefined, bigint, Map, Date, class instances…) keeps going through v8.serialize.
 */

/**
 * Returns `value` as JSON when JSON round-trips it exactly as structured clone would, else
 * `undefined` (the caller then uses v8.serialize).
 *
 * Exactness: a plain object (prototype Object.prototype or null) comes back from JSON.parse with
 * the same own enumerable string keys in the same order, as data properties of an ordinary
 * object — what structured clone makes too. Lone surrogates survive because JSON.stringify
 * escapes them. One difference in side effects remains: an accessor property's getter runs
 * twice (once for this check, once by JSON.stringify) where structured clone runs it once.
 */
export function toExactJson(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  if (typeof value !== 'object') return undefined;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return undefined;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    // An inherited enumerable key (a polluted Object.prototype) is left out by JSON.stringify
    // and by structured clone alike, but would make this loop judge the wrong values.
    if (!Object.hasOwn(record, key)) return undefined;
    const field = record[key];
    if (typeof field === 'string' || typeof field === 'boolean' || field === null) continue;
    if (typeof field === 'number' && Number.isFinite(field) && !Object.is(field, -0)) continue;
    return undefined;
  }
  return JSON.stringify(value);
}

/** The TypedArray kinds a SharedArray can hold, and the types that go with each. */
import { InvalidOptionError } from '../errors.ts';

/** Constructor for each element kind. */
export const ELEMENT_KINDS = {
  Int8: Int8Array,
  Uint8: Uint8Array,
  Uint8Clamped: Uint8ClampedArray,
  Int16: Int16Array,
  Uint16: Uint16Array,
  Int32: Int32Array,
  Uint32: Uint32Array,
  Float32: Float32Array,
  Float64: Float64Array,
  BigInt64: BigInt64Array,
  BigUint64: BigUint64Array,
} as const;

/** Name of an element kind: `'Float64'` for Float64Array, and so on. */
export type ElementKind = keyof typeof ELEMENT_KINDS;

/** The plain TypedArray type of a kind (what chunks() yields). */
export type ArrayOf<K extends ElementKind> = InstanceType<(typeof ELEMENT_KINDS)[K]>;

/** The element type of a kind: `bigint` for the BigInt kinds, `number` otherwise. */
export type ElementOf<K extends ElementKind> = K extends 'BigInt64' | 'BigUint64' ? bigint : number;

/** True if `kind` names an element kind. */
export function isElementKind(kind: unknown): kind is ElementKind {
  return typeof kind === 'string' && Object.hasOwn(ELEMENT_KINDS, kind);
}

/**
 * Returns `kind` when it names an element kind.
 *
 * @throws {InvalidOptionError} ERR_INVALID_OPTION listing the kinds otherwise.
 */
export function checkElementKind<K extends ElementKind>(kind: K): K {
  if (!isElementKind(kind))
    throw new InvalidOptionError('kind', `one of ${Object.keys(ELEMENT_KINDS).join(', ')}`, kind);
  return kind;
}

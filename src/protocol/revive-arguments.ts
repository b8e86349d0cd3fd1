/**
 * Turns plain-data handles of shared objects inside task arguments back into live objects on
 * the receiving side. The shared-memory layer registers the reviver when it loads; until then
 * values pass as they are.
 */
export type ValueReviver = (value: unknown) => unknown;

let reviver: ValueReviver | undefined;

/** Installs the reviver (called once by the shared-memory layer when it loads). */
export function setValueReviver(next: ValueReviver): void {
  reviver = next;
}

export function reviveValue(value: unknown): unknown {
  return reviver === undefined ? value : reviver(value);
}

import { RemoteError } from '../errors.ts';
import type { SerializedError } from './messages.ts';

/** How deep a cause chain is followed; deeper links are cut so a cyclic chain can't loop. */
const MAX_CAUSE_DEPTH = 8;

/**
 * Turns anything a task threw into plain data that survives structured clone, keeping the
 * class name, message, remote stack, own properties (`code`…) and the `cause` chain.
 */
export function serializeError(thrown: unknown, depth = 0): SerializedError {
  if (!(thrown instanceof Error)) {
    return {
      name: 'NonErrorThrown',
      message: `a non-Error value was thrown: ${safeString(thrown)}`,
      stack: undefined,
      props: { value: cloneableOrString(thrown) },
    };
  }
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(thrown)) {
    if (key === 'cause') continue;
    props[key] = cloneableOrString((thrown as unknown as Record<string, unknown>)[key]);
  }
  const serialized: SerializedError = {
    name:
      thrown.constructor?.name && thrown.constructor.name !== 'Error' ? thrown.constructor.name : thrown.name,
    message: thrown.message,
    stack: thrown.stack,
    props,
  };
  if (!('cause' in thrown) || depth >= MAX_CAUSE_DEPTH) return serialized;
  const cause =
    thrown.cause instanceof Error
      ? serializeError(thrown.cause, depth + 1)
      : { value: cloneableOrString(thrown.cause) };
  return { ...serialized, cause };
}

/** Rebuilds a `RemoteError` (same name, message, stack, props and cause chain) from the wire. */
export function deserializeError(serialized: SerializedError): RemoteError {
  const error = new RemoteError(serialized.message);
  Object.defineProperty(error, 'name', { value: serialized.name, enumerable: false, configurable: true });
  if (serialized.stack !== undefined) {
    Object.defineProperty(error, 'stack', { value: serialized.stack, enumerable: false, configurable: true });
  }
  for (const [key, value] of Object.entries(serialized.props)) {
    if (key !== 'remote' && key !== 'name' && key !== 'message' && key !== 'stack') error[key] = value;
  }
  if (serialized.cause !== undefined) {
    const cause = 'name' in serialized.cause ? deserializeError(serialized.cause) : serialized.cause.value;
    Object.defineProperty(error, 'cause', {
      value: cause,
      enumerable: false,
      configurable: true,
      writable: true,
    });
  }
  return error;
}

function cloneableOrString(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return safeString(value);
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

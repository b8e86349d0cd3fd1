/**
 * The child's side of process-transport.ts, loaded only when needed: a child whose tasks never
 * see shared memory never loads the shared-memory layer (start-up stays at the runtime's own
 * modules).
 *
 * Receiving: an envelope (a message whose SharedArrayBuffers travelled by name) is opened after
 * process-transport.ts has loaded, asynchronously; messages that arrive meanwhile wait behind it,
 * so the runtime still sees them in order.
 * Sending: a message the channel refuses is sent as an envelope if the transport is loaded —
 * which it is whenever this process made or received process-shared memory.
 */
import type { MainToWorker } from '../protocol/messages.ts';
import { isSharedEnvelope, type SharedEnvelope } from '../protocol/process-messages.ts';

interface Transport {
  sendWithSharedMemory(send: (message: unknown) => void, message: unknown): void;
  openSharedEnvelope(envelope: SharedEnvelope): unknown;
}

/** Where process-transport.ts publishes itself when it loads (see there). */
const TRANSPORT = Symbol.for('manycore.sharedTransport');

function loadedTransport(): Transport | undefined {
  return (globalThis as Record<symbol, Transport | undefined>)[TRANSPORT];
}

/** Sends `message`; if the channel refuses it and the transport is loaded, as an envelope. */
export function sendMaybeShared(send: (message: unknown) => void, message: unknown): void {
  const transport = loadedTransport();
  if (transport === undefined) send(message);
  else transport.sendWithSharedMemory(send, message);
}

/** Wraps a message handler so envelopes reach it opened, and every message in arrival order. */
export function receiveMaybeShared(handler: (message: MainToWorker) => void): (message: unknown) => void {
  let waiting: unknown[] | undefined;
  const deliver = (message: unknown): void => {
    if (waiting !== undefined) {
      waiting.push(message);
      return;
    }
    if (!isSharedEnvelope(message)) return handler(message as MainToWorker);
    const transport = loadedTransport();
    if (transport !== undefined) return handler(transport.openSharedEnvelope(message) as MainToWorker);
    waiting = [message];
    void import('../shared/process-transport.ts').then(() => {
      const queued = waiting ?? [];
      waiting = undefined;
      for (const next of queued) deliver(next);
    });
  };
  return deliver;
}

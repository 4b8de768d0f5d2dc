// An answer to a refused body that the client can always read. When Fastify refuses a request's
// body (larger than bodyLimit, or unparsable), it answers at once with `Connection: close`, often
// while the client is still sending that body, and Node closes the socket right after the answer.
// A TCP socket closed with unread data sends a reset, which can reach the client before it has
// read the answer: it sees EPIPE or ECONNRESET ("fetch failed") instead of 413. So such an answer
// waits until the rest of the body has come in and been dropped, up to a bound, and the close that
// follows is an orderly one after the answer (RFC 9112, section 9.6).

import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface RefusedBodyLimits {
  /** Bytes of a refused body read and dropped at most; past them the answer goes at once. */
  maxBytes?: number;
  /** How long the answer waits for the rest of a refused body at most, in milliseconds. */
  timeoutMs?: number;
}

/**
 * An `onSend` hook that holds an answer closing the connection on a body still arriving until
 * the rest of that body has come (read and dropped, never kept), so the client reads the answer.
 *
 * @example
 * const app = Fastify({ bodyLimit: 1024 * 1024 });
 * app.addHook('onSend', drainRefusedBody());
 * // a 2 MiB POST now always gets its 413 answer, never a reset
 */
/** Requests already drained (or being drained) by one of the hooks. */
const drained = new WeakSet<IncomingMessage>();

export function drainRefusedBody({
  maxBytes = 16 * 1024 * 1024,
  timeoutMs = 10_000,
}: RefusedBodyLimits = {}) {
  return async function onSend<Payload>(
    request: FastifyRequest,
    reply: FastifyReply,
    payload: Payload,
  ): Promise<Payload> {
    const raw = request.raw;
    // Nothing is left on the wire once the body is complete (or the stream ended, as with inject).
    if (raw.complete || raw.readableEnded || raw.destroyed) return payload;
    // Installed by a host and by the collab plugin inside it, the hook drains a request once.
    if (drained.has(raw)) return payload;
    drained.add(raw);
    if (reply.getHeader('connection') !== 'close') return payload;
    // A client announcing more than the bound would keep the answer back for nothing.
    const announced = Number(raw.headers['content-length']);
    if (announced > maxBytes) return payload;
    await drain(raw, maxBytes, timeoutMs);
    return payload;
  };
}

/** Reads and drops the rest of a request body; resolves at its end, past `maxBytes`, or after `timeoutMs`. */
function drain(raw: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    let left = maxBytes;
    const onData = (chunk: Buffer): void => {
      left -= chunk.length;
      if (left < 0) done();
    };
    const done = (): void => {
      clearTimeout(timer);
      raw.off('data', onData).off('end', done).off('error', done).off('close', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    raw.on('data', onData).on('end', done).on('error', done).on('close', done);
    raw.resume();
  });
}

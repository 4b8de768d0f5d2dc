// Every error leaves the server as `{ code, message, details }` with a code from the catalogue:
// schema failures, unknown routes, oversized bodies and rate limits included. Only a bug is a 500.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { VestnikError, isCodedError, type ErrorBody } from '@vestnik/protocol';

interface AjvLikeError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function problemsOf(error: FastifyError): Array<{ path: string; message: string }> {
  const part = error.validationContext ?? 'body';
  return ((error.validation ?? []) as AjvLikeError[]).map((v) => {
    const extra = v.params?.additionalProperty ?? v.params?.missingProperty;
    const base = (v.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    const path = [base, typeof extra === 'string' ? extra : ''].filter(Boolean).join('.');
    const what = v.params?.additionalProperty ? 'is not a known field' : (v.message ?? 'is wrong');
    return { path: path || part, message: `${part}${path ? `.${path}` : ''} ${what}` };
  });
}

/** Errors of a database that is down or busy (Node, PostgreSQL and SQLite codes): worth a retry. */
const unavailable = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P03',
  '53300',
  'SQLITE_BUSY',
]);

/** Maps any thrown error to the catalogue. */
export function toVestnikError(error: unknown): VestnikError<string> {
  if (isCodedError(error)) return error;
  const e = error as FastifyError;
  if (e.validation) {
    const problems = problemsOf(e);
    return new VestnikError(
      'INVALID_ARGUMENT',
      `The request is not valid: ${problems.map((p) => p.message).join('; ')}.`,
      {
        problems,
      },
    );
  }
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new VestnikError('PAYLOAD_TOO_LARGE');
  if (typeof e.code === 'string' && unavailable.has(e.code)) {
    return new VestnikError('UNAVAILABLE', 'The database does not answer; try again in a moment.');
  }
  if (typeof e.statusCode === 'number' && e.statusCode === 429) return new VestnikError('RATE_LIMITED');
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    // Malformed JSON, a wrong content type, an empty body: the client's mistake, said plainly.
    return new VestnikError('INVALID_ARGUMENT', e.message, { reason: e.code });
  }
  return new VestnikError('INTERNAL');
}

/**
 * Fastify's `frameworkErrors` option: the router's own refusals (a malformed URL, a path parameter
 * over its length limit) come here before any route or error handler runs.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const mapped = toVestnikError(error);
  void reply.status(mapped.status).send(mapped.toBody());
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const mapped = toVestnikError(error);
    if (mapped.code === 'INTERNAL') request.log.error({ err: error }, 'request failed');
    const body: ErrorBody<string> = mapped.toBody();
    return reply.status(mapped.status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      code: 'NOT_FOUND',
      message: `No route ${request.method} ${request.url.split('?')[0]}.`,
    };
    return reply.status(404).send(body);
  });
}

// Answers every failure of the server API as `{ code, message, details }` with the catalogue's
// HTTP status: coded errors as they are, Fastify's own (bad JSON, body too large) mapped to codes.

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorCatalogue, isVestnikError, VestnikError } from '@vestnik/protocol';

export function toVestnikError(error: FastifyError | Error): VestnikError {
  if (isVestnikError(error)) return error;
  const { code, statusCode } = error as FastifyError;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new VestnikError('PAYLOAD_TOO_LARGE', 'The request body is larger than the configured limit.');
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new VestnikError('INVALID_ARGUMENT', 'The body must be JSON (content-type: application/json).');
  }
  if (code === 'FST_ERR_VALIDATION') {
    return new VestnikError('INVALID_ARGUMENT', error.message);
  }
  if (statusCode === 404) return new VestnikError('NOT_FOUND');
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
    // Malformed JSON, an empty JSON body, and the like: the caller's input is wrong.
    return new VestnikError('INVALID_ARGUMENT', error.message);
  }
  return new VestnikError('INTERNAL');
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const coded = toVestnikError(error);
  if (coded.code === 'INTERNAL') request.log.error({ err: error }, 'collab server API failed');
  void reply.status(errorCatalogue[coded.code].status).send(coded.toBody());
}

/** Fastify's `frameworkErrors` option: the router's own refusals, before any hook or handler runs. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const coded = toVestnikError(error);
  void reply.status(errorCatalogue[coded.code].status).send(coded.toBody());
}

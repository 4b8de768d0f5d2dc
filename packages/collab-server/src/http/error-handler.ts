// The one HTTP error path of Vestnik's servers (the collaboration server API, the store, any host
// application): every failure leaves as `{ code, message, details }` with the status its catalogue
// gives the code. Coded errors of any catalogue pass as they are; Fastify's own (unknown routes,
// schema failures, bodies too large or not JSON, rate limits) and the storage's are mapped to
// protocol codes here, the same way for every server. Only a bug is a 500.

import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchemaValidationError,
} from 'fastify';
import { isCodedError, VestnikError, type ErrorCode } from '@vestnik/protocol';
import { storageErrorKind } from '@vestnik/storage';

/** One field a request got wrong, in `details.problems` of an INVALID_ARGUMENT answer. */
export interface ValidationProblem {
  /** The field inside the request part, dotted: `items.0.quantity`; the part itself (`body`) when it is the whole part. */
  path: string;
  /** A sentence naming the field: `body.items.0.quantity: must be >= 1`. */
  message: string;
}

/** At most this many problems are reported for one request. */
const maxProblems = 10;

/** Statuses of Fastify's and its plugins' errors that have a code of their own. */
const codeOfStatus: Partial<Record<number, ErrorCode>> = {
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/** `/items/0/quantity` (a JSON pointer, as validators give paths) as `['items', '0', 'quantity']`. */
function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/**
 * The problems of a schema failure in one shape, whichever validator found them (Fastify's Ajv or
 * the server API's TypeBox compiler, which reports in Ajv's terms): one per field, first found first.
 */
export function validationProblems(
  issues: readonly FastifySchemaValidationError[],
  part = 'body',
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const field = issue.params?.missingProperty ?? issue.params?.additionalProperty;
    const segments = [...pointerSegments(issue.instancePath), ...(typeof field === 'string' ? [field] : [])];
    const path = segments.join('.') || part;
    if (seen.has(path)) continue; // one field, one problem: the first is the one to fix
    seen.add(path);
    const what =
      issue.keyword === 'required'
        ? 'is required'
        : issue.keyword === 'additionalProperties'
          ? 'is not a known field'
          : (issue.message ?? 'has a wrong value');
    problems.push({ path, message: `${[part, ...segments].join('.')}: ${what}` });
    if (problems.length === maxProblems) break;
  }
  return problems;
}

/**
 * Maps anything thrown while serving a request to a coded error: coded errors of any catalogue as
 * they are, everything else to a protocol code (INTERNAL for what nobody expected).
 *
 * @example
 * const coded = toVestnikError(error);
 * reply.status(coded.status).send(coded.toBody());
 */
export function toVestnikError(error: unknown): VestnikError<string> {
  if (isCodedError(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as Partial<FastifyError>;
  if (Array.isArray(e.validation)) {
    const problems = validationProblems(e.validation, e.validationContext ?? 'body');
    return new VestnikError(
      'INVALID_ARGUMENT',
      `The request is not valid: ${problems.map((p) => p.message).join('; ')}.`,
      { problems },
    );
  }
  // What a storage error means, as its adapter marked it where the driver threw it (this module
  // knows no driver): an outage answers UNAVAILABLE, a unique violation nobody caught DUPLICATE_KEY.
  const kind = storageErrorKind(error);
  if (kind === 'unavailable') {
    return new VestnikError('UNAVAILABLE', 'The database does not answer; try again in a moment.');
  }
  if (kind === 'unique-violation') return new VestnikError('DUPLICATE_KEY');
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new VestnikError('PAYLOAD_TOO_LARGE', 'The request body is larger than the configured limit.');
  }
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new VestnikError('INVALID_ARGUMENT', 'The body must be JSON (content-type: application/json).');
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const code = status === undefined ? undefined : codeOfStatus[status];
  if (code !== undefined) return new VestnikError(code);
  if (status !== undefined && status >= 400 && status < 500) {
    // Malformed JSON, an empty JSON body, a malformed URL: the caller's input, said as Fastify says it.
    return new VestnikError('INVALID_ARGUMENT', typeof e.message === 'string' ? e.message : undefined);
  }
  return new VestnikError('INTERNAL');
}

/**
 * Fastify's `frameworkErrors` option: the router's own refusals (a malformed URL, a path parameter
 * over its length limit) come here before any hook, route or error handler runs.
 *
 * @example
 * const app = Fastify({ frameworkErrors });
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const coded = toVestnikError(error);
  void reply.status(coded.status).send(coded.toBody());
}

/**
 * Answers every error and every unknown route of `app` (and of the plugins it registers after,
 * unless they install their own) as `{ code, message, details }`. Logs a bug as an error and a
 * storage outage as a warning.
 *
 * @example
 * const app = Fastify({ frameworkErrors });
 * installErrorHandling(app);
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const coded = toVestnikError(error);
    if (coded.code === 'INTERNAL') request.log.error({ err: error }, 'request failed');
    else if (coded.code === 'UNAVAILABLE') request.log.warn({ err: error }, 'service unavailable');
    return reply.status(coded.status).send(coded.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const coded = new VestnikError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`);
    return reply.status(coded.status).send(coded.toBody());
  });
}

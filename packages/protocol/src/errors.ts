// The one catalogue of error codes: every error a user or a client can meet, with the message a
// person reads and the HTTP status it maps to. Server, client and docs all take their codes from here.

export const errorCatalogue = {
  NOT_REGISTERED: {
    status: 409,
    message: 'The application is not registered with the collaboration system.',
  },
  ALREADY_REGISTERED: {
    status: 409,
    message: 'The application is already registered with the collaboration system.',
  },
  NOT_PARTICIPANT: {
    status: 403,
    message: 'The user does not take part in this conversation.',
  },
  CONVERSATION_NOT_FOUND: { status: 404, message: 'No such conversation.' },
  USER_NOT_FOUND: { status: 404, message: 'No such user.' },
  USER_BLOCKED: { status: 403, message: 'The user is blocked.' },
  DUPLICATE_KEY: { status: 409, message: 'Something with this key already exists.' },
  INVALID_ARGUMENT: { status: 400, message: 'An argument is missing or has a wrong value.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The payload is larger than the configured limit.' },
  UNAUTHENTICATED: { status: 401, message: 'Authentication is missing, invalid or expired.' },
  FORBIDDEN: { status: 403, message: 'You may not do this.' },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; try again later.' },
  LIMIT_EXCEEDED: { status: 429, message: 'A configured limit was reached.' },
  UNAVAILABLE: { status: 503, message: 'The service is temporarily unavailable; try again.' },
  INTERNAL: { status: 500, message: 'An internal error occurred.' },
  VALIDATION_FAILED: { status: 422, message: 'The data breaks a business rule; see the details.' },
  CSRF_REJECTED: {
    status: 403,
    message: 'The request lacks the session CSRF token (x-csrf-token); reload the session and retry.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export const errorCodes = Object.keys(errorCatalogue) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalogue, value);
}

/** The shape every error takes on the wire, in HTTP bodies and WebSocket frames alike. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/**
 * An error with a code from the catalogue. Throw it wherever a caller must be able to branch on
 * what went wrong.
 *
 * @example
 * throw new VestnikError('NOT_PARTICIPANT', 'User u1 does not take part in conversation c1.');
 */
export class VestnikError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? errorCatalogue[code].message);
    this.name = 'VestnikError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }

  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isVestnikError(error: unknown, code?: ErrorCode): error is VestnikError {
  return error instanceof VestnikError && (code === undefined || error.code === code);
}

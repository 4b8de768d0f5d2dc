// The collaboration system's catalogue of error codes: every error a user or a client can meet,
// with the message a person reads and the HTTP status it maps to. Server, client and docs take
// their codes from here. An application adds codes of its own with `defineErrorCatalogue`, never
// by editing this list.

/** One code of a catalogue: the HTTP status it maps to and the message a person reads. */
export interface ErrorDefinition {
  readonly status: number;
  readonly message: string;
}

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
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof errorCatalogue;

export const errorCodes = Object.keys(errorCatalogue) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalogue, value);
}

/** The shape every error takes on the wire, in HTTP bodies and WebSocket frames alike. */
export interface ErrorBody<Code extends string = ErrorCode> {
  code: Code;
  message: string;
  details?: unknown;
}

// Only defineErrorCatalogue makes a DeclaredCode (the brand exists in types alone), so an
// application error's code is always one that a catalogue declared with its status and message.
declare const declared: unique symbol;

/** A code of an application's catalogue, as `defineErrorCatalogue` hands it to VestnikError. */
export interface DeclaredCode<Code extends string> extends ErrorDefinition {
  readonly code: Code;
  readonly [declared]: true;
}

/**
 * An error with a code from a catalogue: the protocol's (below) or an application's (see
 * `defineErrorCatalogue`). Throw it wherever a caller must be able to branch on what went wrong;
 * an HTTP answer takes its `status`.
 *
 * @example
 * throw new VestnikError('NOT_PARTICIPANT', 'User u1 does not take part in conversation c1.');
 */
export class VestnikError<Code extends string = ErrorCode> extends Error {
  readonly code: Code;
  readonly status: number;
  readonly details: unknown;

  /** An error of the protocol's catalogue. */
  constructor(code: ErrorCode, message?: string, details?: unknown);
  /** An error of an application's catalogue; its `error()` calls this. */
  constructor(code: DeclaredCode<Code>, message?: string, details?: unknown);
  constructor(code: ErrorCode | DeclaredCode<Code>, message?: string, details?: unknown) {
    // Type-checked callers cannot get here with a wrong code; plain JavaScript ones can.
    if (typeof code === 'string' && !isErrorCode(code)) throw new TypeError(`No error code ${String(code)}.`);
    const definition = typeof code === 'string' ? { code, ...errorCatalogue[code] } : code;
    super(message ?? definition.message);
    this.name = 'VestnikError';
    // The first overload makes Code the protocol's ErrorCode (its default), the second the
    // declared code: either way `definition.code` is a Code, which TypeScript cannot see here.
    this.code = definition.code as Code;
    this.status = definition.status;
    this.details = details;
  }

  toBody(): ErrorBody<Code> {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Whether `error` is an error of the protocol's catalogue (with `code`, if given). */
export function isVestnikError(error: unknown, code?: ErrorCode): error is VestnikError {
  return (
    error instanceof VestnikError && isErrorCode(error.code) && (code === undefined || error.code === code)
  );
}

/** Whether `error` is an error of any catalogue: the protocol's or an application's. */
export function isCodedError(error: unknown): error is VestnikError<string> {
  return error instanceof VestnikError;
}

/** An application's codes, with the means to throw and to recognise their errors. */
export interface ApplicationCatalogue<Code extends string> {
  /** Each code with its status and message (for docs, tests and OpenAPI). */
  readonly definitions: { readonly [C in Code]: ErrorDefinition };
  readonly codes: readonly Code[];
  /** Whether a value (an answer's `code`, say) is one of these codes. */
  has(value: unknown): value is Code;
  /** A new error with one of these codes; the message defaults to the catalogue's. */
  error(code: Code, message?: string, details?: unknown): VestnikError<Code>;
  /** Whether `error` is an error of this catalogue (with `code`, if given). */
  is<C extends Code = Code>(error: unknown, code?: C): error is VestnikError<C>;
}

/**
 * Declares an application's own error codes beside the protocol's, which it may not redefine.
 * Every HTTP answer of `@vestnik/collab-server`'s error handling gives such an error its status.
 *
 * @example
 * export const storeErrors = defineErrorCatalogue({
 *   CSRF_REJECTED: { status: 403, message: 'The request lacks the session CSRF token.' },
 * });
 * throw storeErrors.error('CSRF_REJECTED');
 * if (storeErrors.is(error, 'CSRF_REJECTED')) reloadSession();
 */
export function defineErrorCatalogue<const Definitions extends Record<string, ErrorDefinition>>(
  definitions: Definitions & { readonly [C in keyof Definitions]: C extends ErrorCode ? never : unknown },
): ApplicationCatalogue<keyof Definitions & string> {
  type Code = keyof Definitions & string;
  const codes = Object.keys(definitions) as Code[];
  for (const code of codes) {
    if (isErrorCode(code)) throw new Error(`${code} is a code of the protocol's catalogue already.`);
    const { status } = definitions[code];
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new Error(`${code}: an error's HTTP status is from 400 to 599, not ${status}.`);
    }
  }
  const has = (value: unknown): value is Code =>
    typeof value === 'string' && Object.hasOwn(definitions, value);
  return {
    definitions,
    codes,
    has,
    error: (code, message, details) => {
      if (!has(code)) throw new TypeError(`No error code ${String(code)}.`);
      const { status, message: fallback } = definitions[code];
      // The one place a DeclaredCode is made: from a code this catalogue declares.
      const declaredCode = { code, status, message: fallback } as DeclaredCode<Code>;
      return new VestnikError(declaredCode, message, details);
    },
    is: <C extends Code>(error: unknown, code?: C): error is VestnikError<C> =>
      error instanceof VestnikError && has(error.code) && (code === undefined || error.code === code),
  };
}

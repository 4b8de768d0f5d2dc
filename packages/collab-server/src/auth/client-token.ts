// Short-lived signed tokens that an application issues for its logged-in user, and that the
// WebSocket gateway checks (HMAC-SHA256; `v1.<payload>.<signature>`, both base64url).

import { createHmac, timingSafeEqual } from 'node:crypto';
import { VestnikError } from '@vestnik/protocol';

export interface ClientTokenClaims {
  /** The collaboration user id. */
  sub: string;
  /** The application the token is for; a token of another application is refused. */
  app: string;
  /** Issued at, epoch seconds. */
  iat: number;
  /** Expires at, epoch seconds. */
  exp: number;
  /** Token id, so that one token can be told from another (and revoked). */
  jti: string;
  /**
   * The application's session the token was issued in (an opaque handle, not a secret); when the
   * gateway has `isSessionActive`, the token stops working once that session ends (logout).
   */
  sid?: string;
}

export interface IssueTokenInput {
  userId: string;
  application: string;
  /** Lifetime in seconds; 300 by default. */
  ttlSeconds?: number;
  /** The application's session handle, for revocation at logout (see `ClientTokenClaims.sid`). */
  session?: string;
  now?: number;
}

const VERSION = 'v1';

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`${VERSION}.${payload}`).digest('base64url');
}

/**
 * Issues a token for a user of the application.
 *
 * @example
 * const token = issueClientToken(secret, { userId: collabUserId, application: 'store' });
 */
export function issueClientToken(
  secret: string,
  input: IssueTokenInput,
): { token: string; expiresAt: number } {
  if (secret.length < 32)
    throw new VestnikError('INVALID_ARGUMENT', 'The token secret must be at least 32 characters.');
  const now = Math.floor((input.now ?? Date.now()) / 1000);
  const ttl = input.ttlSeconds ?? 300;
  const claims: ClientTokenClaims = {
    sub: input.userId,
    app: input.application,
    iat: now,
    exp: now + ttl,
    jti: `${now.toString(36)}${Math.random().toString(36).slice(2, 10)}`,
    ...(input.session === undefined ? {} : { sid: input.session }),
  };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return { token: `${VERSION}.${payload}.${sign(secret, payload)}`, expiresAt: claims.exp * 1000 };
}

/** Checks a token's signature, application and expiry; throws UNAUTHENTICATED saying which failed. */
export function verifyClientToken(
  secret: string,
  token: unknown,
  expected: { application: string; now?: number },
): ClientTokenClaims {
  if (typeof token !== 'string' || token.length > 4096) throw unauthenticated('The token is missing.');
  const [version, payload, signature] = token.split('.');
  if (version !== VERSION || payload === undefined || signature === undefined) {
    throw unauthenticated('The token is malformed.');
  }
  const expectedSignature = Buffer.from(sign(secret, payload));
  const given = Buffer.from(signature);
  if (given.length !== expectedSignature.length || !timingSafeEqual(given, expectedSignature)) {
    throw unauthenticated('The token signature is invalid.');
  }
  let claims: ClientTokenClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ClientTokenClaims;
  } catch {
    throw unauthenticated('The token is malformed.');
  }
  if (
    typeof claims.sub !== 'string' ||
    typeof claims.exp !== 'number' ||
    typeof claims.app !== 'string' ||
    (claims.sid !== undefined && typeof claims.sid !== 'string')
  ) {
    throw unauthenticated('The token is malformed.');
  }
  if (claims.app !== expected.application) throw unauthenticated('The token is for another application.');
  if (claims.exp * 1000 <= (expected.now ?? Date.now())) throw unauthenticated('The token has expired.');
  return claims;
}

function unauthenticated(message: string): VestnikError {
  return new VestnikError('UNAUTHENTICATED', message);
}

// Tokens issued in an application session die with it: the application answers whether the
// session a token names is still open, at connect and at every renewal.

import type { ClientTokenClaims } from './client-token.js';
import type { ResolvedOptions } from '../options.js';

/** True when the token names a session that the application says has ended. */
export async function sessionEnded(options: ResolvedOptions, claims: ClientTokenClaims): Promise<boolean> {
  if (claims.sid === undefined || options.isSessionActive === undefined) return false;
  return !(await options.isSessionActive(claims.sid));
}

// What an error becomes on the WebSocket, as on the HTTP API (http/error-handler.ts): a protocol
// error as it is, a storage outage UNAVAILABLE (worth a retry), anything else INTERNAL (a bug, to
// be logged). Only protocol codes go over the socket.

import { isVestnikError, VestnikError } from '@vestnik/protocol';
import { storageErrorKind } from '@vestnik/storage';

/** The coded error to send, and whether it was a bug the gateway should log. */
export function wireError(error: unknown): { error: VestnikError; bug: boolean } {
  if (isVestnikError(error)) return { error, bug: false };
  if (storageErrorKind(error) === 'unavailable') {
    return {
      error: new VestnikError('UNAVAILABLE', 'The database does not answer; try again in a moment.'),
      bug: false,
    };
  }
  return { error: new VestnikError('INTERNAL'), bug: true };
}

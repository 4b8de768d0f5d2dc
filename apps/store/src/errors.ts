// The store's own error codes, beside the collaboration system's (packages/protocol/src/errors.ts):
// every HTTP answer of the store has a code from one of the two. docs/store-api.md lists these, and
// a test keeps the two equal.

import { defineErrorCatalogue } from '@vestnik/protocol';

export const storeErrors = defineErrorCatalogue({
  VALIDATION_FAILED: { status: 422, message: 'The data breaks a business rule; see the details.' },
  CSRF_REJECTED: {
    status: 403,
    message: 'The request lacks the session CSRF token (x-csrf-token); reload the session and retry.',
  },
});

export type StoreErrorCode = (typeof storeErrors.codes)[number];

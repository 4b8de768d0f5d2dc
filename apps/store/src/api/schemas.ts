// What the routes add to the contract's schemas (@vestnik/store-api): the error answers each route
// may give, for OpenAPI, and the hook that lets a route without a body be called with none.

import { Type } from '@sinclair/typebox';

export const ErrorBodySchema = Type.Object(
  { code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) },
  { $id: 'ErrorBody' },
);

/** The error responses a route may give, for OpenAPI. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref('ErrorBody')]));
}

/** For routes that take no body (`NoBody`): nothing at all counts as `{}`. */
export async function emptyBodyIfMissing(request: { body: unknown }): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}

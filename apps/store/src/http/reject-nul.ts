// U+0000 in a request's body, query or path is refused up front with INVALID_ARGUMENT: PostgreSQL
// cannot store it in text, and a database error must not become a 500 for bad input.

import type { FastifyInstance } from 'fastify';
import { VestnikError } from '@vestnik/protocol';

function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (typeof value !== 'object' || value === null || depth > 64) return false;
  if (Array.isArray(value)) return value.some((item) => containsNul(item, depth + 1));
  return Object.entries(value).some(([key, item]) => key.includes('\u0000') || containsNul(item, depth + 1));
}

export function installRejectNul(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (containsNul(request.body) || containsNul(request.query) || containsNul(request.params)) {
      throw new VestnikError('INVALID_ARGUMENT', 'Text must not contain the character U+0000.');
    }
  });
}

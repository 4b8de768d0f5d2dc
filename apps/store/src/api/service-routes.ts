// /healthz and the OpenAPI document: what operators and client generators read.

import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { StoreDb } from '../database/schema.js';

export function serviceRoutes(app: FastifyInstance, db: StoreDb): void {
  app.get('/healthz', { schema: { hide: true }, config: { access: 'public' } }, async (request, reply) => {
    try {
      await sql`select 1`.execute(db);
      return { status: 'ok' };
    } catch (error) {
      request.log.warn({ err: error }, 'health check: the database does not answer');
      return reply.status(503).send({ status: 'unavailable' });
    }
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () =>
    app.swagger(),
  );
}

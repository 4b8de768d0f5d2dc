// A database outage is UNAVAILABLE (503, worth a retry) on the server API, as it is on the store
// (apps/store/src/http/outage.test.ts): the standalone server on PostgreSQL through a link that
// the test cuts, so that only this server loses its database.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openTcpLink, postgresUrl, serviceAvailable, type TcpLink } from '@vestnik/testing';
import { startServer, type ServerProcess } from './testing/index.js';

const available = await serviceAvailable('postgres');

describe.skipIf(!available)('the server API when its database is down', () => {
  const schema = `vestnik_test_${randomBytes(6).toString('hex')}`;
  let link: TcpLink;
  let server: ServerProcess;

  beforeAll(async () => {
    const { hostname, port } = new URL(postgresUrl);
    link = await openTcpLink({ host: hostname, port: Number(port) });
    server = await startServer({ DATABASE_URL: link.through(postgresUrl), DATABASE_SCHEMA: schema });
  });

  afterAll(async () => {
    await server?.kill();
    await link?.cut();
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('answers UNAVAILABLE', async () => {
    const created = await server.api<{ id: string }>('POST', '/users', { externalId: 'u1', name: 'U' });
    expect(created.status).toBe(201);
    await link.cut();
    // The pool notices its reset connections; the next query has to connect and is refused.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const call of [
      () => server.api('GET', `/users/${created.body.id}`),
      () => server.api('POST', '/users', { externalId: 'u2', name: 'U' }),
    ]) {
      const { status, body } = await call();
      expect(status).toBe(503);
      expect(body).toEqual({
        code: 'UNAVAILABLE',
        message: 'The database does not answer; try again in a moment.',
      });
    }
  });
});

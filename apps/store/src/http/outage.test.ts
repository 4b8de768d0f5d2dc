// A database outage is UNAVAILABLE (503, worth a retry) on the store's HTTP API, as it is on the
// collaboration server API (its serve-outage.test.ts): the store on PostgreSQL through a link that
// the test cuts, so that only this store loses its database.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createPostgresStorage } from '@vestnik/storage-postgres';
import { openTcpLink, postgresUrl, serviceAvailable, type TcpLink } from '@vestnik/testing';
import type { StoreApp } from '../app.js';
import { buildTestStore, loginAs, seedWorld, type Client } from '../testing/store-harness.js';

const available = await serviceAvailable('postgres');

describe.skipIf(!available)('the store when its database is down', () => {
  const schema = `vestnik_test_${randomBytes(6).toString('hex')}`;
  let link: TcpLink;
  let store: StoreApp;
  let manager: Client;

  beforeAll(async () => {
    const { hostname, port } = new URL(postgresUrl);
    link = await openTcpLink({ host: hostname, port: Number(port) });
    const open = () => createPostgresStorage({ url: link.through(postgresUrl), schema });
    store = await buildTestStore({
      name: 'postgres',
      create: async () => ({ storage: open(), share: open }),
      dispose: async () => {},
    });
    await seedWorld(store);
    manager = await loginAs(store, 'manager');
  });

  afterAll(async () => {
    await link?.cut();
    await store?.app.close();
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('answers UNAVAILABLE', async () => {
    expect((await manager.call('GET', '/api/orders')).statusCode).toBe(200);
    await link.cut();
    // The pool notices its reset connections; the next query has to connect and is refused.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const response of [
      await manager.call('GET', '/api/orders'),
      await store.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { login: 'manager', password: 'manager-pass' },
      }),
    ]) {
      expect(response.statusCode).toBe(503);
      expect(response.json()).toEqual({
        code: 'UNAVAILABLE',
        message: 'The database does not answer; try again in a moment.',
      });
    }
  });
});

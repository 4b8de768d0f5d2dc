// A PostgreSQL connection dying while the storage holds it (inside a transaction) must fail that
// transaction, not the process: pg emits 'error' on a checked-out client, and an unheard 'error'
// event is an uncaught exception that would take a whole node down on a database restart.

import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { postgresUrl, serviceAvailable } from '@vestnik/testing';
import { classifyPostgresError } from './postgres-errors.js';
import { postgresFixture } from './testing/postgres-fixture.js';

const available = await serviceAvailable('postgres');

describe.skipIf(!available)('postgres storage when the server drops a connection', () => {
  const fixture = postgresFixture(postgresUrl);
  afterAll(() => fixture.dispose());

  it('fails the transaction and leaves the process running', async () => {
    const { storage } = await fixture.create();
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    // Vitest would report the uncaught error too; listening here lets the test name it.
    process.on('uncaughtException', onUncaught);
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    try {
      const attempt = storage.transaction(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        // Only our own connection is ended; other tests on this server are not touched.
        await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await sql`select 1`.execute(trx);
      });
      const failure = await attempt.then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeDefined();
      // A dropped connection is an outage the caller may retry, not a bug.
      expect(classifyPostgresError(failure)).toBe('unavailable');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(uncaught).toEqual([]);
      // And the storage still works on a fresh connection.
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(storage.db);
      expect(rows[0]?.one).toBe(1);
    } finally {
      process.off('uncaughtException', onUncaught);
      await admin.end();
      await storage.close();
    }
  });
});

// runCompiled on SQLite and PostgreSQL: a query compiled once answers for new arguments, inside a
// transaction too, and a build that inlines or skips an argument is refused.

import { afterAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { CollabDatabase } from './schema.js';
import { availableFixtures } from '../testing/index.js';
import { runCompiled } from './compiled-query.js';

const fixtures = await availableFixtures();

describe.each(fixtures)('runCompiled on $name', (fixture) => {
  afterAll(async () => fixture.dispose());

  // A type, not an interface: withTables wants a record type.
  type Tables = { compiled_things: { id: string; name: string; n: number } };

  async function open() {
    const { storage } = await fixture.create();
    const db = storage.db.withTables<Tables>();
    await db.schema
      .createTable('compiled_things')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .execute();
    return { storage, db };
  }

  it('binds new arguments to the statement compiled the first time', async () => {
    const { storage, db } = await open();
    try {
      for (const [i, name] of ['ann', 'bob', 'cid'].entries()) {
        await runCompiled(db, 'test.insert', [`t${i}`, name, i], (id, n, k) =>
          db.insertInto('compiled_things').values({
            id: id!,
            name: n!,
            n: k as unknown as number, // a placeholder stands for a value of any type
          }),
        );
      }
      const byName = (name: string) =>
        runCompiled(db, 'test.byName', [name], (n) =>
          db.selectFrom('compiled_things').select(['id', 'n']).where('name', '=', n!),
        );
      expect((await byName('bob')).rows).toEqual([{ id: 't1', n: 1 }]);
      expect((await byName('cid')).rows).toEqual([{ id: 't2', n: 2 }]);
      expect((await byName('nobody')).rows).toEqual([]);
      const inTransaction = await storage.transaction(async (trx) => {
        const tdb: Kysely<CollabDatabase & Tables> = trx.withTables<Tables>();
        await runCompiled(tdb, 'test.insert', ['t3', 'dan', 3], (id, n, k) =>
          tdb.insertInto('compiled_things').values({ id: id!, name: n!, n: k as unknown as number }),
        );
        return runCompiled(tdb, 'test.byName', ['dan'], (n) =>
          tdb.selectFrom('compiled_things').select(['id', 'n']).where('name', '=', n!),
        );
      });
      expect(inTransaction.rows).toEqual([{ id: 't3', n: 3 }]);
      expect((await byName('dan')).rows).toEqual([{ id: 't3', n: 3 }]);
    } finally {
      await storage.close();
    }
  });

  it('refuses a build that does not bind every argument exactly once', async () => {
    const { storage, db } = await open();
    try {
      await expect(
        runCompiled(db, 'test.unused', ['a', 'b'], (a) =>
          db.selectFrom('compiled_things').select('id').where('name', '=', a!),
        ),
      ).rejects.toThrow(/every argument must be bound exactly once/);
      await expect(
        runCompiled(db, 'test.extra', ['a'], (a) =>
          db.selectFrom('compiled_things').select('id').where('name', '=', a!).where('id', '=', 'fixed'),
        ),
      ).rejects.toThrow(/every argument must be bound exactly once/);
    } finally {
      await storage.close();
    }
  });
});

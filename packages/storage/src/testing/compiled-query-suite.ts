// compiledQuery on an adapter: a query compiled once answers for new arguments, inside a
// transaction too, one statement per list length, and a build that inlines or skips an argument
// is refused.

import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { compiledQuery } from '../compiled-query.js';
import type { StorageFixture } from './storage-fixture.js';

// A type, not an interface: withTables wants a record type.
type Tables = { compiled_things: { id: string; name: string; n: number } };
type Db = Kysely<object & Tables>;

const insertThing = compiledQuery((db: Db, thing: { id: string; name: string; n: number }) =>
  db.insertInto('compiled_things').values(thing),
);
const insertThings = compiledQuery((db: Db, things: Array<{ id: string; name: string; n: number }>) =>
  db.insertInto('compiled_things').values(things),
);
const byName = compiledQuery((db: Db, name: string) =>
  db.selectFrom('compiled_things').select(['id', 'n']).where('name', '=', name).orderBy('id'),
);
const namesIn = compiledQuery((db: Db, ids: string[]) =>
  db.selectFrom('compiled_things').select('name').where('id', 'in', ids).orderBy('name'),
);
const unused = compiledQuery((db: Db, name: string, _other: string) =>
  db.selectFrom('compiled_things').select('id').where('name', '=', name),
);
const inlined = compiledQuery((db: Db, name: string) =>
  db.selectFrom('compiled_things').select('id').where('name', '=', name).where('id', '=', 'fixed'),
);

export function compiledQuerySuite(fixture: StorageFixture): void {
  describe('compiledQuery', () => {
    async function open() {
      const { storage } = await fixture.create();
      const db: Db = storage.db.withTables<Tables>();
      await db.schema
        .createTable('compiled_things')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('n', 'integer', (c) => c.notNull())
        .execute();
      return { storage, db };
    }

    it('binds new arguments to the statement compiled the first time, in a transaction too', async () => {
      const { storage, db } = await open();
      try {
        for (const [i, name] of ['ann', 'bob', 'cid'].entries()) {
          await insertThing.run(db, { id: `t${i}`, name, n: i });
        }
        expect((await byName.run(db, 'bob')).rows).toEqual([{ id: 't1', n: 1 }]);
        expect((await byName.run(db, 'cid')).rows).toEqual([{ id: 't2', n: 2 }]);
        expect((await byName.run(db, 'nobody')).rows).toEqual([]);
        const inTransaction = await storage.transaction(async (trx) => {
          const tdb: Db = trx.withTables<Tables>();
          await insertThing.run(tdb, { id: 't3', name: 'dan', n: 3 });
          return byName.run(tdb, 'dan');
        });
        expect(inTransaction.rows).toEqual([{ id: 't3', n: 3 }]);
        expect((await byName.run(db, 'dan')).rows).toEqual([{ id: 't3', n: 3 }]);
      } finally {
        await storage.close();
      }
    });

    it('compiles one statement per list length and binds every element', async () => {
      const { storage, db } = await open();
      try {
        await insertThings.run(db, [
          { id: 'a', name: 'ann', n: 1 },
          { id: 'b', name: 'bob', n: 2 },
        ]);
        await insertThings.run(db, [{ id: 'c', name: 'cid', n: 3 }]);
        await insertThings.run(db, [
          { id: 'd', name: 'dan', n: 4 },
          { id: 'e', name: 'eve', n: 5 },
        ]);
        expect((await namesIn.run(db, ['a', 'e'])).rows.map((r) => r.name)).toEqual(['ann', 'eve']);
        expect((await namesIn.run(db, ['b', 'c', 'd'])).rows.map((r) => r.name)).toEqual([
          'bob',
          'cid',
          'dan',
        ]);
        expect((await namesIn.run(db, ['c'])).rows.map((r) => r.name)).toEqual(['cid']);
        expect((await namesIn.run(db, ['d', 'zz'])).rows.map((r) => r.name)).toEqual(['dan']);
      } finally {
        await storage.close();
      }
    });

    it('refuses a build that does not bind every argument exactly once, as a value', async () => {
      const { storage, db } = await open();
      try {
        await expect(unused.run(db, 'a', 'b')).rejects.toThrow(/every argument must be bound exactly once/);
        await expect(inlined.run(db, 'a')).rejects.toThrow(/every argument must be bound exactly once/);
      } finally {
        await storage.close();
      }
    });
  });
}

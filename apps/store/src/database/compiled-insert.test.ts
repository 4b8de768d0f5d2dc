// insertRows on SQLite and PostgreSQL: the statement compiled for a row count serves later inserts
// of that count with their own values, and more rows than are compiled go in all the same.

import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { availableFixtures } from '@vestnik/collab/testing';
import type { StoreApp } from '../app.js';
import { buildTestStore } from '../testing/store-harness.js';
import { insertRows } from './compiled-insert.js';

const fixtures = await availableFixtures();

describe.each(fixtures)('insertRows on $name', (fixture) => {
  let store: StoreApp;

  beforeEach(async () => {
    store = await buildTestStore(fixture);
  });
  afterEach(async () => store.app.close());
  afterAll(async () => fixture.dispose());

  const counters = async () =>
    (await store.ctx.db.selectFrom('store_counters').selectAll().orderBy('name').execute()).map((r) => [
      r.name,
      Number(r.value),
    ]);

  it('writes each call’s own rows, whatever their number', async () => {
    const db = store.ctx.db;
    await insertRows(db, 'store_counters', [{ name: 'a', value: 1 }]);
    await insertRows(db, 'store_counters', [{ name: 'b', value: 2 }]);
    await insertRows(db, 'store_counters', [
      { name: 'c', value: 3 },
      { name: 'd', value: 4 },
    ]);
    const many = Array.from({ length: 20 }, (_, i) => ({ name: `m${String(i).padStart(2, '0')}`, value: i }));
    await insertRows(db, 'store_counters', many);
    await insertRows(db, 'store_counters', []);
    const rows = await counters();
    expect(rows.filter(([name]) => !String(name).startsWith('m'))).toEqual(
      expect.arrayContaining([
        ['a', 1],
        ['b', 2],
        ['c', 3],
        ['d', 4],
      ]),
    );
    expect(rows.filter(([name]) => String(name).startsWith('m'))).toEqual(many.map((r) => [r.name, r.value]));
  });
});

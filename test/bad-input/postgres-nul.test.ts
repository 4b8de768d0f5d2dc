// U+0000 in text: SQLite stores it, PostgreSQL refuses it (text and jsonb). Whatever the storage,
// a NUL in a name, a key, a message's text or its data, or in a store request, is a coded
// INVALID_ARGUMENT, never a 500.

import { afterAll, describe, expect, it } from 'vitest';
import { isVestnikError } from '@vestnik/protocol';
import { createCollab, createMemoryBroker, type Collab } from '@vestnik/collab';
import { postgresFixture } from '@vestnik/storage-postgres/testing';
import { sqliteFixture } from '@vestnik/storage-sqlite/testing';
import type { StorageFixture } from '@vestnik/storage/testing';
import { postgresUrl, serviceAvailable } from '@vestnik/testing';
import { buildTestStore, loginAs, seedWorld } from '../../apps/store/src/testing/store-harness.js';
import { recordFigures } from '../chaos/support/figures.js';

const postgres = await serviceAvailable('postgres');
let inputsTried = 0;
afterAll(() => recordFigures({ suite: 'bad input: U+0000 on every storage', inputsTried }));

for (const fixture of [
  sqliteFixture(),
  ...(postgres ? [postgresFixture(postgresUrl)] : []),
] as StorageFixture[]) {
  describe(`U+0000 on ${fixture.name}`, () => {
    afterAll(() => fixture.dispose());

    it('is refused with INVALID_ARGUMENT in every text field and in data', async () => {
      const { storage } = await fixture.create();
      const collab: Collab = await createCollab({ storage, broker: createMemoryBroker(), onError: () => {} });
      try {
        await collab.register({ applicationName: 'nul' });
        const user = await collab.createUser({ externalId: 'u1', name: 'ok' });
        await collab.createConversation({ key: 'k', participants: [user.id] });
        const attempts: Array<() => Promise<unknown>> = [
          () => collab.createUser({ externalId: 'a\u0000b', name: 'x' }),
          () => collab.createUser({ externalId: 'u2', name: 'x\u0000' }),
          () => collab.createConversation({ key: '\u0000', participants: [user.id] }),
          () => collab.createMessage({ conversation: { key: 'k' }, text: 'a\u0000b' }),
          () => collab.createMessage({ conversation: { key: 'k' }, text: 'ok', data: { note: 'x\u0000' } }),
          () => collab.createMessage({ conversation: { key: 'k' }, text: 'ok', data: { ['k\u0000']: 1 } }),
          () => collab.createMessage({ conversation: { key: 'k' }, text: 'ok', idempotencyKey: '\u0000' }),
        ];
        for (const attempt of attempts) {
          inputsTried++;
          const error = await attempt().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(isVestnikError(error, 'INVALID_ARGUMENT'), String(error)).toBe(true);
        }
        // What is fine still is.
        const message = await collab.createMessage({
          conversation: { key: 'k' },
          text: 'Привет \\u0000 как текст',
        });
        expect(message.text).toBe('Привет \\u0000 как текст');
      } finally {
        await collab.close();
      }
    });
  });
}

describe.skipIf(!postgres)('U+0000 at the store on PostgreSQL', () => {
  const fixture = postgresFixture(postgresUrl);
  afterAll(() => fixture.dispose());

  it('is refused with INVALID_ARGUMENT in bodies, queries and paths', async () => {
    const store = await buildTestStore(fixture);
    try {
      await seedWorld(store);
      const admin = await loginAs(store, 'admin');
      for (const [method, url, payload] of [
        ['POST', '/api/catalogs/colors', { code: 'X1', name: 'a\u0000b' }],
        ['POST', '/api/catalogs/customers', { code: 'C\u0000', name: 'n' }],
        ['GET', '/api/orders?search=a%00b', undefined],
        ['GET', '/api/catalogs/colors/a%00b', undefined],
        ['POST', '/api/users', { login: 'nul', name: 'x\u0000', password: 'password-1', roles: [] }],
      ] as const) {
        inputsTried++;
        const answer = await admin.call(method, url, payload);
        expect(answer.statusCode, `${method} ${url}: ${answer.body}`).toBe(400);
        expect((JSON.parse(answer.body) as { code: string }).code).toBe('INVALID_ARGUMENT');
      }
    } finally {
      await store.app.close();
    }
  });
});

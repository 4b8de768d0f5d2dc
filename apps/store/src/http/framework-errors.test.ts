// What Fastify refuses before a route runs (a malformed URL, a path parameter over the router's
// length limit, an unknown route, malformed JSON, a body too large, a schema failure) is answered
// like every other error: a catalogue code in `{ code, message, details }`, not Fastify's own
// FST_ERR_* body, and the same way as the collaboration server API answers it (its
// serve-framework-errors.test.ts).

import { afterAll, beforeAll, expect, it } from 'vitest';
import { isErrorCode } from '@vestnik/protocol';
import { sqliteFixture } from '@vestnik/storage-sqlite/testing';
import type { StoreApp } from '../app.js';
import {
  buildTestStore,
  loginAs,
  orderInput,
  seedWorld,
  type Client,
  type World,
} from '../testing/store-harness.js';

const fixture = sqliteFixture();
let store: StoreApp;
let world: World;
let manager: Client;

beforeAll(async () => {
  store = await buildTestStore(fixture);
  world = await seedWorld(store);
  manager = await loginAs(store, 'manager');
});

afterAll(async () => {
  await store.app.close();
  await fixture.dispose();
});

it.each([
  ['a malformed percent-encoding', '/api/orders/%F0%9F'],
  ['a path parameter longer than the router allows', `/api/orders/${'a'.repeat(200)}`],
])('answers %s with INVALID_ARGUMENT', async (_what, url) => {
  const response = await store.app.inject({ method: 'GET', url });
  expect(response.statusCode).toBe(400);
  const body = response.json<{ code: unknown; message: unknown }>();
  expect(isErrorCode(body.code)).toBe(true);
  expect(body.code).toBe('INVALID_ARGUMENT');
  expect(typeof body.message).toBe('string');
});

it('names a nested bad field by its dotted path', async () => {
  const input = orderInput(world);
  const items = input.items.map((item, i) => (i === 1 ? { ...item, quantity: 1_000_000 } : item));
  const response = await manager.call('POST', '/api/orders', { ...input, items });
  expect(response.statusCode).toBe(400);
  expect(response.json()).toMatchObject({
    code: 'INVALID_ARGUMENT',
    details: {
      problems: [
        {
          path: 'items.1.quantity',
          message: expect.stringMatching(/^body\.items\.1\.quantity: /) as unknown,
        },
      ],
    },
  });
});

it('answers an unknown route with NOT_FOUND', async () => {
  const response = await store.app.inject({ method: 'GET', url: '/api/nothing?x=1' });
  expect(response.statusCode).toBe(404);
  expect(response.json()).toEqual({ code: 'NOT_FOUND', message: 'No route GET /api/nothing.' });
});

it('answers malformed JSON with INVALID_ARGUMENT and a body too large with PAYLOAD_TOO_LARGE', async () => {
  const post = (payload: string) =>
    manager.call('POST', '/api/orders', payload, { 'content-type': 'application/json' });
  const malformed = await post('{"customerId":');
  expect(malformed.statusCode).toBe(400);
  expect(malformed.json()).toMatchObject({ code: 'INVALID_ARGUMENT' });
  const large = await post(JSON.stringify({ ...orderInput(world), address: 'x'.repeat(1024 * 1024 + 10) }));
  expect(large.statusCode).toBe(413);
  expect(large.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
});

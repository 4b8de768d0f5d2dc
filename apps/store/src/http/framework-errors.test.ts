// URLs that Fastify's router refuses before any route runs (a malformed percent-encoding, a path
// parameter over the router's length limit) are answered like every other error: a catalogue
// code in `{ code, message }`, not Fastify's own FST_ERR_* body.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { isErrorCode } from '@vestnik/protocol';
import { sqliteFixture } from '@vestnik/storage-sqlite/testing';
import type { StoreApp } from '../app.js';
import { buildTestStore } from '../testing/store-harness.js';

let store: StoreApp;

beforeAll(async () => {
  store = await buildTestStore(sqliteFixture());
});

afterAll(async () => {
  await store.app.close();
});

it.each([
  ['a malformed percent-encoding', '/api/orders/%F0%9F'],
  ['a path parameter longer than the router allows', `/api/orders/${'a'.repeat(200)}`],
])('answers %s with INVALID_ARGUMENT', async (_what, url) => {
  const response = await store.app.inject({ method: 'GET', url });
  expect(response.statusCode).toBe(400);
  const body = response.json() as { code: unknown; message: unknown };
  expect(isErrorCode(body.code)).toBe(true);
  expect(body.code).toBe('INVALID_ARGUMENT');
  expect(typeof body.message).toBe('string');
});

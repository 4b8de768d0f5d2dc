// The one error path on a bare Fastify app: every failure a server meets (its own, Fastify's, the
// storage's, an application catalogue's) answers `{ code, message, details }` with the status its
// code has, and a schema failure names its fields in one shape whichever validator found it.

import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineErrorCatalogue, VestnikError } from '@vestnik/protocol';
import { markStorageError } from '@vestnik/storage';
import { frameworkErrors, installErrorHandling } from './error-handler.js';
import { typeboxValidator } from './typebox-validator.js';

const shopErrors = defineErrorCatalogue({ OUT_OF_STOCK: { status: 409, message: 'Not enough stock.' } });

const Order = Type.Object(
  {
    customer: Type.String({ minLength: 1 }),
    items: Type.Array(
      Type.Object(
        { sku: Type.String(), quantity: Type.Integer({ minimum: 1 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

let app: FastifyInstance;

beforeAll(async () => {
  // Unknown fields refused, not dropped by Ajv (as the store configures it).
  app = Fastify({ bodyLimit: 1024, frameworkErrors, ajv: { customOptions: { removeAdditional: false } } });
  installErrorHandling(app);
  app.post('/ajv/orders', { schema: { body: Order } }, async () => ({ ok: true }));
  await app.register(async (typebox) => {
    typebox.setValidatorCompiler(typeboxValidator);
    typebox.post('/typebox/orders', { schema: { body: Order } }, async () => ({ ok: true }));
  });
  app.get('/throw/:what', async (request) => {
    const { what } = request.params as { what: string };
    // As a storage adapter marks its driver's errors where they are thrown.
    if (what === 'down') throw markStorageError(new Error('connect ECONNREFUSED'), 'unavailable');
    if (what === 'twice') throw markStorageError(new Error('duplicate key'), 'unique-violation');
    if (what === 'shop') throw shopErrors.error('OUT_OF_STOCK', 'Only 2 left.', { left: 2 });
    if (what === 'protocol') throw new VestnikError('NOT_PARTICIPANT');
    if (what === 'limited') throw Object.assign(new Error('Rate limit exceeded'), { statusCode: 429 });
    throw new Error('a bug');
  });
  await app.ready();
});

afterAll(() => app.close());

const post = (url: string, payload: string, contentType = 'application/json') =>
  app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });

describe('a schema failure', () => {
  const bad = JSON.stringify({
    customer: 'c1',
    items: [
      { sku: 'a', quantity: 1 },
      { sku: 'b', quantity: 0 },
    ],
  });

  it.each(['ajv', 'typebox'])('from %s names the nested field as a dotted path', async (validator) => {
    const response = await post(`/${validator}/orders`, bad);
    expect(response.statusCode).toBe(400);
    const body = response.json<{ code: string; message: string; details: { problems: unknown[] } }>();
    expect(body.code).toBe('INVALID_ARGUMENT');
    expect(body.details.problems).toEqual([
      { path: 'items.1.quantity', message: expect.stringMatching(/^body\.items\.1\.quantity: /) as unknown },
    ]);
    expect(body.message).toMatch(/^The request is not valid: body\.items\.1\.quantity: /);
  });

  it.each(['ajv', 'typebox'])('from %s words a missing and an unknown field alike', async (validator) => {
    const missing = (await post(`/${validator}/orders`, JSON.stringify({ items: [] }))).json<unknown>();
    expect(missing).toMatchObject({
      details: { problems: [{ path: 'customer', message: 'body.customer: is required' }] },
    });
    const unknown = await post(
      `/${validator}/orders`,
      JSON.stringify({ customer: 'c', items: [{ sku: 'a', quantity: 1, x: 1 }] }),
    );
    expect(unknown.json()).toMatchObject({
      details: { problems: [{ path: 'items.0.x', message: 'body.items.0.x: is not a known field' }] },
    });
  });

  it.each(['ajv', 'typebox'])('from %s names the body itself when it is not an object', async (validator) => {
    const response = await post(`/${validator}/orders`, '42');
    expect(response.json()).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { problems: [{ path: 'body' }] },
    });
  });
});

describe('Fastify’s own refusals', () => {
  it('answers an unknown route with NOT_FOUND', async () => {
    const response = await app.inject({ method: 'GET', url: '/nowhere?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'NOT_FOUND', message: 'No route GET /nowhere.' });
  });

  it('answers malformed JSON and a wrong content type with INVALID_ARGUMENT', async () => {
    for (const response of [
      await post('/ajv/orders', '{"customer":'),
      await post('/ajv/orders', 'x', 'text/csv'),
    ]) {
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('answers a body over the limit with PAYLOAD_TOO_LARGE', async () => {
    const response = await post('/ajv/orders', JSON.stringify({ customer: 'x'.repeat(2000), items: [] }));
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers a malformed URL with INVALID_ARGUMENT (frameworkErrors)', async () => {
    const response = await app.inject({ method: 'GET', url: '/throw/%F0%9F' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('errors thrown by routes', () => {
  it.each([
    ['down', 503, 'UNAVAILABLE'],
    ['twice', 409, 'DUPLICATE_KEY'],
    ['shop', 409, 'OUT_OF_STOCK'],
    ['protocol', 403, 'NOT_PARTICIPANT'],
    ['limited', 429, 'RATE_LIMITED'],
    ['bug', 500, 'INTERNAL'],
  ])('%s answers %i %s', async (what, status, code) => {
    const response = await app.inject({ method: 'GET', url: `/throw/${what}` });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ code });
  });

  it('keeps an application error’s message and details, and says nothing of a bug', async () => {
    expect((await app.inject({ method: 'GET', url: '/throw/shop' })).json()).toEqual({
      code: 'OUT_OF_STOCK',
      message: 'Only 2 left.',
      details: { left: 2 },
    });
    expect((await app.inject({ method: 'GET', url: '/throw/bug' })).json()).toEqual({
      code: 'INTERNAL',
      message: 'An internal error occurred.',
    });
  });
});

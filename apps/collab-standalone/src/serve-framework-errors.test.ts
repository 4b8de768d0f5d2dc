// The standalone server answers what Fastify refuses before a route runs (a malformed URL, a path
// parameter over the router's length limit, an unknown route, malformed JSON, a body too large, a
// schema failure) with a catalogue code, like every other error of the server API, not with
// Fastify's own FST_ERR_* body. The store answers the same way (its framework-errors.test.ts).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, TEST_APP_KEY, type ServerProcess } from './testing/index.js';

let dir: string;
let server: ServerProcess;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vestnik-serve-'));
  server = await startServer({ VESTNIK_SQLITE_FILE: path.join(dir, 'collab.db') });
});

afterAll(async () => {
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

it.each([
  ['a malformed percent-encoding', '/users/%F0%9F'],
  ['a path parameter longer than the router allows', `/users/${'a'.repeat(200)}`],
])('answers %s with INVALID_ARGUMENT', async (_what, url) => {
  const { status, body } = await server.api<{ code: string; message: string }>('GET', url);
  expect(status).toBe(400);
  expect(body.code).toBe('INVALID_ARGUMENT');
  expect(typeof body.message).toBe('string');
});

it('names a nested bad field by its dotted path', async () => {
  const { status, body } = await server.api('POST', '/conversations', { participants: ['u1', ''] });
  expect(status).toBe(400);
  expect(body).toMatchObject({
    code: 'INVALID_ARGUMENT',
    details: {
      problems: [
        { path: 'participants.1', message: expect.stringMatching(/^body\.participants\.1: /) as unknown },
      ],
    },
  });
});

it('answers an unknown route with NOT_FOUND, inside the API and outside it', async () => {
  expect(await server.api('GET', '/nothing')).toEqual({
    status: 404,
    body: { code: 'NOT_FOUND', message: 'No route GET /collab/api/nothing.' },
  });
  const outside = await fetch(`${server.httpUrl}/nothing`);
  expect(outside.status).toBe(404);
  expect(await outside.json()).toEqual({ code: 'NOT_FOUND', message: 'No route GET /nothing.' });
});

it('answers malformed JSON with INVALID_ARGUMENT and a body too large with PAYLOAD_TOO_LARGE', async () => {
  const post = (body: string) =>
    fetch(`${server.httpUrl}/collab/api/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_APP_KEY}`, 'content-type': 'application/json' },
      body,
    });
  const malformed = await post('{"externalId":');
  expect(malformed.status).toBe(400);
  expect(await malformed.json()).toMatchObject({ code: 'INVALID_ARGUMENT' });
  const large = await post(JSON.stringify({ externalId: 'x', name: 'x'.repeat(1024 * 1024 + 10) }));
  expect(large.status).toBe(413);
  expect(await large.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
});

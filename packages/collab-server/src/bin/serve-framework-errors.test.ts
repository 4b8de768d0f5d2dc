// The standalone server answers URLs its router refuses (a malformed percent-encoding, a path
// parameter over the router's length limit) with a catalogue code, like every other error of the
// server API, not with Fastify's own FST_ERR_* body.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../testing/index.js';

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

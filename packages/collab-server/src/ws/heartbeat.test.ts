// Heartbeats and the auth timeout, with the plugin mounted in-process and short intervals: a peer
// that stops answering pings is dropped, one that answers stays, a silent socket is closed (4401).

import { afterAll, beforeAll, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { createCollab, type Collab } from '@vestnik/collab';
import { createSqliteStorage } from '@vestnik/storage-sqlite';
import { issueClientToken } from '../auth/client-token.js';
import { collabServer } from '../plugin.js';

const secret = 'heartbeat-test-secret-0123456789-0123456789';
let collab: Collab;
let app: FastifyInstance;
let url: string;
let token: string;

beforeAll(async () => {
  collab = await createCollab({ storage: createSqliteStorage({ file: ':memory:' }) });
  await collab.register({ applicationName: 'hb' });
  const user = await collab.createUser({ externalId: 'u', name: 'U' });
  token = issueClientToken(secret, { userId: user.id, application: 'hb' }).token;
  app = Fastify();
  await app.register(collabServer, {
    collab,
    tokenSecret: secret,
    application: 'hb',
    limits: { heartbeatMs: 100, authTimeoutMs: 300 },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `ws://127.0.0.1:${(app.server.address() as { port: number }).port}/collab/ws`;
});

afterAll(async () => {
  await app.close();
  await collab.close();
});

async function open(autoPong: boolean, authenticate: boolean) {
  const ws = new WebSocket(url, { autoPong });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise((resolve) => ws.once('open', resolve));
  if (authenticate) ws.send(JSON.stringify({ op: 'auth', token }));
  return { ws, closed };
}

it('drops a peer that stops answering pings and keeps one that answers', async () => {
  const deaf = await open(false, true);
  const alive = await open(true, true);
  // Terminated without a close frame: the client sees 1006.
  expect(await deaf.closed).toBe(1006);
  await new Promise((r) => setTimeout(r, 300));
  expect(alive.ws.readyState).toBe(WebSocket.OPEN);
  alive.ws.close();
});

it('closes a socket that sends no auth frame in time with 4401', async () => {
  const silent = await open(true, false);
  expect(await silent.closed).toBe(4401);
});

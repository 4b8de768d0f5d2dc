// An upgrade request for a path that is not the gateway's is answered 404 and closed when nothing
// else in the server takes upgrades: left alone, Node keeps such a socket open for good, so a
// mistyped client URL hangs instead of failing, and anyone can pile up open sockets.

import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { createCollab, type Collab } from '@vestnik/collab';
import { createSqliteStorage } from '@vestnik/storage-sqlite';
import { collabServer } from '../plugin.js';

let collab: Collab;
let app: FastifyInstance;

beforeAll(async () => {
  collab = await createCollab({ storage: createSqliteStorage({ file: ':memory:' }) });
  app = Fastify();
  await app.register(collabServer, { collab, tokenSecret: 's'.repeat(40), application: 'shop' });
  await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
  await collab.close();
});

it('answers an upgrade for another path with 404 and closes the socket', async () => {
  const { port } = app.server.address() as { port: number };
  const socket = net.connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(
    'GET /elsewhere HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  );
  await closed;
  expect(answer).toMatch(/^HTTP\/1\.1 404 /);
}, 10_000);

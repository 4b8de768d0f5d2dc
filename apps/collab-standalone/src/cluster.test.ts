// Two nodes on PostgreSQL + Redis, each a real process: a client on one node gets what is written
// on the other, and a client moved from node A to node B mid-stream misses nothing.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import pg from 'pg';
import type { Message } from '@vestnik/protocol';
import { postgresUrl, redisUrl, serviceAvailable } from '@vestnik/testing';
import { connect, type CollabClient } from '@vestnik/collab-client';
import { issueClientToken } from '@vestnik/collab-server';
import {
  startServer,
  TEST_APPLICATION,
  TEST_SECRET,
  writeMessages,
  type ServerProcess,
} from './testing/index.js';

const available = (await serviceAvailable('postgres')) && (await serviceAvailable('redis'));
const schema = `vestnik_test_${randomBytes(6).toString('hex')}`;
const env = {
  DATABASE_URL: postgresUrl,
  DATABASE_SCHEMA: schema,
  REDIS_URL: redisUrl,
  REDIS_PREFIX: `vestnik-test-${randomBytes(6).toString('hex')}`,
};
let nodeA: ServerProcess;
let nodeB: ServerProcess;
const clients: CollabClient[] = [];

const token = (userId: string) =>
  issueClientToken(TEST_SECRET, { userId, application: TEST_APPLICATION }).token;

describe.skipIf(!available)('two nodes on PostgreSQL and Redis', () => {
  beforeAll(async () => {
    // One after the other: the first creates the tables.
    nodeA = await startServer(env);
    nodeB = await startServer(env);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.all([nodeA?.kill(), nodeB?.kill()]);
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('delivers across nodes, and a client moved from A to B mid-stream misses nothing', async () => {
    const user = async (externalId: string) =>
      (await nodeA.api<{ id: string }>('POST', '/users', { externalId, name: externalId })).body.id;
    const [alice, bob] = [await user('alice'), await user('bob')];
    await nodeB.api('POST', '/conversations', { key: 'cluster', participants: [alice, bob] });

    // Bob stays on node B; alice starts on node A and moves to B when A dies.
    let aliceNode = nodeA;
    const got = new Map<string, Message[]>([
      [alice, []],
      [bob, []],
    ]);
    for (const [id, node] of [
      [alice, () => aliceNode],
      [bob, () => nodeB],
    ] as const) {
      const c = connect({
        url: () => node().wsUrl,
        WebSocket,
        getToken: () => token(id),
        reconnect: { minDelayMs: 50, maxDelayMs: 500 },
      });
      clients.push(c);
      const subscription = c.subscribe({ key: 'cluster' });
      subscription.on('message', (m) => got.get(id)!.push(m));
      await subscription.ready();
    }

    // Written on B: alice on A receives through Redis.
    const total = 200;
    const writer = writeMessages(() => nodeB, {
      conversation: { key: 'cluster' },
      count: total,
      prefix: 'c',
    });
    await waitUntil(() => got.get(alice)!.length >= 50);
    aliceNode = nodeB;
    await nodeA.kill('SIGKILL');
    await writer.done;
    for (const messages of got.values()) {
      await waitUntil(() => messages.length >= total, 30_000);
      await new Promise((r) => setTimeout(r, 100));
      expect(messages.map((m) => m.seq)).toEqual(writer.acked.map((m) => m.seq));
      expect(messages.map((m) => m.text)).toEqual(writer.acked.map((m) => m.text));
    }
    expect(writer.acked.map((m) => m.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

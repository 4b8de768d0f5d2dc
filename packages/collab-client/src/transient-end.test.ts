// A subscription the server ends with a transient code (its storage failed after the catch-up was
// announced), or refuses with one (its broker could not start listening), is tried again by the
// SDK, not dropped for good.

import { afterAll, beforeAll, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import {
  createCollab,
  createMemoryBroker,
  type Broker,
  type Collab,
  type OpeningSubscription,
  type SubscribeInput,
} from '@vestnik/collab';
import { createSqliteStorage } from '@vestnik/storage-sqlite';
import { collabServer, issueClientToken } from '@vestnik/collab-server';
import { VestnikError } from '@vestnik/protocol';
import { connect, type CollabClient } from './client.js';

const secret = 'transient-test-secret-0123456789-0123456789';
let collab: Collab;
let app: FastifyInstance;
let client: CollabClient;
let alice: string;
/** While true, starting to listen to a conversation fails, as when Redis is away. */
let brokerDown = false;
/** While true, reading a subscription's backlog fails, as when the database is away. */
let storageDown = false;

function flakyBroker(): Broker {
  const inner = createMemoryBroker();
  return {
    ...inner,
    subscribe: async (conversationId, listener) => {
      if (brokerDown) throw new Error('the broker is away');
      return inner.subscribe(conversationId, listener);
    },
  };
}

beforeAll(async () => {
  collab = await createCollab({
    storage: createSqliteStorage({ file: ':memory:' }),
    broker: flakyBroker(),
    onError: () => {},
  });
  await collab.register({ applicationName: 'shop' });
  alice = (await collab.createUser({ externalId: 'alice', name: 'Alice' })).id;
  await collab.createConversation({ key: 'k', participants: [alice] });
  await collab.createConversation({ key: 'k2', participants: [alice] });
  // The gateway's backlog reads fail while storageDown is set.
  const flaky = new Proxy(collab, {
    get(target, property) {
      if (property === 'openSubscription') {
        return async (input: SubscribeInput) => {
          const subscription: OpeningSubscription = await target.openSubscription(input);
          const read = subscription.nextBacklog.bind(subscription);
          subscription.nextBacklog = async (limit) => {
            if (storageDown) throw new VestnikError('UNAVAILABLE', 'The database is away.');
            return read(limit);
          };
          return subscription;
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  app = Fastify();
  await app.register(collabServer, { collab: flaky, tokenSecret: secret, application: 'shop' });
  await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  client?.close();
  await app.close();
  await collab.close();
});

function connectAlice(): CollabClient {
  const { port } = app.server.address() as { port: number };
  client?.close();
  client = connect({
    url: `ws://127.0.0.1:${port}/collab/ws`,
    WebSocket,
    getToken: () => issueClientToken(secret, { userId: alice, application: 'shop' }).token,
    reconnect: { minDelayMs: 20, maxDelayMs: 100 },
  });
  return client;
}

it('resubscribes after the server ended a subscription with UNAVAILABLE, and misses nothing', async () => {
  const client = connectAlice();
  const errors: VestnikError[] = [];
  client.on('error', (error) => errors.push(error));
  await collab.createMessage({ conversation: { key: 'k' }, text: 'one' });
  storageDown = true;
  const got: string[] = [];
  const failures: string[] = [];
  const detach = client.attachNewMessageHandler({ key: 'k' }, (m) => got.push(m.text), {
    since: 0,
    onError: (error) => failures.push(error.code),
  });
  await detach.ready; // announced; then reading the backlog fails
  await waitUntil(() => errors.some((e) => e.code === 'UNAVAILABLE'));
  await collab.createMessage({ conversation: { key: 'k' }, text: 'two' });
  storageDown = false;
  await collab.createMessage({ conversation: { key: 'k' }, text: 'three' });
  await waitUntil(() => got.length >= 3);
  await new Promise((r) => setTimeout(r, 50));
  expect(got).toEqual(['one', 'two', 'three']);
  expect(failures).toEqual([]);
});

it('subscribes again after the server refused with UNAVAILABLE, and misses nothing', async () => {
  const client = connectAlice();
  await collab.createMessage({ conversation: { key: 'k2' }, text: 'one' });
  brokerDown = true;
  const got: string[] = [];
  const failures: string[] = [];
  let ready = false;
  const detach = client.attachNewMessageHandler({ key: 'k2' }, (m) => got.push(m.text), {
    since: 0,
    onError: (error) => failures.push(error.code),
  });
  void detach.ready.then(() => (ready = true));
  await new Promise((r) => setTimeout(r, 200)); // refused, tried again, refused...
  expect(ready).toBe(false);
  await collab.createMessage({ conversation: { key: 'k2' }, text: 'two' });
  brokerDown = false;
  await detach.ready;
  await collab.createMessage({ conversation: { key: 'k2' }, text: 'three' });
  await waitUntil(() => got.length >= 3);
  await new Promise((r) => setTimeout(r, 50));
  expect(got).toEqual(['one', 'two', 'three']);
  expect(failures).toEqual([]);
});

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

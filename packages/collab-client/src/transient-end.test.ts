// A subscription the server ends with a transient code (its storage failed after the catch-up was
// announced), or refuses with one (its broker could not start listening), is tried again by the
// SDK, not dropped for good.

import { afterAll, beforeAll, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { createCollab, createMemoryBroker, type Broker, type Collab } from '@vestnik/collab';
import { interceptBacklogReads } from '@vestnik/collab/testing';
import { createSqliteStorage } from '@vestnik/storage-sqlite';
import { collabServer, issueClientToken } from '@vestnik/collab-server';
import { VestnikError } from '@vestnik/protocol';
import { connect, type CollabClient } from './client.js';
import { waitUntil } from './test-support.js';

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
  const flaky = interceptBacklogReads(collab, () => {
    if (storageDown) throw new VestnikError('UNAVAILABLE', 'The database is away.');
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
  await collab.createMessage({ conversation: { key: 'k' }, text: 'one' });
  storageDown = true;
  const got: string[] = [];
  const events: string[] = [];
  const subscription = client.subscribe({ key: 'k' }, { since: 0 });
  subscription.on('message', (m) => got.push(m.text));
  subscription.on('error', (e) => events.push(`error:${e.code}`));
  subscription.on('subscribing', (e) => events.push(`subscribing:${e.reason}`));
  subscription.on('subscribed', (e) => events.push(`subscribed${e.resubscribed ? ':again' : ''}`));
  subscription.on('unsubscribed', (e) => events.push(`unsubscribed:${e.reason}`));
  await subscription.ready(); // announced; then reading the backlog fails
  await waitUntil(() => events.includes('error:UNAVAILABLE'));
  await collab.createMessage({ conversation: { key: 'k' }, text: 'two' });
  storageDown = false;
  await collab.createMessage({ conversation: { key: 'k' }, text: 'three' });
  await waitUntil(() => got.length >= 3);
  await new Promise((r) => setTimeout(r, 50));
  expect(got).toEqual(['one', 'two', 'three']);
  expect(events).toEqual(['subscribed', 'error:UNAVAILABLE', 'subscribing:retry', 'subscribed:again']);
});

it('subscribes again after the server refused with UNAVAILABLE, and misses nothing', async () => {
  const client = connectAlice();
  await collab.createMessage({ conversation: { key: 'k2' }, text: 'one' });
  brokerDown = true;
  const got: string[] = [];
  const errors: string[] = [];
  let ready = false;
  const subscription = client.subscribe({ key: 'k2' }, { since: 0 });
  subscription.on('message', (m) => got.push(m.text));
  subscription.on('error', (e) => errors.push(e.code));
  void subscription.ready().then(() => (ready = true));
  await new Promise((r) => setTimeout(r, 200)); // refused, tried again, refused...
  expect(ready).toBe(false);
  expect(subscription.state).toBe('subscribing');
  expect(errors.length).toBeGreaterThan(1);
  expect(new Set(errors)).toEqual(new Set(['UNAVAILABLE']));
  await collab.createMessage({ conversation: { key: 'k2' }, text: 'two' });
  brokerDown = false;
  expect(await subscription.ready()).toMatchObject({ since: 0, resubscribed: false });
  await collab.createMessage({ conversation: { key: 'k2' }, text: 'three' });
  await waitUntil(() => got.length >= 3);
  await new Promise((r) => setTimeout(r, 50));
  expect(got).toEqual(['one', 'two', 'three']);
});

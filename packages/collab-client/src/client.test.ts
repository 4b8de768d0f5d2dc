// The SDK against the plugin mounted in-process (as an application embeds it): reconnect after
// the server goes away, two subscriptions on one conversation, detach, history, state events.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { createCollab, type Collab } from '@vestnik/collab';
import { createSqliteStorage } from '@vestnik/storage-sqlite';
import { collabServer, issueClientToken } from '@vestnik/collab-server';
import type { Message } from '@vestnik/protocol';
import { connect, type CollabClient } from './client.js';
import { waitUntil } from './test-support.js';

const secret = 'client-test-secret-0123456789-0123456789';
let collab: Collab;
let app: FastifyInstance;
let port = 0;
let alice: string;
const clients: CollabClient[] = [];

async function serve(): Promise<void> {
  app = Fastify();
  // Mounted under the application's own prefix (Fastify's register option).
  await app.register(collabServer, { collab, tokenSecret: secret, application: 'shop', prefix: '/rt' });
  await app.listen({ host: '127.0.0.1', port });
  port = (app.server.address() as { port: number }).port;
}

function client(): CollabClient {
  const c = connect({
    url: () => `ws://127.0.0.1:${port}/rt/ws`,
    WebSocket,
    getToken: () => issueClientToken(secret, { userId: alice, application: 'shop' }).token,
    reconnect: { minDelayMs: 20, maxDelayMs: 200 },
  });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  collab = await createCollab({ storage: createSqliteStorage({ file: ':memory:' }) });
  await collab.register({ applicationName: 'shop' });
  alice = (await collab.createUser({ externalId: 'alice', name: 'Alice' })).id;
  await collab.createConversation({ key: 'k', participants: [alice] });
  await serve();
});

afterAll(async () => {
  for (const c of clients) c.close();
  await app.close();
  await collab.close();
});

const write = (text: string) => collab.createMessage({ conversation: { key: 'k' }, text });

describe('the client SDK', () => {
  it('reconnects when the server goes away and misses nothing, without duplicates', async () => {
    const c = client();
    const states: string[] = [];
    for (const state of ['connecting', 'connected', 'reconnecting'] as const) {
      c.on(state, () => states.push(state));
    }
    const got: Message[] = [];
    const byKey = c.subscribe({ key: 'k' });
    byKey.on('message', (m) => got.push(m));
    const { conversationId, lastSeq } = await byKey.ready();
    const byId: Message[] = [];
    // The seed-named shortcut; `since` makes it independent of when its subscribe is answered.
    const detach = c.attachNewMessageHandler({ id: conversationId }, (m) => byId.push(m), { since: lastSeq });
    await write('one');
    await waitUntil(() => got.length === 1 && byId.length === 1);

    await app.close(); // every socket is closed with 1001
    await write('two');
    await write('three');
    await serve();
    await write('four');
    await waitUntil(() => got.length >= 4 && byId.length >= 4);
    await new Promise((r) => setTimeout(r, 100));
    expect(got.map((m) => m.text)).toEqual(['one', 'two', 'three', 'four']);
    expect(byId.map((m) => m.text)).toEqual(['one', 'two', 'three', 'four']);
    expect(states.slice(0, 2)).toEqual(['connecting', 'connected']);
    expect(states).toContain('reconnecting');
    expect(states.at(-1)).toBe('connected');

    byKey.unsubscribe();
    await write('five');
    await waitUntil(() => byId.length === 5);
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toHaveLength(4);
    detach();

    const page = await c.history({ key: 'k' }, { after: 3, limit: 10 });
    expect(page.messages.map((m) => m.text)).toEqual(['four', 'five']);
    await expect(c.history({ key: 'missing' })).rejects.toMatchObject({ code: 'CONVERSATION_NOT_FOUND' });
  });

  it('reconnects with a new token when a renewal failed and the token expired', async () => {
    let calls = 0;
    const c = connect({
      url: `ws://127.0.0.1:${port}/rt/ws`,
      WebSocket,
      getToken: () => {
        calls++;
        if (calls === 2) throw new Error('the token service is down');
        return issueClientToken(secret, { userId: alice, application: 'shop', ttlSeconds: 2 }).token;
      },
      reconnect: { minDelayMs: 20, maxDelayMs: 200 },
    });
    clients.push(c);
    c.on('error', () => {});
    const got: string[] = [];
    const subscription = c.subscribe({ key: 'k' });
    subscription.on('message', (m) => got.push(m.text));
    await subscription.ready();
    await waitUntil(() => calls >= 3 && c.state === 'connected');
    await write('after expiry');
    await waitUntil(() => got.includes('after expiry'));
  });

  it('stops for good when the server refuses a fresh token', async () => {
    const c = connect({
      url: `ws://127.0.0.1:${port}/rt/ws`,
      WebSocket,
      getToken: () => 'v1.forged.token',
      reconnect: { minDelayMs: 20, maxDelayMs: 200 },
    });
    const closed = new Promise<string | undefined>((resolve) =>
      c.on('closed', ({ error }) => resolve(error?.code)),
    );
    c.on('error', () => {});
    const ready = c.ready();
    const subscription = c.subscribe({ key: 'k' });
    const ended = new Promise((resolve) => subscription.on('unsubscribed', resolve));
    expect(await closed).toBe('UNAUTHENTICATED');
    expect(c.state).toBe('closed');
    await expect(ready).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await ended).toMatchObject({ reason: 'error', error: { code: 'UNAUTHENTICATED' } });
  });
});

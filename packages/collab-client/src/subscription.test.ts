// Subscriptions against the plugin mounted in-process: their states and the order of their events,
// `since` and the conversation's last seq from the server's answer, unsubscribing while the answer
// is on its way, an end by the server for good, and resubscribing after a reconnect.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { createCollab, type Collab } from '@vestnik/collab';
import { createSqliteStorage } from '@vestnik/storage-sqlite';
import { collabServer, issueClientToken } from '@vestnik/collab-server';
import type { Message } from '@vestnik/protocol';
import { connect, type CollabClient } from './client.js';
import type { Subscription } from './subscription.js';
import { frameLog, recordingWebSocket, waitUntil, type FrameLog } from './test-support.js';

const secret = 'subscription-test-secret-0123456789-0123456789';
let collab: Collab;
let app: FastifyInstance;
let port = 0;
let alice: string;
let bob: string;
let clients: CollabClient[] = [];
let conversations = 0;

async function serve(): Promise<void> {
  app = Fastify();
  await app.register(collabServer, { collab, tokenSecret: secret, application: 'shop' });
  await app.listen({ host: '127.0.0.1', port });
  port = (app.server.address() as { port: number }).port;
}

function client(log: FrameLog = frameLog(), userId = alice): CollabClient {
  const c = connect({
    url: () => `ws://127.0.0.1:${port}/collab/ws`,
    WebSocket: recordingWebSocket(log),
    getToken: () => issueClientToken(secret, { userId, application: 'shop' }).token,
    reconnect: { minDelayMs: 20, maxDelayMs: 200 },
  });
  c.on('error', () => {}); // each test listens to its subscriptions' errors
  clients.push(c);
  return c;
}

/** A new conversation of alice and bob, by key, with `count` messages in it. */
async function conversation(
  count = 0,
): Promise<{ key: string; id: string; write: (text: string) => Promise<Message> }> {
  const key = `c${++conversations}`;
  const { id } = await collab.createConversation({ key, participants: [alice, bob] });
  const write = (text: string) => collab.createMessage({ conversation: { key }, text });
  for (let i = 1; i <= count; i++) await write(`m${i}`);
  return { key, id, write };
}

/** Every event of a subscription, in order, as short strings. */
function record(subscription: Subscription): string[] {
  const events: string[] = [];
  subscription.on('subscribing', (e) => events.push(`subscribing:${e.reason}`));
  subscription.on('subscribed', (e) =>
    events.push(`subscribed:since=${e.since},lastSeq=${e.lastSeq}${e.resubscribed ? ',again' : ''}`),
  );
  subscription.on('message', (m) => events.push(`message:${m.text}`));
  subscription.on('error', (e) => events.push(`error:${e.code}`));
  subscription.on('unsubscribed', (e) =>
    events.push(`unsubscribed:${e.reason === 'error' ? e.error.code : e.reason}`),
  );
  return events;
}

/** A round trip on the client's socket: every frame the server sent before it has come. */
async function roundTrip(c: CollabClient, key: string): Promise<void> {
  await c.history({ key }, { limit: 1 });
}

const subscribes = (log: FrameLog) => log.sent.filter((f) => f.op === 'subscribe');

beforeAll(async () => {
  collab = await createCollab({ storage: createSqliteStorage({ file: ':memory:' }), onError: () => {} });
  await collab.register({ applicationName: 'shop' });
  alice = (await collab.createUser({ externalId: 'alice', name: 'Alice' })).id;
  bob = (await collab.createUser({ externalId: 'bob', name: 'Bob' })).id;
  await serve();
});

afterEach(() => {
  for (const c of clients) c.close();
  clients = [];
});

afterAll(async () => {
  await app.close();
  await collab.close();
});

describe('a subscription', () => {
  it('goes unsubscribed -> subscribing -> subscribed -> unsubscribed, with its events in that order', async () => {
    const { key, write } = await conversation(2);
    const c = client();
    const subscription = c.newSubscription({ key });
    expect(subscription.state).toBe('unsubscribed');
    const events = record(subscription);
    const states: string[] = [];
    for (const event of ['subscribing', 'subscribed', 'unsubscribed'] as const) {
      subscription.on(event, () => states.push(subscription.state));
    }
    subscription.subscribe();
    expect(subscription.state).toBe('subscribing');
    const served = await subscription.ready();
    expect(subscription.state).toBe('subscribed');
    expect(served).toMatchObject({ since: 2, lastSeq: 2, truncated: false, resubscribed: false });
    expect(subscription.conversationId).toBe(served.conversationId);
    await write('three');
    await waitUntil(() => events.includes('message:three'));
    subscription.unsubscribe();
    expect(subscription.state).toBe('unsubscribed');
    await write('four');
    await roundTrip(c, key);
    expect(events).toEqual([
      'subscribing:subscribe',
      'subscribed:since=2,lastSeq=2',
      'message:three',
      'unsubscribed:unsubscribe',
    ]);
    expect(states).toEqual(['subscribing', 'subscribed', 'unsubscribed']);
    expect(subscription.position).toBe(3);
    await expect(subscription.ready()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('with since, hands over what came after it, then new messages; without, only new ones', async () => {
    const { key, write } = await conversation(3);
    const c = client();
    const caughtUp = c.subscribe({ key }, { since: 1 });
    const fromNow = c.subscribe({ key });
    const [early, late] = [record(caughtUp), record(fromNow)];
    await Promise.all([caughtUp.ready(), fromNow.ready()]);
    await write('m4');
    await waitUntil(() => early.includes('message:m4') && late.includes('message:m4'));
    expect(early).toEqual(['subscribed:since=1,lastSeq=3', 'message:m2', 'message:m3', 'message:m4']);
    expect(late).toEqual(['subscribed:since=3,lastSeq=3', 'message:m4']);
  });

  it('learns where the conversation stands from the answer, not from history', async () => {
    const { key, write } = await conversation(3);
    const log = frameLog();
    const c = client(log);
    await c.ready();
    const first = c.subscribe({ key }, { since: 0 });
    const all = record(first);
    await first.ready();
    // Shares the socket's subscription, answered already (and maybe still catching up from 0).
    const second = c.subscribe({ key });
    const fresh = record(second);
    await second.ready();
    await write('m4');
    await waitUntil(() => fresh.includes('message:m4') && all.includes('message:m4'));
    expect(fresh).toEqual(['subscribed:since=3,lastSeq=3', 'message:m4']);
    expect(all).toEqual([
      'subscribed:since=0,lastSeq=3',
      'message:m1',
      'message:m2',
      'message:m3',
      'message:m4',
    ]);
    expect(subscribes(log).map((f) => f.since)).toEqual([0]);
    expect(log.sent.filter((f) => f.op === 'history')).toEqual([]);
  });

  it('unsubscribed while its subscribe is on its way: no message, and the server subscription is dropped', async () => {
    const { key, id, write } = await conversation(1);
    const log = frameLog();
    const c = client(log);
    await c.ready();
    const subscription = c.newSubscription({ key }, { since: 0 });
    const events = record(subscription);
    // Unsubscribe the moment the subscribe leaves: the server's answer is certainly still to come.
    log.onSend = (frame) => {
      if (frame.op === 'subscribe') subscription.unsubscribe();
    };
    subscription.subscribe();
    await waitUntil(() => log.received.some((f) => f.op === 'subscribed'));
    await waitUntil(() => log.sent.some((f) => f.op === 'unsubscribe'));
    expect(log.sent.filter((f) => f.op === 'unsubscribe')).toEqual([
      { op: 'unsubscribe', conversationId: id },
    ]);
    await write('after');
    await roundTrip(c, key);
    // The catch-up may have come before the server had the unsubscribe; nothing written after it.
    const pushed = log.received.flatMap((f) => (f.op === 'message' ? [f.message.text] : []));
    expect(pushed).not.toContain('after');
    expect(events).toEqual(['subscribing:subscribe', 'unsubscribed:unsubscribe']);
    await expect(subscription.ready()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('unsubscribed before its subscribe left: nothing is sent', async () => {
    const { key } = await conversation();
    const log = frameLog();
    const c = client(log);
    await c.ready();
    const subscription = c.subscribe({ key });
    subscription.unsubscribe();
    await roundTrip(c, key);
    expect(log.sent.filter((f) => f.op === 'subscribe' || f.op === 'unsubscribe')).toEqual([]);
  });

  it('refused by the server ends with its code, and is not tried again after a reconnect', async () => {
    const log = frameLog();
    const carol = (await collab.createUser({ externalId: 'carol', name: 'Carol' })).id;
    const { key } = await conversation();
    const stranger = client(log, carol);
    const subscription = stranger.subscribe({ key });
    const events = record(subscription);
    await expect(subscription.ready()).rejects.toMatchObject({ code: 'NOT_PARTICIPANT' });
    expect(events).toEqual(['error:NOT_PARTICIPANT', 'unsubscribed:NOT_PARTICIPANT']);
    expect(subscription.state).toBe('unsubscribed');
    await reconnectAll();
    await stranger.ready();
    await expect(roundTrip(stranger, key)).rejects.toMatchObject({ code: 'NOT_PARTICIPANT' });
    expect(subscribes(log)).toHaveLength(1);
  });

  it('ended by the server for good (removed from the conversation): the reason is its code', async () => {
    const { key, write } = await conversation(1);
    const log = frameLog();
    const c = client(log, bob);
    const subscription = c.subscribe({ key });
    const events = record(subscription);
    await subscription.ready();
    await collab.removeParticipants({ key }, [bob]);
    await waitUntil(() => subscription.state === 'unsubscribed');
    await write('after removal');
    await reconnectAll();
    await c.ready();
    await expect(roundTrip(c, key)).rejects.toMatchObject({ code: 'NOT_PARTICIPANT' });
    expect(events).toEqual([
      'subscribed:since=1,lastSeq=1',
      'error:NOT_PARTICIPANT',
      'unsubscribed:NOT_PARTICIPANT',
    ]);
    expect(subscribes(log)).toHaveLength(1);
  });

  it('ends with reason `closed` when the client is closed, and at once on a closed client', async () => {
    const { key } = await conversation();
    const c = client();
    const subscription = c.subscribe({ key });
    const events = record(subscription);
    await subscription.ready();
    c.close();
    expect(events).toEqual(['subscribed:since=0,lastSeq=0', 'unsubscribed:closed']);
    const late = c.newSubscription({ key });
    const lateEvents = record(late);
    late.subscribe();
    await expect(late.ready()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(lateEvents).toEqual(['subscribing:subscribe', 'unsubscribed:closed']);
  });

  it('resubscribes after a reconnect from the last seq it saw, each message once, in order', async () => {
    const { key, write } = await conversation(1);
    const log = frameLog();
    const c = client(log);
    const subscription = c.subscribe({ key }, { since: 0 });
    // A second one on the same conversation from a later seq shares the socket's subscription.
    const later = c.subscribe({ key });
    const [events, laterEvents] = [record(subscription), record(later)];
    await Promise.all([subscription.ready(), later.ready()]);
    await write('m2');
    await waitUntil(() => events.includes('message:m2') && laterEvents.includes('message:m2'));

    await app.close(); // every socket is closed with 1001
    await waitUntil(() => subscription.state === 'subscribing');
    await write('m3');
    await write('m4');
    await serve();
    await waitUntil(() => subscription.state === 'subscribed' && later.state === 'subscribed');
    await write('m5');
    await waitUntil(() => events.includes('message:m5') && laterEvents.includes('message:m5'));
    await roundTrip(c, key);
    expect(events).toEqual([
      'subscribed:since=0,lastSeq=1',
      'message:m1',
      'message:m2',
      'subscribing:connection-lost',
      'subscribed:since=2,lastSeq=4,again',
      'message:m3',
      'message:m4',
      'message:m5',
    ]);
    expect(laterEvents).toEqual([
      'subscribed:since=1,lastSeq=1',
      'message:m2',
      'subscribing:connection-lost',
      'subscribed:since=2,lastSeq=4,again',
      'message:m3',
      'message:m4',
      'message:m5',
    ]);
    expect(subscribes(log).map((f) => f.since)).toEqual([0, 2]);
  });
});

async function reconnectAll(): Promise<void> {
  await app.close();
  await serve();
}

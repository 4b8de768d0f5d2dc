// The gateway against a real server process: authentication and its close codes, token renewal,
// the catalogue's errors, bad frames and limits.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeCodes, type Message, type ServerFrame } from '@vestnik/protocol';
import { connect } from '@vestnik/collab-client';
import { issueClientToken } from '@vestnik/collab-server';
import { openRaw, type RawSocket } from '@vestnik/collab-server/testing';
import { startServer, TEST_APPLICATION, TEST_SECRET, type ServerProcess } from './testing/index.js';

let dir: string;
let server: ServerProcess;
let alice: string;
let bob: string;
let carol: string;

const token = (userId: string, extra: { ttlSeconds?: number; now?: number; application?: string } = {}) =>
  issueClientToken(TEST_SECRET, { userId, application: TEST_APPLICATION, ...extra }).token;

const is =
  <Op extends ServerFrame['op']>(op: Op, id?: string) =>
  (frame: ServerFrame): frame is Extract<ServerFrame, { op: Op }> =>
    frame.op === op && (id === undefined || ('id' in frame && frame.id === id));

async function authed(userId: string): Promise<RawSocket> {
  const socket = await openRaw(server.wsUrl);
  socket.send({ op: 'auth', token: token(userId) });
  await socket.next(is('welcome'));
  return socket;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vestnik-gateway-'));
  server = await startServer({
    VESTNIK_SQLITE_FILE: path.join(dir, 'collab.db'),
    VESTNIK_MAX_SUBSCRIPTIONS: '3',
    VESTNIK_MAX_CONNECTIONS_PER_USER: '3',
    VESTNIK_MAX_FRAME_BYTES: '4096',
  });
  const user = async (externalId: string) =>
    (await server.api<{ id: string }>('POST', '/users', { externalId, name: externalId })).body.id;
  [alice, bob, carol] = [await user('alice'), await user('bob'), await user('carol')];
  const created = await server.api('POST', '/conversations', {
    key: 'couriers',
    displayed: false,
    participants: [alice, bob],
  });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  if (process.env.DEBUG_SERVER) console.log(server?.output());
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('authentication', () => {
  it('refuses a forged, an expired, another application’s and a missing token with 4401', async () => {
    const good = token(alice);
    const [version, payload, signature] = good.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: bob }),
    ).toString('base64url');
    const refused = [
      `${version}.${forgedPayload}.${signature}`,
      token(alice, { now: Date.now() - 3_600_000 }),
      issueClientToken(TEST_SECRET, { userId: alice, application: 'another-app' }).token,
      issueClientToken('another-secret-0123456789-0123456789-xyz', {
        userId: alice,
        application: TEST_APPLICATION,
      }).token,
    ];
    for (const bad of refused) {
      const socket = await openRaw(server.wsUrl);
      socket.send({ op: 'auth', token: bad });
      expect((await socket.next(is('error'))).code).toBe('UNAUTHENTICATED');
      expect((await socket.closed).code).toBe(closeCodes.UNAUTHENTICATED.code);
    }
    const viaQuery = await openRaw(`${server.wsUrl}?token=${encodeURIComponent(refused[1]!)}`);
    expect((await viaQuery.closed).code).toBe(4401);
    const noAuth = await openRaw(server.wsUrl);
    noAuth.send({ op: 'subscribe', id: 's', conversation: { key: 'couriers' } });
    expect((await noAuth.closed).code).toBe(4401);
    // A malformed auth frame is refused at once, not left open until the auth timeout.
    const malformed = await openRaw(server.wsUrl);
    malformed.send({ op: 'auth', token: '' });
    expect((await malformed.next(is('error'))).message).toBe('The first frame must be a valid auth frame.');
    expect((await malformed.closed).code).toBe(4401);
  });

  it('accepts a token as the first frame or as a query parameter, and says who the user is', async () => {
    const socket = await openRaw(`${server.wsUrl}?token=${encodeURIComponent(token(bob))}`);
    const welcome = await socket.next(is('welcome'));
    expect(welcome.userId).toBe(bob);
    expect(welcome.expiresIn).toBeGreaterThan(0);
    socket.ws.close();
    const first = await authed(alice);
    first.ws.close();
  });

  it('closes the socket when its token expires without renewal', async () => {
    const socket = await openRaw(server.wsUrl);
    // At least one second left (expiry is in whole seconds), so the welcome comes first.
    socket.send({ op: 'auth', token: token(alice, { ttlSeconds: 2 }) });
    await socket.next(is('welcome'));
    expect((await socket.closed).code).toBe(4401);
  });

  it('refuses to renew with a token of another user, and renews with a good one', async () => {
    const socket = await authed(alice);
    socket.send({ op: 'auth', id: 'r1', token: token(bob) });
    expect((await socket.next(is('error', 'r1'))).code).toBe('UNAUTHENTICATED');
    socket.send({ op: 'auth', id: 'r2', token: token(alice, { ttlSeconds: 600 }) });
    expect((await socket.next(is('authenticated', 'r2'))).expiresIn).toBeGreaterThan(500_000);
    socket.ws.close();
  });

  it('keeps subscriptions when the SDK renews its token', async () => {
    let issued = 0;
    const client = connect({
      url: server.wsUrl,
      WebSocket,
      getToken: () => {
        issued++;
        return token(alice, { ttlSeconds: 4 });
      },
    });
    const states: string[] = [];
    client.on('reconnecting', () => states.push('reconnecting'));
    const got: Message[] = [];
    const subscription = client.subscribe({ key: 'couriers' });
    subscription.on('message', (m) => got.push(m));
    await subscription.ready();
    // Outlive the first token: the socket would be closed with 4401 if renewal did not work.
    await new Promise((r) => setTimeout(r, 5000));
    await server.api('POST', '/messages', { conversation: { key: 'couriers' }, text: 'after renewal' });
    await waitUntil(() => got.length === 1);
    expect(got[0]!.text).toBe('after renewal');
    expect(issued).toBeGreaterThanOrEqual(2);
    expect(states).toEqual([]);
    client.close();
  });

  it('says which user the client is (currentUserId)', async () => {
    const client = connect({ url: server.wsUrl, WebSocket, getToken: () => token(bob) });
    await client.ready();
    expect(client.currentUserId).toBe(bob);
    client.close();
  });
});

describe('subscriptions and errors', () => {
  it('refuses a non-participant with NOT_PARTICIPANT and an unknown key with CONVERSATION_NOT_FOUND', async () => {
    const socket = await authed(carol);
    socket.send({ op: 'subscribe', id: 'a', conversation: { key: 'couriers' } });
    expect(await socket.next(is('error', 'a'))).toMatchObject({ code: 'NOT_PARTICIPANT' });
    socket.send({ op: 'subscribe', id: 'b', conversation: { key: 'no-such-key' } });
    expect(await socket.next(is('error', 'b'))).toMatchObject({ code: 'CONVERSATION_NOT_FOUND' });
    const alices = await authed(alice);
    alices.send({ op: 'subscribe', id: 'late', conversation: { key: 'couriers' }, since: 1_000_000 });
    expect(await alices.next(is('error', 'late'))).toMatchObject({ code: 'INVALID_ARGUMENT' });
    alices.ws.close();
    socket.send({ op: 'history', id: 'c', conversation: { key: 'couriers' } });
    expect(await socket.next(is('error', 'c'))).toMatchObject({ code: 'NOT_PARTICIPANT' });
    socket.ws.close();

    const client = connect({ url: server.wsUrl, WebSocket, getToken: () => token(carol) });
    const errors: string[] = [];
    const subscription = client.subscribe({ key: 'couriers' });
    subscription.on('unsubscribed', (e) => errors.push(e.reason === 'error' ? e.error.code : e.reason));
    await expect(subscription.ready()).rejects.toMatchObject({ code: 'NOT_PARTICIPANT' });
    expect(errors).toEqual(['NOT_PARTICIPANT']);
    client.close();
  });

  it('tells the conversation’s last seq in `subscribed`, with and without since', async () => {
    const { id } = (
      await server.api<{ id: string }>('POST', '/conversations', { participants: [alice, bob] })
    ).body;
    const write = (text: string, recipients?: string[]) =>
      server.api('POST', '/messages', { conversation: { id }, text, recipients });
    await write('one');
    await write('two');
    await write('for bob only', [bob]); // seq 3: hidden from alice, still the newest seq
    const socket = await authed(alice);
    socket.send({ op: 'subscribe', id: 'now', conversation: { id } });
    expect(await socket.next(is('subscribed', 'now'))).toMatchObject({ cursor: 3, lastSeq: 3 });
    socket.send({ op: 'unsubscribe', conversationId: id });
    socket.send({ op: 'subscribe', id: 'since', conversation: { id }, since: 1 });
    expect(await socket.next(is('subscribed', 'since'))).toMatchObject({ cursor: 1, lastSeq: 3 });
    await write('three');
    await socket.next((f) => f.op === 'message' && f.message.text === 'three');
    const texts = socket.frames.flatMap((f) => (f.op === 'message' ? [f.message.text] : []));
    expect(texts).toEqual(['two', 'three']);
    socket.ws.close();
  });

  it('answers bad frames with INVALID_ARGUMENT and keeps the socket', async () => {
    const socket = await authed(alice);
    const bad = [
      '{not json',
      '[1,2]',
      JSON.stringify({ op: 'launch-rockets', id: 'x1' }),
      JSON.stringify({ op: 'subscribe', id: 'x2', conversation: { key: 42 } }),
      JSON.stringify({ op: 'subscribe', id: 'x3', conversation: { key: 'couriers' }, since: -1 }),
      JSON.stringify({ op: 'subscribe', conversation: { key: 'couriers' } }),
      JSON.stringify({ op: 'history', id: 'x4', conversation: { id: 'c' }, limit: 'ten' }),
      JSON.stringify({ op: 'unsubscribe', conversationId: 7 }),
    ];
    for (const frame of bad) socket.send(frame);
    socket.ws.send(Buffer.from('binary'), { binary: true });
    await waitUntil(() => socket.frames.filter((f) => f.op === 'error').length === bad.length + 1);
    for (const frame of socket.frames.filter((f) => f.op === 'error')) {
      expect(frame).toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    expect(socket.frames.find(is('error', 'x1'))?.message).toContain('launch-rockets');
    socket.send({ op: 'ping', id: 'p' });
    await socket.next(is('pong', 'p'));
    socket.ws.close();
  });

  it('enforces the subscription limit per socket with LIMIT_EXCEEDED', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const c = await server.api<{ id: string }>('POST', '/conversations', { participants: [alice] });
      ids.push(c.body.id);
    }
    const socket = await authed(alice);
    ids.forEach((id, i) => socket.send({ op: 'subscribe', id: `s${i}`, conversation: { id } }));
    for (let i = 0; i < 3; i++) await socket.next(is('subscribed', `s${i}`));
    expect(await socket.next(is('error', 's3'))).toMatchObject({ code: 'LIMIT_EXCEEDED' });
    socket.ws.close();
  });

  it('closes a socket whose frame is too large with 1009', async () => {
    const socket = await authed(alice);
    socket.send({ op: 'ping', id: 'x'.repeat(5000) });
    expect((await socket.closed).code).toBe(closeCodes.FRAME_TOO_LARGE.code);
  });

  it('closes the connection over the per-user limit with 4429', async () => {
    const sockets = [await authed(bob), await authed(bob), await authed(bob)];
    const fourth = await openRaw(server.wsUrl);
    fourth.send({ op: 'auth', token: token(bob) });
    expect((await fourth.closed).code).toBe(closeCodes.TOO_MANY_CONNECTIONS.code);
    for (const socket of sockets) socket.ws.close();
  });

  it('ends a subscription when the user is removed from the conversation', async () => {
    const c = await server.api<{ id: string }>('POST', '/conversations', { participants: [alice, bob] });
    const socket = await authed(bob);
    socket.send({ op: 'subscribe', id: 's', conversation: { id: c.body.id } });
    await socket.next(is('subscribed', 's'));
    expect((await server.api('DELETE', `/conversations/${c.body.id}/participants/${bob}`)).status).toBe(200);
    expect(await socket.next(is('unsubscribed'))).toMatchObject({
      conversationId: c.body.id,
      code: 'NOT_PARTICIPANT',
    });
    socket.ws.close();
  });
});

describe('server API', () => {
  it('needs the application key, validates bodies, answers coded errors', async () => {
    const anonymous = await fetch(`${server.httpUrl}/collab/api/users/${alice}`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    const invalid = await server.api('POST', '/users', { externalId: 5 });
    expect(invalid).toMatchObject({ status: 400, body: { code: 'INVALID_ARGUMENT' } });
    const missing = await server.api('GET', '/conversations/by-key/nope');
    expect(missing).toMatchObject({ status: 404, body: { code: 'CONVERSATION_NOT_FOUND' } });
    const duplicate = await server.api('POST', '/users', { externalId: 'alice', name: 'again' });
    expect(duplicate).toMatchObject({ status: 409, body: { code: 'DUPLICATE_KEY' } });
    const notMember = await server.api('GET', `/conversations/by-key/couriers`);
    const history = await server.api(
      'GET',
      `/conversations/${(notMember.body as { id: string }).id}/messages?asUser=${carol}`,
    );
    expect(history).toMatchObject({ status: 403, body: { code: 'NOT_PARTICIPANT' } });
    const malformed = await fetch(`${server.httpUrl}/collab/api/users`, {
      method: 'POST',
      headers: {
        authorization: `Bearer test-application-key-0123456789`,
        'content-type': 'application/json',
      },
      body: '{oops',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'INVALID_ARGUMENT' });
    const bigData = await server.api('POST', '/messages', {
      conversation: { key: 'couriers' },
      text: 'too big',
      data: { blob: 'x'.repeat(70_000) },
    });
    expect(bigData).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
    const bigBody = await server.api('POST', '/messages', {
      conversation: { key: 'couriers' },
      text: 'y'.repeat(2 * 1024 * 1024),
    });
    expect(bigBody).toMatchObject({ status: 413, body: { code: 'PAYLOAD_TOO_LARGE' } });
    const tokenAnswer = await server.api<{ token: string }>('POST', '/tokens', { userId: alice });
    expect(tokenAnswer.status).toBe(201);
    const socket = await openRaw(server.wsUrl);
    socket.send({ op: 'auth', token: tokenAnswer.body.token });
    expect((await socket.next(is('welcome'))).userId).toBe(alice);
    socket.ws.close();
  });

  it('is described by OpenAPI', async () => {
    const response = await fetch(`${server.httpUrl}/collab/api/openapi.json`);
    const spec = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/collab/api/users', '/collab/api/messages', '/collab/api/tokens']),
    );
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

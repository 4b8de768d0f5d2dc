// Attacks on the WebSocket gateway, against a real server process: reading a conversation one does
// not take part in (by key or by guessed id, live or in history), messages addressed to someone
// else, tokens that are expired, forged, signed with another secret or for another application,
// another user's token slipped in as a renewal, an expired token replayed, and a socket flood.

import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCodes, type Message, type ServerFrame } from '@vestnik/protocol';
import { issueClientToken } from '@vestnik/collab-server';
import { openRaw, type RawSocket } from '@vestnik/collab-server/testing';
import {
  startServer,
  TEST_APPLICATION,
  TEST_SECRET,
  type ServerProcess,
} from '@vestnik/collab-standalone/testing';
import { attackCounter } from '../support/attack-log.js';

let dir: string;
let server: ServerProcess;
let alice: string;
let bob: string;
let eve: string;
let secretId: string;
const attacks = attackCounter('attacks: gateway');
const opened: RawSocket[] = [];

const token = (userId: string, extra: { ttlSeconds?: number; application?: string; now?: number } = {}) =>
  issueClientToken(TEST_SECRET, { userId, application: TEST_APPLICATION, ...extra }).token;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'vestnik-gw-attacks-'));
  server = await startServer({
    VESTNIK_SQLITE_FILE: path.join(dir, 'collab.db'),
    VESTNIK_MAX_CONNECTIONS_PER_USER: '4',
  });
  const user = async (name: string) =>
    (await server.api<{ id: string }>('POST', '/users', { externalId: name, name })).body.id;
  [alice, bob, eve] = [await user('alice'), await user('bob'), await user('eve')];
  secretId = (
    await server.api<{ id: string }>('POST', '/conversations', {
      key: 'alice and bob',
      displayed: false,
      participants: [alice, bob],
    })
  ).body.id;
});

afterAll(async () => {
  for (const socket of opened) socket.ws.terminate();
  const crashed = await Promise.race([
    server.exited.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), 50)),
  ]);
  attacks.record({ crashes: crashed ? 1 : 0 });
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function socketWith(tokenValue: string): Promise<RawSocket> {
  const socket = await openRaw(server.wsUrl);
  opened.push(socket);
  socket.send({ op: 'auth', token: tokenValue });
  return socket;
}

async function signedIn(userId: string): Promise<RawSocket> {
  const socket = await socketWith(token(userId));
  await socket.next((f) => f.op === 'welcome');
  return socket;
}

const isError = (id: string) => (f: ServerFrame) => f.op === 'error' && (f as { id?: string }).id === id;

describe('reading what is not yours', () => {
  it('a non-participant cannot subscribe by key or by id, and gets nothing written afterwards', async () => {
    const socket = await signedIn(eve);
    for (const [id, conversation] of [
      ['by-key', { key: 'alice and bob' }],
      ['by-id', { id: secretId }],
    ] as const) {
      await attacks.attempt(async () => socket.send({ op: 'subscribe', id, conversation, since: 0 }));
      const refused = await socket.next(isError(id));
      expect(refused).toMatchObject({ code: 'NOT_PARTICIPANT' });
    }
    await attacks.attempt(async () =>
      socket.send({ op: 'history', id: 'h', conversation: { id: secretId } }),
    );
    expect(await socket.next(isError('h'))).toMatchObject({ code: 'NOT_PARTICIPANT' });
    await server.api('POST', '/messages', { conversation: { id: secretId }, text: 'for alice and bob only' });
    socket.send({ op: 'ping', id: 'after' });
    await socket.next((f) => f.op === 'pong');
    expect(
      socket.frames.some((f) => f.op === 'message' || f.op === 'history-page' || f.op === 'subscribed'),
    ).toBe(false);
  });

  it('a guessed or made-up conversation id answers like a missing one', async () => {
    const socket = await signedIn(eve);
    for (const [n, id] of [
      // One character off the real id (never the real id itself).
      `${secretId.slice(0, -1)}${secretId.endsWith('0') ? '1' : '0'}`,
      "' OR 1=1 --",
      '../../etc/passwd',
      'x'.repeat(300),
    ].entries()) {
      await attacks.attempt(async () => socket.send({ op: 'subscribe', id: `g${n}`, conversation: { id } }));
      const refused = (await socket.next(isError(`g${n}`))) as { code: string };
      expect(['CONVERSATION_NOT_FOUND', 'INVALID_ARGUMENT']).toContain(refused.code);
    }
  });

  it('a message addressed to one participant reaches no other, live or in history', async () => {
    const bobSocket = await signedIn(bob);
    bobSocket.send({ op: 'subscribe', id: 's', conversation: { id: secretId } });
    await bobSocket.next((f) => f.op === 'subscribed');
    const written = await server.api<Message>('POST', '/messages', {
      conversation: { id: secretId },
      text: 'only alice',
      recipients: [alice],
    });
    await server.api('POST', '/messages', { conversation: { id: secretId }, text: 'everyone' });
    await bobSocket.next(
      (f) => f.op === 'message' && (f as { message: Message }).message.text === 'everyone',
    );
    const live = bobSocket.frames
      .filter((f) => f.op === 'message')
      .map((f) => (f as { message: Message }).message);
    expect(live.map((m) => m.id)).not.toContain(written.body.id);

    await attacks.attempt(async () =>
      bobSocket.send({ op: 'history', id: 'hist', conversation: { id: secretId }, after: 0, limit: 1000 }),
    );
    const page = (await bobSocket.next((f) => f.op === 'history-page')) as { messages: Message[] };
    expect(page.messages.map((m) => m.id)).not.toContain(written.body.id);
    expect(page.messages.map((m) => m.text)).toContain('everyone');
    // Asking for history right around the private message's seq does not reveal it either.
    await attacks.attempt(async () =>
      bobSocket.send({
        op: 'history',
        id: 'h2',
        conversation: { id: secretId },
        after: written.body.seq - 1,
        limit: 1,
      }),
    );
    const around = (await bobSocket.next(
      (f) => f.op === 'history-page' && (f as { id: string }).id === 'h2',
    )) as {
      messages: Message[];
    };
    expect(around.messages.every((m) => m.id !== written.body.id)).toBe(true);
  });

  it('a participant removed mid-subscription is cut off and gets nothing more', async () => {
    const carol = (await server.api<{ id: string }>('POST', '/users', { externalId: 'carol', name: 'carol' }))
      .body.id;
    const room = (
      await server.api<{ id: string }>('POST', '/conversations', {
        key: 'room',
        participants: [alice, carol],
      })
    ).body.id;
    const socket = await signedIn(carol);
    socket.send({ op: 'subscribe', id: 's', conversation: { id: room } });
    await socket.next((f) => f.op === 'subscribed');
    await server.api('DELETE', `/conversations/${room}/participants/${carol}`);
    const ended = await socket.next((f) => f.op === 'unsubscribed');
    expect(ended).toMatchObject({ code: 'NOT_PARTICIPANT' });
    await server.api('POST', '/messages', { conversation: { id: room }, text: 'after carol left' });
    await attacks.attempt(async () =>
      socket.send({ op: 'subscribe', id: 'again', conversation: { id: room }, since: 0 }),
    );
    expect(await socket.next(isError('again'))).toMatchObject({ code: 'NOT_PARTICIPANT' });
    expect(socket.frames.some((f) => f.op === 'message')).toBe(false);
  });
});

describe('tokens', () => {
  const refusedWith = async (tokenValue: string, code: number) => {
    const socket = await attacks.attempt(() => socketWith(tokenValue));
    expect((await socket.closed).code).toBe(code);
    expect(socket.frames.some((f) => f.op === 'welcome')).toBe(false);
  };

  it('expired, forged, re-signed, other-application and malformed tokens are refused with 4401', async () => {
    const good = token(alice);
    const [version, payload, signature] = good.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signWith = (secret: string, body: string) =>
      createHmac('sha256', secret).update(`${version}.${body}`).digest('base64url');
    const asBob = encode({ ...claims, sub: bob });
    const forever = encode({ ...claims, exp: (claims.exp as number) + 10 ** 6 });
    const unauthenticated = closeCodes.UNAUTHENTICATED.code;
    for (const bad of [
      token(alice, { now: Date.now() - 3600_000, ttlSeconds: 60 }), // expired an hour ago
      token(alice, { application: 'another-app' }), // for another application
      `${version}.${asBob}.${signature}`, // claims changed, old signature
      `${version}.${forever}.${signature}`, // lifetime stretched
      `${version}.${asBob}.${signWith('a-guessed-secret-that-is-long-enough!!', asBob)}`, // another secret
      `v0.${payload}.${signature}`, // another version
      `${version}.${payload}`, // no signature
      `${version}.${payload}.`, // empty signature
      'null',
      '',
      'x'.repeat(5000),
    ]) {
      await refusedWith(bad, unauthenticated);
    }
  });

  it('a token for a user the server does not know is refused with 4403', async () => {
    await refusedWith(token('no-such-user'), closeCodes.FORBIDDEN.code);
  });

  it('the token in the query string is checked the same way', async () => {
    const socket = await attacks.attempt(() =>
      openRaw(`${server.wsUrl}?token=${encodeURIComponent(token(alice, { application: 'another-app' }))}`),
    );
    opened.push(socket);
    expect((await socket.closed).code).toBe(closeCodes.UNAUTHENTICATED.code);
  });

  it('another user’s token cannot be slipped in as a renewal', async () => {
    const socket = await signedIn(eve);
    await attacks.attempt(async () => socket.send({ op: 'auth', id: 'renew', token: token(alice) }));
    expect(await socket.next(isError('renew'))).toMatchObject({ code: 'UNAUTHENTICATED' });
    socket.send({ op: 'subscribe', id: 'still-eve', conversation: { id: secretId } });
    expect(await socket.next(isError('still-eve'))).toMatchObject({ code: 'NOT_PARTICIPANT' });
  });

  it('a socket whose token runs out without renewal is closed, and the token cannot be replayed', async () => {
    const shortLived = token(alice, { ttlSeconds: 2 });
    const socket = await socketWith(shortLived);
    await socket.next((f) => f.op === 'welcome');
    expect((await socket.closed).code).toBe(closeCodes.UNAUTHENTICATED.code);
    await refusedWith(shortLived, closeCodes.UNAUTHENTICATED.code);
  });

  it('a flood of sockets for one user is cut at maxConnectionsPerUser', async () => {
    const dave = (await server.api<{ id: string }>('POST', '/users', { externalId: 'dave', name: 'dave' }))
      .body.id;
    const sockets: RawSocket[] = [];
    for (let i = 0; i < 4; i++) sockets.push(await signedIn(dave));
    const extra = await attacks.attempt(() => socketWith(token(dave)));
    expect((await extra.closed).code).toBe(closeCodes.TOO_MANY_CONNECTIONS.code);
    for (const socket of sockets) socket.ws.close();
  });
});

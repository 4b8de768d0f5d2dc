// Revocation: what a stolen session or token is worth after the user logs out or is blocked.
// Logging out ends the session on the server: no new collaboration token is issued for it, and the
// tokens issued in it are refused by the gateway (they name the session); blocking a user also
// ends their live subscriptions (USER_BLOCKED) and refuses their tokens, both on a new socket and
// on renewal of an open one.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCodes } from '@vestnik/protocol';
import { openRaw, type RawSocket } from '@vestnik/collab-server/testing';
import { attackCounter } from '../support/attack-log.js';
import { HttpSession } from '../support/http-session.js';
import { startStoreProcess, type StoreProcess } from '@vestnik/store/testing';

let store: StoreProcess;
const attacks = attackCounter('attacks: revocation');
const sockets: RawSocket[] = [];

beforeAll(async () => {
  store = await startStoreProcess({ env: { LOGIN_RATE_LIMIT: '1000' } });
});

afterAll(async () => {
  for (const socket of sockets) socket.ws.terminate();
  attacks.record({ crashes: store?.alive() ? 0 : 1 });
  await store?.dispose();
});

async function tokenOf(session: HttpSession): Promise<string> {
  const answer = await session.post('/api/collab/token', {});
  expect(answer.status, answer.text).toBe(200);
  return (answer.body as { token: string }).token;
}

async function socketWith(token: string): Promise<RawSocket> {
  const socket = await openRaw(`ws://127.0.0.1:${store.port}/collab/ws`);
  sockets.push(socket);
  socket.send({ op: 'auth', token });
  return socket;
}

describe('after logout and blocking', () => {
  it('no new token is issued for a logged-out session; a blocked user’s tokens are refused, also on renewal', async () => {
    const courier = await new HttpSession(store.url).login('courier1', 'courier1');
    const [first, spare] = [await tokenOf(courier), await tokenOf(courier)];
    const open = await socketWith(first);
    await open.next((f) => f.op === 'welcome');
    const key = ((await courier.get('/api/session')).body as { collab: { serviceConversationKey: string } })
      .collab.serviceConversationKey;
    open.send({ op: 'subscribe', id: 's', conversation: { key } });
    await open.next((f) => f.op === 'subscribed');

    // Logout: the session is gone on the server, so it buys no more tokens.
    const stolen = { cookie: courier.cookie, csrf: courier.csrf };
    expect((await courier.request('DELETE', '/api/session')).status).toBe(204);
    const thief = new HttpSession(store.url);
    Object.assign(thief, stolen);
    const refused = await attacks.attempt(() => thief.post('/api/collab/token', {}));
    expect(refused.status).toBe(401);

    // Blocking: the user's live subscriptions end at once (and they leave the service conversation)...
    const admin = await new HttpSession(store.url).login('admin', 'admin');
    const users = (await admin.get('/api/users?search=courier1')).body as {
      items: Array<{ id: string; login: string }>;
    };
    const id = users.items.find((u) => u.login === 'courier1')!.id;
    expect((await admin.put(`/api/users/${id}`, { blocked: true })).status).toBe(200);
    expect(await open.next((f) => f.op === 'unsubscribed')).toMatchObject({ code: 'USER_BLOCKED' });

    // ...a still-unexpired token opens no new socket...
    const replay = await attacks.attempt(() => socketWith(spare));
    expect((await replay.closed).code).toBe(closeCodes.FORBIDDEN.code);

    // ...and cannot renew the socket that was already open.
    await attacks.attempt(async () => open.send({ op: 'auth', id: 'renew', token: spare }));
    expect((await open.closed).code).toBe(closeCodes.FORBIDDEN.code);
    expect(open.frames.some((f) => f.op === 'authenticated')).toBe(false);
  });

  it('a token issued before logout opens no socket and renews none after it', async () => {
    const courier = await new HttpSession(store.url).login('courier2', 'courier2');
    const [first, spare, third] = [await tokenOf(courier), await tokenOf(courier), await tokenOf(courier)];
    const open = await socketWith(first);
    await open.next((f) => f.op === 'welcome');
    expect((await courier.request('DELETE', '/api/session')).status).toBe(204);

    const replay = await attacks.attempt(() => socketWith(spare));
    expect((await replay.closed).code).toBe(closeCodes.UNAUTHENTICATED.code);
    await attacks.attempt(async () => open.send({ op: 'auth', id: 'renew', token: third }));
    expect((await open.closed).code).toBe(closeCodes.UNAUTHENTICATED.code);
    expect(open.frames.some((f) => f.op === 'authenticated')).toBe(false);
  });
});

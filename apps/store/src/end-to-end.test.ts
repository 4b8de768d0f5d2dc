// The seed's scenario end to end over real HTTP and WebSocket on one port: a manager posts an
// order, and the courier's socket (subscribed to the service conversation) receives the
// notification addressed to them, while the other courier's socket receives nothing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sqliteFixture } from '@vestnik/storage-sqlite/testing';
import type { ServerFrame } from '@vestnik/protocol';
import { wsText } from '@vestnik/testing';
import type { StoreApp } from './app.js';
import { serviceConversationKey } from './modules/notifications/service-conversation.js';
import { buildTestStore, orderInput, seedWorld, type World } from './testing/store-harness.js';

const fixture = sqliteFixture();
let store: StoreApp;
let world: World;
let base: string;

beforeAll(async () => {
  store = await buildTestStore(fixture);
  world = await seedWorld(store);
  await store.app.listen({ port: 0, host: '127.0.0.1' });
  const address = store.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await store.app.close();
  await fixture.dispose();
});

/** A logged-in browser, reduced to cookies and the CSRF token. */
async function browser(login: string) {
  const response = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: `${login}-pass` }),
  });
  expect(response.status).toBe(200);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const { csrf } = (await response.json()) as { csrf: string };
  return (method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

/** A courier's socket: authenticates with a token from the store and subscribes to the service conversation. */
async function courierSocket(login: string) {
  const call = await browser(login);
  const { token, wsUrl } = (await (await call('POST', '/api/collab/token')).json()) as {
    token: string;
    wsUrl: string;
  };
  const ws = new WebSocket(wsUrl);
  const frames: ServerFrame[] = [];
  ws.on('message', (data) => frames.push(JSON.parse(wsText(data)) as ServerFrame));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ op: 'auth', token }));
  ws.send(
    JSON.stringify({ op: 'subscribe', id: 's1', conversation: { key: serviceConversationKey }, since: 0 }),
  );
  const waitFor = async (predicate: (frame: ServerFrame) => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!frames.some(predicate)) {
      if (Date.now() > deadline) throw new Error(`no such frame; got ${JSON.stringify(frames)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return frames.find(predicate) as ServerFrame;
  };
  await waitFor((f) => f.op === 'subscribed');
  return { ws, frames, waitFor };
}

describe('the seed scenario', () => {
  it('tells the courier named in a posted order, at once, and nobody else', async () => {
    const one = await courierSocket('courier1');
    const two = await courierSocket('courier2');
    const manager = await browser('manager');
    const created = await manager('POST', '/api/orders', orderInput(world));
    const order = (await created.json()) as { id: string; number: string };
    expect((await manager('POST', `/api/orders/${order.id}/post`, {})).status).toBe(200);

    const frame = await one.waitFor((f) => f.op === 'message');
    expect(frame).toMatchObject({
      op: 'message',
      message: {
        text: `New order No. ${order.number} for you`,
        data: { order: { $ref: 'Order', id: order.id }, courier: { $ref: 'Courier', id: world.courier1 } },
      },
    });
    // The administrator's status panel counts the two couriers' sockets, not one still without a token.
    const anonymous = new WebSocket(`${base.replace('http', 'ws')}/collab/ws`);
    await new Promise((resolve) => anonymous.once('open', resolve));
    const admin = await browser('admin');
    const status = (await (await admin('GET', '/api/admin/status')).json()) as { connectedClients: number };
    expect(status.connectedClients).toBe(2);
    anonymous.close();
    // The courier's client opens the order's form: it may read it.
    const courier = await browser('courier1');
    expect((await courier('GET', `/api/orders/${order.id}`)).status).toBe(200);
    // courier2 got no message; a ping round trip shows the socket is alive and up to date.
    two.ws.send(JSON.stringify({ op: 'ping', id: 'p' }));
    await two.waitFor((f) => f.op === 'pong');
    expect(two.frames.filter((f) => f.op === 'message')).toEqual([]);
    one.ws.close();
    two.ws.close();
  });

  it('refuses a socket without a valid token', async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/collab/ws`);
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ op: 'auth', token: 'v1.forged.token' }));
    const code = await new Promise<number>((resolve) => ws.once('close', (c) => resolve(c)));
    expect(code).toBeGreaterThanOrEqual(4000);
  });
});

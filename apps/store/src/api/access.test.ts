// Access over HTTP: sessions and CSRF, roles enforced on every route, a courier confined to the
// orders addressed to them, and bad input answered with codes (never a 500).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteFixture } from '@vestnik/storage-sqlite/testing';
import { verifyClientToken } from '@vestnik/collab-server';
import type { NotificationPage } from '@vestnik/store-api';
import type { StoreApp } from '../app.js';
import type { Role } from '../database/schema.js';
import { saveOrder } from '../workflows/save-order.js';
import { openSession } from '../modules/users/sessions-service.js';
import { findUser } from '../modules/users/users-service.js';
import { createUserWorkflow } from '../workflows/manage-users.js';
import {
  buildTestStore,
  loginAs,
  orderInput,
  seedWorld,
  type Client,
  type World,
} from '../testing/store-harness.js';

const fixture = sqliteFixture();
let store: StoreApp;
let world: World;
let admin: Client;
let manager: Client;
let courier1: Client;
let courier2: Client;
let order1: string; // posted In work, courier1
let order2: string; // posted In work, courier2

beforeAll(async () => {
  store = await buildTestStore(fixture, { LOGIN_RATE_LIMIT: '8' });
  world = await seedWorld(store);
  admin = await loginAs(store, 'admin');
  manager = await loginAs(store, 'manager');
  courier1 = await loginAs(store, 'courier1');
  courier2 = await loginAs(store, 'courier2');
  order1 = (await saveOrder(store.ctx, { action: 'post', input: orderInput(world) })).order.id;
  order2 = (
    await saveOrder(store.ctx, { action: 'post', input: orderInput(world, { courierId: world.courier2 }) })
  ).order.id;
});
afterAll(async () => {
  await store.app.close();
  await fixture.dispose();
});

const expectError = (response: { statusCode: number; json(): unknown }, status: number, code: string) => {
  expect({ status: response.statusCode, code: (response.json() as { code: string }).code }).toEqual({
    status,
    code,
  });
};

describe('a courier', () => {
  it('reads only the posted orders addressed to them; another courier’s order is not found', async () => {
    const list = (await courier1.call('GET', '/api/orders')).json<{ items: Array<{ id: string }> }>();
    expect(list.items.map((o) => o.id)).toEqual([order1]);
    expect((await courier1.call('GET', `/api/orders/${order1}`)).statusCode).toBe(200);
    expectError(await courier1.call('GET', `/api/orders/${order2}`), 404, 'NOT_FOUND');
    expectError(await courier2.call('GET', `/api/orders/${order1}`), 404, 'NOT_FOUND');
    const other = (await courier1.call('GET', `/api/orders?courierId=${world.courier2}`)).json<{
      total: number;
    }>();
    expect(other.total).toBe(0);
    const draft = (await saveOrder(store.ctx, { action: 'save', input: orderInput(world) })).order.id;
    expectError(await courier1.call('GET', `/api/orders/${draft}`), 404, 'NOT_FOUND');
  });

  it('cannot post, save or cancel any order', async () => {
    expectError(await courier1.call('POST', `/api/orders/${order1}/post`, {}), 403, 'FORBIDDEN');
    expectError(await courier1.call('POST', `/api/orders/${order2}/post`, {}), 403, 'FORBIDDEN');
    expectError(await courier1.call('POST', `/api/orders/${order1}/unpost`), 403, 'FORBIDDEN');
    expectError(await courier1.call('PUT', `/api/orders/${order1}`, orderInput(world)), 403, 'FORBIDDEN');
  });

  it('gets their notifications and a token for the WebSocket', async () => {
    const inbox = (await courier1.call('GET', '/api/notifications')).json<NotificationPage>();
    expect(inbox.messages.map((m) => m.data.order.id)).toEqual([order1]);
    // The answer's schema keeps the whole message, the references' `$ref` included.
    expect(inbox.messages[0]).toEqual({
      id: expect.any(String) as unknown,
      conversationId: expect.any(String) as unknown,
      seq: 1,
      authorId: null,
      createdAt: expect.any(String) as unknown,
      text: expect.stringMatching(/^New order No\. \d+ for you$/) as unknown,
      recipients: [expect.any(String)],
      data: {
        text: expect.any(String) as unknown,
        order: { $ref: 'Order', id: order1 },
        courier: { $ref: 'Courier', id: world.courier1 },
        kind: 'assigned',
        number: expect.any(String) as unknown,
      },
    });
    const response = await courier1.call('POST', '/api/collab/token');
    expect(response.statusCode).toBe(200);
    const token = response.json<{ token: string; userId: string; wsUrl: string; expiresAt: number }>();
    const claims = verifyClientToken(store.tokenSecret, token.token, {
      application: store.ctx.applicationName,
    });
    expect(claims.sub).toBe(token.userId);
    expect(inbox.messages[0]?.recipients).toEqual([token.userId]);
    expect(token.wsUrl).toMatch(/^ws:\/\/.+\/collab\/ws$/);
    expect(token.expiresAt).toBeGreaterThan(Date.now());
  });
});

describe('a manager', () => {
  it('reads and posts every order through HTTP', async () => {
    const created = await manager.call(
      'POST',
      '/api/orders',
      orderInput(world, { courierId: world.courier2 }),
    );
    expect(created.statusCode).toBe(201);
    const order = created.json<{
      id: string;
      number: string;
      posted: boolean;
      total: number;
      items: unknown[];
    }>();
    expect(order).toMatchObject({ posted: false, total: 35 });
    const posted = await manager.call('POST', `/api/orders/${order.id}/post`);
    expect(posted.json()).toMatchObject({ posted: true, courier: { id: world.courier2 } });
    expect((await manager.call('GET', `/api/orders/${order2}`)).statusCode).toBe(200);
    const unposted = await manager.call('POST', `/api/orders/${order.id}/unpost`, {});
    expect(unposted.json()).toMatchObject({ posted: false });
    const stock = (await manager.call('GET', '/api/stock/balances?groupBy=product')).json<{
      rows: unknown[];
    }>();
    expect(stock.rows.length).toBeGreaterThan(0);
  });

  it('gets validation problems a manager understands', async () => {
    const response = await manager.call(
      'POST',
      `/api/orders/${order1}/post`,
      orderInput(world, { courierId: null }),
    );
    expectError(response, 422, 'VALIDATION_FAILED');
    expect(response.json()).toMatchObject({
      message: 'The order cannot be posted: An order in work needs a courier: choose one.',
      details: { problems: [{ path: 'courierId' }] },
    });
  });

  it('cannot manage users', async () => {
    expectError(await manager.call('GET', '/api/users'), 403, 'FORBIDDEN');
    expectError(await manager.call('POST', '/api/admin/collab/start'), 403, 'FORBIDDEN');
  });
});

describe('sessions and CSRF', () => {
  it('refuses state changes without the CSRF token, and everything without a session', async () => {
    expectError(
      await manager.call('POST', '/api/orders', orderInput(world), { 'x-csrf-token': 'wrong' }),
      403,
      'CSRF_REJECTED',
    );
    expectError(await store.app.inject({ method: 'GET', url: '/api/orders' }), 401, 'UNAUTHENTICATED');
    const forged = await store.app.inject({
      method: 'GET',
      url: '/api/orders',
      headers: { cookie: 'vestnik_session=abc.def' },
    });
    expectError(forged, 401, 'UNAUTHENTICATED');
    const anonymous = (await store.app.inject({ method: 'GET', url: '/api/session' })).json<unknown>();
    expect(anonymous).toMatchObject({ user: null, csrf: null, collab: { registered: true } });
  });

  it('refuses an expired session', async () => {
    const user = await findUser(store.ctx.db, { login: 'manager' });
    const call = async (ttlMs: number) => {
      const session = await openSession(store.ctx.db, user!.id, ttlMs);
      const cookie = `vestnik_session=${store.app.signCookie(session.id)}`;
      return store.app.inject({ method: 'GET', url: '/api/orders', headers: { cookie } });
    };
    expect((await call(60_000)).statusCode).toBe(200);
    expectError(await call(-1), 401, 'UNAUTHENTICATED');
  });

  it('lets a user without roles log out, and nothing else', async () => {
    await createUserWorkflow(store.ctx, {
      login: 'nobody-yet',
      name: 'N',
      password: 'nobody-pass',
      roles: [],
    });
    const client = await loginAs(store, 'nobody-yet', 'nobody-pass');
    expectError(await client.call('GET', '/api/orders'), 403, 'FORBIDDEN');
    expect((await client.call('DELETE', '/api/session')).statusCode).toBe(204);
  });

  it('ends the session on logout', async () => {
    const client = await loginAs(store, 'courier2');
    expect((await client.call('DELETE', '/api/session')).statusCode).toBe(204);
    expectError(await client.call('GET', '/api/orders'), 401, 'UNAUTHENTICATED');
  });

  it('sets a signed HttpOnly SameSite cookie that expires', async () => {
    const response = await store.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { login: 'manager', password: 'manager-pass' },
    });
    const cookie = response.cookies.find((c) => c.name === 'vestnik_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie?.expires).toBeInstanceOf(Date);
    expect(cookie?.value).toContain('.');
  });

  it('says the same for a wrong login and a wrong password, and rate-limits attempts', async () => {
    const attempt = (login: string, password: string) =>
      store.app.inject({
        method: 'POST',
        url: '/api/session',
        remoteAddress: '10.0.0.9',
        payload: { login, password },
      });
    const wrongUser = await attempt('nobody', 'x');
    const wrongPassword = await attempt('admin', 'x');
    expectError(wrongUser, 401, 'UNAUTHENTICATED');
    expect(wrongPassword.json()).toEqual(wrongUser.json());
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await attempt('admin', 'x')).statusCode);
    expect(statuses.slice(-2)).toEqual([429, 429]);
    expectError(await attempt('admin', 'admin-pass'), 429, 'RATE_LIMITED');
  });
});

describe('every route', () => {
  const logins: Record<Role, () => Client> = {
    Administrator: () => admin,
    Manager: () => manager,
    Courier: () => courier1,
  };
  const concrete = (url: string) => url.replace(':catalog', 'products').replace(':id', order1);

  it('declares its access, and roles are enforced on each', async () => {
    // Logging out is checked on its own: here it would end the sessions the loop uses.
    const guarded = store.routes.filter(
      (r) => r.access !== 'public' && !(r.method === 'DELETE' && r.url === '/api/session'),
    );
    expect(guarded.length).toBeGreaterThan(15);
    for (const route of guarded) {
      const url = concrete(route.url);
      const method = route.method as 'GET' | 'POST' | 'PUT' | 'DELETE';
      const anonymous = await store.app.inject({ method, url });
      expect([route.url, anonymous.statusCode]).toEqual([route.url, 401]);
      for (const role of Object.keys(logins) as Role[]) {
        const response = await logins[role]().call(
          method,
          url,
          method === 'GET' || method === 'DELETE' ? undefined : {},
        );
        const allowed = route.access === 'session' || (route.access as readonly Role[]).includes(role);
        if (allowed) expect([route.method, route.url, role, response.statusCode]).not.toContain(403);
        else
          expect([route.method, route.url, role, response.statusCode]).toEqual([
            route.method,
            route.url,
            role,
            403,
          ]);
        expect(response.statusCode).toBeLessThan(500);
      }
    }
  });

  it('answers bad input with a code, never a 500', async () => {
    const payloads: unknown[] = [
      'not json',
      [],
      42,
      { unknown: 1 },
      { code: 5, name: null },
      { items: 'x', status: 'Lost' },
    ];
    const writable = store.routes.filter(
      (r) => r.method !== 'GET' && r.url.startsWith('/api/') && r.url !== '/api/session',
    );
    for (const route of writable) {
      for (const payload of payloads) {
        const raw = typeof payload === 'string' ? payload : JSON.stringify(payload);
        const response = await admin.call(route.method as 'POST', concrete(route.url), raw, {
          'content-type': 'application/json',
        });
        const label = `${route.method} ${route.url} ${raw}: ${response.body}`;
        expect(response.statusCode, label).toBeLessThan(500);
        expect(response.json(), label).toHaveProperty('code');
      }
    }
    const badQueries = [
      '/api/orders?limit=0',
      '/api/orders?status=Lost',
      '/api/stock/balances?at=yesterday',
      '/api/stock/balances?groupBy=planet',
      '/api/catalogs/planets',
      '/api/orders?x=1',
    ];
    for (const url of badQueries) {
      const response = await admin.call('GET', url);
      expect([url, response.statusCode]).toEqual([url, 400]);
      expect(response.json<{ code: string }>().code).toBe('INVALID_ARGUMENT');
    }
    expectError(await admin.call('GET', '/api/nowhere'), 404, 'NOT_FOUND');
    expectError(await admin.call('GET', '/api/orders/no-such-order'), 404, 'NOT_FOUND');
    const big = await admin.call('POST', '/api/orders', {
      ...orderInput(world),
      comment: 'x'.repeat(1_100_000),
    });
    expectError(big, 413, 'PAYLOAD_TOO_LARGE');
  });
});

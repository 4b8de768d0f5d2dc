// Attacks on the store, against a real store process with the demo data: reading another
// courier's order, CSRF on posting, replaying a session after logout, session fixation, brute-force
// login, missing security headers, and secrets leaking into the log.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { HttpSession, type Answer } from '../support/http-session.js';
import { startStoreProcess, type StoreProcess } from '@vestnik/store/testing';
import { attackCounter } from '../support/attack-log.js';

let store: StoreProcess;
const attacks = attackCounter('attacks: store');

interface OrderSummary {
  id: string;
  courier: { id: string; code: string } | null;
  posted: boolean;
  status: string;
}

const codeOf = (answer: Answer) => (answer.body as { code?: string } | undefined)?.code;

beforeAll(async () => {
  store = await startStoreProcess({ env: { LOGIN_RATE_LIMIT: '1000' } });
});

afterAll(async () => {
  attacks.record({ crashes: store?.alive() ? 0 : 1 });
  await store?.dispose();
});

async function courierOneOrder(): Promise<OrderSummary> {
  const manager = await new HttpSession(store.url).login('manager', 'manager');
  const list = await manager.get('/api/orders');
  const order = (list.body as { items: OrderSummary[] }).items.find(
    (o) => o.courier?.code === 'courier1' && o.posted,
  );
  if (!order) throw new Error('the demo data has no posted order for courier1');
  return order;
}

describe('a courier guessing another courier’s order', () => {
  it('gets the same 404 as for an order that does not exist, and no list entry', async () => {
    const order = await courierOneOrder();
    const courier2 = await new HttpSession(store.url).login('courier2', 'courier2');
    const guessed = await attacks.attempt(() => courier2.get(`/api/orders/${order.id}`));
    const missing = await attacks.attempt(() =>
      courier2.get(`/api/orders/00000000-0000-4000-8000-000000000000`),
    );
    expect(guessed.status).toBe(404);
    expect(codeOf(guessed)).toBe('NOT_FOUND');
    expect(missing.status).toBe(404);
    // Nothing in the answer tells an existing order from a missing one but the id echoed back.
    expect(guessed.text.replace(order.id, 'X')).toBe(
      missing.text.replace('00000000-0000-4000-8000-000000000000', 'X'),
    );

    const filtered = await attacks.attempt(() =>
      courier2.get(`/api/orders?courierId=${encodeURIComponent(order.courier!.id)}`),
    );
    expect(filtered.status).toBe(200);
    expect((filtered.body as { items: OrderSummary[] }).items.map((o) => o.id)).not.toContain(order.id);
    const all = await attacks.attempt(() => courier2.get('/api/orders?limit=200'));
    for (const item of (all.body as { items: OrderSummary[] }).items)
      expect(item.courier?.code).toBe('courier2');

    // The rightful courier does see it.
    const courier1 = await new HttpSession(store.url).login('courier1', 'courier1');
    expect((await courier1.get(`/api/orders/${order.id}`)).status).toBe(200);
  });

  it('cannot change, post or unpost orders, nor manage users', async () => {
    const order = await courierOneOrder();
    const courier2 = await new HttpSession(store.url).login('courier2', 'courier2');
    for (const [method, url] of [
      ['POST', `/api/orders/${order.id}/post`],
      ['POST', `/api/orders/${order.id}/unpost`],
      ['PUT', `/api/orders/${order.id}`],
      ['POST', '/api/users'],
      ['POST', '/api/admin/collab/start'],
    ] as const) {
      const answer = await attacks.attempt(() => courier2.request(method, url, { body: {} }));
      expect([403, 404], `${method} ${url}`).toContain(answer.status);
    }
  });

  it('reads only the notifications addressed to them', async () => {
    const courier1 = await new HttpSession(store.url).login('courier1', 'courier1');
    const courier2 = await new HttpSession(store.url).login('courier2', 'courier2');
    const mine = (await courier1.get('/api/notifications')).body as { messages: Array<{ id: string }> };
    const theirs = await attacks.attempt(() => courier2.get('/api/notifications?after=0&limit=200'));
    expect(theirs.status).toBe(200);
    expect(mine.messages.length).toBeGreaterThan(0);
    const seen = new Set((theirs.body as { messages: Array<{ id: string }> }).messages.map((m) => m.id));
    for (const message of mine.messages) expect(seen.has(message.id)).toBe(false);
  });
});

describe('CSRF on posting', () => {
  it('refuses a post without, with a wrong, or with another session’s token, and changes nothing', async () => {
    const manager = await new HttpSession(store.url).login('manager', 'manager');
    const other = await new HttpSession(store.url).login('admin', 'admin');
    const draft = (await manager.get('/api/orders?posted=false')).body as { items: OrderSummary[] };
    const order = draft.items[0];
    if (!order) throw new Error('the demo data has no unposted order');
    const url = `/api/orders/${order.id}/post`;
    const tries: Answer[] = [
      await attacks.attempt(() => manager.request('POST', url, { body: {}, csrf: false })),
      await attacks.attempt(() =>
        manager.request('POST', url, { body: {}, csrf: false, headers: { 'x-csrf-token': 'guess' } }),
      ),
      await attacks.attempt(() =>
        manager.request('POST', url, { body: {}, csrf: false, headers: { 'x-csrf-token': other.csrf! } }),
      ),
      // What a cross-site HTML form can send: no custom header, a form content type.
      await attacks.attempt(() =>
        manager.request('POST', url, {
          raw: 'status=InWork',
          csrf: false,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      ),
    ];
    for (const answer of tries) {
      expect(answer.status).toBe(403);
      expect(codeOf(answer)).toBe('CSRF_REJECTED');
    }
    const after = await manager.get(`/api/orders/${order.id}`);
    expect((after.body as OrderSummary).posted).toBe(false);
  });

  it('sets the session cookie HttpOnly and SameSite=Strict', async () => {
    const response = await fetch(`${store.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'manager', password: 'manager' }),
    });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('vestnik_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
  });
});

describe('sessions', () => {
  it('a session replayed after logout is refused, and no new collaboration token is issued', async () => {
    const courier = await new HttpSession(store.url).login('courier1', 'courier1');
    expect((await courier.post('/api/collab/token', {})).status).toBe(200);
    const stolen = { cookie: courier.cookie, csrf: courier.csrf };
    expect((await courier.request('DELETE', '/api/session')).status).toBe(204);

    const thief = new HttpSession(store.url);
    thief.cookie = stolen.cookie;
    thief.csrf = stolen.csrf;
    const token = await attacks.attempt(() => thief.post('/api/collab/token', {}));
    expect(token.status).toBe(401);
    expect(codeOf(token)).toBe('UNAUTHENTICATED');
    const orders = await attacks.attempt(() => thief.get('/api/orders'));
    expect(orders.status).toBe(401);
    const session = await attacks.attempt(() => thief.get('/api/session'));
    expect((session.body as { user: unknown }).user).toBeNull();
  });

  it('login makes a new session id and CSRF token, whatever session id the client brought (fixation)', async () => {
    const victim = new HttpSession(store.url);
    // A planted cookie: a made-up id, unsigned, and one signed the way an attacker might guess.
    for (const planted of ['vestnik_session=attacker-chosen-id', 'vestnik_session=attacker.c2lnbmF0dXJl']) {
      victim.cookie = planted;
      const ignored = await attacks.attempt(() => victim.get('/api/orders'));
      expect(ignored.status).toBe(401);
      await victim.login('manager', 'manager');
      expect(victim.cookie).not.toBe(planted);
      expect(victim.cookie).not.toContain('attacker');
    }
    // An attacker's own valid session planted in the victim's browser is replaced at login.
    const attacker = await new HttpSession(store.url).login('courier2', 'courier2');
    const victim2 = new HttpSession(store.url);
    victim2.cookie = attacker.cookie;
    await attacks.attempt(() => victim2.login('manager', 'manager'));
    expect(victim2.cookie).not.toBe(attacker.cookie);
    expect(victim2.csrf).not.toBe(attacker.csrf);
    const who = (await victim2.get('/api/session')).body as { user: { login: string } };
    expect(who.user.login).toBe('manager');
  });

  it('a forged or tampered session cookie is refused', async () => {
    const real = await new HttpSession(store.url).login('manager', 'manager');
    const [name, value] = real.cookie!.split('=') as [string, string];
    const dot = value.lastIndexOf('.');
    const forged = new HttpSession(store.url);
    for (const cookie of [
      `${name}=${value.slice(0, dot)}`, // signature cut off
      `${name}=${value.slice(0, dot)}.${'A'.repeat(value.length - dot - 1)}`, // signature replaced
      `${name}=x${value}`, // id changed
    ]) {
      forged.cookie = cookie;
      const answer = await attacks.attempt(() => forged.get('/api/orders'));
      expect(answer.status).toBe(401);
    }
  });
});

describe('security headers', () => {
  it('are on every page, API answer and error', async () => {
    const manager = await new HttpSession(store.url).login('manager', 'manager');
    const anonymous = new HttpSession(store.url);
    const answers: Array<[string, Answer]> = [
      ['/', await anonymous.get('/')],
      ['/healthz', await anonymous.get('/healthz')],
      ['/metrics', await anonymous.get('/metrics')],
      ['/api/openapi.json', await anonymous.get('/api/openapi.json')],
      ['/api/session', await anonymous.get('/api/session')],
      ['/api/orders (401)', await anonymous.get('/api/orders')],
      ['/api/orders', await manager.get('/api/orders')],
      ['/no/such/page', await anonymous.get('/no/such/page')],
      ['bad JSON', await manager.request('POST', '/api/orders', { raw: '{"' })],
    ];
    for (const [what, answer] of answers) {
      const csp = answer.headers.get('content-security-policy') ?? '';
      expect(csp, what).toContain("frame-ancestors 'none'");
      expect(csp, what).toContain("default-src 'self'");
      expect(answer.headers.get('x-content-type-options'), what).toBe('nosniff');
      expect(answer.headers.get('x-frame-options'), what).toBe('DENY');
      expect(answer.headers.get('referrer-policy'), what).toBe('no-referrer');
    }
    expect(answers.find(([what]) => what === '/api/orders')?.[1].headers.get('cache-control')).toBe(
      'no-store',
    );
  });
});

describe('the log', () => {
  it('holds no password, session id, CSRF token or collaboration token', async () => {
    const before = store.log.length;
    const password = 'courier1';
    const wrong = 'Wr0ng-Pa$$word-ЖЖЖ';
    const failed = new HttpSession(store.url);
    expect(
      (await failed.request('POST', '/api/session', { body: { login: 'courier1', password: wrong } })).status,
    ).toBe(401);
    const courier = await new HttpSession(store.url).login('courier1', password);
    const token = (await courier.post('/api/collab/token', {})).body as { token: string };
    // A client may put the token in the WebSocket URL; the URL must not carry it into the log.
    const socket = new WebSocket(
      `ws://127.0.0.1:${store.port}/collab/ws?token=${encodeURIComponent(token.token)}`,
    );
    await new Promise((resolve) => socket.once('message', resolve));
    socket.close();
    await courier.get('/api/orders');
    const sessionId = decodeURIComponent(courier.cookie!.split('=')[1]!).split('.')[0]!;
    expect(sessionId.length).toBeGreaterThan(20);
    await courier.request('DELETE', '/api/session');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = store.log.slice(before);
    expect(lines.some((line) => line.includes('logged in'))).toBe(true);
    const text = lines.join('\n');
    expect(text).not.toContain(`"${password}"`);
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(sessionId);
    expect(text).not.toContain(courier.csrf!);
    expect(text).not.toContain(token.token);
    expect(text).not.toMatch(/"password"/);
  });
});

describe('brute-force login', () => {
  it('is rate-limited, and the limit holds even for the right password', async () => {
    const limited = await startStoreProcess({ env: { LOGIN_RATE_LIMIT: '5' } });
    try {
      const guesser = new HttpSession(limited.url);
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const answer = await attacks.attempt(() =>
          guesser.request('POST', '/api/session', { body: { login: 'admin', password: `guess-${i}` } }),
        );
        statuses.push(answer.status);
      }
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(5).every((status) => status === 429)).toBe(true);
      const right = await attacks.attempt(() =>
        guesser.request('POST', '/api/session', { body: { login: 'admin', password: 'admin' } }),
      );
      expect(right.status).toBe(429);
      expect(codeOf(right)).toBe('RATE_LIMITED');
      expect(limited.alive()).toBe(true);
    } finally {
      await limited.dispose();
    }
  });
});

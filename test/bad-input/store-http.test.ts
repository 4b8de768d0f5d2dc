// Hostile HTTP bodies, queries and path values for every route of the store (taken from its own
// OpenAPI document, so a new route is fuzzed without editing this file), against a real store
// process: each is answered with a coded error (from the protocol's or the store's catalogue) or a
// success, never a 500 or a crash, and the store goes on serving others. Text round-trips
// unchanged; SQL is stored verbatim.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isErrorCode } from '@vestnik/protocol';
import { storeErrors } from '@vestnik/store';
import { recordFigures } from '../chaos/support/figures.js';
import { HttpSession, type Answer } from '../support/http-session.js';
import { describedRoutes, type DescribedRoute, type OpenApiDocument } from '../support/openapi-routes.js';
import { startStoreProcess, type StoreProcess } from '@vestnik/store/testing';
import {
  brokenBytes,
  cyrillic,
  hostileJson,
  hostileString,
  shapedObject,
  sqlLooking,
} from '../support/hostile-values.js';

let store: StoreProcess;
let fuzzer: HttpSession;
let inputsTried = 0;
let serverErrors = 0;
const ids = { order: [] as string[], item: [] as string[], user: [] as string[] };

type Route = DescribedRoute;
let routes: Route[] = [];

beforeAll(async () => {
  store = await startStoreProcess({ env: { LOGIN_RATE_LIMIT: '10000' } });
  const admin = await new HttpSession(store.url).login('admin', 'admin');
  const make = (login: string) =>
    admin.post('/api/users', {
      login,
      name: login,
      password: `${login}-password`,
      roles: ['Administrator', 'Manager', 'Courier'],
    });
  expect((await make('fuzzer')).status).toBe(201);
  const victim = await make('victim');
  ids.user = [(victim.body as { id: string }).id];
  fuzzer = await new HttpSession(store.url).login('fuzzer', 'fuzzer-password');
  ids.order = ((await fuzzer.get('/api/orders')).body as { items: Array<{ id: string }> }).items.map(
    (o) => o.id,
  );
  ids.item = (
    (await fuzzer.get('/api/catalogs/products')).body as { items: Array<{ id: string }> }
  ).items.map((i) => i.id);
  routes = describedRoutes((await fuzzer.get('/api/openapi.json')).body as OpenApiDocument);
  routes.push(
    { method: 'GET', template: '/healthz', fields: [] },
    { method: 'GET', template: '/metrics', fields: [] },
    { method: 'GET', template: '/api/openapi.json', fields: [] },
  );
});

afterAll(async () => {
  recordFigures({
    suite: 'bad input: store HTTP',
    inputsTried,
    crashes: serverErrors + (store?.alive() ? 0 : 1),
  });
  await store?.dispose();
});

const pathValue = (name: string) =>
  name === 'catalog'
    ? fc.oneof(
        fc.constantFrom('products', 'colors', 'sizes', 'warehouses', 'customers', 'couriers'),
        hostileString,
      )
    : fc.oneof(
        fc.constantFrom(...ids.order, ...ids.item, ...ids.user, '0', '-1', '..', '%00'),
        hostileString,
      );

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? 'x'));
}

const query = fc.dictionary(
  fc.constantFrom(
    'after',
    'limit',
    'offset',
    'search',
    'status',
    'courierId',
    'posted',
    'at',
    'groupBy',
    'orderId',
    'x',
  ),
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom(...sqlLooking, ...cyrillic, '-1', '1e99', 'NaN', 'true', '[]', '\u0000'),
    fc.integer().map(String),
  ),
  { maxKeys: 3 },
);

/** The body: JSON of any shape, aimed at the route's fields, or bytes that are not JSON at all. */
const body = (fields: string[]) =>
  fc.oneof(
    { weight: 3, arbitrary: shapedObject(fields).map((value) => ({ json: value })) },
    { weight: 2, arbitrary: hostileJson.map((value) => ({ json: value })) },
    { weight: 2, arbitrary: brokenBytes.map((raw) => ({ raw })) },
    { weight: 1, arbitrary: fc.constant({ none: true }) },
  );

function checkAnswer(route: string, answer: Answer): void {
  inputsTried++;
  if (answer.status >= 500) serverErrors++;
  // Node's HTTP parser refuses an oversized request head before any route sees it.
  if (answer.status === 431) return;
  expect(answer.status, `${route}: ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  if (answer.status >= 400) {
    const code = (answer.body as { code?: unknown } | undefined)?.code;
    expect(
      isErrorCode(code) || storeErrors.has(code),
      `${route} answered ${answer.status} without a catalogue code: ${answer.text.slice(0, 200)}`,
    ).toBe(true);
  }
}

async function send(
  route: Route,
  path: string,
  payload: { json?: unknown; raw?: string | Buffer; none?: boolean },
  csrf: boolean,
) {
  const options =
    payload.raw !== undefined
      ? { raw: typeof payload.raw === 'string' ? payload.raw : new Uint8Array(payload.raw), csrf }
      : payload.none
        ? { csrf }
        : { body: payload.json, csrf };
  let answer = await fuzzer.request(route.method, path, options);
  if (answer.status === 401 && route.template !== '/api/session') {
    // The fuzzer logged itself out (DELETE /api/session): log in again and go on.
    await fuzzer.login('fuzzer', 'fuzzer-password');
    answer = await fuzzer.request(route.method, path, options);
  }
  return answer;
}

describe('every store route under hostile input', () => {
  it('answers each request with a success or a coded error, never a 500', { timeout: 300_000 }, async () => {
    expect(routes.length).toBeGreaterThan(15);
    for (const route of routes) {
      const names = [...route.template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const params = fc.record(Object.fromEntries(names.map((name) => [name, pathValue(name)])));
      await fc.assert(
        fc.asyncProperty(
          params,
          query,
          // fetch sends no body with GET; those routes get hostile paths and queries.
          route.method === 'GET' ? fc.constant({ none: true }) : body(route.fields),
          fc.boolean(),
          async (values, q, payload, csrf) => {
            const search = new URLSearchParams(q).toString();
            const path = fill(route.template, values) + (search ? `?${search}` : '');
            checkAnswer(
              `${route.method} ${path.slice(0, 200)}`,
              await send(route, path, payload, csrf || Math.random() < 0.8),
            );
          },
        ),
        { numRuns: route.method === 'GET' ? 60 : 120 },
      );
    }
  });

  it('refuses bodies over the limit with PAYLOAD_TOO_LARGE', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
    for (const path of ['/api/orders', '/api/catalogs/customers', '/api/session']) {
      // As a browser sends it: the server reads the rest of the body before it answers and closes,
      // so the client always gets the answer rather than a reset (drainRefusedBody).
      const answer = await fetch(store.url + path, {
        method: 'POST',
        headers: { cookie: fuzzer.cookie!, 'x-csrf-token': fuzzer.csrf!, 'content-type': 'application/json' },
        body: huge,
      });
      inputsTried++;
      expect(answer.status).toBe(413);
      expect(((await answer.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('answers an over-long path parameter and a malformed escape with INVALID_ARGUMENT', async () => {
    for (const path of [
      `/api/catalogs/${'x'.repeat(300)}`,
      `/api/orders/${'я'.repeat(200)}`,
      '/api/orders/%E0%A4%A',
    ]) {
      const answer = await fuzzer.get(path);
      checkAnswer(path, answer);
      expect(answer.status).toBe(400);
      expect((answer.body as { code: string }).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('still serves other clients afterwards', async () => {
    expect(store.alive()).toBe(true);
    const courier = await new HttpSession(store.url).login('courier1', 'courier1');
    expect((await courier.get('/api/orders')).status).toBe(200);
    expect((await courier.get('/healthz')).status).toBe(200);
  });
});

describe('text round-trips unchanged', () => {
  it('Cyrillic and other Unicode names, addresses and phones come back as sent', async () => {
    const text = fc
      .oneof(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
        fc.constantFrom(...cyrillic, ...sqlLooking),
      )
      .map((s) => s.trim())
      .filter((s) => s.length > 0 && !s.includes('\u0000'));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(text, text, async (name, address) => {
        const code = `RT${n++}`;
        const created = await fuzzer.post('/api/catalogs/customers', {
          code,
          name,
          address,
          phone: name.slice(0, 20),
        });
        inputsTried++;
        expect(created.status, created.text).toBe(201);
        const id = (created.body as { id: string }).id;
        const read = (await fuzzer.get(`/api/catalogs/customers/${id}`)).body as {
          name: string;
          address: string;
        };
        expect(read.name).toBe(name);
        expect(read.address).toBe(address);
      }),
      { numRuns: 60 },
    );
  });

  it('SQL-looking strings are stored verbatim and searched as plain text', async () => {
    for (const [i, sql] of sqlLooking.entries()) {
      const created = await fuzzer.post('/api/catalogs/colors', { code: `SQL${i}`, name: sql });
      inputsTried++;
      expect(created.status, created.text).toBe(201);
      const id = (created.body as { id: string }).id;
      expect(((await fuzzer.get(`/api/catalogs/colors/${id}`)).body as { name: string }).name).toBe(sql);
      const found = await fuzzer.get(`/api/catalogs/colors?search=${encodeURIComponent(sql)}&limit=200`);
      const names = (found.body as { items: Array<{ name: string }> }).items.map((item) => item.name);
      // Only items that contain the text: an injected "OR 1=1" would return every color.
      for (const name of names) expect(name.toLowerCase()).toContain(sql.toLowerCase());
    }
    // The tables are all still there.
    expect((await fuzzer.get('/api/orders')).status).toBe(200);
  });
});

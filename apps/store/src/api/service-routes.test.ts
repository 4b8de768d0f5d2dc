// The operator's endpoints: health, Prometheus metrics, and the OpenAPI document covering every route.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteFixture } from '@vestnik/storage-sqlite/testing';
import type { StoreApp } from '../app.js';
import { saveOrder } from '../workflows/save-order.js';
import { buildTestStore, orderInput, seedWorld } from '../testing/store-harness.js';

const fixture = sqliteFixture();
let store: StoreApp;

beforeAll(async () => {
  store = await buildTestStore(fixture);
});
afterAll(async () => {
  await store.app.close();
  await fixture.dispose();
});

describe('service endpoints', () => {
  it('answers /healthz', async () => {
    const response = await store.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('counts postings and notifications in /metrics', async () => {
    const world = await seedWorld(store);
    await saveOrder(store.ctx, { action: 'post', input: orderInput(world) });
    const text = (await store.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/^vestnik_store_orders_posted_total 1$/m);
    expect(text).toMatch(/^vestnik_store_courier_notifications_total 1$/m);
    expect(text).toContain('vestnik_store_http_request_duration_seconds');
  });

  it('describes every API route in /api/openapi.json', async () => {
    const doc = (await store.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, unknown>>;
    }>();
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const routes = store.routes
      .filter((r) => r.url.startsWith('/api/') && r.url !== '/api/openapi.json')
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(documented.sort()).toEqual(routes.sort());
  });

  it('matches docs/store-api.md: every route, with the roles the document names', () => {
    const doc = readFileSync(new URL('../../../../docs/store-api.md', import.meta.url), 'utf8');
    const who: Record<string, string> = { anyone: 'public', any: 'session' };
    const letters: Record<string, string> = { A: 'Administrator', M: 'Manager', C: 'Courier' };
    const documented = [...doc.matchAll(/^\| (GET|POST|PUT|DELETE) +\| `([^`]+)` *\| ([^|]+?) *\|/gm)].map(
      ([, method, path, roles]) =>
        `${method} ${path} ${
          who[roles as string] ??
          (roles as string)
            .split(', ')
            .map((r) => letters[r])
            .join(',')
        }`,
    );
    // The web client's static files are not part of the API.
    const actual = store.routes
      .filter((r) => r.url.startsWith('/api/') || r.url === '/healthz' || r.url === '/metrics')
      .map((r) => `${r.method} ${r.url} ${typeof r.access === 'string' ? r.access : r.access.join(',')}`);
    expect(documented.sort()).toEqual(actual.sort());
    // Its error codes are checked by store-api-doc.test.ts.
  });
});

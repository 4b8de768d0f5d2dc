// The operator's endpoints: health, Prometheus metrics, and the OpenAPI document covering every route.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteFixture } from '@vestnik/collab/testing';
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
    const doc = (await store.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const routes = store.routes
      .filter((r) => r.url.startsWith('/api/') && r.url !== '/api/openapi.json')
      .map((r) => `${r.method} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    expect(documented.sort()).toEqual(routes.sort());
  });
});

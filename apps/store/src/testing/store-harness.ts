// Test helpers: a store built in-process on a fresh storage, data made through the services, and
// logged-in HTTP clients that carry the session cookie and the CSRF token.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import type { Message } from '@vestnik/protocol';
import type { StorageFixture } from '@vestnik/storage/testing';
import { buildStoreApp, type StoreApp } from '../app.js';
import { loadConfig } from '../config.js';
import type { Role } from '../database/schema.js';
import { createItem } from '../modules/catalogs/catalogs-service.js';
import { createUserWorkflow } from '../workflows/manage-users.js';
import { startCollaboration } from '../workflows/start-collab.js';
import type { OrderInput } from '../modules/orders/order-record.js';

export const testSecret = 'test-secret-that-is-long-enough-0123456789';

export async function buildTestStore(
  fixture: StorageFixture,
  env: Record<string, string> = {},
): Promise<StoreApp> {
  const { storage } = await fixture.create();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vestnik-store-'));
  const config = loadConfig({ DEMO: '0', SESSION_SECRET: testSecret, DATA_DIR: dataDir, ...env });
  const store = await buildStoreApp(config, { storage, logger: false }).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  // The data folder is the test's own: gone with the app, as the storage's files go with the fixture.
  store.app.addHook('onClose', async () => rmSync(dataDir, { recursive: true, force: true }));
  return store;
}

export interface World {
  customer: string;
  warehouse: string;
  otherWarehouse: string;
  products: string[];
  colors: string[];
  sizes: string[];
  courier1: string;
  courier2: string;
}

/** Registers the collaboration system and makes users (password = login + "-pass") and catalogs. */
export async function seedWorld(store: StoreApp): Promise<World> {
  const { ctx } = store;
  await startCollaboration(ctx);
  const users: Array<[string, Role[]]> = [
    ['admin', ['Administrator']],
    ['manager', ['Manager']],
    ['courier1', ['Courier']],
    ['courier2', ['Courier']],
  ];
  for (const [login, roles] of users) {
    await createUserWorkflow(ctx, { login, name: login, password: `${login}-pass`, roles });
  }
  const make = async (catalog: Parameters<typeof createItem>[1], code: string, extra = {}) =>
    (await createItem(ctx.db, catalog, { code, name: `${catalog} ${code}`, ...extra })).id;
  return {
    customer: await make('customers', 'C1', { address: 'Somewhere 1' }),
    warehouse: await make('warehouses', 'W1'),
    otherWarehouse: await make('warehouses', 'W2'),
    products: [await make('products', 'P1', { price: 10 }), await make('products', 'P2', { price: 2.5 })],
    colors: [await make('colors', 'RED'), await make('colors', 'BLUE')],
    sizes: [await make('sizes', 'S'), await make('sizes', 'M')],
    courier1: await make('couriers', 'courier1'),
    courier2: await make('couriers', 'courier2'),
  };
}

export function orderInput(world: World, change: Partial<OrderInput> = {}): OrderInput {
  return {
    customerId: world.customer,
    address: 'Somewhere 1',
    warehouseId: world.warehouse,
    courierId: world.courier1,
    status: 'InWork',
    date: '2026-01-10T10:00:00.000Z',
    items: [
      {
        productId: world.products[0] as string,
        colorId: world.colors[0] as string,
        sizeId: world.sizes[0] as string,
        quantity: 2,
      },
      {
        productId: world.products[1] as string,
        colorId: world.colors[1] as string,
        sizeId: world.sizes[1] as string,
        quantity: 5,
        price: 3,
      },
    ],
    ...change,
  };
}

export interface Client {
  csrf: string;
  /** The Cookie header that carries the session. */
  cookie: string;
  call(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

export async function loginAs(store: StoreApp, login: string, password = `${login}-pass`): Promise<Client> {
  const response = await store.app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { login, password },
  });
  if (response.statusCode !== 200) throw new Error(`login ${login} failed: ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'vestnik_session');
  if (!cookie) throw new Error('no session cookie');
  const csrf = response.json<{ csrf: string }>().csrf;
  return {
    csrf,
    cookie: `vestnik_session=${cookie.value}`,
    call: (method, url, payload, headers = {}) =>
      store.app.inject({
        method,
        url,
        ...(payload === undefined ? {} : { payload: payload as object }),
        headers: { cookie: `vestnik_session=${cookie.value}`, 'x-csrf-token': csrf, ...headers },
      }),
  };
}

/** Collects what a subscription hands over; a test waits for a count (generous timeout). */
export function collector() {
  const messages: Message[] = [];
  return {
    messages,
    onMessage(message: Message) {
      messages.push(message);
    },
    async waitFor(count: number, timeoutMs = 10_000): Promise<Message[]> {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`waited for ${count} messages, got ${messages.length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return messages;
    },
  };
}

// The first start: demo data in the embedded mode (once), the first administrator from
// ADMIN_PASSWORD otherwise, and no default passwords outside demo mode.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteFixture } from '@vestnik/storage-sqlite/testing';
import { buildStoreApp } from '../app.js';
import { loadConfig } from '../config.js';
import { countUsers } from '../modules/users/users-service.js';
import { buildTestStore, loginAs } from '../testing/store-harness.js';
import { demoLogins } from './demo-data.js';

const dirs: string[] = [];
const fixture = sqliteFixture();
afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await fixture.dispose();
});

describe('first start', () => {
  it('creates demo data once in the embedded mode, with working demo logins', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vestnik-demo-'));
    dirs.push(dataDir);
    const config = loadConfig({ DATA_DIR: dataDir });
    const first = await buildStoreApp(config, { logger: false });
    try {
      expect(first.started).toBe('demo');
      for (const user of demoLogins) await loginAs(first, user.login, user.password);
      const manager = await loginAs(first, 'manager', 'manager');
      const orders = (await manager.call('GET', '/api/orders')).json<{ total: number }>();
      expect(orders.total).toBe(3);
      const products = (await manager.call('GET', '/api/catalogs/products?search=hood')).json<{
        items: Array<{ name: string }>;
      }>();
      expect(products.items.map((p) => p.name)).toEqual(['Hoodie']);
      const courier = await loginAs(first, 'courier1', 'courier1');
      const inbox = (await courier.call('GET', '/api/notifications')).json<{ messages: unknown[] }>();
      expect(inbox.messages).toHaveLength(1);
      const stock = (await manager.call('GET', '/api/stock/balances?groupBy=warehouse')).json<{
        total: number;
      }>();
      expect(stock.total).toBe(2);
    } finally {
      await first.app.close();
    }
    const again = await buildStoreApp(config, { logger: false });
    try {
      expect(again.started).toBe('existing');
      expect(await countUsers(again.ctx.db)).toBe(demoLogins.length);
      // The session secret was kept beside the database, so the same secret signs after a restart.
      expect(again.tokenSecret).toBe(first.tokenSecret);
    } finally {
      await again.app.close();
    }
  });

  it('has no default passwords outside demo mode; ADMIN_PASSWORD makes the first administrator', async () => {
    const empty = await buildTestStore(fixture, { DEMO: '0' });
    try {
      expect(empty.started).toBe('empty');
      expect(await countUsers(empty.ctx.db)).toBe(0);
      const refused = await empty.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { login: 'admin', password: 'admin' },
      });
      expect(refused.statusCode).toBe(401);
    } finally {
      await empty.app.close();
    }
    const withAdmin = await buildTestStore(fixture, { DEMO: '0', ADMIN_PASSWORD: 'a-long-admin-password' });
    try {
      expect(withAdmin.started).toBe('admin');
      const admin = await loginAs(withAdmin, 'admin', 'a-long-admin-password');
      const status = (await admin.call('GET', '/api/admin/status')).json<unknown>();
      expect(status).toMatchObject({ registered: true, users: 1, couriers: 0, needsRepair: false });
    } finally {
      await withAdmin.app.close();
    }
  });
});

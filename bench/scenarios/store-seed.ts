// Seeds a store database for the store benchmark, in the load generator's process before the store
// server starts: N couriers (users with the role Courier, the Couriers catalog, collaboration
// users joined to the service conversation by the administrator's start-up command), one manager
// and the catalogs an order needs. Passwords share one precomputed hash: scrypt per user would take minutes.

import { randomUUID } from 'node:crypto';
import { buildStoreApp } from '../../apps/store/src/app.js';
import { loadConfig } from '../../apps/store/src/config.js';
import { createItem } from '../../apps/store/src/modules/catalogs/catalogs-service.js';
import { hashPassword } from '../../apps/store/src/modules/users/password.js';
import { startCollaboration } from '../../apps/store/src/workflows/start-collab.js';

export const MANAGER = { login: 'bench-manager', password: 'bench-manager-pass' };

export interface StoreWorld {
  /** Per courier: the Couriers catalog id and the courier's collaboration user id. */
  couriers: Array<{ catalogId: string; collabUserId: string }>;
  customerId: string;
  warehouseId: string;
  productId: string;
  colorId: string;
  sizeId: string;
}

export async function seedStore(env: Record<string, string>, couriers: number): Promise<StoreWorld> {
  const store = await buildStoreApp(loadConfig(env, process.cwd()), { logger: false });
  try {
    const { ctx } = store;
    const hash = await hashPassword(MANAGER.password);
    const now = Date.now();
    const users: Array<{ id: string; login: string; role: 'Courier' | 'Manager' }> = [
      { id: randomUUID(), login: MANAGER.login, role: 'Manager' },
    ];
    for (let i = 0; i < couriers; i++)
      users.push({ id: randomUUID(), login: `courier-${i}`, role: 'Courier' });
    for (let from = 0; from < users.length; from += 500) {
      const chunk = users.slice(from, from + 500);
      await ctx.db
        .insertInto('store_users')
        .values(
          chunk.map((u) => ({
            id: u.id,
            login: u.login,
            name: u.login,
            password_hash: hash,
            blocked: 0,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
      await ctx.db
        .insertInto('store_user_roles')
        .values(chunk.map((u) => ({ user_id: u.id, role: u.role })))
        .execute();
    }
    const catalogIds: string[] = [];
    for (let i = 0; i < couriers; i++) {
      catalogIds.push(
        (await createItem(ctx.db, 'couriers', { code: `courier-${i}`, name: `Courier ${i}` })).id,
      );
    }
    // The administrator's command: registers, makes the collaboration users, fills the conversation.
    await startCollaboration(ctx);
    const world: StoreWorld = {
      couriers: [],
      customerId: (
        await createItem(ctx.db, 'customers', { code: 'C1', name: 'Customer', address: 'Somewhere 1' })
      ).id,
      warehouseId: (await createItem(ctx.db, 'warehouses', { code: 'W1', name: 'Warehouse' })).id,
      productId: (await createItem(ctx.db, 'products', { code: 'P1', name: 'Product', price: 10 })).id,
      colorId: (await createItem(ctx.db, 'colors', { code: 'RED', name: 'Red' })).id,
      sizeId: (await createItem(ctx.db, 'sizes', { code: 'M', name: 'M' })).id,
    };
    for (let i = 0; i < couriers; i++) {
      world.couriers.push({
        catalogId: catalogIds[i]!,
        collabUserId: await ctx.collab.getUserIdByExternalId(users[i + 1]!.id),
      });
    }
    return world;
  } finally {
    await store.app.close();
  }
}

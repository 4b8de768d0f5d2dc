// Demo data for the first start of the embedded mode: users with the seed's roles, catalogs, and
// a few orders (one posted In work, so courier1 finds a notification waiting).

import type { CatalogName } from '../database/schema.js';
import { createItem } from '../modules/catalogs/catalogs-service.js';
import type { CatalogItemInput } from '../modules/catalogs/catalog-definitions.js';
import type { StoreContext } from '../workflows/context.js';
import { createUserWorkflow } from '../workflows/manage-users.js';
import { saveOrder } from '../workflows/save-order.js';
import { startCollaboration } from '../workflows/start-collab.js';

export const demoLogins = [
  { login: 'admin', password: 'admin', roles: ['Administrator'] as const, name: 'Administrator' },
  { login: 'manager', password: 'manager', roles: ['Manager'] as const, name: 'Olga Manager' },
  { login: 'courier1', password: 'courier1', roles: ['Courier'] as const, name: 'Ivan Petrov' },
  { login: 'courier2', password: 'courier2', roles: ['Courier'] as const, name: 'Maria Sidorova' },
];

const catalogs: Record<CatalogName, CatalogItemInput[]> = {
  colors: [
    { code: 'RED', name: 'Red' },
    { code: 'BLU', name: 'Blue' },
    { code: 'BLK', name: 'Black' },
    { code: 'WHT', name: 'White' },
  ],
  sizes: [
    { code: 'S', name: 'S' },
    { code: 'M', name: 'M' },
    { code: 'L', name: 'L' },
    { code: 'XL', name: 'XL' },
  ],
  warehouses: [
    { code: 'MAIN', name: 'Main warehouse', address: '1 Depot Street' },
    { code: 'NORTH', name: 'North warehouse', address: '7 Harbour Road' },
  ],
  customers: [
    { code: 'C001', name: 'Anna Smirnova', phone: '+7 900 000-00-01', address: '12 Lenina St, apt 4' },
    { code: 'C002', name: 'Boris Kuznetsov', phone: '+7 900 000-00-02', address: '5 Mira Ave' },
    { code: 'C003', name: 'Coffee House LLC', phone: '+7 900 000-00-03', address: '33 Sadovaya St' },
  ],
  products: [
    { code: 'TSH', name: 'T-shirt', price: 19.9 },
    { code: 'HOD', name: 'Hoodie', price: 49.5 },
    { code: 'CAP', name: 'Cap', price: 12 },
    { code: 'SNK', name: 'Sneakers', price: 89 },
  ],
  couriers: [
    { code: 'courier1', name: 'Ivan Petrov', phone: '+7 900 100-00-01' },
    { code: 'courier2', name: 'Maria Sidorova', phone: '+7 900 100-00-02' },
  ],
};

/** Creates the demo data; the caller decides that this is the first start. */
export async function createDemoData(ctx: StoreContext): Promise<void> {
  await startCollaboration(ctx);
  for (const user of demoLogins) {
    await createUserWorkflow(ctx, {
      login: user.login,
      name: user.name,
      password: user.password,
      roles: [...user.roles],
    });
  }
  const made: Record<string, string[]> = {};
  for (const [catalog, items] of Object.entries(catalogs) as Array<[CatalogName, CatalogItemInput[]]>) {
    made[catalog] = [];
    for (const item of items) made[catalog].push((await createItem(ctx.db, catalog, item)).id);
  }
  const id = (catalog: CatalogName, index: number) => made[catalog]?.[index] as string;
  const line = (product: number, color: number, size: number, quantity: number) => ({
    productId: id('products', product),
    colorId: id('colors', color),
    sizeId: id('sizes', size),
    quantity,
  });
  await saveOrder(ctx, {
    action: 'save',
    input: {
      customerId: id('customers', 0),
      address: '12 Lenina St, apt 4',
      warehouseId: id('warehouses', 0),
      courierId: null,
      status: 'New',
      items: [line(0, 0, 1, 2), line(2, 2, 2, 1)],
    },
  });
  await saveOrder(ctx, {
    action: 'post',
    input: {
      customerId: id('customers', 1),
      address: '5 Mira Ave',
      warehouseId: id('warehouses', 0),
      courierId: id('couriers', 0),
      status: 'InWork',
      comment: 'Call before delivery',
      items: [line(1, 1, 2, 1), line(3, 2, 3, 1)],
    },
  });
  await saveOrder(ctx, {
    action: 'post',
    input: {
      customerId: id('customers', 2),
      address: '33 Sadovaya St',
      warehouseId: id('warehouses', 1),
      courierId: id('couriers', 1),
      status: 'Done',
      items: [line(0, 3, 0, 10)],
    },
  });
}

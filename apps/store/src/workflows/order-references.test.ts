// An order's catalog references, read in one query for all catalogs: each id counts only in the
// catalog it is wanted from, prices come from the products, and the view names every item.

import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { availableFixtures } from '../testing/storage-fixtures.js';
import type { StoreApp } from '../app.js';
import { storeErrors } from '../errors.js';
import { itemsOfCatalogs } from '../modules/catalogs/catalogs-service.js';
import { buildTestStore, orderInput, seedWorld, type World } from '../testing/store-harness.js';
import { orderView } from './order-view.js';
import { saveOrder } from './save-order.js';

const fixtures = await availableFixtures();

describe.each(fixtures)('order references on $name', (fixture) => {
  let store: StoreApp;
  let world: World;

  beforeEach(async () => {
    store = await buildTestStore(fixture);
    world = await seedWorld(store);
  });
  afterEach(async () => store.app.close());
  afterAll(async () => fixture.dispose());

  it('finds items of several catalogs at once, each only in its own catalog', async () => {
    const found = await itemsOfCatalogs(store.ctx.db, {
      products: [world.products[0] as string, world.colors[0] as string, 'no-such-id'],
      colors: [world.colors[0] as string, null],
      couriers: [world.courier1],
    });
    expect([...found.products.keys()]).toEqual([world.products[0]]);
    expect([...found.colors.keys()]).toEqual([world.colors[0]]);
    expect(found.sizes.size).toBe(0);
    expect(found.couriers.get(world.courier1)).toMatchObject({ code: 'courier1' });
    expect(found.couriers.get(world.courier1)?.userId).toEqual(expect.any(String));
  });

  it('finds them in long lists too', async () => {
    const ids = [...world.products, ...Array.from({ length: 30 }, (_, i) => `unknown-${i}`), ...world.sizes];
    const found = await itemsOfCatalogs(store.ctx.db, { products: ids, sizes: ids });
    expect([...found.products.keys()].sort()).toEqual([...world.products].sort());
    expect([...found.sizes.keys()].sort()).toEqual([...world.sizes].sort());
  });

  it('reports an id of another catalog as unknown', async () => {
    const input = orderInput(world);
    const items = input.items.map((item, i) =>
      i === 0 ? { ...item, productId: world.colors[0] as string, sizeId: world.products[0] as string } : item,
    );
    const failure = await saveOrder(store.ctx, { action: 'save', input: { ...input, items } }).catch(
      (e: unknown) => e,
    );
    expect(storeErrors.is(failure, 'VALIDATION_FAILED')).toBe(true);
    const paths = (failure as { details: { problems: Array<{ path: string }> } }).details.problems.map(
      (p) => p.path,
    );
    expect(paths).toEqual(['items.0.productId', 'items.0.sizeId']);
  });

  it('prices lines from the products and shows the same view as a fresh read', async () => {
    const { order, refs } = await saveOrder(store.ctx, { action: 'post', input: orderInput(world) });
    expect(order.items.map((i) => i.priceCents)).toEqual([1000, 300]);
    const view = await orderView(store.ctx.db, order, refs);
    expect(view).toEqual(await orderView(store.ctx.db, order));
    expect(view.customer).toMatchObject({ code: 'C1' });
    expect(view.courier).toMatchObject({ code: 'courier1' });
    expect(view.items.map((i) => [i.product.code, i.color?.code, i.size?.code])).toEqual([
      ['P1', 'RED', 'S'],
      ['P2', 'BLUE', 'M'],
    ]);
  });
});
